import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG, catalogFromMeta } from "../../../components/lib/catalog";
import { domainCovered, parseFirewallPolicyId, planFirewallRules, ruleCollectionGroupName } from "../../../components/lib/firewall-rules";
import { validateComponentArgs } from "../../../components/lib/network-design";
import { validateStackConfig } from "../../../components/lib/stack-config";
import { expectedRuleCollections } from "../../support/firewall-expected";

const POLICY =
  "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy";

describe("planFirewallRules", () => {
  it("plans a Storage network rule and an application rule for the chosen domains on 443, from the runner subnet", () => {
    expect(planFirewallRules({ networkName: "primary", subnetPrefix: "10.40.0.0/24", level: "wildcard" })).toEqual({
      ruleCollectionGroupName: "github-runners-primary",
      priority: 2000,
      ruleCollections: expectedRuleCollections("10.40.0.0/24", "wildcard", "domains.actions_inbound.wildcard_domains", [
        "*.core.windows.net",
        "*.github.com",
        "*.githubapp.com",
        "*.githubusercontent.com",
        "ghcr.io",
        "github.com",
      ]),
    });
  });

  it.each([
    ["exact", 98],
    ["standard", 72],
    ["wildcard", 6],
  ] as const)("takes every domain of the %s list", (level, count) => {
    const rule = planFirewallRules({ networkName: "n", subnetPrefix: "10.0.0.0/24", level }).ruleCollections[1].rules[0] as {
      targetFqdns: string[];
      name: string;
    };
    expect([rule.name, rule.targetFqdns]).toEqual([`github-${level}-domains-https`, ENDPOINT_CATALOG.domains[level]]);
    expect(rule.targetFqdns).toHaveLength(count);
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

  it("covers every exact domain with the standard and the wildcard list of the snapshot", () => {
    for (const level of ["standard", "wildcard"] as const) {
      expect(ENDPOINT_CATALOG.domains.exact.filter((d) => !domainCovered(d, ENDPOINT_CATALOG.domains[level]))).toEqual([]);
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
