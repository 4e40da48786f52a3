/** The offline plan of a hub-firewall stack with domain rules, run as a user runs it. */
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG } from "../../components/lib/catalog";
import { levelDomains } from "../../components/lib/firewall-rules";
import { lfsBlockedWarning, runCli, writeStackFile } from "../support/cli";

const POLICY =
  "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy";
const CONFIG = `config:
  azure-github-runner-network:github:
    businessId: "12345678"
    scope: organization
    slug: my-org
  azure-github-runner-network:networks:
    - name: spoke
      location: eastus
      addressSpace: 10.50.0.0/16
      maxConcurrentRunners: 50
      egress: firewall
      firewallPrivateIp: 10.0.1.4
      firewallPolicyId: ${POLICY}
      domainAllowList: wildcard
    - name: nat
      location: westus2
      addressSpace: 10.51.0.0/16
      maxConcurrentRunners: 50
      role: failover
`;

describe("npm run plan with firewall domain rules", () => {
  it("plans the rule collection group and a reachability summary per network, byte-identical twice", async () => {
    const file = writeStackFile(CONFIG, "fw");
    const [first, second] = await Promise.all([runCli(["plan", "--config", file]), runCli(["plan", "--config", file])]);
    const HTTP_FIX = "allow HTTP to it on your firewall (extraDomains are HTTPS only)";
    const firewallWarning = (
      host: string,
      purpose: string,
      reason = "not in the firewall's domain list",
      fix = "add the host to extraDomains (the firewall's domain list) or allow it on your firewall",
    ) => `warning: network "spoke": ${host} (${purpose}) is blocked: ${reason} by github-runners-github-domains; to allow it, ${fix}\n`;
    expect([first.code, first.stderr]).toEqual([
      0,
      [
        firewallWarning(
          "azure.archive.ubuntu.com",
          "Ubuntu package mirror in Azure (apt)",
          "the firewall's domain rules allow HTTPS only",
          HTTP_FIX,
        ),
        firewallWarning("login.microsoftonline.com", "Microsoft Entra ID sign-in (azure/login)"),
        firewallWarning("mcr.microsoft.com", "Microsoft Container Registry"),
        firewallWarning("*.data.mcr.microsoft.com", "Microsoft Container Registry"),
        lfsBlockedWarning("nat"),
      ].join(""),
    ]);
    expect(second.stdout).toBe(first.stdout);
    const lines = first.stdout.split("\n");
    // The policy is in the hub's subscription (2222…), not the stack's: written through a provider for it.
    expect(lines).toContain(
      "  │  ├─ spoke-firewall-rules  (azure-native:network:FirewallPolicyRuleCollectionGroup)  [subscription 22222222-2222-2222-2222-222222222222, via firewall-policy-subscription-22222222-2222-2222-2222-222222222222]",
    );
    expect(lines).toContain("  Firewall   rule collection group github-runners-spoke (priority 2000) in policy hub-policy (hub-rg):");
    // Counts from the catalog: the weekly update changes them.
    const fqdns = levelDomains(ENDPOINT_CATALOG, "wildcard").length;
    const [ipv4, ipv6, exact] = [ENDPOINT_CATALOG.ipv4.length, ENDPOINT_CATALOG.ipv6.length, ENDPOINT_CATALOG.domains.exact.length];
    expect(lines).toContain(
      `             Storage tag on 443, and ${fqdns} domains (GitHub's wildcard list with the hosts GitHub documents for runners) on HTTPS 443`,
    );
    const reachability = (network: string) => {
      const start = lines.indexOf(`Network "${network}" in ${network === "spoke" ? "eastus" : "westus2"}`);
      const from = lines.findIndex((line, index) => index > start && line.startsWith("  Reachability"));
      // The requirements table follows without a blank line.
      const to = lines.findIndex((line, index) => index > from && (line === "" || line.startsWith("  Requirements")));
      return lines.slice(from, to).map((line) => line.trim().replace(/\s{2,}/g, " | "));
    };
    expect(reachability("spoke")).toEqual([
      "Reachability (NSG evaluated offline; allowed traffic then passes the firewall, which decides by domain)",
      "Endpoint | Traffic | Result | Decided by",
      `GitHub web/api/git/packages IPv4 (${ipv4} ranges) | TCP 443 out | allowed ${ipv4}/${ipv4} | AllowInternetHttpsOutbound (210)`,
      `GitHub web/api/git/packages IPv6 (${ipv6} ranges) | TCP 443 out | allowed ${ipv6}/${ipv6} | AllowInternetHttpsOutbound (210)`,
      "Azure Storage (Storage tag) | TCP 443 out | allowed | AllowInternetHttpsOutbound (210)",
      "Other Azure services (AzureCloud tag) | TCP 443 out | allowed | AllowInternetHttpsOutbound (210)",
      "VNET and connected networks | TCP 443 out | allowed | AllowVirtualNetworkHttpsOutbound (200)",
      "Other internet, IPv4 | TCP 443 out | allowed | AllowInternetHttpsOutbound (210)",
      "Other internet, IPv6 | TCP 443 out | allowed | AllowInternetHttpsOutbound (210)",
      "Other internet, IPv4 | TCP 80 out | allowed | AllowInternetHttpOutbound (220)",
      `GitHub IPv4 on another port (${ipv4} ranges) | TCP 22 out | denied ${ipv4}/${ipv4} | DenyInternetOutbound (4096)`,
      "Inbound from the internet | TCP 443 in | denied | DenyAllInbound (4096)",
      "Inbound from the VNET | TCP 22 in | denied | DenyAllInbound (4096)",
      `GitHub's exact domains through the firewall's wildcard list | HTTPS 443 | allowed ${exact}/${exact} | application rule, ${fqdns} target FQDNs`,
    ]);
    expect(reachability("nat").slice(0, 1).concat(reachability("nat").slice(7, 9))).toEqual([
      "Reachability (NSG evaluated offline; allowed traffic leaves through the NAT gateway)",
      "Other internet, IPv4 | TCP 443 out | denied | DenyInternetOutbound (4096)",
      "Other internet, IPv6 | TCP 443 out | denied | DenyInternetOutbound (4096)",
    ]);
  });
});
