/**
 * Benchmark baseline: the same Azure resources the stack plans for N networks, written by hand
 * with azure-native and no validation, run under the same mocks as the offline plan.
 * Usage: tsx bench/baseline-program.ts <networks>
 */
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { ENDPOINT_CATALOG } from "../components/lib/catalog";
import { SUPPORTED_REGIONS } from "../components/lib/regions";
import { runProgram, startOfflineEngine } from "../cli/offline-engine";

const https = (name: string, priority: number, destination: string | string[]) => ({
  name,
  priority,
  direction: "Outbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  ...(Array.isArray(destination) ? { destinationAddressPrefixes: destination } : { destinationAddressPrefix: destination }),
  destinationPortRange: "443",
});

function networkFor(region: string, index: number) {
  const name = `net-${index}`;
  const tags = { owner: "platform-team" };
  const rg = new resources.ResourceGroup(`${name}-rg`, { location: region, tags });
  const vnet = new network.VirtualNetwork(`${name}-vnet`, {
    resourceGroupName: rg.name,
    location: region,
    addressSpace: { addressPrefixes: [`10.${index}.0.0/16`] },
    tags,
  });
  const nsg = new network.NetworkSecurityGroup(`${name}-nsg`, {
    resourceGroupName: rg.name,
    location: region,
    securityRules: [
      {
        name: "DenyAllInbound",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
      https("AllowVirtualNetworkHttpsOutbound", 200, "VirtualNetwork"),
      https("AllowStorageHttpsOutbound", 210, "Storage"),
      https("AllowAzureCloudHttpsOutbound", 220, "AzureCloud"),
      https("AllowGitHubIPv4HttpsOutbound", 230, [...ENDPOINT_CATALOG.ipv4]),
      https("AllowGitHubIPv6HttpsOutbound", 240, [...ENDPOINT_CATALOG.ipv6]),
      {
        name: "DenyInternetOutbound",
        priority: 4096,
        direction: "Outbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "Internet",
        destinationPortRange: "*",
      },
    ],
    tags,
  });
  const ip = new network.PublicIPAddress(`${name}-egress-ip-1`, {
    resourceGroupName: rg.name,
    location: region,
    sku: { name: "Standard", tier: "Regional" },
    publicIPAllocationMethod: "Static",
    publicIPAddressVersion: "IPv4",
    tags,
  });
  const nat = new network.NatGateway(`${name}-nat`, {
    resourceGroupName: rg.name,
    location: region,
    sku: { name: "Standard" },
    publicIpAddresses: [{ id: ip.id }],
    tags,
  });
  const subnet = new network.Subnet(`${name}-subnet`, {
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    addressPrefix: `10.${index}.0.0/24`,
    delegations: [{ name: "github-network-settings", serviceName: "GitHub.Network/networkSettings" }],
    networkSecurityGroup: { id: nsg.id },
    natGateway: { id: nat.id },
    defaultOutboundAccess: false,
  });
  const settings = new resources.Resource(
    `${name}-network-settings`,
    {
      resourceGroupName: rg.name,
      resourceProviderNamespace: "GitHub.Network",
      parentResourcePath: "",
      resourceType: "networkSettings",
      apiVersion: "2024-04-02",
      location: region,
      properties: { businessId: "12345678", subnetId: subnet.id },
      tags,
    },
    { replaceOnChanges: ["properties.businessId"], deleteBeforeReplace: true, ignoreChanges: ["tags.GitHubId"] },
  );
  return { gitHubId: settings.tags.apply((t) => t?.GitHubId), subnetId: subnet.id };
}

async function main() {
  const count = Number(process.argv[2] ?? 1);
  const engine = await startOfflineEngine({ project: "baseline", stack: "bench" });
  const outputs = await runProgram(engine, () =>
    Promise.resolve({ networks: SUPPORTED_REGIONS.x64.slice(0, count).map((region, index) => networkFor(region, index + 1)) }),
  );
  await engine.settle();
  process.stdout.write(`${JSON.stringify({ resources: engine.resources().length, outputs })}\n`);
}

void main();
