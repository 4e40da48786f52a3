import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG, catalogFromMeta, type DomainLevel } from "../../../components/lib/catalog";
import {
  documentedAdditions,
  domainCovered,
  levelDomains,
  parseFirewallPolicyId,
  planFirewallRules,
  ruleCollectionGroupName,
} from "../../../components/lib/firewall-rules";
import { validateComponentArgs } from "../../../components/lib/network-design";
import { GITHUB_DOCUMENTED_REQUIREMENTS } from "../../../components/lib/runner-requirements";
import { validateStackConfig } from "../../../components/lib/stack-config";
import { expectedRuleCollections } from "../../support/firewall-expected";
import { REPO } from "../../support/cli";

const POLICY =
  "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy";
/** The catalog of GitHub's saved /meta response: a fixture, unlike the committed snapshot, which a weekly update changes. */
const SAVED = catalogFromMeta(JSON.parse(readFileSync(join(REPO, "components", "data", "meta", "github-meta-2026-08-22.json"), "utf8")), {
  url: "u",
  takenAt: "2026-08-22",
});
const LEVELS: DomainLevel[] = ["exact", "standard", "wildcard"];
const httpsRule = (plan: ReturnType<typeof planFirewallRules>) =>
  plan.ruleCollections[1].rules[0] as { name: string; targetFqdns: string[] };

describe("planFirewallRules", () => {
  it("plans a Storage network rule and an application rule for the chosen domains on 443, from the runner subnet", () => {
    expect(planFirewallRules({ networkName: "primary", subnetPrefix: "10.40.0.0/24", level: "wildcard", catalog: SAVED })).toEqual({
      ruleCollectionGroupName: "github-runners-primary",
      priority: 2000,
      ruleCollections: expectedRuleCollections("10.40.0.0/24", "wildcard", "domains.actions_inbound.wildcard_domains", [
        "*.core.windows.net",
        "*.github.com",
        "*.githubapp.com",
        "*.githubusercontent.com",
        "ghcr.io",
        "github-cloud.s3.amazonaws.com",
        "github.com",
      ]),
    });
  });

  it.each([
    ["exact", 98, 105],
    ["standard", 72, 76],
    ["wildcard", 6, 7],
  ] as const)("takes every domain of the %s list (%i) and the documented hosts it lacks (%i in all)", (level, listed, total) => {
    const rule = httpsRule(planFirewallRules({ networkName: "n", subnetPrefix: "10.0.0.0/24", level, catalog: SAVED }));
    expect(rule.name).toBe(`github-${level}-domains-https`);
    expect(SAVED.domains[level]).toHaveLength(listed);
    expect(rule.targetFqdns.filter((domain) => !SAVED.domains[level].includes(domain))).toEqual(
      documentedAdditions(SAVED, level).map((addition) => addition.host),
    );
    expect(rule.targetFqdns).toHaveLength(total);
  });

  it.each([
    [
      "exact",
      [
        "dependabot-actions.githubapp.com Dependabot updates; GitHub's runner communication requirements",
        "fulcio.githubapp.com Artifact attestations; /meta domains.artifact_attestations.services",
        "github-cloud.githubusercontent.com Git LFS; GitHub's runner communication requirements",
        "github-cloud.s3.amazonaws.com Git LFS; GitHub's runner communication requirements",
        "pkg-containers.githubusercontent.com GitHub Packages; GitHub's runner communication requirements",
        "timestamp.githubapp.com Artifact attestations; /meta domains.artifact_attestations.services",
        "tuf-repo.github.com Artifact attestations; /meta domains.artifact_attestations.services",
      ],
    ],
    [
      "standard",
      [
        "*.blob.core.windows.net Job summaries, logs, artifacts and caches; GitHub's runner communication requirements",
        "github-cloud.githubusercontent.com Git LFS; GitHub's runner communication requirements",
        "github-cloud.s3.amazonaws.com Git LFS; GitHub's runner communication requirements",
        "pkg-containers.githubusercontent.com GitHub Packages; GitHub's runner communication requirements",
      ],
    ],
    ["wildcard", ["github-cloud.s3.amazonaws.com Git LFS; GitHub's runner communication requirements"]],
  ] as const)("adds to the %s list what GitHub documents for runners and the list lacks, with why", (level, expected) => {
    expect(documentedAdditions(SAVED, level).map((addition) => `${addition.host} ${addition.why}`)).toEqual(expected);
  });

  // Holds for whatever GitHub publishes: checked on the committed snapshot, whatever week it is from.
  it.each(LEVELS)("covers every host of GitHub's communication requirements at the %s level", (level) => {
    const allowed = [...levelDomains(ENDPOINT_CATALOG, level), "Storage"];
    const missing = GITHUB_DOCUMENTED_REQUIREMENTS.map((requirement) => requirement.host).filter((host) => {
      if (domainCovered(host, allowed)) return false;
      // exact holds names: a wildcard host is covered by the names GitHub lists under it, and Azure Storage by the Storage rule.
      return !(
        level === "exact" &&
        host.startsWith("*.") &&
        (host === "*.blob.core.windows.net" || ENDPOINT_CATALOG.domains.exact.some((d) => domainCovered(d, [host])))
      );
    });
    expect(missing).toEqual([]);
    expect(
      ENDPOINT_CATALOG.attestationDomains.filter((host) => !domainCovered(host, allowed) && !(level === "exact" && host.startsWith("*."))),
    ).toEqual([]);
  });

  it("keeps wildcard hosts out of the exact level", () => {
    expect(levelDomains(ENDPOINT_CATALOG, "exact").filter((domain) => domain.startsWith("*."))).toEqual([]);
  });

  it("adds the user's extraDomains to the HTTPS rule, lower case, once", () => {
    const plan = planFirewallRules({
      networkName: "n",
      subnetPrefix: "10.0.0.0/24",
      level: "wildcard",
      catalog: SAVED,
      extraDomains: ["Repo.Example.NET.", "*.pypi.example.com", "repo.example.net", "github.com"],
    });
    expect(plan.ruleCollections[1]).toEqual(
      expectedRuleCollections(
        "10.0.0.0/24",
        "wildcard",
        "domains.actions_inbound.wildcard_domains",
        [
          "*.core.windows.net",
          "*.github.com",
          "*.githubapp.com",
          "*.githubusercontent.com",
          "*.pypi.example.com",
          "ghcr.io",
          "github-cloud.s3.amazonaws.com",
          "github.com",
          "repo.example.net",
        ],
        true,
      )[1],
    );
  });

  it("plans plain HTTP only for a documented host that needs it", () => {
    const plain = [...GITHUB_DOCUMENTED_REQUIREMENTS, { purpose: "A mirror", host: "mirror.example.com", port: 80 as const }];
    const plan = planFirewallRules({
      networkName: "n",
      subnetPrefix: "10.0.0.0/24",
      level: "standard",
      catalog: SAVED,
      requirements: plain,
    });
    expect(plan.ruleCollections[1].rules.slice(1)).toEqual([
      {
        ruleType: "ApplicationRule",
        name: "github-documented-hosts-http",
        description: "Hosts GitHub documents for runners that need plain HTTP",
        sourceAddresses: ["10.0.0.0/24"],
        protocols: [{ protocolType: "Http", port: 80 }],
        targetFqdns: ["mirror.example.com"],
      },
    ]);
    expect(httpsRule(plan).targetFqdns).not.toContain("mirror.example.com");
    for (const level of LEVELS) {
      const rules = planFirewallRules({ networkName: "n", subnetPrefix: "10.0.0.0/24", level }).ruleCollections[1].rules;
      expect(rules.map((rule) => (rule as { protocols: unknown }).protocols)).toEqual([[{ protocolType: "Https", port: 443 }]]);
    }
  });

  it("is the same for the same catalog content, whatever the order GitHub listed it in or when it was taken", () => {
    const shuffled = catalogFromMeta(
      { domains: { actions: [...ENDPOINT_CATALOG.domains.standard].reverse() } },
      { url: "u", takenAt: "2026-09-30T00:00:00Z", etag: 'W/"2"' },
    );
    const again = (catalog = ENDPOINT_CATALOG) =>
      JSON.stringify(planFirewallRules({ networkName: "primary", subnetPrefix: "10.40.0.0/24", catalog }));
    expect(again(shuffled)).toBe(again());
  });

  it.each([
    ["primary", "github-runners-primary"],
    ["Hub Spoke/1", "github-runners-Hub-Spoke-1"],
    ["x".repeat(100), `github-runners-${"x".repeat(65)}`],
  ])("names the group after the network: %s", (name, expected) => {
    expect(ruleCollectionGroupName(name)).toBe(expected);
  });
});

describe("domainCovered: target FQDNs as Azure Firewall matches them", () => {
  it.each([
    ["github.com", ["github.com"], true],
    ["GitHub.com", ["github.com"], true],
    ["api.github.com", ["github.com"], false],
    ["api.github.com", ["*.github.com"], true],
    ["npm.pkg.github.com", ["*.github.com"], true],
    ["github.com", ["*.github.com"], false],
    ["evilgithub.com", ["*.github.com"], false],
    ["*.actions.githubusercontent.com", ["*.githubusercontent.com"], true],
    ["productionresultssa0.blob.core.windows.net", ["*.core.windows.net"], true],
  ] as const)("%s against %j: %s", (domain, patterns, expected) => {
    expect(domainCovered(domain, patterns)).toBe(expected);
  });

  it("covers every exact domain with the standard and the wildcard list of GitHub's saved response", () => {
    for (const level of ["standard", "wildcard"] as const) {
      expect(SAVED.domains.exact.filter((d) => !domainCovered(d, SAVED.domains[level]))).toEqual([]);
    }
  });
});

describe("parseFirewallPolicyId", () => {
  it.each([
    [POLICY, { subscriptionId: "22222222-2222-2222-2222-222222222222", resourceGroupName: "hub-rg", firewallPolicyName: "hub-policy" }],
    [
      POLICY.replace("Microsoft.Network/firewallPolicies", "microsoft.network/FIREWALLPOLICIES"),
      { subscriptionId: "22222222-2222-2222-2222-222222222222", resourceGroupName: "hub-rg", firewallPolicyName: "hub-policy" },
    ],
    [POLICY.replace("firewallPolicies", "azureFirewalls"), undefined],
    [`${POLICY}/ruleCollectionGroups/x`, undefined],
    ["hub-policy", undefined],
  ])("%s", (id, expected) => {
    expect(parseFirewallPolicyId(id)).toEqual(expected);
  });
});

describe("validation of the firewall arguments", () => {
  const base = { location: "eastus", businessId: "12345678", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 };
  const firewall = { ...base, egress: "firewall", firewallPrivateIp: "10.0.1.4" };
  const issues = (args: object) => {
    const result = validateComponentArgs(args);
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it("designs domain rules only with egress firewall and a policy, standard list and priority 2000 by default", () => {
    const design = (args: object) => {
      const result = validateComponentArgs(args);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.value.domainRules;
    };
    expect(design({ ...firewall, firewallPolicyId: POLICY })).toEqual({ level: "standard", priority: 2000 });
    expect(design({ ...firewall, firewallPolicyId: POLICY, domainAllowList: "exact", firewallRuleCollectionGroupPriority: 65000 })).toEqual(
      { level: "exact", priority: 65000 },
    );
    expect(design(firewall)).toBeUndefined();
    expect(design({ ...firewall, firewallPolicyId: POLICY, extraDomains: ["repo.example.net", "*.pypi.example.com"] })).toEqual({
      level: "standard",
      priority: 2000,
      extraDomains: ["repo.example.net", "*.pypi.example.com"],
    });
  });

  it.each([
    ["*.com", '"*.com" is a wildcard over the public suffix com, under which anyone can register a domain'],
    ["co.uk", '"co.uk" is a public suffix, under which anyone can register a domain'],
    ["*.CO.UK.", '"*.CO.UK." is a wildcard over the public suffix co.uk, under which anyone can register a domain'],
    ["com", '"com" is a public suffix, under which anyone can register a domain'],
    ["140.82.112.3", '"140.82.112.3" is an IP address, not a domain name'],
    ["https://example.com", '"https://example.com" is not a domain name or *.domain pattern'],
    ["*", '"*" is not a domain name or *.domain pattern'],
  ])("refuses the extra domain %s", (domain, message) => {
    expect(issues({ ...firewall, firewallPolicyId: POLICY, extraDomains: ["example.com", domain] })).toEqual([
      `extraDomains[1]: ${message}; allowed: a host name such as example.com or a wildcard such as *.example.com`,
    ]);
  });

  it.each([
    [{ ...base, firewallPolicyId: POLICY }, ['firewallPolicyId: applies only to egress "firewall" (egress is "natGateway")']],
    [
      { ...firewall, firewallPolicyId: "hub-policy" },
      [
        'firewallPolicyId: "hub-policy" is not an Azure Firewall policy resource ID; expected /subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/firewallPolicies/<policy>',
      ],
    ],
    [
      { ...firewall, firewallPolicyId: 7 },
      [
        "firewallPolicyId: 7 is not allowed; an Azure Firewall policy resource ID, /subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/firewallPolicies/<policy>",
      ],
    ],
    [
      { ...firewall, domainAllowList: "exact" },
      ["domainAllowList: applies only with firewallPolicyId: the domain rules go into that Azure Firewall policy"],
    ],
    [
      { ...firewall, firewallPolicyId: POLICY, domainAllowList: "strict" },
      ['domainAllowList: "strict" is not allowed; allowed: exact, standard, wildcard'],
    ],
    [
      { ...firewall, firewallPolicyId: POLICY, firewallRuleCollectionGroupPriority: 99 },
      [
        "firewallRuleCollectionGroupPriority: 99 is out of range; allowed: whole numbers 100-65000, unique among the policy's rule collection groups",
      ],
    ],
    [
      { ...firewall, firewallPolicyId: POLICY, firewallRuleCollectionGroupPriority: 65001 },
      [
        "firewallRuleCollectionGroupPriority: 65001 is out of range; allowed: whole numbers 100-65000, unique among the policy's rule collection groups",
      ],
    ],
    [
      { ...firewall, extraDomains: ["repo.example.net"] },
      ["extraDomains: applies only with firewallPolicyId: the domain rules go into that Azure Firewall policy"],
    ],
    [
      { ...firewall, firewallPolicyId: POLICY, extraDomains: "repo.example.net" },
      ['extraDomains: "repo.example.net" is not allowed; a list of host names or *. wildcards'],
    ],
    [
      { ...firewall, firewallRuleCollectionGroupPriority: 300 },
      ["firewallRuleCollectionGroupPriority: applies only with firewallPolicyId: the domain rules go into that Azure Firewall policy"],
    ],
  ])("refuses %j", (args, expected) => {
    expect(issues(args)).toEqual(expected);
  });

  it("refuses two networks of a stack with the same group priority in the same policy", () => {
    const network = (name: string, addressSpace: string, priority?: number) => ({
      name,
      location: "eastus",
      addressSpace,
      maxConcurrentRunners: 50,
      egress: "firewall",
      firewallPrivateIp: "10.0.1.4",
      firewallPolicyId: POLICY,
      ...(priority ? { firewallRuleCollectionGroupPriority: priority } : {}),
    });
    const config = (networks: object[]) => ({ github: { businessId: "1", scope: "organization", slug: "o" }, networks });
    const result = validateStackConfig(config([network("a", "10.50.0.0/16"), network("b", "10.51.0.0/16")]));
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: "networks[1].firewallRuleCollectionGroupPriority",
        message:
          '2000 is already used by network "a" in the same firewall policy; allowed: a priority 100-65000 no other rule collection group of the policy uses',
      },
    ]);
    expect(validateStackConfig(config([network("a", "10.50.0.0/16"), network("b", "10.51.0.0/16", 2010)])).ok).toBe(true);
  });
});
