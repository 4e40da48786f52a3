/**
 * Landing zones: the spoke in one subscription, the hub firewall policy in another, several runner
 * networks on that one policy (the stack program under mocks).
 */
import { describe, expect, it } from "vitest";
import { runOffline } from "../support/offline";

import { HUB, landingZoneConfig as config, stackProgram as program } from "../support/landing-zone";

describe("three networks on one hub firewall policy in another subscription", async () => {
  const run = await runOffline(program, config("11111111-1111-1111-1111-111111111111"));
  const groups = ["a", "b", "c"].map((name) => run.byName(`${name}-firewall-rules`));

  it("writes the rule collection groups through one provider for the hub's subscription", () => {
    const providers = run.resources.filter((r) => r.type === "pulumi:providers:azure-native");
    expect(providers.map((p) => [p.name, p.inputs.subscriptionId])).toEqual([[`firewall-policy-subscription-${HUB}`, HUB]]);
    expect(groups.map((g) => g.provider)).toEqual([providers[0].urn, providers[0].urn, providers[0].urn]);
    // Everything else stays with the stack's own provider.
    expect(run.byName("a-vnet").provider).toBeUndefined();
  });

  it("orders the groups on the shared policy one after another", () => {
    expect(groups[0].dependencies).not.toContain(groups[1].urn);
    expect(groups[1].dependencies).toContain(groups[0].urn);
    expect(groups[2].dependencies).toContain(groups[1].urn);
    expect(groups.map((g) => [g.inputs.ruleCollectionGroupName, g.inputs.priority])).toEqual([
      ["github-runners-a", 2000],
      ["github-runners-b", 2100],
      ["github-runners-c", 2200],
    ]);
  });
});
