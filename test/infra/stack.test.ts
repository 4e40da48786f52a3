import { describe, expect, it } from "vitest";
import { GITHUB_OUTPUT_DOCS, NETWORK_OUTPUT_DOCS, STACK_OUTPUT_DOCS } from "../../infra/outputs";
import { SUB, runOffline } from "../support/offline";

const config = {
  "azure-github-runner-network:github": JSON.stringify({ businessId: 987654, scope: "enterprise", slug: "acme" }),
  "azure-github-runner-network:networks": JSON.stringify([
    { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 300, tags: { tier: "gold" } },
    { name: "failover", location: "westus2", addressSpace: "10.41.0.0/16", subnetPrefix: "10.41.2.0/24", role: "failover", egress: "none" },
  ]),
  "azure-github-runner-network:tags": JSON.stringify({ owner: "platform", tier: "silver" }),
  "azure-native:location": "ignored-by-our-namespace",
};

describe("the stack program under mocks", async () => {
  const run = await runOffline(async () => ({ ...(await import("../../infra/index")) }), config);

  it("creates one component per network with stack tags merged under network tags", () => {
    const components = run.resources.filter((r) => r.type === "azure-github-runner-network:index:GitHubRunnerNetwork");
    expect(components.map((c) => [c.name, c.inputs.subnetPrefix, c.inputs.runnerCapacity, c.inputs.egress])).toEqual([
      ["primary", "10.40.0.0/23", 390, "natGateway"],
      ["failover", "10.41.2.0/24", 193, "none"],
    ]);
    expect(run.byName("primary-vnet").inputs.tags).toEqual({ owner: "platform", tier: "gold" });
    expect(run.byName("failover-vnet").inputs.tags).toEqual({ owner: "platform", tier: "silver" });
    expect(run.byName("primary-network-settings").inputs.properties).toEqual({
      businessId: "987654",
      subnetId: `${SUB}/resourceGroups/primary-rg/providers/Microsoft.Network/virtualNetworks/primary-vnet/subnets/primary-subnet`,
    });
  });

  it("exports exactly the outputs infra/outputs.ts documents", () => {
    const networks = run.outputs.networks as Record<string, Record<string, unknown>>;
    expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(STACK_OUTPUT_DOCS).sort());
    expect(Object.keys(networks.primary).sort()).toEqual(Object.keys(NETWORK_OUTPUT_DOCS).sort());
    // networkConfiguration appears only when the stack manages it (test/infra/stack-github.test.ts).
    expect([...Object.keys(run.outputs.gitHub as object), "networkConfiguration"].sort()).toEqual(Object.keys(GITHUB_OUTPUT_DOCS).sort());
  });

  it("exports every network's outputs and the next steps", () => {
    const networks = run.outputs.networks as Record<string, Record<string, unknown>>;
    expect(Object.keys(networks)).toEqual(["primary", "failover"]);
    expect(networks.failover).toEqual({
      role: "failover",
      location: "westus2",
      gitHubId:
        run.byName("failover-network-settings").outputs.tags &&
        (run.byName("failover-network-settings").outputs.tags as Record<string, string>).GitHubId,
      networkSettingsId: `${SUB}/resourceGroups/failover-rg/providers/GitHub.Network/networkSettings/failover-network-settings`,
      subnetId: `${SUB}/resourceGroups/failover-rg/providers/Microsoft.Network/virtualNetworks/failover-vnet/subnets/failover-subnet`,
      virtualNetworkId: `${SUB}/resourceGroups/failover-rg/providers/Microsoft.Network/virtualNetworks/failover-vnet`,
      networkSecurityGroupId: `${SUB}/resourceGroups/failover-rg/providers/Microsoft.Network/networkSecurityGroups/failover-nsg`,
      resourceGroupName: "failover-rg",
      egressPublicIpAddresses: [],
      runnerCapacity: 193,
    });
    expect(networks.failover.gitHubId).toMatch(/^offline-plan-[0-9a-f]{12}$/);
    expect(run.outputs.nextSteps).toBe(
      [
        '1. In GitHub, enterprise "acme": Enterprise settings > Settings > Hosted compute networking: New network configuration > Azure private network.',
        '2. Add Azure Virtual Network and paste the gitHubId output of network "primary".',
        '3. Add failover network and paste the gitHubId output of network "failover"; switch to it by hand when needed.',
        "4. Attach the configuration to runner groups; larger runners in those groups then run in these subnets.",
        "Teardown: delete the network configuration in GitHub first, then pulumi destroy.",
      ].join("\n"),
    );
  });

  it("registers the resource providers once for the subscription, before every network's subnet and networkSettings", () => {
    const registrations = run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration");
    expect(registrations.map((r) => [r.name, r.parent, r.inputs])).toEqual([
      [
        "provider-registration",
        run.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn,
        {
          subscriptionId: "00000000-0000-0000-0000-000000000000",
          namespaces: ["GitHub.Network", "Microsoft.Network"],
          locations: ["eastus", "westus2"],
          timeoutSeconds: 900,
          pollIntervalSeconds: 10,
        },
      ],
    ]);
    const waiting = run.resources.filter((r) => r.dependencies.includes(registrations[0].urn)).map((r) => r.name);
    expect(waiting.sort()).toEqual(["failover-network-settings", "failover-subnet", "primary-network-settings", "primary-subnet"]);
  });
});
