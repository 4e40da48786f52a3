/**
 * The requirements report, on a fixture catalog (not the committed snapshot, so a weekly update
 * of GitHub's lists changes nothing here) and on designs of each egress and outbound mode.
 */
import { describe, expect, it } from "vitest";
import { catalogFromLists, type EndpointCatalog } from "../../../components/lib/catalog";
import { planSecurityRules } from "../../../components/lib/nsg-rules";
import {
  GITHUB_DOCUMENTED_REQUIREMENTS,
  PLATFORM_REQUIREMENTS,
  allRequirements,
  evaluateRequirements,
  hostingOf,
  type RequirementsInput,
} from "../../../components/lib/runner-requirements";

const CATALOG: EndpointCatalog = catalogFromLists(
  {
    services: { web: ["192.0.2.0/28"], api: ["192.0.2.16/28"], git: ["192.0.2.0/28"], packages: ["192.0.2.32/28"] },
    domains: { exact: ["github.com", "api.github.com", "pipelines.actions.githubusercontent.com"], standard: [], wildcard: [] },
  },
  { url: "https://api.github.com/meta", takenAt: "2026-12-01" },
);

function input(args: { outbound?: "restricted" | "https"; egress?: string }, firewall?: RequirementsInput["firewall"]): RequirementsInput {
  const egress = args.egress ?? "natGateway";
  const planned = planSecurityRules({
    outbound: args.outbound ?? (egress === "firewall" ? "https" : "restricted"),
    catalog: CATALOG,
    behindFirewall: egress === "firewall",
  });
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return {
    rules: planned.rules,
    virtualNetworkPrefixes: ["10.40.0.0/16"],
    subnetPrefix: "10.40.0.0/24",
    egress,
    catalog: CATALOG,
    firewall,
  };
}

const pick = (results: ReturnType<typeof evaluateRequirements>, host: string) => results.find((r) => r.host === host);

describe("where each documented host's addresses come from", () => {
  it.each([
    ["github.com", { kind: "github", list: "web" }],
    ["api.github.com", { kind: "github", list: "api" }],
    ["ghcr.io", { kind: "github", list: "packages" }],
    ["npm.pkg.github.com", { kind: "github", list: "packages" }],
    ["pipelinesghubeus1.actions.githubusercontent.com", { kind: "azure", tags: ["AzureCloud"], what: "Actions services hosted in Azure" }],
    ["productionresultssa0.blob.core.windows.net", { kind: "azure", tags: ["Storage", "AzureCloud"], what: "Azure Storage" }],
    ["github-cloud.s3.amazonaws.com", { kind: "external", what: "AWS, not a GitHub or Azure address" }],
    [
      "objects.githubusercontent.com",
      { kind: "unpublished", what: "served by GitHub's content network, whose addresses GitHub does not publish per host" },
    ],
    ["example.org", { kind: "unpublished", what: "its addresses are not published" }],
  ])("%s", (host, hosting) => {
    expect(hostingOf(host)).toEqual(hosting);
  });

  it("knows a hosting for every host GitHub's page and the platform list name", () => {
    const unknown = [...GITHUB_DOCUMENTED_REQUIREMENTS, ...PLATFORM_REQUIREMENTS].filter(
      (r) => hostingOf(r.host).kind === "unpublished" && !r.host.endsWith(".githubusercontent.com") && !r.host.endsWith(".githubapp.com"),
    );
    expect(unknown).toEqual([]);
  });
});

describe("verdicts per egress design", () => {
  const requirements = allRequirements(CATALOG);

  it("restricted behind a NAT gateway: GitHub, Actions, Storage and Microsoft's platform allowed, Git LFS on S3 blocked", () => {
    const results = evaluateRequirements(input({}), requirements);
    expect(
      ["github.com", "*.blob.core.windows.net", "azure.archive.ubuntu.com", "login.microsoftonline.com", "*.data.mcr.microsoft.com"].map(
        (h) => pick(results, h)?.rule,
      ),
    ).toEqual([
      "AllowGitHubIPv4HttpsOutbound",
      "AllowStorageHttpsOutbound",
      "AllowAzureCloudHttpOutbound",
      "AllowEntraIdHttpsOutbound",
      "AllowFrontDoorFirstPartyHttpsOutbound",
    ]);
    expect(pick(results, "github-cloud.s3.amazonaws.com")).toEqual({
      purpose: "Git LFS",
      host: "github-cloud.s3.amazonaws.com",
      verdict: "blocked",
      rule: "DenyInternetOutbound",
      reason: "AWS, not a GitHub or Azure address; TCP 443 is denied",
    });
    expect(pick(results, "objects.githubusercontent.com")?.verdict).toBe("depends");
  });

  it("https: 443 anywhere, so S3 is allowed, and HTTP to the mirror is not", () => {
    const results = evaluateRequirements(input({ outbound: "https" }), requirements);
    expect(pick(results, "github-cloud.s3.amazonaws.com")).toMatchObject({ verdict: "allowed", rule: "AllowInternetHttpsOutbound" });
    expect(pick(results, "azure.archive.ubuntu.com")).toMatchObject({ verdict: "blocked", rule: "DenyInternetOutbound" });
  });

  it("firewall with domain rules: the Storage network rule, the domain list, and blocked what the list lacks", () => {
    const firewall = {
      storageCollection: "storage",
      domainsCollection: "domains",
      targetFqdns: ["github.com", "*.actions.githubusercontent.com"],
    };
    const results = evaluateRequirements(input({ egress: "firewall" }, firewall), requirements);
    expect(
      ["github.com", "*.actions.githubusercontent.com", "*.blob.core.windows.net"].map((h) => [
        pick(results, h)?.verdict,
        pick(results, h)?.rule,
      ]),
    ).toEqual([
      ["allowed", "domains"],
      ["allowed", "domains"],
      ["allowed", "storage"],
    ]);
    expect(pick(results, "api.github.com")).toMatchObject({
      verdict: "blocked",
      rule: "domains",
      reason: "not in the firewall's domain list",
    });
    expect(pick(results, "azure.archive.ubuntu.com")).toMatchObject({
      verdict: "blocked",
      reason: "the firewall's domain rules allow HTTPS only",
    });
  });

  it("firewall without domain rules, and egress none: the NSG lets it out, then it depends", () => {
    const behindFirewall = evaluateRequirements(input({ egress: "firewall" }), requirements);
    expect(pick(behindFirewall, "github.com")).toMatchObject({
      verdict: "depends",
      reason: "GitHub's web ranges; then your firewall decides",
    });
    const none = evaluateRequirements(input({ egress: "none" }), requirements);
    expect(pick(none, "github.com")).toMatchObject({
      verdict: "depends",
      reason: "GitHub's web ranges; egress none: only through the egress you provide",
    });
  });

  it("adds /meta's exact hosts that GitHub's page does not name, once each", () => {
    expect(requirements.filter((r) => r.purpose.startsWith("Actions hosts GitHub publishes")).map((r) => r.host)).toEqual([
      "pipelines.actions.githubusercontent.com",
    ]);
  });
});
