/**
 * What the policy checks see of a resource, free of Pulumi types. Two adapters translate into it:
 * the policy pack (policy/index.ts, from `@pulumi/policy` arguments) and the offline plan
 * (policy/offline.ts, from the resources the mock engine recorded).
 */

/** Stands for a value that is computed during deployment and not known yet (first previews). */
export const UNKNOWN: unique symbol = Symbol("not known until deployment");
export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

export interface ResourceView {
  urn: string;
  type: string;
  name: string;
  /** Inputs for resource checks, outputs for stack checks; values not known yet are UNKNOWN. */
  props: Readonly<Record<string, unknown>>;
  /** URN of the parent resource, if any. */
  parent?: string;
  /** URNs of every resource this one depends on. */
  dependencies: readonly string[];
  /** For each input property, the URNs of the resources its value came from (empty offline). */
  propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** One problem a check found, reported against the resource it concerns. */
export interface Finding {
  urn: string;
  message: string;
}

/**
 * Every finding about a value that is not known yet starts with this, so a reader (and the tests)
 * can tell "cannot be checked yet" apart from "checked and wrong".
 */
export const CANNOT_VERIFY = "cannot verify until known";

export function cannotVerify(urn: string, what: string): Finding {
  return { urn, message: `${CANNOT_VERIFY}: ${what} is computed during deployment, so this policy cannot approve it yet` };
}

/** A record's field; UNKNOWN when the record itself is not known; undefined when there is no record. */
export function field(value: unknown, key: string): unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** A string value, UNKNOWN, or undefined for anything else (absent, null, wrong type). */
export function text(value: unknown): string | Unknown | undefined {
  return typeof value === "string" || isUnknown(value) ? value : undefined;
}

/** A list value, UNKNOWN, or undefined for anything else. */
export function list(value: unknown): readonly unknown[] | Unknown | undefined {
  return Array.isArray(value) || isUnknown(value) ? (value as readonly unknown[] | Unknown) : undefined;
}

/** Whether any part of a value (nested lists and records included) is not known yet. */
export function holdsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(holdsUnknown);
  return false;
}

/** Case-insensitive comparison: ARM names, IDs, tags and enum values are case-insensitive. */
export function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * An azure-native resource type, also in the versioned-module form older SDKs and explicit API
 * versions use (`azure-native:network/v20240501:Subnet`).
 */
export function isAzureType(type: string, module: string, resource: string): boolean {
  const match = /^azure-native:([A-Za-z]+)(?:\/v[0-9a-z]+)?:([A-Za-z]+)$/.exec(type);
  return match !== null && match[1] === module && match[2] === resource;
}

export const AZURE_TYPES = {
  subnet: ["network", "Subnet"],
  virtualNetwork: ["network", "VirtualNetwork"],
  networkSecurityGroup: ["network", "NetworkSecurityGroup"],
  securityRule: ["network", "SecurityRule"],
  routeTable: ["network", "RouteTable"],
  route: ["network", "Route"],
  natGateway: ["network", "NatGateway"],
  genericResource: ["resources", "Resource"],
} as const satisfies Record<string, readonly [string, string]>;

export type AzureTypeName = keyof typeof AZURE_TYPES;

export function isOfType(resource: { type: string }, name: AzureTypeName): boolean {
  const [module, type] = AZURE_TYPES[name];
  return isAzureType(resource.type, module, type);
}
