/** A spoke in a hub-and-spoke landing zone: peering both ways, the hub's DNS, private DNS zone links (under mocks). */
import * as azureNative from "@pulumi/azure-native/provider";
import { describe, expect, it } from "vitest";
import { runOffline } from "../support/offline";

const HUB_SUB = "/subscriptions/33333333-3333-3333-3333-333333333333";
const HUB_VNET = `${HUB_SUB}/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet`;
const ZONES = [
  `${HUB_SUB}/resourceGroups/dns-rg/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
  `${HUB_SUB}/resourceGroups/dns-rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`,
];

describe("GitHubRunnerNetwork as a spoke of a hub", async () => {
  const { GitHubRunnerNetwork } = await import("../../components/github-runner-network");
  const run = await runOffline(() => {
    const hubProvider = new azureNative.Provider("hub", { subscriptionId: "33333333-3333-3333-3333-333333333333" });
    new GitHubRunnerNetwork(
      "spoke",
      {
        location: "eastus",
        businessId: "7",
        addressSpace: "10.70.0.0/16",
        maxConcurrentRunners: 50,
        hubVirtualNetworkId: HUB_VNET,
        useHubGateway: true,
        dnsServers: ["10.0.0.4", "10.0.0.5"],
        privateDnsZoneIds: ZONES,
      },
      { hubProvider },
    );
    return {};
  });
  const hubProvider = run.byName("hub").urn;

  it("gives the VNET the hub's DNS servers", () => {
    expect(run.byName("spoke-vnet").inputs.dhcpOptions).toEqual({ dnsServers: ["10.0.0.4", "10.0.0.5"] });
  });

  it("peers spoke to hub with forwarded traffic and the hub's gateway, and hub to spoke through the hub's provider", () => {
    const toHub = run.byName("spoke-to-hub");
    expect([toHub.type, toHub.parent, toHub.provider]).toEqual([
      "azure-native:network:VirtualNetworkPeering",
      run.byName("spoke").urn,
      undefined,
    ]);
    expect(toHub.inputs).toEqual({
      resourceGroupName: "spoke-rg",
      virtualNetworkName: "spoke-vnet",
      remoteVirtualNetwork: { id: HUB_VNET },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
      useRemoteGateways: true,
    });
    const fromHub = run.byName("spoke-from-hub");
    expect(fromHub.provider).toBe(hubProvider);
    expect(fromHub.inputs).toEqual({
      resourceGroupName: "hub-rg",
      virtualNetworkName: "hub-vnet",
      remoteVirtualNetwork: {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet",
      },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: true,
      useRemoteGateways: false,
    });
  });

  it("links each private DNS zone to the VNET, resolution only, in the zone's group", () => {
    const links = ["spoke-dns-link-1", "spoke-dns-link-2"].map((name) => run.byName(name));
    expect(links.map((link) => [link.type, link.provider])).toEqual([
      ["azure-native:privatedns:VirtualNetworkLink", hubProvider],
      ["azure-native:privatedns:VirtualNetworkLink", hubProvider],
    ]);
    expect(links[1].inputs).toEqual({
      resourceGroupName: "dns-rg",
      privateZoneName: "privatelink.vaultcore.azure.net",
      virtualNetworkLinkName: "spoke-runners",
      location: "global",
      virtualNetwork: {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet",
      },
      registrationEnabled: false,
    });
  });

  it("lets DNS through to exactly the VNET's DNS servers", () => {
    const rules = run.byName("spoke-nsg").inputs.securityRules as Record<string, unknown>[];
    expect(rules.find((rule) => rule.name === "AllowDnsServersOutbound")).toEqual({
      name: "AllowDnsServersOutbound",
      description: "DNS to the VNET's DNS servers",
      priority: 290,
      direction: "Outbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefixes: ["10.0.0.4", "10.0.0.5"],
      destinationPortRange: "53",
    });
  });
});
