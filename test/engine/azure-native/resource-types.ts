/**
 * The azure-native resource types the stand-in serves, and how each maps onto ARM: the path built
 * from its inputs, the API version azure-native 3.x uses (each SDK class says "Uses Azure REST API
 * version ..."), the input that names it, which inputs force a replacement, and how the SDK's
 * flat inputs become ARM's body.
 *
 * Input names are the ones the SDK sends (node_modules/@pulumi/azure-native/network/*.js and
 * resources/*.js). Microsoft.Network types flatten ARM's `properties` into top-level inputs, and
 * so do their sub-resources (security rules, routes, delegations, inline subnets); resource
 * groups and the generic `resources:Resource` keep ARM's shape.
 */
export type Inputs = Record<string, unknown>;

/** Where an SDK property goes in ARM's body, for a resource or one of its sub-resources. */
export interface FlattenedShape {
  /** SDK properties that stay beside `properties` in ARM's body. */
  topLevel: readonly string[];
  /** Array properties whose items are sub-resources with their own `properties` bag. */
  subResources?: Readonly<Record<string, FlattenedShape>>;
}

export interface ResourceTypeSpec {
  token: string;
  /** ARM API version of a request for this resource; empty when the inputs lack it. */
  apiVersion: (inputs: Inputs) => string;
  /** The input holding the resource's own name; autonamed when absent. */
  nameInput: string;
  /** Inputs that only place the resource (its ARM path); never sent in the body. */
  pathInputs: readonly string[];
  /** Inputs that must be given (besides the name). */
  requiredInputs: readonly string[];
  path: (inputs: Inputs, subscriptionId: string) => string;
  /** Inputs whose change ARM cannot apply in place. */
  replaceOnChanges: readonly string[];
  /** `flattened`: Microsoft.Network's SDK shape; `armShaped`: these inputs are ARM's top-level fields as they are. */
  body: { kind: "flattened"; shape: FlattenedShape } | { kind: "armShaped"; fields: readonly string[] };
}

const NETWORK_API_VERSION = "2024-05-01";
const RESOURCES_API_VERSION = "2024-03-01";

const SUB_RESOURCE: FlattenedShape = { topLevel: ["name", "id", "type", "etag"] };
const SUBNET_BODY: FlattenedShape = { topLevel: ["name", "id", "type", "etag"], subResources: { delegations: SUB_RESOURCE } };
const TRACKED_NETWORK_RESOURCE = ["location", "tags", "id", "extendedLocation"] as const;

const segment = (value: unknown) => encodeURIComponent(String(value));
const groupPath = (inputs: Inputs, subscriptionId: string) =>
  `/subscriptions/${segment(subscriptionId)}/resourceGroups/${segment(inputs.resourceGroupName)}`;

/** A top-level Microsoft.Network resource: `.../providers/Microsoft.Network/{collection}/{name}`. */
function networkResource(token: string, collection: string, nameInput: string, shape: FlattenedShape): ResourceTypeSpec {
  return {
    token,
    apiVersion: () => NETWORK_API_VERSION,
    nameInput,
    pathInputs: ["resourceGroupName", nameInput],
    requiredInputs: ["resourceGroupName"],
    path: (inputs, subscriptionId) =>
      `${groupPath(inputs, subscriptionId)}/providers/Microsoft.Network/${collection}/${segment(inputs[nameInput])}`,
    replaceOnChanges: ["resourceGroupName", nameInput, "location"],
    body: { kind: "flattened", shape },
  };
}

export const RESOURCE_TYPES: readonly ResourceTypeSpec[] = [
  {
    token: "azure-native:resources:ResourceGroup",
    apiVersion: () => RESOURCES_API_VERSION,
    nameInput: "resourceGroupName",
    pathInputs: ["resourceGroupName"],
    requiredInputs: [],
    path: groupPath,
    replaceOnChanges: ["resourceGroupName", "location"],
    body: { kind: "armShaped", fields: ["location", "tags", "managedBy"] },
  },
  networkResource("azure-native:network:VirtualNetwork", "virtualNetworks", "virtualNetworkName", {
    topLevel: TRACKED_NETWORK_RESOURCE,
    subResources: { subnets: SUBNET_BODY, virtualNetworkPeerings: SUB_RESOURCE },
  }),
  {
    token: "azure-native:network:Subnet",
    apiVersion: () => NETWORK_API_VERSION,
    nameInput: "subnetName",
    pathInputs: ["resourceGroupName", "virtualNetworkName", "subnetName"],
    requiredInputs: ["resourceGroupName", "virtualNetworkName"],
    path: (inputs, subscriptionId) =>
      `${groupPath(inputs, subscriptionId)}/providers/Microsoft.Network/virtualNetworks/${segment(inputs.virtualNetworkName)}/subnets/${segment(inputs.subnetName)}`,
    replaceOnChanges: ["resourceGroupName", "virtualNetworkName", "subnetName"],
    body: { kind: "flattened", shape: SUBNET_BODY },
  },
  networkResource("azure-native:network:NetworkSecurityGroup", "networkSecurityGroups", "networkSecurityGroupName", {
    topLevel: TRACKED_NETWORK_RESOURCE,
    subResources: { securityRules: SUB_RESOURCE },
  }),
  networkResource("azure-native:network:PublicIPAddress", "publicIPAddresses", "publicIpAddressName", {
    topLevel: [...TRACKED_NETWORK_RESOURCE, "sku", "zones"],
  }),
  networkResource("azure-native:network:NatGateway", "natGateways", "natGatewayName", {
    topLevel: [...TRACKED_NETWORK_RESOURCE, "sku", "zones"],
  }),
  networkResource("azure-native:network:RouteTable", "routeTables", "routeTableName", {
    topLevel: TRACKED_NETWORK_RESOURCE,
    subResources: { routes: SUB_RESOURCE },
  }),
  {
    token: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    apiVersion: () => NETWORK_API_VERSION,
    nameInput: "ruleCollectionGroupName",
    pathInputs: ["resourceGroupName", "firewallPolicyName", "ruleCollectionGroupName"],
    requiredInputs: ["resourceGroupName", "firewallPolicyName"],
    path: (inputs, subscriptionId) =>
      `${groupPath(inputs, subscriptionId)}/providers/Microsoft.Network/firewallPolicies/${segment(inputs.firewallPolicyName)}/ruleCollectionGroups/${segment(inputs.ruleCollectionGroupName)}`,
    replaceOnChanges: ["resourceGroupName", "firewallPolicyName", "ruleCollectionGroupName"],
    body: { kind: "flattened", shape: { topLevel: ["name", "id"] } },
  },
  {
    token: "azure-native:resources:Resource",
    apiVersion: (inputs) => (typeof inputs.apiVersion === "string" ? inputs.apiVersion : ""),
    nameInput: "resourceName",
    pathInputs: ["resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType", "resourceName", "apiVersion"],
    requiredInputs: ["resourceGroupName", "resourceProviderNamespace", "resourceType", "apiVersion"],
    path: (inputs, subscriptionId) => {
      const parent = typeof inputs.parentResourcePath === "string" ? inputs.parentResourcePath.replace(/^\/+|\/+$/g, "") : "";
      return `${groupPath(inputs, subscriptionId)}/providers/${String(inputs.resourceProviderNamespace)}/${parent ? `${parent}/` : ""}${String(inputs.resourceType)}/${segment(inputs.resourceName)}`;
    },
    replaceOnChanges: ["resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType", "resourceName", "location"],
    body: {
      kind: "armShaped",
      fields: ["location", "tags", "properties", "kind", "sku", "identity", "plan", "managedBy", "extendedLocation"],
    },
  },
];

export function resourceTypeSpec(token: string): ResourceTypeSpec {
  const spec = RESOURCE_TYPES.find((candidate) => candidate.token === token);
  if (!spec)
    throw new Error(`the azure-native stand-in does not model ${token}; it serves ${RESOURCE_TYPES.map((t) => t.token).join(", ")}`);
  return spec;
}
