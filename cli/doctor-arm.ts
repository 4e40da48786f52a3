/**
 * The ARM resources `doctor` reads, with the API version each call uses and the part of ARM's
 * response shape we rely on. Nothing here changes anything. (Provider reads and registration,
 * which the component's dynamic resource also uses, are in components/azure/arm-resources.ts.)
 *
 * API versions (all GA):
 * - Subscriptions - Get: 2022-12-01 (learn.microsoft.com/rest/api/resources/subscriptions/get)
 * - Role Assignments - List For Scope, Role Definitions - Get: 2022-04-01
 *   (learn.microsoft.com/rest/api/authorization; `$filter=assignedTo('{objectId}')` lists a user's or
 *   service principal's assignments including those it has through groups, per "List Azure role
 *   assignments using the REST API")
 * - Virtual Networks - List All / Get, Subnets - Get: 2024-05-01 (azure-rest-api-specs,
 *   Microsoft.Network stable/2024-05-01)
 * - GitHub.Network/networkSettings: 2024-04-02, the version GitHub's docs create it with; the list
 *   filtered by `subnetId` is the lookup GitHub's troubleshooting docs give.
 */
import type { ArmClient } from "../components/azure/arm-client";
import { subscriptionPath } from "../components/azure/arm-resources";
import { listOf, objectWith, optional, recordOf, text } from "../components/azure/arm-shapes";
import { NETWORK_SETTINGS } from "../components/lib/resource-types";

export const DOCTOR_API_VERSIONS = {
  subscriptions: "2022-12-01",
  authorization: "2022-04-01",
  network: "2024-05-01",
  networkSettings: NETWORK_SETTINGS.apiVersion,
} as const;

export interface Subscription {
  subscriptionId: string;
  displayName?: string;
  /** Enabled, Warned, PastDue, Disabled or Deleted. */
  state?: string;
  tenantId?: string;
}

export interface RoleAssignment {
  id: string;
  properties: { roleDefinitionId: string; principalId: string; principalType?: string; scope: string };
}

export interface RoleDefinition {
  id: string;
  name: string;
  properties: { roleName: string; type?: string };
}

export interface SubnetResource {
  id: string;
  name: string;
  properties?: {
    addressPrefix?: string;
    addressPrefixes?: string[];
    delegations?: { name?: string; properties?: { serviceName?: string } }[];
    ipConfigurations?: { id: string }[];
    networkSecurityGroup?: { id: string };
    serviceAssociationLinks?: { name?: string; properties?: { linkedResourceType?: string } }[];
  };
}

export interface VirtualNetwork {
  id: string;
  name: string;
  location: string;
  properties?: { addressSpace?: { addressPrefixes?: string[] }; subnets?: SubnetResource[] };
}

export interface NetworkSettings {
  id: string;
  name: string;
  location: string;
  properties?: { businessId?: string; subnetId?: string };
  tags?: Record<string, string>;
}

// The parts of each answer `doctor` reads, checked when it arrives (components/azure/arm-shapes.ts):
// an answer of another shape is a failed check that says so, never a TypeError in a check.

const SUBSCRIPTION_SHAPE = objectWith({
  subscriptionId: text,
  displayName: optional(text),
  state: optional(text),
  tenantId: optional(text),
});
const ROLE_ASSIGNMENT_SHAPE = objectWith({ properties: objectWith({ roleDefinitionId: text, scope: text }) });
const ROLE_DEFINITION_SHAPE = objectWith({ properties: objectWith({ roleName: text }) });
const SUBNET_SHAPE = objectWith({
  id: text,
  name: text,
  properties: optional(
    objectWith({
      addressPrefix: optional(text),
      addressPrefixes: optional(listOf(text)),
      delegations: optional(listOf(objectWith({ properties: optional(objectWith({ serviceName: optional(text) })) }))),
      ipConfigurations: optional(listOf(objectWith({ id: text }))),
      networkSecurityGroup: optional(objectWith({ id: text })),
    }),
  ),
});
const VIRTUAL_NETWORK_SHAPE = objectWith({
  id: text,
  name: text,
  location: text,
  properties: optional(
    objectWith({
      addressSpace: optional(objectWith({ addressPrefixes: optional(listOf(text)) })),
      subnets: optional(listOf(SUBNET_SHAPE)),
    }),
  ),
});
const NETWORK_SETTINGS_SHAPE = objectWith({
  id: text,
  name: text,
  location: text,
  properties: optional(objectWith({ businessId: optional(text), subnetId: optional(text) })),
  tags: optional(recordOf(text)),
});

export function getSubscription(client: ArmClient, subscriptionId: string): Promise<Subscription> {
  return client.get<Subscription>(subscriptionPath(subscriptionId), DOCTOR_API_VERSIONS.subscriptions, undefined, SUBSCRIPTION_SHAPE);
}

export function listRoleAssignmentsFor(client: ArmClient, subscriptionId: string, principalId: string): Promise<RoleAssignment[]> {
  return client.list<RoleAssignment>(
    `${subscriptionPath(subscriptionId)}/providers/Microsoft.Authorization/roleAssignments`,
    DOCTOR_API_VERSIONS.authorization,
    {
      $filter: `assignedTo('${principalId}')`,
    },
    ROLE_ASSIGNMENT_SHAPE,
  );
}

export function getRoleDefinition(client: ArmClient, roleDefinitionId: string): Promise<RoleDefinition> {
  return client.get<RoleDefinition>(roleDefinitionId, DOCTOR_API_VERSIONS.authorization, undefined, ROLE_DEFINITION_SHAPE);
}

export function listVirtualNetworks(client: ArmClient, subscriptionId: string): Promise<VirtualNetwork[]> {
  return client.list<VirtualNetwork>(
    `${subscriptionPath(subscriptionId)}/providers/Microsoft.Network/virtualNetworks`,
    DOCTOR_API_VERSIONS.network,
    undefined,
    VIRTUAL_NETWORK_SHAPE,
  );
}

export function virtualNetworkPath(subscriptionId: string, resourceGroupName: string, name: string): string {
  return `${subscriptionPath(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroupName)}/providers/Microsoft.Network/virtualNetworks/${encodeURIComponent(name)}`;
}

export function getVirtualNetwork(
  client: ArmClient,
  subscriptionId: string,
  resourceGroupName: string,
  name: string,
): Promise<VirtualNetwork | undefined> {
  return client.getIfExists<VirtualNetwork>(
    virtualNetworkPath(subscriptionId, resourceGroupName, name),
    DOCTOR_API_VERSIONS.network,
    undefined,
    VIRTUAL_NETWORK_SHAPE,
  );
}

/** A subnet by its full resource ID. */
export function getSubnet(client: ArmClient, subnetId: string): Promise<SubnetResource | undefined> {
  return client.getIfExists<SubnetResource>(subnetId, DOCTOR_API_VERSIONS.network, undefined, SUBNET_SHAPE);
}

const networkSettingsCollection = (subscriptionId: string) =>
  `${subscriptionPath(subscriptionId)}/providers/${NETWORK_SETTINGS.namespace}/${NETWORK_SETTINGS.type}`;

/** The networkSettings resources bound to a subnet (GitHub's documented lookup). */
export function networkSettingsForSubnet(client: ArmClient, subscriptionId: string, subnetId: string): Promise<NetworkSettings[]> {
  return client.list<NetworkSettings>(
    networkSettingsCollection(subscriptionId),
    DOCTOR_API_VERSIONS.networkSettings,
    { subnetId },
    NETWORK_SETTINGS_SHAPE,
  );
}

export function listNetworkSettings(client: ArmClient, subscriptionId: string): Promise<NetworkSettings[]> {
  return client.list<NetworkSettings>(
    networkSettingsCollection(subscriptionId),
    DOCTOR_API_VERSIONS.networkSettings,
    undefined,
    NETWORK_SETTINGS_SHAPE,
  );
}
