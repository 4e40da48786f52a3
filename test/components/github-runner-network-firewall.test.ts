/** The component under Pulumi's mocks: the firewall rule collection group it registers, exactly. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG } from "../../components/lib/catalog";
import { levelDomains } from "../../components/lib/firewall-rules";
import { runOffline } from "../support/offline";
import { expectedRuleCollections } from "../support/firewall-expected";

const POLICY =
  "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy";

describe("GitHubRunnerNetwork with domain rules on a firewall policy", async () => {
  const { GitHubRunnerNetwork } = await import("../../components/github-runner-network");
  const run = await runOffline(() => {
    new GitHubRunnerNetwork("hub", {
      location: "eastus",
      businessId: "7",
      addressSpace: "10.50.0.0/16",
      subnetPrefix: "10.50.4.0/24",
      egress: "firewall",
      firewallPrivateIp: "10.0.1.4",
      firewallPolicyId: POLICY,
    });
    new GitHubRunnerNetwork("hub-exact", {
      location: "eastus",
      businessId: "7",
      addressSpace: "10.51.0.0/16",
      subnetPrefix: "10.51.0.0/24",
      egress: "firewall",
      firewallPrivateIp: "10.0.1.4",
      // A policy ID that is only known once another resource or stack output resolves.
      firewallPolicyId: pulumi.output(POLICY.replace("hub-policy", "other-policy")),
      domainAllowList: "exact",
      firewallRuleCollectionGroupPriority: 2100,
      extraDomains: ["repo.example.net", "*.Pypi.Example.com"],
    });
    new GitHubRunnerNetwork("plain", {
      location: "eastus",
      businessId: "7",
      addressSpace: "10.52.0.0/16",
      subnetPrefix: "10.52.0.0/24",
      egress: "firewall",
      firewallPrivateIp: "10.0.1.4",
    });
    return {};
  });
  const groups = run.resources.filter((r) => r.type === "azure-native:network:FirewallPolicyRuleCollectionGroup");

  it("registers one group per network that names a policy, as the component's child", () => {
    expect(groups.map((g) => g.name)).toEqual(["hub-firewall-rules", "hub-exact-firewall-rules"]);
    expect(groups.map((g) => g.parent)).toEqual([run.byName("hub").urn, run.byName("hub-exact").urn]);
  });

  it("sends exactly the rule collection group inputs for the standard list", () => {
    expect(groups[0].inputs).toEqual({
      resourceGroupName: "hub-rg",
      firewallPolicyName: "hub-policy",
      ruleCollectionGroupName: "github-runners-hub",
      priority: 2000,
      ruleCollections: expectedRuleCollections("10.50.4.0/24", "standard", "domains.actions", levelDomains(ENDPOINT_CATALOG, "standard")),
    });
  });

  it("reads the policy's group and name from an ID that resolves later, and takes the level, priority and extra domains given", () => {
    const inputs = groups[1].inputs as {
      resourceGroupName: string;
      firewallPolicyName: string;
      priority: number;
      ruleCollectionGroupName: string;
      ruleCollections: { rules: { name: string; targetFqdns?: string[] }[] }[];
    };
    expect([inputs.resourceGroupName, inputs.firewallPolicyName, inputs.priority, inputs.ruleCollectionGroupName]).toEqual([
      "hub-rg",
      "other-policy",
      2100,
      "github-runners-hub-exact",
    ]);
    expect(inputs.ruleCollections[1].rules[0].name).toBe("github-exact-domains-https");
    expect(inputs.ruleCollections[1].rules[0].targetFqdns).toEqual(
      [...levelDomains(ENDPOINT_CATALOG, "exact"), "*.pypi.example.com", "repo.example.net"].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

  it("records the domain list among the component's design inputs", () => {
    expect([
      run.byName("hub").inputs.domainAllowList,
      run.byName("hub-exact").inputs.domainAllowList,
      run.byName("plain").inputs.domainAllowList,
    ]).toEqual(["standard", "exact", undefined]);
  });

  it("refuses a public suffix among the extra domains before registering anything", () => {
    expect(
      () =>
        new GitHubRunnerNetwork("wide", {
          location: "eastus",
          businessId: "7",
          maxConcurrentRunners: 10,
          egress: "firewall",
          firewallPrivateIp: "10.0.1.4",
          firewallPolicyId: POLICY,
          extraDomains: ["*.co.uk"],
        }),
    ).toThrow(
      'GitHubRunnerNetwork "wide" has invalid arguments:\n  extraDomains[0]: "*.co.uk" is a wildcard over the public suffix co.uk, under which anyone can register a domain; allowed: a host name such as example.com or a wildcard such as *.example.com',
    );
  });

  it("refuses a policy ID with another egress before registering anything", () => {
    expect(
      () =>
        new GitHubRunnerNetwork("bad", {
          location: "eastus",
          businessId: "7",
          maxConcurrentRunners: 10,
          firewallPolicyId: POLICY,
          domainAllowList: "wildcard",
        }),
    ).toThrow(
      'GitHubRunnerNetwork "bad" has invalid arguments:\n  firewallPolicyId: applies only to egress "firewall" (egress is "natGateway")',
    );
  });
});
