/**
 * A local stand-in for Azure Resource Manager on 127.0.0.1, answering the calls this package
 * makes in ARM's documented shapes: `{ value, nextLink }` lists, provider objects with
 * `registrationState` and display-name `locations`, and `{ "error": { "code", "message" } }`
 * errors. It accepts one bearer token, can script faults (429 with Retry-After, 5xx, 401, 403),
 * and records every request (never the token) so tests can assert exactly what was called.
 * It also serves an App Service managed identity endpoint, so the CLI's real
 * `DefaultAzureCredential` can sign in against it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
  virtualNetworks: Record<string, unknown>[];
  networkSettings: Record<string, unknown>[];
  /** Items per page for list answers; more items give a nextLink. */
  pageSize: number;
  faults: ScriptedFault[];
  /** Number of polls a long-running operation answers "still running" before finishing. */
  operationPolls: number;
  /** When set, asynchronous operations end Failed with this ARM error instead of Succeeded. */
  operationError?: { code: string; message: string };
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Whether the Authorization header carried the accepted token. */
  authorized: boolean;
}

/** Built-in role definition GUIDs (learn.microsoft.com, "Azure built-in roles"). */
export const BUILT_IN_ROLES = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

function armError(code: string, message: string) {
  return { error: { code, message } };
}

export class ArmEmulator {
  readonly requests: RecordedRequest[] = [];
  private readonly operations = new Map<string, { polls: number; kind: "async" | "location"; resourcePath?: string }>();
  private readonly afterRegisterIndex = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly state: EmulatorState,
  ) {}

  static async start(state: Partial<EmulatorState> & Pick<EmulatorState, "token">): Promise<ArmEmulator> {
    const full: EmulatorState = {
      identityHeader: "emulated-identity-header",
      subscriptions: {},
      providers: {},
      roleAssignments: [],
      roleDefinitions: Object.fromEntries(Object.entries(BUILT_IN_ROLES).map(([name, guid]) => [guid, name])),
      virtualNetworks: [],
      networkSettings: [],
      pageSize: 100,
      faults: [],
      operationPolls: 1,
      ...state,
    };
    let emulator!: ArmEmulator;
    const server = createServer((request, response) => {
      emulator.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify(armError("EmulatorError", String(error))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    emulator = new ArmEmulator(server, `http://127.0.0.1:${port}`, full);
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

  private send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    response.writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...headers });
    response.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    // Drain any request body; none of the emulated calls needs it.
    for await (const _chunk of request) void _chunk;

    if (url.pathname === "/msi/token") return this.managedIdentityToken(request, response, url);

    const authorized = request.headers.authorization === `Bearer ${this.state.token}`;
    this.requests.push({ method, url: `${url.pathname}${url.search}`, authorized });
    if (!authorized) {
      return this.send(response, 401, armError("InvalidAuthenticationToken", "The access token is invalid."), { "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' });
    }
    const fault = this.state.faults.find((f) => f.times > 0 && (f.method ?? method) === method && f.path.test(url.pathname));
    if (fault) {
      fault.times--;
      return this.send(response, fault.status, fault.rawBody ?? armError(fault.code ?? `HTTP${fault.status}`, fault.message ?? ""), fault.headers);
    }
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion) return this.send(response, 400, armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
    return this.route(method, url, response);
  }

  private managedIdentityToken(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (request.headers["x-identity-header"] !== this.state.identityHeader) return this.send(response, 401, { error: "unauthorized", error_description: "bad identity header" });
    const resource = url.searchParams.get("resource") ?? "";
    // The App Service identity endpoint answers with epoch seconds as a string.
    const expiresOn = String(Math.floor(Date.now() / 1000) + 3600);
    return this.send(response, 200, { access_token: this.state.token, expires_on: expiresOn, resource, token_type: "Bearer", client_id: "emulated-client" });
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
        ? [{ resourceType: "networkSettings", locations: provider.networkSettingsLocations, apiVersions: ["2024-04-02", "2024-04-01"] }, { resourceType: "operations", locations: [], apiVersions: ["2024-04-02"] }]
        : [],
    };
  }

  private route(method: string, url: URL, response: ServerResponse): void {
    const path = url.pathname;
    let match: RegExpExecArray | null;

    if ((match = /^\/operations\/([^/]+)$/.exec(path)) && method === "GET") return this.operationStatus(match[1], response);

    const subscriptionMatch = /^\/subscriptions\/([^/]+)(\/.*)?$/i.exec(path);
    if (!subscriptionMatch) return this.send(response, 404, armError("NotFound", `no route for ${path}`));
    const [, subscriptionId, rest = ""] = subscriptionMatch;
    const subscription = this.state.subscriptions[subscriptionId];
    if (!subscription) return this.send(response, 404, armError("SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`));

    if (rest === "" && method === "GET") return this.send(response, 200, { id: `/subscriptions/${subscriptionId}`, subscriptionId, displayName: subscription.displayName, state: subscription.state, tenantId: subscription.tenantId });

    if ((match = /^\/providers\/([A-Za-z0-9.]+)(\/register)?$/.exec(rest))) {
      const [, namespace, register] = match;
      const provider = this.state.providers[namespace];
      if (!provider) return this.send(response, 404, armError("InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`));
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
          properties: { roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionGuid}`, principalId: a.principalId, principalType: "User", scope: a.scope },
        }));
      return this.list(response, url, items);
    }
    if ((match = /^\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/.exec(rest)) && method === "GET") {
      const roleName = this.state.roleDefinitions[match[1]];
      if (!roleName) return this.send(response, 404, armError("RoleDefinitionDoesNotExist", "The specified role definition with ID '" + match[1] + "' does not exist."));
      return this.send(response, 200, { id: `/subscriptions/${subscriptionId}${rest}`, name: match[1], type: "Microsoft.Authorization/roleDefinitions", properties: { roleName, type: "BuiltInRole" } });
    }

    if (rest === "/providers/Microsoft.Network/virtualNetworks" && method === "GET") return this.list(response, url, this.state.virtualNetworks);
    if ((match = /^\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)(?:\/subnets\/([^/]+))?$/i.exec(rest)) && method === "GET") {
      const [, group, vnetName, subnetName] = match;
      const vnet = this.state.virtualNetworks.find((v) => String(v.id).toLowerCase() === `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnetName}`.toLowerCase());
      if (!vnet) return this.send(response, 404, armError("ResourceNotFound", `The Resource 'Microsoft.Network/virtualNetworks/${vnetName}' under resource group '${group}' was not found.`));
      if (!subnetName) return this.send(response, 200, vnet);
      const subnets = ((vnet.properties as { subnets?: { name: string }[] } | undefined)?.subnets ?? []) as { name: string }[];
      const subnet = subnets.find((s) => s.name.toLowerCase() === subnetName.toLowerCase());
      return subnet ? this.send(response, 200, subnet) : this.send(response, 404, armError("NotFound", `Resource ${path} not found.`));
    }

    if (/^\/providers\/GitHub\.Network\/networkSettings$/i.test(rest) && method === "GET") {
      if (this.state.providers["GitHub.Network"]?.registrationState !== "Registered") {
        return this.send(response, 409, armError("MissingSubscriptionRegistration", "The subscription is not registered to use namespace 'GitHub.Network'."));
      }
      const subnetId = url.searchParams.get("subnetId");
      const items = subnetId === null ? this.state.networkSettings : this.state.networkSettings.filter((s) => String((s.properties as { subnetId?: string } | undefined)?.subnetId).toLowerCase() === subnetId.toLowerCase());
      return this.list(response, url, items);
    }

    // Long-running operations, in ARM's two documented styles.
    if ((match = /^\/resourcegroups\/([^/]+)$/i.exec(rest)) && method === "PUT") {
      const id = `op-${this.operations.size + 1}`;
      this.operations.set(id, { polls: 0, kind: "async", resourcePath: path });
      return this.send(response, 201, { id: `/subscriptions/${subscriptionId}/resourceGroups/${match[1]}`, name: match[1], properties: { provisioningState: "Accepted" } }, { "azure-asyncoperation": `${this.url}/operations/${id}?api-version=2021-04-01` });
    }
    if ((match = /^\/resourcegroups\/([^/]+)$/i.exec(rest)) && method === "GET") {
      return this.send(response, 200, { id: `/subscriptions/${subscriptionId}/resourceGroups/${match[1]}`, name: match[1], location: "eastus", properties: { provisioningState: "Succeeded" } });
    }
    if (/^\/resourceGroups\/[^/]+\/providers\/GitHub\.Network\/networkSettings\/[^/]+$/i.test(rest) && method === "DELETE") {
      const id = `op-${this.operations.size + 1}`;
      this.operations.set(id, { polls: 0, kind: "location" });
      return this.send(response, 202, undefined, { location: `${this.url}/operations/${id}?api-version=2024-04-02`, "retry-after": "1" });
    }
    return this.send(response, 404, armError("NotFound", `no emulated route for ${method} ${path}`));
  }

  private operationStatus(id: string, response: ServerResponse) {
    const operation = this.operations.get(id);
    if (!operation) return this.send(response, 404, armError("OperationNotFound", `operation ${id} not found`));
    operation.polls++;
    const running = operation.polls <= this.state.operationPolls;
    if (operation.kind === "location") return running ? this.send(response, 202, undefined, { location: `${this.url}/operations/${id}?api-version=2024-04-02`, "retry-after": "1" }) : this.send(response, 204);
    if (running) return this.send(response, 200, { id, status: "InProgress" }, { "retry-after": "2" });
    const failure = this.state.operationError;
    return this.send(response, 200, failure ? { id, status: "Failed", error: failure } : { id, status: "Succeeded" });
  }
}
