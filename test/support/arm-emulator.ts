/**
 * A local stand-in for Azure Resource Manager on 127.0.0.1, answering the calls this package
 * makes in ARM's documented shapes: `{ value, nextLink }` lists, provider objects with
 * `registrationState` and display-name `locations`, and `{ "error": { "code", "message" } }`
 * errors. It accepts one bearer token, can script faults (429 with Retry-After, 5xx, 401, 403,
 * answers of any shape, answers that break off after the headers), can quote the Authorization
 * header back in its errors (`reflectAuthorization`), and records every request (never the token)
 * so tests can assert exactly what was called.
 * It also serves an App Service managed identity endpoint, so the CLI's real
 * `DefaultAzureCredential` can sign in against it.
 *
 * Resources (groups, VNETs, subnets, NSGs, public IPs, NAT gateways, route tables, firewall
 * policies and their rule collection groups, GitHub.Network/networkSettings) live in one store
 * keyed by lower-cased ARM id; PUT, GET and DELETE go through the same pipeline, and each type
 * adds the rules ARM enforces for it (`EmulatedResources.typeRules`). Every write and delete, and
 * every refused one, lands in an ordered event log that tests read with `log()` or over HTTP
 * at `GET /_emulator/state` (no token needed there).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { containsCidr, overlaps, tryParseCidr, type Cidr } from "../../components/lib/cidr";
import { NETWORK_SETTINGS, SUBNET_DELEGATION_SERVICE } from "../../components/lib/resource-types";
import { cutAnswer, firstHalf, quoteAuthorization, type Cut } from "./faulty-answers";

export interface EmulatedProvider {
  /** NotRegistered, Registering, Registered... */
  registrationState: string;
  /** States reported by the GETs that follow a register call; the state then stays at the last one. */
  afterRegister?: string[];
  /** Display names, as ARM gives them, of the regions offering networkSettings. */
  networkSettingsLocations?: string[];
}

export interface EmulatedRoleAssignment {
  principalId: string;
  roleDefinitionGuid: string;
  scope: string;
}

export interface ScriptedFault {
  method?: string;
  /** Matched against the path without the query. */
  path: RegExp;
  /** How many matching requests get this answer (then the normal answer). */
  times: number;
  status: number;
  headers?: Record<string, string>;
  /** ARM error code and message; the body is ARM's error shape. */
  code?: string;
  message?: string;
  /** Raw body instead (e.g. a gateway's HTML page). */
  rawBody?: string;
  /** Sends the headers and the start of the body, then stalls or resets the connection. */
  cut?: Cut;
}

export interface EmulatorState {
  token: string;
  /** Secret the managed identity endpoint requires (X-IDENTITY-HEADER). */
  identityHeader: string;
  subscriptions: Record<string, { displayName: string; state: string; tenantId: string }>;
  providers: Record<string, EmulatedProvider>;
  roleAssignments: EmulatedRoleAssignment[];
  /** Role definition GUID to role name. */
  roleDefinitions: Record<string, string>;
  /**
   * The VNETs as ARM answers them, subnets inline. A view of the resource store: assigning
   * replaces every VNET and its subnets (stored as given); changing the returned array does not.
   */
  virtualNetworks: Record<string, unknown>[];
  /** The networkSettings resources, a view of the store like `virtualNetworks`. */
  networkSettings: Record<string, unknown>[];
  /** Items per page for list answers; more items give a nextLink. */
  pageSize: number;
  faults: ScriptedFault[];
  /** Number of polls a long-running operation answers "still running" before finishing. */
  operationPolls: number;
  /** When set, long-running operations end Failed with this ARM error instead of Succeeded. */
  operationError?: { code: string; message: string };
  /** When set, every error answer quotes the request's Authorization header in its message. */
  reflectAuthorization?: boolean;
}

/** What `ArmEmulator.start` takes: the state, plus resources to seed and where to listen. */
export type EmulatorStartOptions = Partial<EmulatorState> &
  Pick<EmulatorState, "token"> & {
    /** Resources of any emulated type stored as given (their resource groups are implied), e.g. a hub's firewall policy. */
    resources?: ArmResource[];
    /** Port on 127.0.0.1; 0 (the default) takes a free one. */
    port?: number;
  };

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Whether the Authorization header carried the accepted token. */
  authorized: boolean;
}

/** A resource as ARM answers it. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  etag?: string;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One entry of the event log: a write or delete ARM carried out, refused, or failed. */
export interface EmulatorEvent {
  seq: number;
  /** When it happened, in epoch milliseconds with sub-millisecond precision (to order it against other emulators' records). */
  at: number;
  method: "PUT" | "DELETE";
  /** The resource's ARM id (as stored, or as requested when refused). */
  id: string;
  type: string;
  /** ok: stored or removed; refused: answered with an error; failed: a long-running operation that ended Failed. */
  outcome: "ok" | "refused" | "failed";
  /** HTTP status of the refusal. */
  status?: number;
  /** ARM's error code, for refused and failed ones. */
  code?: string;
}

/** What `GET /_emulator/state` answers. */
export interface EmulatorSnapshot {
  resources: ArmResource[];
  log: EmulatorEvent[];
}

/** Built-in role definition GUIDs (learn.microsoft.com, "Azure built-in roles"). */
export const BUILT_IN_ROLES = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

/** The path that dumps the emulator's resources and event log; it needs no token. */
export const EMULATOR_STATE_PATH = "/_emulator/state";

/** API versions GitHub.Network offers for networkSettings, as the provider object lists them. */
export const NETWORK_SETTINGS_API_VERSIONS = ["2024-04-02", "2024-04-01"] as const;

/** First addresses of TEST-NET-3 (RFC 5737), handed out to static public IPs in order. */
export const EMULATED_PUBLIC_IP_PREFIX = "203.0.113.";

function armError(code: string, message: string) {
  return { error: { code, message } };
}

/** A JWT-shaped token with the claims a sign-in carries (object id, tenant, app id); the signature is random. */
export function emulatedAccessToken(claims: { tenantId: string; objectId: string; clientId: string }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signature = createHash("sha256").update(`${Date.now()}:${Math.random()}`).digest("base64url");
  return [
    part({ typ: "JWT", alg: "RS256" }),
    part({ aud: "https://management.azure.com", oid: claims.objectId, tid: claims.tenantId, appid: claims.clientId, idtyp: "app" }),
    signature,
  ].join(".");
}

/**
 * A subscription with nothing deployed in it: Microsoft.Network registered, GitHub.Network as
 * asked (`NotRegistered` becomes `Registered` on the first read after a register call).
 */
export function emptySubscriptionState(options: {
  token: string;
  subscriptionId: string;
  tenantId: string;
  gitHubNetwork: "Registered" | "NotRegistered";
}): EmulatorStartOptions {
  return {
    token: options.token,
    subscriptions: { [options.subscriptionId]: { displayName: "Emulated", state: "Enabled", tenantId: options.tenantId } },
    providers: {
      [NETWORK_SETTINGS.namespace]:
        options.gitHubNetwork === "Registered"
          ? { registrationState: "Registered" }
          : { registrationState: "NotRegistered", afterRegister: ["Registered"] },
      "Microsoft.Network": { registrationState: "Registered" },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Resource ids and the store

/** An ARM resource path split into its parts: `/subscriptions/{s}/resourceGroups/{g}[/providers/{ns}/{type}/{name}...]`. */
interface ResourcePath {
  subscriptionId: string;
  resourceGroupName: string;
  /** The type as ARM spells it in the path, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  type: string;
  /** Type and name segments below the namespace, e.g. `[["virtualNetworks", "v"], ["subnets", "s"]]`. */
  segments: [string, string][];
  name: string;
}

const RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups";
const VIRTUAL_NETWORK_TYPE = "Microsoft.Network/virtualNetworks";
const SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets";
const NETWORK_SETTINGS_TYPE = `${NETWORK_SETTINGS.namespace}/${NETWORK_SETTINGS.type}`;

function parseResourcePath(path: string): ResourcePath | undefined {
  const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)(?:\/providers\/([^/]+)((?:\/[^/]+\/[^/]+)+))?$/i.exec(path);
  if (!match) return undefined;
  const [, subscriptionId, group, namespace, rest] = match;
  const resourceGroupName = decodeURIComponent(group);
  if (!namespace) return { subscriptionId, resourceGroupName, type: RESOURCE_GROUP_TYPE, segments: [], name: resourceGroupName };
  const parts = rest.slice(1).split("/").map(decodeURIComponent);
  const segments: [string, string][] = [];
  for (let i = 0; i < parts.length; i += 2) segments.push([parts[i], parts[i + 1]]);
  return {
    subscriptionId,
    resourceGroupName,
    type: [namespace, ...segments.map(([type]) => type)].join("/"),
    segments,
    name: segments[segments.length - 1][1],
  };
}

const storeKey = (id: string) => id.toLowerCase().replace(/\/+$/, "");
const sameId = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && storeKey(a) === storeKey(b);
/** ARM answers locations in their short form: "East US" and "eastus" are the same region. */
const normalizeLocation = (location: string) => location.replace(/\s+/g, "").toLowerCase();
const resourceGroupId = (subscriptionId: string, name: string) => `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
/** The id of the resource a child belongs to: a subnet's VNET, a rule collection group's policy. */
const parentIdOf = (id: string) => id.replace(/\/[^/]+\/[^/]+$/, "");

/** Every resource, by normalized id, in the order it was first stored. */
class ResourceStore {
  private readonly resources = new Map<string, ArmResource>();

  get(id: string): ArmResource | undefined {
    return this.resources.get(storeKey(id));
  }

  set(resource: ArmResource): void {
    this.resources.set(storeKey(resource.id), resource);
  }

  remove(id: string): void {
    this.resources.delete(storeKey(id));
  }

  all(): ArmResource[] {
    return [...this.resources.values()];
  }

  ofType(type: string): ArmResource[] {
    return this.all().filter((resource) => resource.type.toLowerCase() === type.toLowerCase());
  }

  /** Resources whose ids lie below `id`: children, grandchildren... */
  under(id: string): ArmResource[] {
    const prefix = `${storeKey(id)}/`;
    return this.all().filter((resource) => storeKey(resource.id).startsWith(prefix));
  }
}

// ---------------------------------------------------------------------------------------------
// Per-type rules

interface Refusal {
  status: number;
  code: string;
  message: string;
}

const refuse = (status: number, code: string, message: string): Refusal => ({ status, code, message });

/** A PUT on its way into the store. */
interface ResourceWrite {
  id: string;
  path: ResourcePath;
  rules: TypeRules;
  /** The request body. */
  body: Record<string, unknown>;
  existing?: ArmResource;
}

interface TypeRules {
  /** Canonical ARM type. */
  type: string;
  /** API versions ARM accepts; any when absent. */
  apiVersions?: readonly string[];
  /** The namespace must be registered even when the emulator's state does not list it. */
  registrationRequired?: boolean;
  /** Writes need a location (top-level resources; children live where their parent does). */
  requiresLocation: boolean;
  /** Microsoft.Network answers with a weak etag that changes on every write. */
  etag: boolean;
  /** Microsoft.Network top-level resources carry a service-assigned resourceGuid. */
  resourceGuid: boolean;
  /** sync: 200/201 with the result; async: 201/200 and an Azure-AsyncOperation to poll. */
  put: "sync" | "async";
  /** async: 202 with Azure-AsyncOperation; location: 202 with a Location that answers 202 until done. */
  delete: "async" | "location";
  /** ARM's answer for the type has no `type` field (see the resource group rules). */
  answersWithoutType?: boolean;
  /** provisioningState while an asynchronous PUT runs. */
  inFlightState?: string;
  /** Properties only the service writes: kept from the stored resource, never taken from a PUT. */
  serverOwned?: readonly string[];
  /** Order in which deleting a resource group removes its contents: lower first. */
  teardownRank: number;
  /** Writes to the same scope run one at a time (see `writeScope`). */
  writeScope?: (id: string) => string;
  refusePut?: (write: ResourceWrite) => Refusal | undefined;
  /** Fills in what the service assigns (defaults, addresses, ids of sub-resources). */
  shape?: (write: ResourceWrite, resource: ArmResource) => void;
  /** Effects on other resources once the PUT is stored. */
  afterPut?: (write: ResourceWrite, resource: ArmResource) => void;
  refuseDelete?: (resource: ArmResource) => Refusal | undefined;
  beforeRemove?: (resource: ArmResource) => void;
  /** Adds what ARM derives from other resources when answering (inline children, back-references). */
  view?: (resource: ArmResource) => ArmResource;
}

type Properties = Record<string, unknown>;
const propertiesOf = (resource: { properties?: unknown } | undefined): Properties => (resource?.properties ?? {}) as Properties;
const idsIn = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((item) => (item as { id?: unknown })?.id).filter((id): id is string => typeof id === "string") : [];
const refId = (value: unknown): string | undefined => {
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : undefined;
};
const describeList = (values: readonly string[]) => values.join(", ");

/** Whether a subnet delegation is to GitHub's service; ARM compares service names case-insensitively. */
const isGitHubDelegation = (delegation: unknown) => {
  const serviceName = (delegation as { properties?: { serviceName?: unknown } })?.properties?.serviceName;
  return typeof serviceName === "string" && serviceName.toLowerCase() === SUBNET_DELEGATION_SERVICE.toLowerCase();
};

/** What holds a subnet: service association links first (GitHub's), then NICs. */
function subnetHolders(subnet: ArmResource): string[] {
  const properties = propertiesOf(subnet);
  const links = (Array.isArray(properties.serviceAssociationLinks) ? properties.serviceAssociationLinks : []).map((link) =>
    String((link as { properties?: { link?: unknown } })?.properties?.link ?? (link as { id?: unknown }).id),
  );
  return [...links, ...idsIn(properties.ipConfigurations)];
}

function subnetPrefixes(properties: Properties): string[] {
  if (typeof properties.addressPrefix === "string") return [properties.addressPrefix];
  return Array.isArray(properties.addressPrefixes) ? properties.addressPrefixes.map(String) : [];
}

function vnetPrefixes(properties: Properties): string[] {
  const prefixes = (properties.addressSpace as { addressPrefixes?: unknown } | undefined)?.addressPrefixes;
  return Array.isArray(prefixes) ? prefixes.map(String) : [];
}

/** Parses ARM address prefixes; a malformed one or one with host bits set is ARM's InvalidCIDRNotation. */
function parsePrefixes(prefixes: readonly string[], owner: string): Cidr[] | Refusal {
  const parsed: Cidr[] = [];
  for (const prefix of prefixes) {
    const cidr = tryParseCidr(prefix, { strict: true });
    if (!cidr) return refuse(400, "InvalidCIDRNotation", `The address prefix ${prefix} in resource ${owner} has an invalid CIDR notation.`);
    parsed.push(cidr);
  }
  return parsed;
}

const isRefusal = (value: unknown): value is Refusal =>
  typeof (value as Refusal | undefined)?.code === "string" && typeof (value as Refusal).status === "number";

/**
 * NSG default rules ARM adds to every group (read-only `defaultSecurityRules`), from
 * shared/reference/azure-nsg-vnet-excerpts.md section 2.
 */
const DEFAULT_SECURITY_RULES = [
  ["AllowVnetInBound", 65000, "Inbound", "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowAzureLoadBalancerInBound", 65001, "Inbound", "AzureLoadBalancer", "*", "Allow"],
  ["DenyAllInBound", 65500, "Inbound", "*", "*", "Deny"],
  ["AllowVnetOutBound", 65000, "Outbound", "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowInternetOutBound", 65001, "Outbound", "*", "Internet", "Allow"],
  ["DenyAllOutBound", 65500, "Outbound", "*", "*", "Deny"],
] as const;

/** NSG rule priorities run 100-4096 (shared/reference/azure-nsg-vnet-excerpts.md sections 2 and 4). */
const SECURITY_RULE_PRIORITY = { min: 100, max: 4096 } as const;

/**
 * The resources, the rules ARM applies to them, and the event log. No HTTP here: the emulator
 * turns the outcomes into answers and long-running operations.
 */
class EmulatedResources {
  readonly store = new ResourceStore();
  readonly events: EmulatorEvent[] = [];
  private readonly rules = new Map<string, TypeRules>();
  /** Write scopes (firewall policies) with an operation running. */
  private readonly busyScopes = new Set<string>();
  private etagCounter = 0;
  private guidCounter = 0;
  private publicIpCounter = 0;
  private gitHubIdCounter = 0;

  constructor(private readonly providers: () => Record<string, EmulatedProvider>) {
    for (const rules of this.typeRules()) this.rules.set(rules.type.toLowerCase(), rules);
  }

  rulesFor(type: string): TypeRules | undefined {
    return this.rules.get(type.toLowerCase());
  }

  record(
    method: EmulatorEvent["method"],
    id: string,
    type: string,
    outcome: EmulatorEvent["outcome"],
    details: { status?: number; code?: string } = {},
  ): void {
    this.events.push({
      seq: this.events.length + 1,
      at: performance.timeOrigin + performance.now(),
      method,
      id,
      type,
      outcome,
      ...details,
    });
  }

  /** The resource as ARM answers it, with derived fields; a copy. */
  view(resource: ArmResource): ArmResource {
    const rules = this.rulesFor(resource.type);
    return structuredClone(rules?.view ? rules.view(resource) : resource);
  }

  /** Stores a resource as given (and its resource group, when missing); a VNET's inline subnets become subnets. */
  seed(resource: ArmResource): void {
    const path = parseResourcePath(resource.id);
    if (path && path.type !== RESOURCE_GROUP_TYPE) {
      const groupId = resourceGroupId(path.subscriptionId, path.resourceGroupName);
      if (!this.store.get(groupId))
        this.store.set({
          id: groupId,
          name: path.resourceGroupName,
          location: resource.location ?? "eastus",
          properties: { provisioningState: "Succeeded" },
          type: RESOURCE_GROUP_TYPE,
        });
    }
    const copy = structuredClone(resource);
    if (copy.type.toLowerCase() === VIRTUAL_NETWORK_TYPE.toLowerCase()) {
      const { subnets, ...rest } = propertiesOf(copy);
      copy.properties = rest;
      this.store.set(copy);
      for (const subnet of Array.isArray(subnets) ? (subnets as ArmResource[]) : []) this.store.set(structuredClone(subnet));
      return;
    }
    this.store.set(copy);
  }

  /** Removes every resource of a type (and what lies below each), unlogged: for re-seeding. */
  clear(type: string): void {
    for (const resource of this.store.ofType(type)) {
      for (const child of this.store.under(resource.id)) this.store.remove(child.id);
      this.store.remove(resource.id);
    }
  }

  /** Why ARM refuses any request on this resource before looking at it: registration, API version, resource group. */
  refuseRequest(
    path: ResourcePath,
    rules: TypeRules,
    apiVersion: string,
    request: { location?: string; groupMustExist: boolean },
  ): Refusal | undefined {
    const namespace = rules.type.split("/")[0];
    const registration = this.providers()[namespace]?.registrationState ?? (rules.registrationRequired ? "NotRegistered" : "Registered");
    if (registration !== "Registered") {
      return refuse(
        409,
        "MissingSubscriptionRegistration",
        `The subscription is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
      );
    }
    if (rules.apiVersions && !rules.apiVersions.includes(apiVersion)) {
      const typeName = rules.type.split("/").slice(1).join("/");
      return refuse(
        400,
        "NoRegisteredProviderFound",
        `No registered resource provider found for location '${request.location ?? "global"}' and API version '${apiVersion}' for type '${typeName}'. The supported api-versions are '${[...rules.apiVersions].sort().join(", ")}'.`,
      );
    }
    if (
      request.groupMustExist &&
      rules.type !== RESOURCE_GROUP_TYPE &&
      !this.store.get(resourceGroupId(path.subscriptionId, path.resourceGroupName))
    ) {
      return refuse(404, "ResourceGroupNotFound", `Resource group '${path.resourceGroupName}' could not be found.`);
    }
    return undefined;
  }

  /** The id ARM gives a resource: canonical type segments, names as first created. */
  canonicalId(path: ResourcePath, rules: TypeRules): string {
    const existing = this.store.get(this.requestedId(path));
    if (existing) return existing.id;
    const group = this.store.get(resourceGroupId(path.subscriptionId, path.resourceGroupName));
    const groupId = resourceGroupId(path.subscriptionId, group?.name ?? path.resourceGroupName);
    if (rules.type === RESOURCE_GROUP_TYPE) return groupId;
    const [namespace, ...types] = rules.type.split("/");
    const parentId =
      path.segments.length > 1 ? this.store.get(this.requestedId({ ...path, segments: path.segments.slice(0, -1) }))?.id : undefined;
    if (parentId) return `${parentId}/${types[types.length - 1]}/${path.name}`;
    return `${groupId}/providers/${namespace}/${path.segments.map(([, name], index) => `${types[index]}/${name}`).join("/")}`;
  }

  private requestedId(path: ResourcePath): string {
    const groupId = resourceGroupId(path.subscriptionId, path.resourceGroupName);
    if (path.segments.length === 0) return groupId;
    return `${groupId}/providers/${path.type.split("/")[0]}/${path.segments.map(([type, name]) => `${type}/${name}`).join("/")}`;
  }

  notFound(id: string, path: ResourcePath, rules: TypeRules): Refusal {
    if (rules.type === RESOURCE_GROUP_TYPE)
      return refuse(404, "ResourceGroupNotFound", `Resource group '${path.name}' could not be found.`);
    // Child resources are answered by the resource provider itself, in its own words.
    if (path.segments.length > 1) return refuse(404, "NotFound", `Resource ${id} not found.`);
    return refuse(
      404,
      "ResourceNotFound",
      `The Resource '${rules.type}/${path.name}' under resource group '${path.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }

  /** Refusals every PUT is checked for, before the type's own. */
  private refuseAnyPut(write: ResourceWrite): Refusal | undefined {
    const { rules, body, existing, path } = write;
    if (path.segments.length > 1 && !this.store.get(parentIdOf(write.id))) {
      const parentRules = this.rulesFor(rules.type.split("/").slice(0, -1).join("/"));
      const parentPath = {
        ...path,
        segments: path.segments.slice(0, -1),
        name: path.segments[path.segments.length - 2][1],
        type: path.type.split("/").slice(0, -1).join("/"),
      };
      return parentRules
        ? this.notFound(parentIdOf(write.id), parentPath, parentRules)
        : refuse(
            404,
            "ParentResourceNotFound",
            `Can not perform requested operation on nested resource. Parent resource '${parentPath.name}' not found.`,
          );
    }
    if (rules.requiresLocation && typeof body.location !== "string")
      return refuse(400, "LocationRequired", "The location property is required for this definition.");
    if (
      existing?.location &&
      typeof body.location === "string" &&
      normalizeLocation(body.location) !== normalizeLocation(existing.location)
    ) {
      return refuse(
        400,
        "InvalidResourceLocation",
        `The resource '${path.name}' already exists in location '${existing.location}' in resource group '${path.resourceGroupName}'. A resource with the same name cannot be created in location '${normalizeLocation(body.location)}'. Please select a new resource name.`,
      );
    }
    if (
      body.tags !== undefined &&
      (typeof body.tags !== "object" || body.tags === null || Object.values(body.tags).some((value) => typeof value !== "string"))
    ) {
      return refuse(
        400,
        "InvalidRequestContent",
        "The request content was invalid and could not be deserialized: 'tags' must map names to strings.",
      );
    }
    return undefined;
  }

  /** Why another write to this scope must wait, if one is running. */
  busy(rules: TypeRules, id: string): Refusal | undefined {
    const scope = rules.writeScope?.(id);
    if (scope === undefined || !this.busyScopes.has(storeKey(scope))) return undefined;
    // Not in our references; ARM's Microsoft.Network answers this way while a firewall policy is being changed.
    return refuse(
      409,
      "AnotherOperationInProgress",
      `Another operation on this or dependent resource is in progress. Wait for the operation on ${scope} to complete and try again.`,
    );
  }

  holdScope(rules: TypeRules, id: string): () => void {
    const scope = rules.writeScope?.(id);
    if (scope === undefined) return () => undefined;
    this.busyScopes.add(storeKey(scope));
    return () => this.busyScopes.delete(storeKey(scope));
  }

  checkPut(write: ResourceWrite): Refusal | undefined {
    return this.refuseAnyPut(write) ?? write.rules.refusePut?.(write);
  }

  /** Stores the PUT as ARM would (the body's properties, what the service keeps or assigns) and logs it before its effects on others. */
  applyPut(write: ResourceWrite, provisioningState: string): ArmResource {
    const resource = this.build(write, provisioningState);
    this.store.set(resource);
    this.record("PUT", resource.id, resource.type, "ok");
    write.rules.afterPut?.(write, resource);
    return resource;
  }

  private build(write: ResourceWrite, provisioningState: string): ArmResource {
    const { rules, body, existing, id, path } = write;
    const resource: ArmResource = { id, name: existing?.name ?? path.name, type: rules.type };
    for (const [key, value] of Object.entries(body)) {
      if (!["id", "name", "type", "etag", "properties"].includes(key)) resource[key] = structuredClone(value);
    }
    if (typeof body.location === "string") resource.location = normalizeLocation(body.location);
    const properties: Properties = structuredClone((body.properties ?? {}) as Properties);
    delete properties.provisioningState;
    for (const key of rules.serverOwned ?? []) {
      delete properties[key];
      const kept = propertiesOf(existing)[key];
      if (kept !== undefined) properties[key] = kept;
    }
    if (rules.resourceGuid) properties.resourceGuid = propertiesOf(existing).resourceGuid ?? this.fakeGuid(++this.guidCounter);
    properties.provisioningState = provisioningState;
    resource.properties = properties;
    if (rules.etag) resource.etag = this.nextEtag();
    rules.shape?.(write, resource);
    return resource;
  }

  checkDelete(resource: ArmResource): Refusal | undefined {
    return this.rulesFor(resource.type)?.refuseDelete?.(resource);
  }

  /** Removes a resource and everything below it, logging each removal. */
  remove(resource: ArmResource): void {
    for (const child of this.store.under(resource.id).sort((a, b) => b.id.split("/").length - a.id.split("/").length)) {
      if (this.store.get(child.id)) this.removeOne(child);
    }
    this.removeOne(resource);
  }

  private removeOne(resource: ArmResource): void {
    this.rulesFor(resource.type)?.beforeRemove?.(resource);
    this.store.remove(resource.id);
    this.record("DELETE", resource.id, resource.type, "ok");
  }

  /**
   * Deleting a resource group deletes what is in it, GitHub's resources first and children before
   * parents; ARM stops at the first resource that cannot go (what was removed stays removed).
   */
  removeGroup(group: ArmResource): Refusal | undefined {
    const rank = (resource: ArmResource) => this.rulesFor(resource.type)?.teardownRank ?? 50;
    const contents = this.store.under(group.id).sort((a, b) => rank(a) - rank(b) || b.id.split("/").length - a.id.split("/").length);
    for (const resource of contents) {
      if (!this.store.get(resource.id)) continue;
      const refusal = this.checkDelete(resource);
      if (refusal) return refusal;
      this.remove(resource);
    }
    this.removeOne(group);
    return undefined;
  }

  private nextEtag(): string {
    return `W/"${this.fakeGuid(++this.etagCounter)}"`;
  }

  /** GUID-shaped and deterministic: the n-th one the emulator handed out. */
  private fakeGuid(n: number): string {
    return `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  }

  /** Sub-resources (rules, routes, delegations) get their own id, type and etag, as ARM answers them. */
  private decorateSubResources(parentId: string, parentEtag: string | undefined, items: unknown, segment: string, type: string): void {
    if (!Array.isArray(items)) return;
    for (const item of items as Record<string, unknown>[]) {
      item.id = `${parentId}/${segment}/${String(item.name)}`;
      item.type = type;
      if (parentEtag) item.etag = parentEtag;
      item.properties = { ...((item.properties ?? {}) as Properties), provisioningState: "Succeeded" };
    }
  }

  private subnetsOf(vnetId: string): ArmResource[] {
    return this.store.under(vnetId).filter((resource) => resource.type.toLowerCase() === SUBNET_TYPE.toLowerCase());
  }

  /** Subnets whose `property` (networkSecurityGroup, natGateway, routeTable) points at `id`. */
  private subnetsReferencing(property: string, id: string): ArmResource[] {
    return this.store.ofType(SUBNET_TYPE).filter((subnet) => sameId(refId(propertiesOf(subnet)[property]), id));
  }

  /** ARM lists the subnets using an NSG, NAT gateway or route table on the resource itself. */
  private withSubnetBackReferences(property: string) {
    return (resource: ArmResource): ArmResource => {
      const subnets = this.subnetsReferencing(property, resource.id).map((subnet) => ({ id: subnet.id }));
      return subnets.length ? { ...resource, properties: { ...propertiesOf(resource), subnets } } : resource;
    };
  }

  private refuseWhileReferencedBySubnet(property: string, code: string, what: string) {
    return (resource: ArmResource): Refusal | undefined => {
      const subnets = this.subnetsReferencing(property, resource.id);
      if (!subnets.length) return undefined;
      return refuse(
        400,
        code,
        `${what} ${resource.name} is in use by ${describeList(subnets.map((s) => s.id))} and cannot be deleted. Dissociate it from those subnets first.`,
      );
    };
  }

  /** ARM's answer when a write names a resource that does not exist. */
  private missingReference(referenced: string | undefined, by: string): Refusal | undefined {
    if (referenced === undefined || this.store.get(referenced)) return undefined;
    return refuse(
      400,
      "InvalidResourceReference",
      `Resource ${referenced} referenced by resource ${by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    );
  }

  /**
   * What ARM refuses in a subnet write (standalone, or inline in its VNET). Codes are ARM's as
   * commonly reported; our references document only the behaviour: the service association link
   * protects the subnet (github-network-networksettings-excerpts.md B, databaseid-queries-and-
   * subnet-deletion.md), delegations cannot change while the subnet is used
   * (azure-nsg-vnet-excerpts.md section 7).
   */
  private refuseSubnet(
    subnet: { id: string; name: string; properties: Properties; existing?: ArmResource },
    vnet: { name: string; prefixes: readonly string[] },
    siblings: readonly { name: string; prefixes: readonly string[] }[],
  ): Refusal | undefined {
    const prefixes = subnetPrefixes(subnet.properties);
    if (!prefixes.length)
      return refuse(400, "InvalidRequestFormat", `Subnet ${subnet.name} has neither addressPrefix nor addressPrefixes.`);
    const own = parsePrefixes(prefixes, subnet.id);
    if (isRefusal(own)) return own;
    const space = parsePrefixes(vnet.prefixes, vnet.name);
    if (isRefusal(space)) return space;
    for (const [index, cidr] of own.entries()) {
      if (!space.some((block) => containsCidr(block, cidr))) {
        return refuse(
          400,
          "NetcfgSubnetRangeOutsideVnet",
          `Subnet '${subnet.name}' is not valid because its IP address range ${prefixes[index]} is outside the IP address range of virtual network '${vnet.name}' (${describeList(vnet.prefixes)}).`,
        );
      }
    }
    for (const sibling of siblings) {
      const theirs = parsePrefixes(sibling.prefixes, sibling.name);
      if (isRefusal(theirs)) continue;
      if (own.some((mine) => theirs.some((other) => overlaps(mine, other)))) {
        return refuse(
          400,
          "NetcfgSubnetRangesOverlap",
          `Subnet '${subnet.name}' is not valid because its IP address range overlaps with that of an existing subnet '${sibling.name}' in virtual network '${vnet.name}'.`,
        );
      }
    }
    if (subnet.existing) {
      const holders = subnetHolders(subnet.existing);
      const before = subnetPrefixes(propertiesOf(subnet.existing));
      if (holders.length && before.join(",") !== prefixes.join(",")) {
        return refuse(
          400,
          "InUseSubnetCannotBeUpdated",
          `Subnet ${subnet.name} is in use by ${describeList(holders)} and its address prefix cannot be changed from ${describeList(before)} to ${describeList(prefixes)}.`,
        );
      }
      const delegated = (resource: Properties) =>
        Array.isArray(resource.delegations) ? resource.delegations.some(isGitHubDelegation) : false;
      if (holders.length && delegated(propertiesOf(subnet.existing)) && !delegated(subnet.properties)) {
        return refuse(
          400,
          "SubnetDelegationsCannotChangeWhenSubnetUsedByResource",
          `Delegations of subnet ${subnet.id} cannot be changed from ${SUBNET_DELEGATION_SERVICE} because it is being used by the resource ${describeList(holders)}.`,
        );
      }
    }
    for (const property of ["networkSecurityGroup", "natGateway", "routeTable"]) {
      const missing = this.missingReference(refId(subnet.properties[property]), subnet.id);
      if (missing) return missing;
    }
    return undefined;
  }

  private shapeSubnet(resource: ArmResource): void {
    this.decorateSubResources(
      resource.id,
      resource.etag,
      propertiesOf(resource).delegations,
      "delegations",
      "Microsoft.Network/virtualNetworks/subnets/delegations",
    );
  }

  private refuseSubnetDelete(subnet: ArmResource): Refusal | undefined {
    const holders = subnetHolders(subnet);
    if (!holders.length) return undefined;
    return refuse(
      400,
      "InUseSubnetCannotBeDeleted",
      `Subnet ${subnet.name} is in use by ${describeList(holders)} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
    );
  }

  /** A subnet PUT that arrives inline in its VNET's PUT, logged as its own write. */
  private putInlineSubnet(vnet: ArmResource, item: Record<string, unknown>): void {
    const rules = this.rulesFor(SUBNET_TYPE)!;
    const id = `${vnet.id}/subnets/${String(item.name)}`;
    const path = parseResourcePath(id)!;
    this.applyPut({ id, path, rules, body: item, existing: this.store.get(id) }, "Succeeded");
  }

  private networkSettingsLink(networkSettings: ArmResource, subnetId: string) {
    // The link's name is not documented; GitHub's service chooses it.
    const name = `${networkSettings.name}-link`;
    return {
      id: `${subnetId}/serviceAssociationLinks/${name}`,
      name,
      type: "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
      properties: { provisioningState: "Succeeded", linkedResourceType: NETWORK_SETTINGS_TYPE, link: networkSettings.id },
    };
  }

  private setSubnetLinks(subnetId: unknown, change: (links: Record<string, unknown>[]) => Record<string, unknown>[]): void {
    const subnet = typeof subnetId === "string" ? this.store.get(subnetId) : undefined;
    if (!subnet) return;
    const properties = propertiesOf(subnet);
    const links = change(
      (Array.isArray(properties.serviceAssociationLinks) ? properties.serviceAssociationLinks : []) as Record<string, unknown>[],
    );
    subnet.properties = { ...properties, serviceAssociationLinks: links };
    subnet.etag = this.nextEtag();
  }

  private unlinkSubnet(subnetId: unknown, networkSettingsId: string): void {
    this.setSubnetLinks(subnetId, (links) =>
      links.filter((link) => !sameId((link.properties as Properties | undefined)?.link, networkSettingsId)),
    );
  }

  /**
   * GitHub.Network/networkSettings, from shared/reference/github-network-networksettings-excerpts.md:
   * properties businessId and subnetId only (A; anything else fails payload validation, C), same
   * subscription and region as the VNET (B), a service association link on the subnet that
   * deletion of the settings removes (B), and the GitHubId tag the service answers with (B).
   * The error codes for the subnet checks and for a businessId change are not documented; these
   * are ARM-style stand-ins.
   */
  private refuseNetworkSettings(write: ResourceWrite): Refusal | undefined {
    const properties = propertiesOf(write.body);
    const payloadInvalid = (detail: string) =>
      refuse(
        400,
        "HttpRequestPayloadAPISpecValidationFailed",
        `HTTP request payload failed validation against API specification with one or more errors. ${detail}`,
      );
    const unknown = Object.keys(properties).filter((key) => key !== "businessId" && key !== "subnetId");
    if (unknown.length) return payloadInvalid(`Unknown properties: ${describeList(unknown)}.`);
    const { businessId, subnetId } = properties;
    if (typeof businessId !== "string" || businessId === "") return payloadInvalid("properties.businessId is required.");
    if (typeof subnetId !== "string" || subnetId === "") return payloadInvalid("properties.subnetId is required.");
    const offered = this.providers()[NETWORK_SETTINGS.namespace]?.networkSettingsLocations;
    const location = normalizeLocation(String(write.body.location));
    if (offered && !offered.some((name) => normalizeLocation(name) === location)) {
      return refuse(
        400,
        "LocationNotAvailableForResourceType",
        `The provided location '${location}' is not available for resource type '${NETWORK_SETTINGS_TYPE}'. List of available regions for the resource type is '${offered.map(normalizeLocation).join(",")}'.`,
      );
    }
    const before = propertiesOf(write.existing).businessId;
    if (write.existing && before !== businessId) {
      return refuse(
        400,
        "BusinessIdCannotBeChanged",
        `The businessId of network settings '${write.path.name}' cannot be changed from '${String(before)}' to '${businessId}'; delete the resource and create it again.`,
      );
    }
    const subnet = this.store.get(subnetId);
    if (!subnet) return refuse(400, "SubnetNotFound", `Subnet '${subnetId}' was not found.`);
    const subnetPath = parseResourcePath(subnet.id)!;
    if (subnetPath.subscriptionId.toLowerCase() !== write.path.subscriptionId.toLowerCase()) {
      return refuse(
        400,
        "SubnetSubscriptionMismatch",
        `Subnet '${subnetId}' must be in the subscription of the network settings (${write.path.subscriptionId}).`,
      );
    }
    const vnetLocation = this.store.get(parentIdOf(subnet.id))?.location;
    if (vnetLocation !== undefined && normalizeLocation(vnetLocation) !== location) {
      return refuse(
        400,
        "SubnetLocationMismatch",
        `Subnet '${subnetId}' is in ${normalizeLocation(vnetLocation)}; the network settings must be in the same region, not ${location}.`,
      );
    }
    const subnetProperties = propertiesOf(subnet);
    if (!(Array.isArray(subnetProperties.delegations) && subnetProperties.delegations.some(isGitHubDelegation))) {
      return refuse(400, "SubnetNotDelegated", `Subnet '${subnetId}' must be delegated to ${SUBNET_DELEGATION_SERVICE}.`);
    }
    const otherHolders = subnetHolders(subnet).filter((holder) => !sameId(holder, write.id));
    if (otherHolders.length) {
      return refuse(
        400,
        "SubnetAlreadyInUse",
        `Subnet '${subnetId}' is already used by ${describeList(otherHolders)}; a subnet holds one network settings resource and no network interfaces.`,
      );
    }
    return undefined;
  }

  private shapeNetworkSettings(write: ResourceWrite, resource: ArmResource): void {
    // The service's tag stays whatever the PUT says about tags.
    const gitHubId = write.existing?.tags?.[NETWORK_SETTINGS.gitHubIdTag] ?? this.nextGitHubId(resource.id);
    resource.tags = { ...(resource.tags ?? {}), [NETWORK_SETTINGS.gitHubIdTag]: gitHubId };
  }

  /** Opaque and deterministic: the n-th networkSettings created, hashed with its id, in uppercase hex. */
  private nextGitHubId(id: string): string {
    return createHash("sha256")
      .update(`${++this.gitHubIdCounter}:${storeKey(id)}`)
      .digest("hex")
      .slice(0, 32)
      .toUpperCase();
  }

  private linkNetworkSettings(write: ResourceWrite, resource: ArmResource): void {
    const before = propertiesOf(write.existing).subnetId;
    const subnetId = propertiesOf(resource).subnetId;
    if (write.existing && !sameId(before, subnetId)) this.unlinkSubnet(before, resource.id);
    this.setSubnetLinks(subnetId, (links) => [
      ...links.filter((link) => !sameId((link.properties as Properties | undefined)?.link, resource.id)),
      this.networkSettingsLink(resource, String(subnetId)),
    ]);
  }

  private typeRules(): TypeRules[] {
    const network = { etag: true, put: "sync", delete: "async" } as const;
    const topLevelNetwork = { ...network, requiresLocation: true, resourceGuid: true } as const;
    const firewallScope = (id: string) => (/\/ruleCollectionGroups\/[^/]+$/i.test(id) ? parentIdOf(id) : id);
    return [
      {
        type: RESOURCE_GROUP_TYPE,
        // The ArmClient tests drive ARM's asynchronous-operation polling through group creation,
        // and pin the group's body (no `type`) and that a body without location still reaches it.
        answersWithoutType: true,
        requiresLocation: false,
        etag: false,
        resourceGuid: false,
        put: "async",
        inFlightState: "Accepted",
        delete: "location",
        teardownRank: 100,
        shape: (_write, resource) => {
          resource.properties = { provisioningState: propertiesOf(resource).provisioningState };
        },
      },
      {
        type: VIRTUAL_NETWORK_TYPE,
        ...topLevelNetwork,
        teardownRank: 30,
        refusePut: (write) => {
          const properties = propertiesOf(write.body);
          const prefixes = vnetPrefixes(properties);
          if (!prefixes.length)
            return refuse(400, "InvalidRequestFormat", `Virtual network ${write.path.name} needs addressSpace.addressPrefixes.`);
          const parsed = parsePrefixes(prefixes, write.id);
          if (isRefusal(parsed)) return parsed;
          const vnet = { name: write.path.name, prefixes };
          const current = this.subnetsOf(write.id);
          const inline = properties.subnets;
          // Since api 2023-09-01 an absent `subnets` leaves the subnets alone; a list replaces them.
          if (inline === undefined) {
            for (const subnet of current) {
              const refusal = this.refuseSubnet({ id: subnet.id, name: subnet.name, properties: propertiesOf(subnet) }, vnet, []);
              if (refusal) return refusal;
            }
            return undefined;
          }
          const items = (Array.isArray(inline) ? inline : []) as Record<string, unknown>[];
          const wanted = new Set(items.map((item) => storeKey(`${write.id}/subnets/${String(item.name)}`)));
          for (const subnet of current.filter((s) => !wanted.has(storeKey(s.id)))) {
            const refusal = this.refuseSubnetDelete(subnet);
            if (refusal) return refusal;
          }
          for (const item of items) {
            const id = `${write.id}/subnets/${String(item.name)}`;
            const siblings = items
              .filter((other) => other !== item)
              .map((other) => ({ name: String(other.name), prefixes: subnetPrefixes(propertiesOf(other)) }));
            const refusal = this.refuseSubnet(
              { id, name: String(item.name), properties: propertiesOf(item), existing: this.store.get(id) },
              vnet,
              siblings,
            );
            if (refusal) return refusal;
          }
          return undefined;
        },
        shape: (_write, resource) => {
          delete propertiesOf(resource).subnets;
        },
        afterPut: (write, resource) => {
          const inline = propertiesOf(write.body).subnets;
          if (inline === undefined) return;
          const items = (Array.isArray(inline) ? inline : []) as Record<string, unknown>[];
          const wanted = new Set(items.map((item) => storeKey(`${resource.id}/subnets/${String(item.name)}`)));
          for (const subnet of this.subnetsOf(resource.id).filter((s) => !wanted.has(storeKey(s.id)))) this.remove(subnet);
          for (const item of items) this.putInlineSubnet(resource, item);
        },
        refuseDelete: (vnet) => {
          for (const subnet of this.subnetsOf(vnet.id)) {
            const refusal = this.refuseSubnetDelete(subnet);
            if (refusal) return refusal;
          }
          return undefined;
        },
        view: (vnet) => ({
          ...vnet,
          properties: { ...propertiesOf(vnet), subnets: this.subnetsOf(vnet.id).map((subnet) => this.view(subnet)) },
        }),
      },
      {
        type: SUBNET_TYPE,
        ...network,
        requiresLocation: false,
        resourceGuid: false,
        serverOwned: ["serviceAssociationLinks", "ipConfigurations", "resourceNavigationLinks"],
        teardownRank: 20,
        refusePut: (write) => {
          const vnet = this.store.get(parentIdOf(write.id))!;
          const siblings = this.subnetsOf(vnet.id)
            .filter((subnet) => !sameId(subnet.id, write.id))
            .map((subnet) => ({ name: subnet.name, prefixes: subnetPrefixes(propertiesOf(subnet)) }));
          return this.refuseSubnet(
            { id: write.id, name: write.path.name, properties: propertiesOf(write.body), existing: write.existing },
            { name: vnet.name, prefixes: vnetPrefixes(propertiesOf(vnet)) },
            siblings,
          );
        },
        shape: (_write, resource) => this.shapeSubnet(resource),
        refuseDelete: (subnet) => this.refuseSubnetDelete(subnet),
      },
      {
        type: "Microsoft.Network/networkSecurityGroups",
        ...topLevelNetwork,
        teardownRank: 40,
        refusePut: (write) => {
          const rules = (Array.isArray(propertiesOf(write.body).securityRules) ? propertiesOf(write.body).securityRules : []) as {
            name?: unknown;
            properties?: Properties;
          }[];
          const seen = new Map<string, string>();
          for (const rule of rules) {
            const priority = Number(rule.properties?.priority);
            if (!Number.isInteger(priority) || priority < SECURITY_RULE_PRIORITY.min || priority > SECURITY_RULE_PRIORITY.max) {
              return refuse(
                400,
                "SecurityRuleInvalidPriority",
                `Security rule ${String(rule.name)} has invalid Priority. Value provided: ${String(rule.properties?.priority)} Allowed values: ${SECURITY_RULE_PRIORITY.min}-${SECURITY_RULE_PRIORITY.max}.`,
              );
            }
            // "You can't create two security rules with the same priority and direction" (azure-nsg-vnet-excerpts.md section 2).
            const key = `${String(rule.properties?.direction).toLowerCase()}:${priority}`;
            const other = seen.get(key);
            if (other !== undefined)
              return refuse(
                400,
                "SecurityRuleConflict",
                `Security rule ${String(rule.name)} conflicts with rule ${other}. Rules cannot have the same Priority and Direction.`,
              );
            seen.set(key, String(rule.name));
          }
          return undefined;
        },
        shape: (_write, resource) =>
          this.decorateSubResources(
            resource.id,
            resource.etag,
            propertiesOf(resource).securityRules,
            "securityRules",
            "Microsoft.Network/networkSecurityGroups/securityRules",
          ),
        refuseDelete: this.refuseWhileReferencedBySubnet(
          "networkSecurityGroup",
          "InUseNetworkSecurityGroupCannotBeDeleted",
          "Network security group",
        ),
        view: (nsg) => {
          const withSubnets = this.withSubnetBackReferences("networkSecurityGroup")(nsg);
          const defaultSecurityRules = DEFAULT_SECURITY_RULES.map(([name, priority, direction, source, destination, access]) => ({
            id: `${nsg.id}/defaultSecurityRules/${name}`,
            name,
            type: "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
            etag: nsg.etag,
            properties: {
              provisioningState: "Succeeded",
              protocol: "*",
              sourcePortRange: "*",
              destinationPortRange: "*",
              sourceAddressPrefix: source,
              destinationAddressPrefix: destination,
              access,
              priority,
              direction,
            },
          }));
          return { ...withSubnets, properties: { ...propertiesOf(withSubnets), defaultSecurityRules } };
        },
      },
      {
        type: "Microsoft.Network/publicIPAddresses",
        ...topLevelNetwork,
        serverOwned: ["ipAddress", "ipConfiguration", "natGateway"],
        teardownRank: 60,
        refusePut: (write) =>
          !write.existing && this.publicIpCounter >= 254
            ? refuse(400, "PublicIPCountLimitReached", "The emulator has handed out every address of 203.0.113.0/24.")
            : undefined,
        shape: (_write, resource) => {
          const properties = propertiesOf(resource);
          // A static address is assigned when the resource is created and kept until it is deleted.
          const given = properties.publicIPAllocationMethod;
          const skuName = (resource.sku as { name?: unknown } | undefined)?.name;
          const allocation = typeof given === "string" ? given : skuName === "Standard" ? "Static" : "Dynamic";
          if (properties.ipAddress === undefined && allocation.toLowerCase() === "static")
            properties.ipAddress = `${EMULATED_PUBLIC_IP_PREFIX}${++this.publicIpCounter}`;
          properties.publicIPAllocationMethod = allocation;
          properties.idleTimeoutInMinutes ??= 4;
          properties.ipTags ??= [];
        },
        refuseDelete: (ip) => {
          const gateway = this.store
            .ofType("Microsoft.Network/natGateways")
            .find((nat) => idsIn(propertiesOf(nat).publicIpAddresses).some((id) => sameId(id, ip.id)));
          if (!gateway) return undefined;
          return refuse(
            400,
            "PublicIPAddressCannotBeDeleted",
            `Public IP address ${ip.id} can not be deleted since it is still allocated to resource ${gateway.id}. In order to delete the public IP, disassociate/detach the Public IP address from the resource.`,
          );
        },
        view: (ip) => {
          const gateway = this.store
            .ofType("Microsoft.Network/natGateways")
            .find((nat) => idsIn(propertiesOf(nat).publicIpAddresses).some((id) => sameId(id, ip.id)));
          return gateway ? { ...ip, properties: { ...propertiesOf(ip), natGateway: { id: gateway.id } } } : ip;
        },
      },
      {
        type: "Microsoft.Network/natGateways",
        ...topLevelNetwork,
        teardownRank: 50,
        refusePut: (write) => {
          for (const id of idsIn(propertiesOf(write.body).publicIpAddresses)) {
            const missing = this.missingReference(id, write.id);
            if (missing) return missing;
          }
          return undefined;
        },
        shape: (_write, resource) => {
          propertiesOf(resource).idleTimeoutInMinutes ??= 4;
        },
        refuseDelete: this.refuseWhileReferencedBySubnet("natGateway", "InUseNatGatewayCannotBeDeleted", "Nat Gateway"),
        view: this.withSubnetBackReferences("natGateway"),
      },
      {
        type: "Microsoft.Network/routeTables",
        ...topLevelNetwork,
        teardownRank: 40,
        shape: (_write, resource) =>
          this.decorateSubResources(
            resource.id,
            resource.etag,
            propertiesOf(resource).routes,
            "routes",
            "Microsoft.Network/routeTables/routes",
          ),
        refuseDelete: this.refuseWhileReferencedBySubnet("routeTable", "InUseRouteTableCannotBeDeleted", "Route table"),
        view: this.withSubnetBackReferences("routeTable"),
      },
      {
        type: "Microsoft.Network/firewallPolicies",
        ...topLevelNetwork,
        teardownRank: 70,
        writeScope: firewallScope,
        view: (policy) => ({
          ...policy,
          properties: { ...propertiesOf(policy), ruleCollectionGroups: this.store.under(policy.id).map((group) => ({ id: group.id })) },
        }),
      },
      {
        // A policy takes one rule collection group write at a time: each is long-running and
        // holds the policy until it ends.
        type: "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        ...network,
        put: "async",
        requiresLocation: false,
        resourceGuid: false,
        teardownRank: 10,
        writeScope: firewallScope,
      },
      {
        type: NETWORK_SETTINGS_TYPE,
        apiVersions: NETWORK_SETTINGS_API_VERSIONS,
        // Registering GitHub.Network is the documented first step (github-network-networksettings-excerpts.md B).
        registrationRequired: true,
        requiresLocation: true,
        etag: false,
        resourceGuid: false,
        put: "sync",
        // GitHub.Network answers a delete with a Location to poll, whether or not the resource exists.
        delete: "location",
        teardownRank: 0,
        refusePut: (write) => this.refuseNetworkSettings(write),
        shape: (write, resource) => this.shapeNetworkSettings(write, resource),
        afterPut: (write, resource) => this.linkNetworkSettings(write, resource),
        beforeRemove: (resource) => this.unlinkSubnet(propertiesOf(resource).subnetId, resource.id),
      },
    ];
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface PendingOperation {
  kind: "async" | "location";
  apiVersion: string;
  polls: number;
  /** Runs once, when the operation ends: applies its effect, or says why it failed. */
  finish: (injectedFailure: { code: string; message: string } | undefined) => Refusal | undefined;
  failure?: Refusal;
  finished: boolean;
}

export class ArmEmulator {
  readonly requests: RecordedRequest[] = [];
  private readonly operations = new Map<string, PendingOperation>();
  /** The Authorization header of the request each answer is for, while `reflectAuthorization` is set. */
  private readonly authorizationOf = new WeakMap<ServerResponse, string | undefined>();
  private readonly afterRegisterIndex = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly state: EmulatorState,
    private readonly resources: EmulatedResources,
  ) {}

  static async start(options: EmulatorStartOptions): Promise<ArmEmulator> {
    const { virtualNetworks = [], networkSettings = [], resources: seeds = [], port = 0, ...rest } = options;
    const state = {
      identityHeader: "emulated-identity-header",
      subscriptions: {},
      providers: {},
      roleAssignments: [],
      roleDefinitions: Object.fromEntries(Object.entries(BUILT_IN_ROLES).map(([name, guid]) => [guid, name])),
      pageSize: 100,
      faults: [],
      operationPolls: 1,
      ...rest,
    } as EmulatorState;
    const resources = new EmulatedResources(() => state.providers);
    Object.defineProperties(state, {
      virtualNetworks: {
        enumerable: true,
        get: () => resources.store.ofType(VIRTUAL_NETWORK_TYPE).map((vnet) => resources.view(vnet)),
        set: (value: ArmResource[]) => {
          resources.clear(VIRTUAL_NETWORK_TYPE);
          for (const vnet of value) resources.seed(vnet);
        },
      },
      networkSettings: {
        enumerable: true,
        get: () => resources.store.ofType(NETWORK_SETTINGS_TYPE).map((settings) => resources.view(settings)),
        set: (value: ArmResource[]) => {
          resources.clear(NETWORK_SETTINGS_TYPE);
          for (const settings of value) resources.seed(settings);
        },
      },
    });
    for (const seed of [...(virtualNetworks as ArmResource[]), ...(networkSettings as ArmResource[]), ...seeds]) resources.seed(seed);

    // The handler runs only once a request arrives, by when `emulator` (declared below) is set.
    const server = createServer((request, response) => {
      emulator.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify(armError("EmulatorError", String(error))));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    const address = server.address() as AddressInfo;
    const emulator = new ArmEmulator(server, `http://127.0.0.1:${address.port}`, state, resources);
    return emulator;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests as `METHOD /path?query`, in order. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.url}`);
  }

  /** The event log: every write and delete, carried out, refused or failed, in order. */
  log(): EmulatorEvent[] {
    return structuredClone(this.resources.events);
  }

  /**
   * Environment that points a client of this package (the CLI, the dynamic providers, the
   * stand-in azure-native plugin) at the emulator, signed in through its managed identity endpoint.
   */
  clientEnvironment(): Record<string, string> {
    return {
      AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT: this.url,
      IDENTITY_ENDPOINT: `${this.url}/msi/token`,
      IDENTITY_HEADER: this.state.identityHeader,
      // DefaultAzureCredential tries only the managed identity, never a developer's own sign-in.
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    };
  }

  /** A resource as ARM would answer a GET of it, or undefined. */
  resource(id: string): ArmResource | undefined {
    const stored = this.resources.store.get(id);
    return stored && this.resources.view(stored);
  }

  /** The stored resources of one type (case-insensitive), as ARM answers them. */
  resourcesOfType(type: string): ArmResource[] {
    return this.resources.store.ofType(type).map((resource) => this.resources.view(resource));
  }

  /** Stores resources as given, e.g. the hub's firewall policy a test's stack adds rules to. */
  seed(...resources: ArmResource[]): void {
    for (const resource of resources) this.resources.seed(resource);
  }

  /** What `GET /_emulator/state` answers. */
  snapshot(): EmulatorSnapshot {
    return { resources: this.resources.store.all().map((resource) => this.resources.view(resource)), log: this.log() };
  }

  private send(response: ServerResponse, status: number, answer?: unknown, headers: Record<string, string> = {}) {
    const body =
      status >= 400 && this.authorizationOf.has(response) ? quoteAuthorization(answer, this.authorizationOf.get(response)) : answer;
    response.writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...headers });
    response.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString("utf8");

    if (url.pathname === "/msi/token") return this.managedIdentityToken(request, response, url);
    if (url.pathname === EMULATOR_STATE_PATH && method === "GET") return this.send(response, 200, this.snapshot());

    if (this.state.reflectAuthorization) this.authorizationOf.set(response, request.headers.authorization);
    const authorized = request.headers.authorization === `Bearer ${this.state.token}`;
    this.requests.push({ method, url: `${url.pathname}${url.search}`, authorized });
    if (!authorized) {
      return this.send(response, 401, armError("InvalidAuthenticationToken", "The access token is invalid."), {
        "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
      });
    }
    const fault = this.state.faults.find((f) => f.times > 0 && (f.method ?? method) === method && f.path.test(url.pathname));
    if (fault?.cut) {
      fault.times--;
      const body = fault.rawBody ?? JSON.stringify(armError(fault.code ?? `HTTP${fault.status}`, fault.message ?? ""));
      const headers = { "content-type": "application/json; charset=utf-8", ...fault.headers };
      return cutAnswer(response, fault.status, headers, firstHalf(body), fault.cut);
    }
    if (fault) {
      fault.times--;
      return this.send(
        response,
        fault.status,
        fault.rawBody ?? armError(fault.code ?? `HTTP${fault.status}`, fault.message ?? ""),
        fault.headers,
      );
    }
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion)
      return this.send(
        response,
        400,
        armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
      );
    return this.route(method, url, apiVersion, bodyText, response);
  }

  private managedIdentityToken(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (request.headers["x-identity-header"] !== this.state.identityHeader)
      return this.send(response, 401, { error: "unauthorized", error_description: "bad identity header" });
    const resource = url.searchParams.get("resource") ?? "";
    // The App Service identity endpoint answers with epoch seconds as a string.
    const expiresOn = String(Math.floor(Date.now() / 1000) + 3600);
    return this.send(response, 200, {
      access_token: this.state.token,
      expires_on: expiresOn,
      resource,
      token_type: "Bearer",
      client_id: "emulated-client",
    });
  }

  private list(response: ServerResponse, url: URL, items: unknown[]) {
    const skip = Number(url.searchParams.get("$skiptoken") ?? 0);
    const page = items.slice(skip, skip + this.state.pageSize);
    const next = skip + this.state.pageSize < items.length ? new URL(url.toString()) : undefined;
    next?.searchParams.set("$skiptoken", String(skip + this.state.pageSize));
    return this.send(response, 200, { value: page, ...(next ? { nextLink: next.toString() } : {}) });
  }

  private providerBody(subscriptionId: string, namespace: string, provider: EmulatedProvider) {
    return {
      id: `/subscriptions/${subscriptionId}/providers/${namespace}`,
      namespace,
      registrationState: provider.registrationState,
      registrationPolicy: "RegistrationRequired",
      resourceTypes: provider.networkSettingsLocations
        ? [
            {
              resourceType: "networkSettings",
              locations: provider.networkSettingsLocations,
              apiVersions: [...NETWORK_SETTINGS_API_VERSIONS],
            },
            { resourceType: "operations", locations: [], apiVersions: ["2024-04-02"] },
          ]
        : [],
    };
  }

  private route(method: string, url: URL, apiVersion: string, bodyText: string, response: ServerResponse): void {
    const path = url.pathname;
    let match: RegExpExecArray | null;

    if ((match = /^\/operations\/([^/]+)$/.exec(path)) && method === "GET") return this.answer(response, this.operationStatus(match[1]));

    const subscriptionMatch = /^\/subscriptions\/([^/]+)(\/.*)?$/i.exec(path);
    if (!subscriptionMatch) return this.send(response, 404, armError("NotFound", `no route for ${path}`));
    const [, subscriptionId, rest = ""] = subscriptionMatch;
    const subscription = this.state.subscriptions[subscriptionId];
    if (!subscription)
      return this.send(response, 404, armError("SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`));

    if (rest === "" && method === "GET")
      return this.send(response, 200, {
        id: `/subscriptions/${subscriptionId}`,
        subscriptionId,
        displayName: subscription.displayName,
        state: subscription.state,
        tenantId: subscription.tenantId,
      });

    if ((match = /^\/providers\/([A-Za-z0-9.]+)(\/register)?$/.exec(rest))) {
      const [, namespace, register] = match;
      const provider = this.state.providers[namespace];
      if (!provider)
        return this.send(response, 404, armError("InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`));
      if (provider && register && method === "POST") {
        if (provider.registrationState !== "Registered") provider.registrationState = "Registering";
        this.afterRegisterIndex.set(namespace, 0);
        return this.send(response, 200, this.providerBody(subscriptionId, namespace, provider));
      }
      if (provider && !register && method === "GET") {
        const steps = provider.afterRegister;
        const index = this.afterRegisterIndex.get(namespace);
        if (steps?.length && index !== undefined) {
          provider.registrationState = steps[index];
          // The last step is where registration ends up; later changes by a test then stand.
          if (index + 1 < steps.length) this.afterRegisterIndex.set(namespace, index + 1);
          else this.afterRegisterIndex.delete(namespace);
        }
        return this.send(response, 200, this.providerBody(subscriptionId, namespace, provider));
      }
    }

    if (rest === "/providers/Microsoft.Authorization/roleAssignments" && method === "GET") {
      const principal = /^assignedTo\('([^']+)'\)$/.exec(url.searchParams.get("$filter") ?? "")?.[1];
      if (!principal) return this.send(response, 400, armError("InvalidFilter", "Only assignedTo('{objectId}') is emulated."));
      const items = this.state.roleAssignments
        .filter((a) => a.principalId === principal)
        .map((a, index) => ({
          id: `${a.scope === "/" ? "" : a.scope}/providers/Microsoft.Authorization/roleAssignments/0000000${index}-aaaa-bbbb-cccc-000000000000`,
          name: `0000000${index}-aaaa-bbbb-cccc-000000000000`,
          type: "Microsoft.Authorization/roleAssignments",
          properties: {
            roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionGuid}`,
            principalId: a.principalId,
            principalType: "User",
            scope: a.scope,
          },
        }));
      return this.list(response, url, items);
    }
    if ((match = /^\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/.exec(rest)) && method === "GET") {
      const roleName = this.state.roleDefinitions[match[1]];
      if (!roleName)
        return this.send(
          response,
          404,
          armError("RoleDefinitionDoesNotExist", "The specified role definition with ID '" + match[1] + "' does not exist."),
        );
      return this.send(response, 200, {
        id: `/subscriptions/${subscriptionId}${rest}`,
        name: match[1],
        type: "Microsoft.Authorization/roleDefinitions",
        properties: { roleName, type: "BuiltInRole" },
      });
    }

    const inSubscription = (resource: ArmResource) =>
      resource.id.toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`);
    if (rest === "/providers/Microsoft.Network/virtualNetworks" && method === "GET")
      return this.list(
        response,
        url,
        this.state.virtualNetworks.filter((v) => inSubscription(v as ArmResource)),
      );
    if (/^\/providers\/GitHub\.Network\/networkSettings$/i.test(rest) && method === "GET") {
      if (this.state.providers[NETWORK_SETTINGS.namespace]?.registrationState !== "Registered") {
        return this.send(
          response,
          409,
          armError(
            "MissingSubscriptionRegistration",
            `The subscription is not registered to use namespace '${NETWORK_SETTINGS.namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
          ),
        );
      }
      const subnetId = url.searchParams.get("subnetId");
      const all = this.state.networkSettings.filter((s) => inSubscription(s as ArmResource));
      const items =
        subnetId === null ? all : all.filter((s) => sameId((s.properties as { subnetId?: unknown } | undefined)?.subnetId, subnetId));
      return this.list(response, url, items);
    }

    const resourcePath = parseResourcePath(path);
    const rules = resourcePath && this.resources.rulesFor(resourcePath.type);
    if (resourcePath && rules && (method === "GET" || method === "PUT" || method === "DELETE")) {
      return this.answer(response, this.resourceRequest(method, resourcePath, rules, apiVersion, bodyText));
    }
    return this.send(response, 404, armError("NotFound", `no emulated route for ${method} ${path}`));
  }

  private answer(response: ServerResponse, answer: Answer): void {
    return this.send(response, answer.status, answer.body, answer.headers);
  }

  private refused(method: "PUT" | "DELETE" | "GET", id: string, type: string, refusal: Refusal): Answer {
    if (method !== "GET") this.resources.record(method, id, type, "refused", { status: refusal.status, code: refusal.code });
    return { status: refusal.status, body: armError(refusal.code, refusal.message) };
  }

  /** The resource as this request's answer carries it. */
  private answerBody(resource: ArmResource, rules: TypeRules): ArmResource {
    const view = this.resources.view(resource);
    if (rules.answersWithoutType) delete (view as Partial<ArmResource>).type;
    return view;
  }

  private resourceRequest(
    method: "GET" | "PUT" | "DELETE",
    path: ResourcePath,
    rules: TypeRules,
    apiVersion: string,
    bodyText: string,
  ): Answer {
    const id = this.resources.canonicalId(path, rules);
    let body: Record<string, unknown> = {};
    if (method === "PUT") {
      try {
        body = (bodyText ? JSON.parse(bodyText) : {}) as Record<string, unknown>;
      } catch {
        return this.refused(
          method,
          id,
          rules.type,
          refuse(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized."),
        );
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        return this.refused(method, id, rules.type, refuse(400, "InvalidRequestContent", "The request content must be a JSON object."));
    }
    // Deleting something in a group that does not exist deletes nothing; reads and writes need the group.
    const early = this.resources.refuseRequest(path, rules, apiVersion, {
      location: typeof body.location === "string" ? body.location : undefined,
      groupMustExist: method !== "DELETE",
    });
    if (early) return this.refused(method, id, rules.type, early);
    const existing = this.resources.store.get(id);

    if (method === "GET")
      return existing
        ? { status: 200, body: this.answerBody(existing, rules) }
        : this.refused(method, id, rules.type, this.resources.notFound(id, path, rules));
    if (method === "PUT") return this.put({ id, path, rules, body, existing }, apiVersion);
    return this.delete(id, path, rules, existing, apiVersion);
  }

  private put(write: ResourceWrite, apiVersion: string): Answer {
    const { rules, id } = write;
    const refusal = this.resources.checkPut(write) ?? this.resources.busy(rules, id);
    if (refusal) return this.refused("PUT", id, rules.type, refusal);
    const status = write.existing ? 200 : 201;
    const stored = this.resources.applyPut(write, rules.put === "sync" ? "Succeeded" : (rules.inFlightState ?? "Updating"));
    if (rules.put === "sync") return { status, body: this.answerBody(stored, rules) };

    const release = this.resources.holdScope(rules, id);
    const headers = this.startOperation("async", apiVersion, (injected) => {
      release();
      const current = this.resources.store.get(id);
      if (current) current.properties = { ...propertiesOf(current), provisioningState: injected ? "Failed" : "Succeeded" };
      if (!injected) return undefined;
      this.resources.record("PUT", id, rules.type, "failed", { code: injected.code });
      return refuse(400, injected.code, injected.message);
    });
    return { status, body: this.answerBody(stored, rules), headers };
  }

  /** Deletes are long-running: the resource reads as Deleting until its operation is polled to the end. */
  private delete(id: string, path: ResourcePath, rules: TypeRules, existing: ArmResource | undefined, apiVersion: string): Answer {
    if (!existing) {
      if (rules.type === RESOURCE_GROUP_TYPE) return this.refused("DELETE", id, rules.type, this.resources.notFound(id, path, rules));
      // ARM answers a delete of something already gone with 204; GitHub.Network accepts it first.
      if (rules.delete !== "location") return { status: 204 };
    }
    const refusal = (existing && this.resources.checkDelete(existing)) ?? this.resources.busy(rules, id);
    if (refusal) return this.refused("DELETE", id, rules.type, refusal);
    const stateBefore = propertiesOf(existing).provisioningState;
    if (existing) existing.properties = { ...propertiesOf(existing), provisioningState: "Deleting" };
    const release = this.resources.holdScope(rules, id);
    const headers = this.startOperation(rules.delete, apiVersion, (injected) => {
      release();
      const current = this.resources.store.get(id);
      if (!current) return undefined;
      const failure = injected ? refuse(400, injected.code, injected.message) : this.removeNow(current);
      if (failure) {
        // What could not be deleted stays as it was.
        current.properties = { ...propertiesOf(current), provisioningState: stateBefore };
        this.resources.record("DELETE", id, current.type, "failed", { code: failure.code });
      }
      return failure;
    });
    return { status: 202, headers };
  }

  /** The end of a delete: checked again, since other writes may have landed while it ran. */
  private removeNow(resource: ArmResource): Refusal | undefined {
    if (resource.type === RESOURCE_GROUP_TYPE) return this.resources.removeGroup(resource);
    const refusal = this.resources.checkDelete(resource);
    if (!refusal) this.resources.remove(resource);
    return refusal;
  }

  /** Registers a long-running operation and gives the headers that point at it. */
  private startOperation(kind: PendingOperation["kind"], apiVersion: string, finish: PendingOperation["finish"]): Record<string, string> {
    const id = `op-${this.operations.size + 1}`;
    this.operations.set(id, { kind, apiVersion, polls: 0, finish, finished: false });
    const url = `${this.url}/operations/${id}?api-version=${apiVersion}`;
    return kind === "async" ? { "azure-asyncoperation": url } : { location: url, "retry-after": "1" };
  }

  private operationStatus(id: string): Answer {
    const operation = this.operations.get(id);
    if (!operation) return { status: 404, body: armError("OperationNotFound", `operation ${id} not found`) };
    operation.polls++;
    const running = operation.polls <= this.state.operationPolls;
    if (running) {
      return operation.kind === "location"
        ? { status: 202, headers: { location: `${this.url}/operations/${id}?api-version=${operation.apiVersion}`, "retry-after": "1" } }
        : { status: 200, body: { id, status: "InProgress" }, headers: { "retry-after": "2" } };
    }
    if (!operation.finished) {
      operation.finished = true;
      operation.failure = operation.finish(this.state.operationError);
    }
    const failure = operation.failure;
    if (operation.kind === "location")
      return failure ? { status: failure.status, body: armError(failure.code, failure.message) } : { status: 204 };
    return {
      status: 200,
      body: failure ? { id, status: "Failed", error: { code: failure.code, message: failure.message } } : { id, status: "Succeeded" },
    };
  }
}
