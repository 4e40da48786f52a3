/**
 * The ARM resources this package reads or changes, with the API version each call uses and the
 * part of ARM's response shape we rely on. Only `registerProvider` changes anything.
 *
 * API versions (all GA):
 * - Subscriptions - Get: 2022-12-01 (learn.microsoft.com/rest/api/resources/subscriptions/get)
 * - Providers - Get / Register: 2021-04-01 (azure-rest-api-specs, Microsoft.Resources
 *   stable/2021-04-01, examples GetProvider.json and RegisterProviders.json)
 * - Role Assignments - List For Scope, Role Definitions - Get: 2022-04-01
 *   (learn.microsoft.com/rest/api/authorization; `$filter=assignedTo('{objectId}')` lists a user's or
 *   service principal's assignments including those it has through groups, per "List Azure role
 *   assignments using the REST API")
 * - Virtual Networks - List All / Get, Subnets - Get: 2024-05-01 (azure-rest-api-specs,
 *   Microsoft.Network stable/2024-05-01)
 * - GitHub.Network/networkSettings: 2024-04-02, the version GitHub's docs create it with; the list
 *   filtered by `subnetId` is the lookup GitHub's troubleshooting docs give.
 */
import { NETWORK_SETTINGS } from "../lib/resource-types";
import type { ArmClient } from "./arm-client";

export const API_VERSIONS = {
  subscriptions: "2022-12-01",
  providers: "2021-04-01",
  authorization: "2022-04-01",
  network: "2024-05-01",
  networkSettings: NETWORK_SETTINGS.apiVersion,
} as const;

/** The namespaces a runner network needs: GitHub's service, and Azure networking. */
export const REQUIRED_PROVIDER_NAMESPACES = [NETWORK_SETTINGS.namespace, "Microsoft.Network"] as const;

export interface Subscription {
  subscriptionId: string;
  displayName?: string;
  /** Enabled, Warned, PastDue, Disabled or Deleted. */
  state?: string;
  tenantId?: string;
}

export interface ResourceProvider {
  namespace: string;
  /** NotRegistered, Registering, Registered, Unregistering (or Unregistered). */
  registrationState: string;
  resourceTypes?: { resourceType: string; locations?: string[]; apiVersions?: string[] }[];
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

export const subscriptionPath = (subscriptionId: string) => `/subscriptions/${encodeURIComponent(subscriptionId)}`;

export function getSubscription(client: ArmClient, subscriptionId: string): Promise<Subscription> {
  return client.get<Subscription>(subscriptionPath(subscriptionId), API_VERSIONS.subscriptions);
}

export function getProvider(client: ArmClient, subscriptionId: string, namespace: string): Promise<ResourceProvider> {
  return client.get<ResourceProvider>(`${subscriptionPath(subscriptionId)}/providers/${namespace}`, API_VERSIONS.providers);
}

/** Starts registration; ARM answers at once with the provider (usually `Registering`). */
export async function registerProvider(client: ArmClient, subscriptionId: string, namespace: string): Promise<ResourceProvider | undefined> {
  const { body } = await client.request<ResourceProvider>({ method: "POST", path: `${subscriptionPath(subscriptionId)}/providers/${namespace}/register`, apiVersion: API_VERSIONS.providers });
  return body;
}

export function listRoleAssignmentsFor(client: ArmClient, subscriptionId: string, principalId: string): Promise<RoleAssignment[]> {
  return client.list<RoleAssignment>(`${subscriptionPath(subscriptionId)}/providers/Microsoft.Authorization/roleAssignments`, API_VERSIONS.authorization, {
    $filter: `assignedTo('${principalId}')`,
  });
}

export function getRoleDefinition(client: ArmClient, roleDefinitionId: string): Promise<RoleDefinition> {
  return client.get<RoleDefinition>(roleDefinitionId, API_VERSIONS.authorization);
}

export function listVirtualNetworks(client: ArmClient, subscriptionId: string): Promise<VirtualNetwork[]> {
  return client.list<VirtualNetwork>(`${subscriptionPath(subscriptionId)}/providers/Microsoft.Network/virtualNetworks`, API_VERSIONS.network);
}

export function virtualNetworkPath(subscriptionId: string, resourceGroupName: string, name: string): string {
  return `${subscriptionPath(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroupName)}/providers/Microsoft.Network/virtualNetworks/${encodeURIComponent(name)}`;
}

export function getVirtualNetwork(client: ArmClient, subscriptionId: string, resourceGroupName: string, name: string): Promise<VirtualNetwork | undefined> {
  return client.getIfExists<VirtualNetwork>(virtualNetworkPath(subscriptionId, resourceGroupName, name), API_VERSIONS.network);
}

/** A subnet by its full resource ID. */
export function getSubnet(client: ArmClient, subnetId: string): Promise<SubnetResource | undefined> {
  return client.getIfExists<SubnetResource>(subnetId, API_VERSIONS.network);
}

const networkSettingsCollection = (subscriptionId: string) => `${subscriptionPath(subscriptionId)}/providers/${NETWORK_SETTINGS.namespace}/${NETWORK_SETTINGS.type}`;

/** The networkSettings resources bound to a subnet (GitHub's documented lookup). */
export function networkSettingsForSubnet(client: ArmClient, subscriptionId: string, subnetId: string): Promise<NetworkSettings[]> {
  return client.list<NetworkSettings>(networkSettingsCollection(subscriptionId), API_VERSIONS.networkSettings, { subnetId });
}

export function listNetworkSettings(client: ArmClient, subscriptionId: string): Promise<NetworkSettings[]> {
  return client.list<NetworkSettings>(networkSettingsCollection(subscriptionId), API_VERSIONS.networkSettings);
}
