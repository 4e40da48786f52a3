/** Hand-built resource views for the pure policy checks, shaped like azure-native inputs and outputs. */
import type { ResourceView } from "../../policy/model";

export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const RG = `${SUB}/resourceGroups/rg`;
export const NET = `${RG}/providers/Microsoft.Network`;

const TYPES = {
  Subnet: "azure-native:network:Subnet",
  VirtualNetwork: "azure-native:network:VirtualNetwork",
  NetworkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  SecurityRule: "azure-native:network:SecurityRule",
  RouteTable: "azure-native:network:RouteTable",
  Route: "azure-native:network:Route",
  NatGateway: "azure-native:network:NatGateway",
  Resource: "azure-native:resources:Resource",
  ResourceGroup: "azure-native:resources:ResourceGroup",
  GitHubRunnerNetwork: "azure-github-runner-network:index:GitHubRunnerNetwork",
} as const;

export const urnOf = (kind: keyof typeof TYPES, name: string) => `urn:pulumi:test::user::${TYPES[kind]}::${name}`;

export function view(
  kind: keyof typeof TYPES,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<ResourceView> = {},
): ResourceView {
  return { urn: urnOf(kind, name), type: TYPES[kind], name, props, dependencies: [], propertyDependencies: {}, ...extra };
}

/** A security rule matching everything unless `fields` narrow it, in azure-native's shape. */
export function rule(
  name: string,
  priority: number,
  direction: "Inbound" | "Outbound",
  access: "Allow" | "Deny",
): ReturnType<typeof matchAll>;
export function rule<F extends object>(
  name: string,
  priority: number,
  direction: "Inbound" | "Outbound",
  access: "Allow" | "Deny",
  fields: F,
): Omit<ReturnType<typeof matchAll>, keyof F> & F;
export function rule(name: string, priority: number, direction: "Inbound" | "Outbound", access: "Allow" | "Deny", fields: object = {}) {
  return { ...matchAll(name, priority, direction, access), ...fields };
}

function matchAll(name: string, priority: number, direction: "Inbound" | "Outbound", access: "Allow" | "Deny") {
  return {
    name,
    priority,
    direction,
    access,
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  };
}

/** A violation as the offline evaluator reports it, with the resource's name in place of its URN. */
export const violation = (policy: string, enforcementLevel: "mandatory" | "advisory", resource: string, message: string) => ({
  policy,
  enforcementLevel,
  resource,
  message,
});

/** The rules a runner NSG should have: deny all inbound, 443 out, deny the rest of the internet. */
export const SAFE_RULES = [
  rule("DenyAllInbound", 4096, "Inbound", "Deny"),
  rule("AllowHttpsOutbound", 200, "Outbound", "Allow", {
    protocol: "Tcp",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "443",
  }),
  rule("DenyInternetOutbound", 4096, "Outbound", "Deny", { destinationAddressPrefix: "Internet" }),
];

export const DELEGATION = [{ name: "github", serviceName: "GitHub.Network/networkSettings" }];

export const nsg = (name: string, securityRules: unknown = SAFE_RULES, extra: Partial<ResourceView> = {}) =>
  view(
    "NetworkSecurityGroup",
    name,
    { id: `${NET}/networkSecurityGroups/${name}`, name, resourceGroupName: "rg", location: "eastus", securityRules },
    extra,
  );

export const vnet = (name: string, location = "eastus", props: Record<string, unknown> = {}) =>
  view("VirtualNetwork", name, {
    id: `${NET}/virtualNetworks/${name}`,
    name,
    resourceGroupName: "rg",
    location,
    addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    ...props,
  });

export const subnetId = (vnetName: string, name: string) => `${NET}/virtualNetworks/${vnetName}/subnets/${name}`;

/** A delegated subnet with an NSG and a NAT gateway, in VNET `vnet`; `props` override. */
export const runnerSubnet = (name: string, props: Record<string, unknown> = {}, extra: Partial<ResourceView> = {}) =>
  view(
    "Subnet",
    name,
    {
      id: subnetId("vnet", name),
      name,
      resourceGroupName: "rg",
      virtualNetworkName: "vnet",
      addressPrefix: "10.0.0.0/24",
      delegations: DELEGATION,
      networkSecurityGroup: { id: `${NET}/networkSecurityGroups/nsg` },
      natGateway: { id: `${NET}/natGateways/nat` },
      defaultOutboundAccess: false,
      ...props,
    },
    extra,
  );

export const networkSettings = (name: string, props: Record<string, unknown> = {}, extra: Partial<ResourceView> = {}) =>
  view(
    "Resource",
    name,
    {
      resourceGroupName: "rg",
      resourceProviderNamespace: "GitHub.Network",
      parentResourcePath: "",
      resourceType: "networkSettings",
      apiVersion: "2024-04-02",
      location: "eastus",
      properties: { businessId: "12345678", subnetId: subnetId("vnet", "runners") },
      ...props,
    },
    extra,
  );
