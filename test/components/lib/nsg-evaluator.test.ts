import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG, GITHUB_RANGE_SERVICES } from "../../../components/lib/catalog";
import { blockSize, formatAddress, lastAddress, parseCidr } from "../../../components/lib/cidr";
import { domainCovered } from "../../../components/lib/firewall-rules";
import { evaluateFlow, type EvaluationContext, type Flow, type FlowEndpoint } from "../../../components/lib/nsg-evaluator";
import type { PlannedSecurityRule } from "../../../components/lib/nsg-rules";
import { summarizeReachability } from "../../../components/lib/reachability";
import { validateComponentArgs, type RunnerNetworkDesign } from "../../../components/lib/network-design";

const CONTEXT: EvaluationContext = { virtualNetworkPrefixes: ["10.40.0.0/16"] };
const RUNNER: FlowEndpoint = { address: "10.40.0.4", serviceTags: [] };
const out = (address: string, port: number, protocol: Flow["protocol"] = "Tcp", serviceTags?: string[]): Flow => ({
  direction: "Outbound",
  protocol,
  source: RUNNER,
  sourcePort: 50000,
  destination: { address, ...(serviceTags ? { serviceTags } : {}) },
  destinationPort: port,
});
const into = (address: string, port: number, protocol: Flow["protocol"] = "Tcp", serviceTags: string[] = []): Flow => ({
  direction: "Inbound",
  protocol,
  source: { address, serviceTags },
  sourcePort: 50000,
  destination: RUNNER,
  destinationPort: port,
});

const rule = (name: string, priority: number, fields: Partial<PlannedSecurityRule>): PlannedSecurityRule => ({
  name,
  description: "",
  priority,
  direction: "Outbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
  ...fields,
});

/** `verdict by rule` of a decision, using the outcome that assumes no unresolved tag membership. */
function decide(rules: PlannedSecurityRule[], flow: Flow, context = CONTEXT): string {
  const decision = evaluateFlow(rules, flow, context);
  const last = decision.outcomes[decision.outcomes.length - 1].decidedBy;
  return `${decision.verdict} by ${last === "platform" ? "platform" : last.name}`;
}

describe("evaluateFlow: Azure's evaluation order and defaults", () => {
  const rules = [
    rule("DenyBlockedRange", 300, { access: "Deny", destinationAddressPrefix: "198.51.100.0/24" }),
    rule("AllowPartnerHttps", 200, { destinationAddressPrefixes: ["198.51.100.0/25", "203.0.113.0/24"], destinationPortRange: "443" }),
    rule("AllowHighPorts", 400, { protocol: "Udp", destinationPortRanges: ["8000-8100", "9000"] }),
    rule("AllowDnsAnywhere", 500, { protocol: "*", destinationPortRange: "53" }),
  ];
  it.each([
    ["the lower priority number wins, whatever the list order", out("198.51.100.10", 443), "allow by AllowPartnerHttps"],
    ["a later rule decides what an earlier one does not cover", out("198.51.100.200", 443), "deny by DenyBlockedRange"],
    ["ports must match", out("203.0.113.9", 80), "allow by AllowInternetOutBound"],
    ["protocols must match", out("8.8.8.8", 8050, "Tcp"), "allow by AllowInternetOutBound"],
    ["a port inside a range of a list", out("10.9.9.9", 8050, "Udp"), "allow by AllowHighPorts"],
    ["a single port of a list", out("10.9.9.9", 9000, "Udp"), "allow by AllowHighPorts"],
    ["protocol * covers UDP", out("10.9.9.9", 53, "Udp"), "allow by AllowDnsAnywhere"],
    ["private space outside the VNET is not Internet: DenyAllOutBound", out("192.168.1.1", 22), "deny by DenyAllOutBound"],
    ["the VNET's own space: AllowVnetOutBound", out("10.40.9.9", 22), "allow by AllowVnetOutBound"],
    ["shared address space (RFC 6598) is not Internet", out("100.64.0.1", 22), "deny by DenyAllOutBound"],
    ["IPv6 public space is Internet", out("2001:db8::1", 22), "allow by AllowInternetOutBound"],
    ["IPv6 unique-local space is not", out("fd00::1", 22), "deny by DenyAllOutBound"],
    ["Azure DNS is platform traffic, never filtered", out("168.63.129.16", 53, "Udp"), "allow by platform"],
    ["IMDS is platform traffic", out("169.254.169.254", 80), "allow by platform"],
    ["inbound from the VNET: AllowVNetInBound", into("10.40.1.1", 22), "allow by AllowVNetInBound"],
    ["inbound from the internet: DenyAllInBound", into("203.0.113.9", 443), "deny by DenyAllInBound"],
    [
      "inbound from Azure's load balancer",
      into("168.63.129.16", 80, "Tcp", ["AzureLoadBalancer"]),
      "allow by AllowAzureLoadBalancerInBound",
    ],
  ])("%s", (_, flow, expected) => {
    expect(decide(rules, flow)).toBe(expected);
  });
});

describe("evaluateFlow: service tags", () => {
  const rules = [
    rule("AllowStorage", 210, { destinationAddressPrefix: "Storage", destinationPortRange: "443" }),
    rule("DenyInternet", 4096, { access: "Deny", protocol: "*", destinationAddressPrefix: "Internet" }),
  ];

  it("follows both memberships of an unresolved tag and says what the verdict depends on", () => {
    const decision = evaluateFlow(rules, out("203.0.113.9", 443), CONTEXT);
    expect(decision.verdict).toBe("depends");
    expect(decision.unresolvedTags).toEqual(["destination:Storage"]);
    expect(decision.outcomes.map((o) => [o.access, o.decidedBy === "platform" ? "platform" : o.decidedBy.name, o.assumptions])).toEqual([
      ["Allow", "AllowStorage", { "destination:Storage": true }],
      ["Deny", "DenyInternet", { "destination:Storage": false }],
    ]);
  });

  it.each([
    [
      "the flow says the address is in the tag",
      out("203.0.113.9", 443, "Tcp", ["Storage", "AzureCloud"]),
      CONTEXT,
      "allow by AllowStorage",
    ],
    ["a regional tag counts as the global one", out("203.0.113.9", 443, "Tcp", ["Storage.WestUS2"]), CONTEXT, "allow by AllowStorage"],
    ["the flow says the address is in no tag", out("203.0.113.9", 443, "Tcp", []), CONTEXT, "deny by DenyInternet"],
    [
      "the tag's ranges are known and hold the address",
      out("203.0.113.9", 443),
      { ...CONTEXT, serviceTagPrefixes: { Storage: ["203.0.113.0/24"] } },
      "allow by AllowStorage",
    ],
    [
      "the tag's ranges are known and do not hold it",
      out("198.51.100.1", 443),
      { ...CONTEXT, serviceTagPrefixes: { storage: ["203.0.113.0/24"] } },
      "deny by DenyInternet",
    ],
    ["a port the tag rule does not open needs no tag answer", out("203.0.113.9", 22), CONTEXT, "deny by DenyInternet"],
  ])("%s", (_, flow, context, expected) => {
    expect(decide(rules, flow, context)).toBe(expected);
  });

  it("is definite when every branch gives the same access", () => {
    const withGitHub = [...rules, rule("AllowGitHub", 230, { destinationAddressPrefix: "203.0.113.0/24", destinationPortRange: "443" })];
    const decision = evaluateFlow(withGitHub, out("203.0.113.9", 443), CONTEXT);
    expect([decision.verdict, decision.unresolvedTags]).toEqual(["allow", ["destination:Storage"]]);
  });
});

const FIREWALL_POLICY =
  "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy";
const EGRESS_ARGS = {
  natGateway: { egress: "natGateway" },
  firewall: { egress: "firewall", firewallPrivateIp: "10.0.1.4" },
  "firewall with domain rules": {
    egress: "firewall",
    firewallPrivateIp: "10.0.1.4",
    firewallPolicyId: FIREWALL_POLICY,
    domainAllowList: "exact",
  },
  none: { egress: "none" },
} as const;
const COMBINATIONS = (["restricted", "https"] as const).flatMap((outbound) =>
  Object.entries(EGRESS_ARGS).map(([egress, args]) => ({ outbound, egress, args })),
);

function design(outbound: "restricted" | "https", args: object): RunnerNetworkDesign {
  const result = validateComponentArgs({
    location: "eastus",
    businessId: "12345678",
    addressSpace: "10.40.0.0/16",
    maxConcurrentRunners: 100,
    outbound,
    ...args,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** First, middle and last address of a block. */
function samples(range: string): string[] {
  const cidr = parseCidr(range, { strict: false });
  return [cidr.base, cidr.base + blockSize(cidr) / 2n, lastAddress(cidr)].map((value) => formatAddress(cidr.family, value));
}

describe.each(COMBINATIONS)("planned NSG, outbound $outbound, egress $egress", ({ outbound, args }) => {
  const planned = design(outbound, args);
  const verdict = (flow: Flow) => evaluateFlow(planned.securityRules, flow, CONTEXT).verdict;

  it("reaches every GitHub range of every service on TCP 443, whatever Azure's tags hold", () => {
    const ranges = [
      ...new Set([
        ...ENDPOINT_CATALOG.ipv4,
        ...ENDPOINT_CATALOG.ipv6,
        ...GITHUB_RANGE_SERVICES.flatMap((s) => ENDPOINT_CATALOG.services[s]),
      ]),
    ];
    expect(ranges.length).toBeGreaterThanOrEqual(ENDPOINT_CATALOG.ipv4.length + ENDPOINT_CATALOG.ipv6.length);
    const blocked = ranges.flatMap(samples).filter((address) => verdict(out(address, 443)) !== "allow");
    expect(blocked).toEqual([]);
  });

  it("denies GitHub's ranges on other ports and protocols, but for HTTP to a firewall", () => {
    const first = samples(ENDPOINT_CATALOG.ipv4[0])[0];
    // GitHub's own ranges are in no Azure service tag.
    const github = (port: number, protocol: Flow["protocol"] = "Tcp") => verdict(out(first, port, protocol, []));
    const httpToFirewall = outbound === "https" && "firewallPrivateIp" in args;
    expect([github(22), github(80), github(8443), github(443, "Udp"), verdict(out("2606:50c0::1", 22, "Tcp", []))]).toEqual([
      "deny",
      httpToFirewall ? "allow" : "deny",
      "deny",
      "deny",
      "deny",
    ]);
  });

  it(
    outbound === "restricted"
      ? "denies other internet destinations on 443 and other ports"
      : "allows other internet destinations on 443 only",
    () => {
      const results = [
        verdict(out("203.0.113.10", 443, "Tcp", [])),
        verdict(out("2001:db8::10", 443, "Tcp", [])),
        verdict(out("203.0.113.10", 80, "Tcp", [])),
        verdict(out("203.0.113.10", 53, "Udp", [])),
      ];
      // Behind a firewall, HTTP goes on to the firewall, which filters by domain.
      const http = "firewallPrivateIp" in args ? "allow" : "deny";
      expect(results).toEqual(outbound === "restricted" ? ["deny", "deny", "deny", "deny"] : ["allow", "allow", http, "deny"]);
    },
  );

  it("reaches Azure Storage and the Azure services Actions uses on 443", () => {
    expect([
      verdict(out("198.51.100.10", 443, "Tcp", ["Storage", "AzureCloud"])),
      verdict(out("198.51.100.20", 443, "Tcp", ["AzureCloud"])),
    ]).toEqual(["allow", "allow"]);
  });

  it("denies all inbound: internet, VNET, peered space and Azure's load balancer, any protocol", () => {
    const flows = [
      into("203.0.113.10", 443),
      into("203.0.113.10", 22),
      into("2001:db8::10", 443),
      into("10.40.1.1", 22),
      into("10.40.1.1", 3389, "Udp"),
      into("10.41.0.9", 443, "Tcp", ["VirtualNetwork"]),
      into("168.63.129.16", 80, "Tcp", ["AzureLoadBalancer"]),
      into("203.0.113.10", 0, "Icmp"),
    ];
    expect(
      flows.map(
        (flow) =>
          `${verdict(flow)} by ${(evaluateFlow(planned.securityRules, flow, CONTEXT).outcomes[0].decidedBy as { name: string }).name}`,
      ),
    ).toEqual(Array(8).fill("deny by DenyAllInbound"));
  });
});

describe("the reachability summary of a planned network", () => {
  it.each([
    ["restricted", { egress: "natGateway" }, ["allow", "allow", "allow", "allow", "allow", "deny", "deny", "deny", "deny", "deny", "deny"]],
    [
      "https",
      { egress: "firewall", firewallPrivateIp: "10.0.1.4" },
      ["allow", "allow", "allow", "allow", "allow", "allow", "allow", "allow", "deny", "deny", "deny"],
    ],
  ] as const)("outbound %s", (outbound, args, verdicts) => {
    const planned = design(outbound, args);
    const checks = summarizeReachability({
      rules: planned.securityRules,
      virtualNetworkPrefixes: ["10.40.0.0/16"],
      subnetPrefix: planned.subnetPrefix,
    });
    expect(checks.map((c) => c.id)).toEqual([
      "github-ipv4-https",
      "github-ipv6-https",
      "storage-https",
      "azurecloud-https",
      "vnet-https",
      "internet-https",
      "internet-ipv6-https",
      "internet-http",
      "github-ipv4-ssh",
      "inbound-internet",
      "inbound-vnet",
    ]);
    expect(checks.map((c) => c.verdict)).toEqual(verdicts);
    // Counts from the catalog: the weekly update changes them.
    const ranges = ENDPOINT_CATALOG.ipv4.length;
    expect(checks[0]).toEqual({
      id: "github-ipv4-https",
      endpoint: `GitHub web/api/git/packages IPv4 (${ranges} ranges)`,
      traffic: "TCP 443 out",
      verdict: "allow",
      allowed: ranges,
      total: ranges,
      decidedBy: outbound === "restricted" ? "AllowGitHubIPv4HttpsOutbound (230)" : "AllowInternetHttpsOutbound (210)",
    });
    expect(checks[8]).toMatchObject({ verdict: "deny", allowed: 0, total: ranges, decidedBy: "DenyInternetOutbound (4096)" });
  });

  it("counts how many of GitHub's exact domains the firewall's list lets through", () => {
    const planned = design("https", EGRESS_ARGS["firewall with domain rules"]);
    const check = (targetFqdns: readonly string[], level: "exact" | "standard" | "wildcard") =>
      summarizeReachability({
        rules: planned.securityRules,
        virtualNetworkPrefixes: ["10.40.0.0/16"],
        subnetPrefix: planned.subnetPrefix,
        firewallDomains: { level, targetFqdns },
      }).at(-1);
    const { exact, standard } = ENDPOINT_CATALOG.domains;
    expect(check(standard, "standard")).toEqual({
      id: "firewall-domains",
      endpoint: "GitHub's exact domains through the firewall's standard list",
      traffic: "HTTPS 443",
      verdict: "allow",
      allowed: exact.length,
      total: exact.length,
      decidedBy: `application rule, ${standard.length} target FQDNs`,
    });
    // github.com and the exact domains under .github.com (api, codeload, cafe and those under pkg.github.com in August 2026).
    const underGitHub = exact.filter((domain) => domainCovered(domain, ["github.com", "*.github.com"])).length;
    expect(underGitHub).toBeLessThan(exact.length);
    expect(check(["github.com", "*.github.com"], "wildcard")).toMatchObject({
      verdict: "partial",
      allowed: underGitHub,
      total: exact.length,
    });
  });

  it("says partly when a deny carves GitHub ranges out", () => {
    const planned = design("restricted", {
      extraSecurityRules: [
        {
          name: "DenyOneRange",
          priority: 150,
          direction: "Outbound",
          access: "Deny",
          destinationAddressPrefixes: [ENDPOINT_CATALOG.ipv4.at(-1)!],
        },
      ],
    });
    const github = summarizeReachability({
      rules: planned.securityRules,
      virtualNetworkPrefixes: ["10.40.0.0/16"],
      subnetPrefix: planned.subnetPrefix,
    })[0];
    expect([github.verdict, github.allowed, github.total, github.decidedBy]).toEqual([
      "partial",
      ENDPOINT_CATALOG.ipv4.length - 1,
      ENDPOINT_CATALOG.ipv4.length,
      "AllowGitHubIPv4HttpsOutbound (230), DenyOneRange (150)",
    ]);
  });
});
