/**
 * The ARM resources the component's dynamic resources read or change, with the API version each
 * call uses and the part of ARM's response shape we rely on. Only `registerProvider` changes
 * anything. (The reads only `doctor` makes are in cli/doctor-arm.ts.)
 *
 * API versions (all GA):
 * - Providers - Get / Register: 2021-04-01 (azure-rest-api-specs, Microsoft.Resources
 *   stable/2021-04-01, examples GetProvider.json and RegisterProviders.json)
 */
import { NETWORK_SETTINGS } from "../lib/resource-types";
import type { ArmClient } from "./arm-client";
import { listOf, objectWith, optional, text } from "./arm-shapes";

export const API_VERSIONS = {
  providers: "2021-04-01",
} as const;

/** The namespaces a runner network needs: GitHub's service, and Azure networking. */
export const REQUIRED_PROVIDER_NAMESPACES = [NETWORK_SETTINGS.namespace, "Microsoft.Network"] as const;

export interface ResourceProvider {
  namespace: string;
  /** NotRegistered, Registering, Registered, Unregistering (or Unregistered). */
  registrationState: string;
  resourceTypes?: { resourceType: string; locations?: string[]; apiVersions?: string[] }[];
}

/** The part of `ResourceProvider` that is read, checked when the answer arrives. */
export const RESOURCE_PROVIDER_SHAPE = objectWith({
  registrationState: text,
  resourceTypes: optional(listOf(objectWith({ resourceType: text, locations: optional(listOf(text)) }))),
});

export const subscriptionPath = (subscriptionId: string) => `/subscriptions/${encodeURIComponent(subscriptionId)}`;

export function getProvider(client: ArmClient, subscriptionId: string, namespace: string): Promise<ResourceProvider> {
  return client.get<ResourceProvider>(
    `${subscriptionPath(subscriptionId)}/providers/${namespace}`,
    API_VERSIONS.providers,
    undefined,
    RESOURCE_PROVIDER_SHAPE,
  );
}

/** Starts registration; ARM answers at once with the provider (usually `Registering`). */
export async function registerProvider(
  client: ArmClient,
  subscriptionId: string,
  namespace: string,
): Promise<ResourceProvider | undefined> {
  const { body } = await client.request<ResourceProvider>({
    method: "POST",
    path: `${subscriptionPath(subscriptionId)}/providers/${namespace}/register`,
    apiVersion: API_VERSIONS.providers,
  });
  return body;
}
