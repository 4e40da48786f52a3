import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG } from "../../components/lib/catalog";
import { SUB, SUBNET_SDK_DEFAULTS, runOffline } from "../support/offline";

// Program modules are imported after the mocks are installed (runOffline installs them first).
const load = () => import("../../components/github-runner-network");
const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

const COMPONENT = "azure-github-runner-network:index:GitHubRunnerNetwork";

describe("GitHubRunnerNetwork with defaults (new VNET, NAT gateway)", async () => {
  const { GitHubRunnerNetwork } = await load();
  let component!: InstanceType<typeof GitHubRunnerNetwork>;
  const run = await runOffline(() => {
    component = new GitHubRunnerNetwork("east", {
      location: "East US",
      businessId: "12345678",
      addressSpace: "10.40.0.0/16",
      maxConcurrentRunners: 100,
      natGatewayPublicIpCount: 2,
      tags: { owner: "platform" },
    });
    return {};
  });
  const rg = `${SUB}/resourceGroups/east-rg`;
  const tags = { owner: "platform" };

  it("registers exactly these children, each parented to the component", () => {
    const component = run.byName("east");
    expect(component.type).toBe(COMPONENT);
    expect(
      run.resources
        .filter((r) => r.parent === component.urn)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual([
      "azure-native:network:NatGateway east-nat",
      "azure-native:network:NetworkSecurityGroup east-nsg",
      "azure-native:network:PublicIPAddress east-egress-ip-1",
      "azure-native:network:PublicIPAddress east-egress-ip-2",
      "azure-native:network:Subnet east-subnet",
      "azure-native:network:VirtualNetwork east-vnet",
      "azure-native:resources:Resource east-network-settings",
      "azure-native:resources:ResourceGroup east-rg",
      "pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration east-provider-registration",
    ]);
  });

  it("records its sizing decisions as the component's inputs", () => {
    expect(run.byName("east").inputs).toEqual({
      location: "eastus",
      runnerPlatforms: ["x64"],
      addressSpace: "10.40.0.0/16",
      subnetPrefix: "10.40.0.0/24",
      maxConcurrentRunners: 100,
      runnerCapacity: 193,
      egress: "natGateway",
      outbound: "restricted",
      natGatewayPublicIpCount: 2,
    });
  });

  it("creates the resource group and a VNET without inline subnets", () => {
    expect(run.byName("east-rg").inputs).toEqual({ location: "eastus", tags });
    // enable* are azure-native's own defaults, sent with every VNET.
    expect(run.byName("east-vnet").inputs).toEqual({
      resourceGroupName: "east-rg",
      location: "eastus",
      addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
      enableDdosProtection: false,
      enableVmProtection: false,
      tags,
    });
  });

  it("gives the NAT gateway Standard static public IPs", () => {
    for (const ip of ["east-egress-ip-1", "east-egress-ip-2"]) {
      expect(run.byName(ip).inputs).toEqual({
        resourceGroupName: "east-rg",
        location: "eastus",
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        tags,
      });
    }
    expect(run.byName("east-nat").inputs).toEqual({
      resourceGroupName: "east-rg",
      location: "eastus",
      sku: { name: "Standard" },
      publicIpAddresses: [
        { id: `${rg}/providers/Microsoft.Network/publicIPAddresses/east-egress-ip-1` },
        { id: `${rg}/providers/Microsoft.Network/publicIPAddresses/east-egress-ip-2` },
      ],
      tags,
    });
  });

  it("plans the NSG: deny-all inbound, GitHub's egress, what common jobs need from Microsoft, deny other internet", () => {
    const rules = run.byName("east-nsg").inputs.securityRules as Record<string, unknown>[];
    expect(
      rules.map((r) => [
        r.direction,
        r.priority,
        r.name,
        r.access,
        r.protocol,
        r.destinationAddressPrefix ?? `${(r.destinationAddressPrefixes as string[]).length} prefixes`,
        r.destinationPortRange,
      ]),
    ).toEqual([
      ["Inbound", 4096, "DenyAllInbound", "Deny", "*", "*", "*"],
      ["Outbound", 200, "AllowVirtualNetworkHttpsOutbound", "Allow", "Tcp", "VirtualNetwork", "443"],
      ["Outbound", 210, "AllowStorageHttpsOutbound", "Allow", "Tcp", "Storage", "443"],
      ["Outbound", 220, "AllowAzureCloudHttpsOutbound", "Allow", "Tcp", "AzureCloud", "443"],
      ["Outbound", 230, "AllowGitHubIPv4HttpsOutbound", "Allow", "Tcp", `${ENDPOINT_CATALOG.ipv4.length} prefixes`, "443"],
      ["Outbound", 240, "AllowGitHubIPv6HttpsOutbound", "Allow", "Tcp", `${ENDPOINT_CATALOG.ipv6.length} prefixes`, "443"],
      ["Outbound", 250, "AllowAzureCloudHttpOutbound", "Allow", "Tcp", "AzureCloud", "80"],
      ["Outbound", 260, "AllowEntraIdHttpsOutbound", "Allow", "Tcp", "AzureActiveDirectory", "443"],
      ["Outbound", 270, "AllowMcrHttpsOutbound", "Allow", "Tcp", "MicrosoftContainerRegistry", "443"],
      ["Outbound", 280, "AllowFrontDoorFirstPartyHttpsOutbound", "Allow", "Tcp", "AzureFrontDoor.FirstParty", "443"],
      ["Outbound", 4096, "DenyInternetOutbound", "Deny", "*", "Internet", "*"],
    ]);
    expect(rules[4].destinationAddressPrefixes).toEqual(ENDPOINT_CATALOG.ipv4);
    expect(rules[5].destinationAddressPrefixes).toEqual(ENDPOINT_CATALOG.ipv6);
    expect(run.byName("east-nsg").inputs.location).toBe("eastus");
  });

  it("delegates the subnet to GitHub.Network with NSG and NAT attached and no default outbound access", () => {
    const subnet = run.byName("east-subnet");
    expect(subnet.inputs).toEqual({
      resourceGroupName: "east-rg",
      virtualNetworkName: "east-vnet",
      addressPrefix: "10.40.0.0/24",
      delegations: [{ name: "github-network-settings", serviceName: "GitHub.Network/networkSettings" }],
      networkSecurityGroup: { id: `${rg}/providers/Microsoft.Network/networkSecurityGroups/east-nsg` },
      natGateway: { id: `${rg}/providers/Microsoft.Network/natGateways/east-nat` },
      defaultOutboundAccess: false,
      ...SUBNET_SDK_DEFAULTS,
    });
    expect(subnet.dependencies).toEqual(
      [
        run.byName("east-nat").urn,
        run.byName("east-nsg").urn,
        run.byName("east-provider-registration").urn,
        run.byName("east-rg").urn,
        run.byName("east-vnet").urn,
      ].sort(),
    );
  });

  it("creates networkSettings through the generic resource, replaced (old first) when businessId changes, GitHubId tag ignored", () => {
    const settings = run.byName("east-network-settings");
    expect(settings.inputs).toEqual({
      resourceGroupName: "east-rg",
      resourceProviderNamespace: "GitHub.Network",
      parentResourcePath: "",
      resourceType: "networkSettings",
      apiVersion: "2024-04-02",
      location: "eastus",
      properties: { businessId: "12345678", subnetId: `${rg}/providers/Microsoft.Network/virtualNetworks/east-vnet/subnets/east-subnet` },
      tags,
    });
    expect(settings.options).toEqual({
      deleteBeforeReplace: true,
      ignoreChanges: ["tags.GitHubId"],
      replaceOnChanges: ["properties.businessId"],
    });
    expect(settings.dependencies).toEqual(
      [run.byName("east-provider-registration").urn, run.byName("east-rg").urn, run.byName("east-subnet").urn].sort(),
    );
  });

  it("exposes the outputs", async () => {
    expect(await resolved(component.gitHubId)).toMatch(/^offline-plan-[0-9a-f]{12}$/);
    expect(await resolved(component.networkSettingsId)).toBe(`${rg}/providers/GitHub.Network/networkSettings/east-network-settings`);
    expect(await resolved(component.subnetId)).toBe(`${rg}/providers/Microsoft.Network/virtualNetworks/east-vnet/subnets/east-subnet`);
    expect(await resolved(component.virtualNetworkId)).toBe(`${rg}/providers/Microsoft.Network/virtualNetworks/east-vnet`);
    expect(await resolved(component.networkSecurityGroupId)).toBe(`${rg}/providers/Microsoft.Network/networkSecurityGroups/east-nsg`);
    expect(await resolved(component.resourceGroupName)).toBe("east-rg");
    expect(await resolved(component.egressPublicIpAddresses)).toEqual([
      run.byName("east-egress-ip-1").outputs.ipAddress,
      run.byName("east-egress-ip-2").outputs.ipAddress,
    ]);
    expect(await resolved(component.runnerCapacity)).toBe(193);
  });
});
