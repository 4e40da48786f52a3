import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { SUB, SUBNET_SDK_DEFAULTS, runOffline } from "../support/offline";

const load = () => import("../../components/github-runner-network");
const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("GitHubRunnerNetwork variants", async () => {
  const { GitHubRunnerNetwork } = await load();
  const components: Record<string, InstanceType<typeof GitHubRunnerNetwork>> = {};
  const run = await runOffline(() => {
    components.hub = new GitHubRunnerNetwork("hub", {
      location: "westus2",
      businessId: "7",
      addressSpace: "10.50.0.0/16",
      subnetPrefix: "10.50.4.0/23",
      egress: "firewall",
      firewallPrivateIp: pulumi.output("10.0.1.4"),
    });
    components.lz = new GitHubRunnerNetwork("lz", {
      location: "eastus2",
      businessId: "7",
      resourceGroupName: "runners-rg",
      existingVirtualNetwork: { name: "spoke-vnet", resourceGroupName: "network-rg" },
      subnetPrefix: "10.60.8.0/24",
      egress: "none",
      outbound: "https",
    });
    components.lzShared = new GitHubRunnerNetwork("lz-shared", {
      location: "eastus2",
      businessId: "7",
      existingVirtualNetwork: { name: "spoke-vnet", resourceGroupName: "network-rg" },
      subnetPrefix: "10.60.9.0/24",
      egress: "none",
    });
    return {};
  });
  const children = (name: string) =>
    run.resources
      .filter((r) => r.parent === run.byName(name).urn)
      .map((r) => r.name)
      .sort();

  it("firewall egress: a route table sends 0.0.0.0/0 to the firewall, no NAT, NSG lets 443 and 80 through to the firewall", () => {
    expect(children("hub")).toEqual([
      "hub-network-settings",
      "hub-nsg",
      "hub-provider-registration",
      "hub-rg",
      "hub-rt",
      "hub-subnet",
      "hub-vnet",
    ]);
    expect(run.byName("hub-rt").inputs).toEqual({
      resourceGroupName: "hub-rg",
      location: "westus2",
      disableBgpRoutePropagation: true,
      routes: [{ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" }],
      tags: {},
    });
    const subnet = run.byName("hub-subnet").inputs;
    expect(subnet.routeTable).toEqual({ id: `${SUB}/resourceGroups/hub-rg/providers/Microsoft.Network/routeTables/hub-rt` });
    expect(subnet.natGateway).toBeUndefined();
    expect(subnet.addressPrefix).toBe("10.50.4.0/23");
    const rules = run.byName("hub-nsg").inputs.securityRules as { name: string; priority: number }[];
    expect(rules.map((r) => `${r.priority} ${r.name}`)).toEqual([
      "4096 DenyAllInbound",
      "200 AllowVirtualNetworkHttpsOutbound",
      "210 AllowInternetHttpsOutbound",
      "220 AllowInternetHttpOutbound",
      "4096 DenyInternetOutbound",
    ]);
  });

  it("firewall egress has no public IPs and a capacity from the given prefix", async () => {
    expect(await resolved(components.hub.egressPublicIpAddresses)).toEqual([]);
    expect(await resolved(components.hub.runnerCapacity)).toBe(390);
  });

  it("existing VNET and resource group: only the subnet is added to that VNET", async () => {
    expect(children("lz")).toEqual(["lz-network-settings", "lz-nsg", "lz-provider-registration", "lz-subnet"]);
    expect(run.byName("lz-subnet").inputs).toEqual({
      resourceGroupName: "network-rg",
      virtualNetworkName: "spoke-vnet",
      addressPrefix: "10.60.8.0/24",
      delegations: [{ name: "github-network-settings", serviceName: "GitHub.Network/networkSettings" }],
      networkSecurityGroup: { id: `${SUB}/resourceGroups/runners-rg/providers/Microsoft.Network/networkSecurityGroups/lz-nsg` },
      defaultOutboundAccess: false,
      ...SUBNET_SDK_DEFAULTS,
    });
    expect(run.byName("lz-network-settings").inputs.resourceGroupName).toBe("runners-rg");
    expect(await resolved(components.lz.virtualNetworkId)).toBe(
      `${SUB}/resourceGroups/network-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet`,
    );
    expect(await resolved(components.lz.resourceGroupName)).toBe("runners-rg");
  });

  it("existing VNET without a resource group puts the component's resources in the VNET's group", async () => {
    expect(children("lz-shared")).toEqual([
      "lz-shared-network-settings",
      "lz-shared-nsg",
      "lz-shared-provider-registration",
      "lz-shared-subnet",
    ]);
    expect(run.byName("lz-shared-nsg").inputs.resourceGroupName).toBe("network-rg");
    expect(await resolved(components.lzShared.resourceGroupName)).toBe("network-rg");
  });
});

describe("GitHubRunnerNetwork refuses bad input before registering anything", async () => {
  const { GitHubRunnerNetwork } = await load();

  it("throws a RunError naming each bad argument, and registers nothing", async () => {
    let thrown: unknown;
    const run = await runOffline(() => {
      try {
        new GitHubRunnerNetwork("bad", { location: "mars", businessId: "x1", natGatewayPublicIpCount: 99 });
      } catch (error) {
        thrown = error;
      }
      return {};
    });
    expect(pulumi.RunError.isInstance(thrown as Error)).toBe(true);
    expect((thrown as Error).message.split("\n")).toEqual([
      'GitHubRunnerNetwork "bad" has invalid arguments:',
      expect.stringMatching(/^ {2}location: "mars" is not a region GitHub supports/),
      '  businessId: "x1" is not allowed; use digits only: the GraphQL databaseId of your GitHub enterprise or organization',
      "  maxConcurrentRunners: give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix",
      "  natGatewayPublicIpCount: 99 is out of range; allowed: whole numbers 1-16",
    ]);
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
