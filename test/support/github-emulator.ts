/**
 * A local stand-in for GitHub's API on 127.0.0.1: network configurations and network settings
 * (organization and enterprise), organization and enterprise runner groups and the GraphQL
 * databaseId queries.
 *
 * Every request body is validated against the request schemas of GitHub's OpenAPI description,
 * transcribed as JSON Schema in ./github-api (with unknown fields refused as well), every answer
 * against the response schemas, and the headers our client must send are checked; anything off is
 * recorded in `violations`, which tests assert to be empty. Faults (rate limits, 5xx, answers that
 * are not JSON or break off after the headers) are scripted per request, and `reflectAuthorization`
 * makes every error answer quote the request's Authorization header back.
 *
 * GitHub Apps (`apps`): `POST /app/installations/{id}/access_tokens` checks the app's JWT as GitHub
 * does (RS256 signature by the app's key, `iss` the App ID, `exp` in the future and at most ten
 * minutes after `iat`, `iat` not ahead of the clock by more than the drift GitHub allows) and mints
 * installation tokens that stop working when they expire (`installationTokenLifetimeMs`, or at once
 * with `expireInstallationTokens`): then GitHub's 401 "Bad credentials".
 */
import { randomBytes, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { EMULATOR_STATE_PATH } from "./arm-emulator";
import { cutAnswer, firstHalf, quoteAuthorization, type Cut } from "./faulty-answers";

export const EMULATOR_API_VERSION = "2022-11-28";

export type Permission =
  | "org:network-configurations"
  | "enterprise:network-configurations"
  | "org:runner-groups"
  | "enterprise:runner-groups"
  | "read:org"
  | "read:enterprise";

export type OwnerKind = "organization" | "enterprise";

export interface NetworkConfigurationRecord {
  id: string;
  name: string;
  compute_service: string;
  network_settings_ids: string[];
  failover_network_settings_ids: string[];
  failover_network_enabled: boolean;
  created_on: string;
}

export interface RunnerGroupRecord {
  id: number;
  name: string;
  visibility: string;
  default: boolean;
  allows_public_repositories: boolean;
  /** An organization's group: the repositories a `selected` group serves. */
  selected_repository_ids?: number[];
  /** An enterprise's group: the organizations a `selected` group serves. */
  selected_organization_ids?: number[];
  /** Kept only once a request sets them; answered as GitHub's defaults (false, []) until then. */
  restricted_to_workflows?: boolean;
  selected_workflows?: string[];
  network_configuration_id?: string;
}

/**
 * A network settings resource as GitHub knows it once Azure created it: GitHub's `network-settings`
 * schema without the configuration using it, which the emulator finds itself.
 */
export interface NetworkSettingsRecord {
  id: string;
  name: string;
  subnet_id: string;
  region: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
  /** When it arrived, in epoch milliseconds (as the ARM emulator logs its writes). */
  at: number;
  /** Headers as received, except authorization (which is kept only as "present"). */
  headers: Record<string, string>;
  /**
   * For GitHub App sign-in, which credential came, never the credential itself: `app JWT` on a
   * mint, `installation token N` (the Nth minted, from 1), with ` (expired)` once it has expired.
   */
  credential?: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as it is instead of `body` (e.g. a proxy's HTML page), with the headers given. */
  rawBody?: string;
  /**
   * Sends the headers and the start of the body, then `stall`s (never sends the rest) or `reset`s
   * the connection: an answer that breaks off after its headers.
   */
  cut?: Cut;
}

/** What `GET /_emulator/state` answers (the ARM emulator's path): the live records and the request log, never a token. */
export interface GitHubEmulatorSnapshot {
  /** `organization/<login>` or `enterprise/<slug>` -> its network configurations. */
  configurations: Record<string, NetworkConfigurationRecord[]>;
  /** organization login -> its runner groups. */
  runnerGroups: Record<string, RunnerGroupRecord[]>;
  /** enterprise slug -> its runner groups. */
  enterpriseRunnerGroups: Record<string, RunnerGroupRecord[]>;
  /** As recorded: the Authorization header only as "present". */
  requests: RecordedRequest[];
  violations: string[];
}

/** A GitHub App: the public half of its key, and its installations with what their tokens may do. */
export interface EmulatedApp {
  publicKey: KeyObject;
  /** Its client ID, which a JWT may name as `iss` instead of the App ID. */
  clientId?: string;
  /** installation id -> what its tokens may do. */
  installations: Record<string, Permission[]>;
}

/** An installation token the emulator minted. */
export interface MintedInstallationToken {
  token: string;
  appId: string;
  installationId: string;
  expiresAtMs: number;
}

export interface EmulatorOptions {
  /** token -> what it may do; unknown tokens get 401. */
  tokens: Record<string, Permission[]>;
  /** App ID -> the app; their installation tokens work beside `tokens`. */
  apps?: Record<string, EmulatedApp>;
  /** How long a minted installation token works; GitHub's last an hour. */
  installationTokenLifetimeMs?: number;
  /** organization login -> databaseId */
  organizations?: Record<string, number>;
  /** enterprise slug -> databaseId */
  enterprises?: Record<string, number>;
}

// ---- schemas from test/support/github-api ---------------------------------------------------

/** JSON Schema files transcribed from GitHub's OpenAPI description (each names its source in `$comment`). */
export const GITHUB_API_SCHEMA_DIR = join(__dirname, "github-api");

export interface Schemas {
  /** Request body validators, e.g. `POST organization network-configuration`, `PATCH runner-group`. */
  request: Record<string, ValidateFunction>;
  response: Record<string, ValidateFunction>;
}

/** Validator key -> the `$id` (file name) of its schema in GITHUB_API_SCHEMA_DIR. */
export const SCHEMA_FILES: { request: Record<string, string>; response: Record<string, string> } = {
  request: {
    "POST organization network-configuration": "org-network-configurations-create.request.json",
    "PATCH organization network-configuration": "org-network-configurations-update.request.json",
    "POST enterprise network-configuration": "enterprise-network-configurations-create.request.json",
    "PATCH enterprise network-configuration": "enterprise-network-configurations-update.request.json",
    "POST runner-group": "runner-groups-create.request.json",
    "PATCH runner-group": "runner-groups-update.request.json",
    "POST enterprise runner-group": "enterprise-runner-groups-create.request.json",
    "PATCH enterprise runner-group": "enterprise-runner-groups-update.request.json",
  },
  response: {
    "201 organization network-configuration": "network-configuration.json",
    "200 organization network-configuration": "network-configuration.json",
    "200 organization network-configuration list": "org-network-configurations-list.response.json",
    "201 enterprise network-configuration": "network-configuration.json",
    "200 enterprise network-configuration": "network-configuration.json",
    "200 enterprise network-configuration list": "enterprise-network-configurations-list.response.json",
    "runner-group": "runner-groups-org.json",
    "enterprise runner-group": "runner-groups-enterprise.json",
    "200 organization network-settings": "network-settings.json",
    "200 enterprise network-settings": "network-settings.json",
    "422 validation failed": "validation-error.json",
    "404 not found": "basic-error.json",
  },
};

/** The request and response validators built from the JSON Schema files in GITHUB_API_SCHEMA_DIR. */
export function loadSchemas(): Schemas {
  // allowUnionTypes: OpenAPI's `nullable` is transcribed as `type: [T, "null"]`.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const file of readdirSync(GITHUB_API_SCHEMA_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(GITHUB_API_SCHEMA_DIR, file), "utf8")) as { $id?: string };
    if (schema.$id !== file) throw new Error(`${file}: $id must be the file name, found ${String(schema.$id)}`);
    ajv.addSchema(schema);
  }
  const validators = (table: Record<string, string>): Record<string, ValidateFunction> =>
    Object.fromEntries(
      Object.entries(table).map(([key, id]) => {
        const validate = ajv.getSchema(id);
        if (!validate) throw new Error(`no schema ${id} in ${GITHUB_API_SCHEMA_DIR}`);
        return [key, validate];
      }),
    );
  return { request: validators(SCHEMA_FILES.request), response: validators(SCHEMA_FILES.response) };
}

// ---- the emulator ----------------------------------------------------------------------------

const NOT_FOUND = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
const BAD_CREDENTIALS = { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" };

/** GitHub's limits on an app's JWT (docs.github.com, "Generating a JSON Web Token (JWT) for a GitHub App"). */
export const JWT_LONGEST_LIFETIME_S = 600;
/**
 * How far ahead of the clock an `iat` may be: GitHub advises setting it 60 s in the past for
 * drift, so the emulator allows that much the other way.
 */
export const JWT_CLOCK_DRIFT_S = 60;
const HOUR_MS = 3_600_000;

/** GitHub's app permission names (`organization_network_configurations`, ...) for the emulator's grants. */
const APP_PERMISSION_NAMES: Partial<Record<Permission, string>> = {
  "org:network-configurations": "organization_network_configurations",
  "org:runner-groups": "organization_self_hosted_runners",
};

/** Where each owner's endpoints are, and what a token needs for them. */
const OWNERS: Record<OwnerKind, { configurations: Permission; runnerGroups: Permission }> = {
  organization: { configurations: "org:network-configurations", runnerGroups: "org:runner-groups" },
  enterprise: { configurations: "enterprise:network-configurations", runnerGroups: "enterprise:runner-groups" },
};

export class GitHubEmulator {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  private readonly configurationsByOwner = new Map<string, NetworkConfigurationRecord[]>();
  /** `organization/<login>` or `enterprise/<slug>` -> its runner groups. */
  private readonly groupsByOwner = new Map<string, RunnerGroupRecord[]>();
  /** `organization/<login>` or `enterprise/<slug>` -> the network settings GitHub knows. */
  private readonly networkSettingsByOwner = new Map<string, NetworkSettingsRecord[]>();
  /** networkSettings id -> the owner its businessId belongs to, for the wrong-level refusal. */
  private readonly networkSettingsOwners = new Map<string, string>();
  private readonly scripted: { method: string; path: RegExp; responses: ScriptedResponse[] }[] = [];
  private sequence = 0;
  /** When set, every error answer (4xx, 5xx, GraphQL errors) quotes the request's Authorization header back. */
  reflectAuthorization = false;
  /** Every installation token minted, in order (kept after they expire). */
  readonly mintedTokens: MintedInstallationToken[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: EmulatorOptions,
    private readonly schemas: Schemas,
  ) {}

  static async start(options: EmulatorOptions): Promise<GitHubEmulator> {
    const schemas = loadSchemas();
    // The handler runs only once a request arrives, by when `emulator` (declared below) is set.
    const server = createServer((req, res) => {
      emulator.handle(req, res).catch((error: unknown) => {
        emulator.violations.push(`emulator failure: ${String(error)}`);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const emulator = new GitHubEmulator(server, `http://127.0.0.1:${port}`, options, schemas);
    // Every organization and enterprise has its Default group, id 1.
    for (const [scope, owners] of [
      ["organization", options.organizations],
      ["enterprise", options.enterprises],
    ] as const) {
      for (const slug of Object.keys(owners ?? {}))
        emulator.groupsOf(scope, slug).push({ ...emulator.newGroup(scope, slug, "Default"), id: 1, default: true });
    }
    return emulator;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** The next requests matching method and path get these answers, in order, instead of the normal one. */
  script(method: string, path: RegExp, ...responses: ScriptedResponse[]): void {
    this.scripted.push({ method, path, responses });
  }

  /** Live records: tests change them to act like an admin in GitHub's UI. */
  configurations(scope: OwnerKind, slug: string): NetworkConfigurationRecord[] {
    const key = `${scope}/${slug}`;
    if (!this.configurationsByOwner.has(key)) this.configurationsByOwner.set(key, []);
    return this.configurationsByOwner.get(key)!;
  }

  private groupsOf(scope: OwnerKind, slug: string): RunnerGroupRecord[] {
    const key = `${scope}/${slug}`;
    if (!this.groupsByOwner.has(key)) this.groupsByOwner.set(key, []);
    return this.groupsByOwner.get(key)!;
  }

  runnerGroups(organization: string): RunnerGroupRecord[] {
    return this.groupsOf("organization", organization);
  }

  enterpriseRunnerGroups(enterprise: string): RunnerGroupRecord[] {
    return this.groupsOf("enterprise", enterprise);
  }

  addRunnerGroup(organization: string, name: string): RunnerGroupRecord {
    const group = this.newGroup("organization", organization, name);
    this.runnerGroups(organization).push(group);
    return group;
  }

  addEnterpriseRunnerGroup(enterprise: string, name: string): RunnerGroupRecord {
    const group = this.newGroup("enterprise", enterprise, name);
    this.enterpriseRunnerGroups(enterprise).push(group);
    return group;
  }

  private newGroup(scope: OwnerKind, slug: string, name: string): RunnerGroupRecord {
    const access = scope === "organization" ? { selected_repository_ids: [] } : { selected_organization_ids: [] };
    return { id: this.nextGroupId(scope, slug), name, visibility: "all", default: false, allows_public_repositories: false, ...access };
  }

  /** A network settings resource GitHub's service knows, as Azure's networkSettings creation tells it. */
  addNetworkSettings(scope: OwnerKind, slug: string, settings: NetworkSettingsRecord): void {
    const key = `${scope}/${slug}`;
    this.networkSettingsByOwner.set(key, [...(this.networkSettingsByOwner.get(key) ?? []).filter((s) => s.id !== settings.id), settings]);
  }

  /** Marks a networkSettings resource as made with another owner's databaseId. */
  networkSettingsBelongTo(networkSettingsId: string, scope: OwnerKind, slug: string): void {
    this.networkSettingsOwners.set(networkSettingsId, `${scope}/${slug}`);
  }

  /** What `GET /_emulator/state` answers, as a copy: changing it changes no record. */
  snapshot(): GitHubEmulatorSnapshot {
    const groupsOfKind = (scope: OwnerKind) =>
      Object.fromEntries(
        [...this.groupsByOwner]
          .filter(([key]) => key.startsWith(`${scope}/`))
          .map(([key, groups]) => [key.slice(scope.length + 1), groups]),
      );
    return structuredClone({
      configurations: Object.fromEntries(this.configurationsByOwner),
      runnerGroups: groupsOfKind("organization"),
      enterpriseRunnerGroups: groupsOfKind("enterprise"),
      requests: this.requests,
      violations: this.violations,
    });
  }

  /** Every installation token minted so far stops working now, as if its hour were up. */
  expireInstallationTokens(): void {
    for (const minted of this.mintedTokens) minted.expiresAtMs = Math.min(minted.expiresAtMs, Date.now() - 1);
  }

  /** Requests without the GET/DELETE noise, as `METHOD path`. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`);
  }

  private nextGroupId(scope: OwnerKind, slug: string): number {
    return Math.max(1, ...this.groupsOf(scope, slug).map((g) => g.id)) + 1;
  }

  private nextConfigurationId(): string {
    this.sequence += 1;
    return `NC${(0x4e0000 + this.sequence).toString(16).toUpperCase()}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const path = url.pathname;
    // The dump is the emulator's own endpoint, not GitHub's: no token needed, and not recorded (nor checked) as API traffic.
    if (method === "GET" && path === EMULATOR_STATE_PATH) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(this.snapshot()));
      return;
    }
    let body: unknown;
    const where = `${method} ${path}`;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        this.violations.push(`${where}: body is not JSON`);
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, k === "authorization" ? "present" : String(v)]));
    const credential = this.describeCredential(path, req.headers.authorization);
    this.requests.push({
      method,
      path,
      query: url.search.slice(1),
      body,
      headers,
      at: performance.timeOrigin + performance.now(),
      ...(credential ? { credential } : {}),
    });
    this.checkHeaders(req, where, text !== "");
    if ((method === "GET" || method === "DELETE") && text) this.violations.push(`${where}: ${method} must not carry a body`);

    const reflect = (status: number, answer: unknown) =>
      this.reflectAuthorization && (status >= 400 || Array.isArray((answer as { errors?: unknown } | undefined)?.errors))
        ? quoteAuthorization(answer, req.headers.authorization)
        : answer;
    const send = (status: number, answer?: unknown, extraHeaders: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...extraHeaders });
      res.end(answer === undefined ? "" : JSON.stringify(reflect(status, answer)));
    };

    const script = this.scripted.find((s) => s.method === method && s.path.test(path) && s.responses.length > 0);
    if (script) {
      const canned = script.responses.shift()!;
      if (canned.rawBody === undefined && canned.cut === undefined) return send(canned.status, canned.body, canned.headers);
      const text = canned.rawBody === undefined ? JSON.stringify(canned.body ?? {}) : String(reflect(canned.status, canned.rawBody));
      const headers = { "content-type": "application/json; charset=utf-8", ...canned.headers };
      if (canned.cut) return cutAnswer(res, canned.status, headers, firstHalf(text), canned.cut);
      res.writeHead(canned.status, headers);
      res.end(text);
      return;
    }

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const mint = /^\/app\/installations\/([^/]+)\/access_tokens$/.exec(path);
    if (mint && method === "POST") return this.mintInstallationToken(decodeURIComponent(mint[1]), token, body, send);
    const grants = token === undefined ? undefined : (this.options.tokens[token] ?? this.installationGrants(token));
    if (!grants) return send(401, BAD_CREDENTIALS);

    if (path === "/graphql" && method === "POST") return this.graphql(body, grants, send);

    const route = routeOf(path);
    if (route) {
      const slug = decodeURIComponent(route.slug);
      const known = route.scope === "organization" ? this.options.organizations : this.options.enterprises;
      if (!known || !(slug in known)) return send(404, NOT_FOUND);
      const needs = route.kind === "runner-groups" ? OWNERS[route.scope].runnerGroups : OWNERS[route.scope].configurations;
      if (!grants.includes(needs)) {
        return send(403, {
          message: "Resource not accessible by personal access token",
          documentation_url: "https://docs.github.com/rest",
        });
      }
      const id = route.id === undefined ? undefined : decodeURIComponent(route.id);
      if (route.kind === "network-configurations") return this.networkConfigurations(route.scope, slug, id, method, url, body, send);
      if (route.kind === "network-settings" && method === "GET") return this.networkSettings(route.scope, slug, id!, url, send);
      if (route.kind === "runner-groups" && (id === undefined || /^\d+$/.test(id)))
        return this.runnerGroupRequest(route.scope, slug, id === undefined ? undefined : Number(id), method, url, body, send);
    }
    this.violations.push(`${where}: no such endpoint in the emulated API`);
    return send(404, NOT_FOUND);
  }

  private describeCredential(path: string, authorization: string | undefined): string | undefined {
    if (/^\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return "app JWT";
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const index = this.mintedTokens.findIndex((minted) => minted.token === token);
    if (index < 0) return undefined;
    return `installation token ${index + 1}${Date.now() >= this.mintedTokens[index].expiresAtMs ? " (expired)" : ""}`;
  }

  /** What a minted installation token may do while it has not expired. */
  private installationGrants(token: string): Permission[] | undefined {
    const minted = this.mintedTokens.find((candidate) => candidate.token === token);
    if (!minted || Date.now() >= minted.expiresAtMs) return undefined;
    return this.options.apps?.[minted.appId]?.installations[minted.installationId];
  }

  /**
   * `POST /app/installations/{installation_id}/access_tokens` with the app's JWT as the bearer:
   * 201 with `token`, `expires_at`, `permissions` and `repository_selection`; 401 for a JWT GitHub
   * would refuse; 404 for an installation the app does not have (GitHub's REST description,
   * "Create an installation access token for an app").
   */
  private mintInstallationToken(
    installationId: string,
    jwt: string | undefined,
    body: unknown,
    send: (status: number, answer?: unknown) => void,
  ): void {
    if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body)))
      this.violations.push("POST /app/installations/{id}/access_tokens: the body must be an object when there is one");
    const checked = this.checkAppJwt(jwt);
    if ("refusal" in checked) return send(401, { message: checked.refusal, documentation_url: "https://docs.github.com/rest" });
    const grants = this.options.apps?.[checked.appId]?.installations[installationId];
    if (!grants) return send(404, NOT_FOUND);
    const minted: MintedInstallationToken = {
      token: `ghs_${randomBytes(18).toString("hex")}`,
      appId: checked.appId,
      installationId,
      // GitHub states the expiry in whole seconds.
      expiresAtMs: Math.floor((Date.now() + (this.options.installationTokenLifetimeMs ?? HOUR_MS)) / 1000) * 1000,
    };
    this.mintedTokens.push(minted);
    const permissions = Object.fromEntries(
      grants.flatMap((grant) => (APP_PERMISSION_NAMES[grant] ? [[APP_PERMISSION_NAMES[grant], "write"]] : [])),
    );
    return send(201, {
      token: minted.token,
      expires_at: new Date(minted.expiresAtMs).toISOString().replace(".000Z", "Z"),
      permissions,
      repository_selection: "all",
    });
  }

  /** The App ID of the app a JWT was signed for (its `iss` the App ID or the client ID), or the refusal GitHub gives. */
  private checkAppJwt(jwt: string | undefined): { appId: string } | { refusal: string } {
    const undecodable = { refusal: "A JSON web token could not be decoded" };
    const parts = jwt?.split(".") ?? [];
    if (parts.length !== 3) return undecodable;
    const json = (part: string): Record<string, unknown> | undefined => {
      try {
        const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
        return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    };
    const [header, claims] = [json(parts[0]), json(parts[1])];
    if (header?.alg !== "RS256" || !claims) return undecodable;
    // GitHub takes the client ID or the App ID as the issuer.
    const [appId, app] =
      Object.entries(this.options.apps ?? {}).find(([id, candidate]) => claims.iss === candidate.clientId || String(claims.iss) === id) ??
      [];
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!appId || !app || !verify("RSA-SHA256", signed, app.publicKey, Buffer.from(parts[2], "base64url"))) return undecodable;
    const nowS = Math.floor(Date.now() / 1000);
    const { iat, exp } = claims;
    if (!Number.isInteger(iat) || (iat as number) > nowS + JWT_CLOCK_DRIFT_S)
      return { refusal: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
    if (!Number.isInteger(exp) || (exp as number) <= nowS)
      return {
        refusal: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      };
    if ((exp as number) - (iat as number) > JWT_LONGEST_LIFETIME_S || (exp as number) > nowS + JWT_LONGEST_LIFETIME_S)
      return { refusal: "'Expiration time' claim ('exp') is too far in the future" };
    return { appId };
  }

  private checkHeaders(req: IncomingMessage, where: string, hasBody: boolean): void {
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? "")) this.violations.push(`${where}: Authorization is not "Bearer <token>"`);
    if (req.headers["x-github-api-version"] !== EMULATOR_API_VERSION)
      this.violations.push(
        `${where}: X-GitHub-Api-Version is ${String(req.headers["x-github-api-version"])}, expected ${EMULATOR_API_VERSION}`,
      );
    if (req.headers.accept !== "application/vnd.github+json") this.violations.push(`${where}: Accept is ${String(req.headers.accept)}`);
    if (!req.headers["user-agent"]) this.violations.push(`${where}: no User-Agent (GitHub refuses those)`);
    if (hasBody && req.headers["content-type"] !== "application/json")
      this.violations.push(`${where}: body without Content-Type application/json`);
  }

  private validateRequest(key: string, where: string, body: unknown): boolean {
    const validate = this.schemas.request[key];
    if (validate(body)) return true;
    this.violations.push(`${where}: request body fails ${key} schema: ${JSON.stringify(validate.errors)}`);
    return false;
  }

  private checkedAnswer(key: string, where: string, answer: unknown): unknown {
    const validate = this.schemas.response[key];
    if (!validate(answer)) this.violations.push(`${where}: emulator answer fails ${key} schema: ${JSON.stringify(validate.errors)}`);
    return answer;
  }

  private networkConfigurations(
    scope: OwnerKind,
    slug: string,
    id: string | undefined,
    method: string,
    url: URL,
    body: unknown,
    send: (status: number, answer?: unknown) => void,
  ): void {
    const where = `${method} ${url.pathname}`;
    const list = this.configurations(scope, slug);
    const invalid = (message: string, errors: unknown[] = []) =>
      send(422, this.checkedAnswer("422 validation failed", where, { message, errors, documentation_url: "https://docs.github.com/rest" }));
    // A network settings resource belongs to one configuration at a time (GitHub's UI offers only unused ones).
    /** Refuses (and says true) when another configuration already uses one of the request's network settings. */
    const refusedAsInUse = (request: Partial<NetworkConfigurationRecord>, except?: string): boolean => {
      for (const field of ["network_settings_ids", "failover_network_settings_ids"] as const) {
        const taken = (request[field] ?? []).find((settingsId) =>
          list.some((c) => c.id !== except && [...c.network_settings_ids, ...c.failover_network_settings_ids].includes(settingsId)),
        );
        if (taken === undefined) continue;
        invalid("Validation Failed", [
          {
            resource: "NetworkConfiguration",
            field,
            code: "invalid",
            message: `Network settings ${taken} is already in use by another network configuration.`,
          },
        ]);
        return true;
      }
      return false;
    };
    const nameTaken = (name: string, except?: string) => list.some((c) => c.id !== except && c.name.toLowerCase() === name.toLowerCase());
    const foreignSettings = (ids: string[]) =>
      ids.find((n) => this.networkSettingsOwners.has(n) && this.networkSettingsOwners.get(n) !== `${scope}/${slug}`);
    if (id === undefined && method === "GET") {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const answer = { total_count: list.length, network_configurations: list.slice((page - 1) * perPage, page * perPage) };
      return send(200, this.checkedAnswer(`200 ${scope} network-configuration list`, where, answer));
    }
    if (id === undefined && method === "POST") {
      if (!this.validateRequest(`POST ${scope} network-configuration`, where, body)) return invalid("Invalid request");
      const request = body as Partial<NetworkConfigurationRecord> & { name: string; network_settings_ids: string[] };
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(request.name))
        return invalid("Validation Failed", [{ resource: "NetworkConfiguration", field: "name", code: "invalid" }]);
      if (nameTaken(request.name))
        return invalid("Validation Failed", [{ resource: "NetworkConfiguration", field: "name", code: "already_exists" }]);
      const foreign = foreignSettings([...request.network_settings_ids, ...(request.failover_network_settings_ids ?? [])]);
      if (foreign)
        return invalid(
          `A private network cannot be established with the provided resource ID ${foreign}; it is already associated with a different enterprise or organization.`,
        );
      if (refusedAsInUse(request)) return;
      const record: NetworkConfigurationRecord = {
        id: this.nextConfigurationId(),
        name: request.name,
        compute_service: request.compute_service ?? "none",
        network_settings_ids: request.network_settings_ids,
        failover_network_settings_ids: request.failover_network_settings_ids ?? [],
        failover_network_enabled: request.failover_network_enabled ?? false,
        created_on: new Date(Date.UTC(2026, 7, 22, 10, 0, this.sequence)).toISOString().replace(".000Z", "Z"),
      };
      list.push(record);
      return send(201, this.checkedAnswer(`201 ${scope} network-configuration`, where, record));
    }
    const record = list.find((c) => c.id === id);
    if (!record || id === undefined) return send(404, NOT_FOUND);
    if (method === "GET") return send(200, this.checkedAnswer(`200 ${scope} network-configuration`, where, record));
    if (method === "PATCH") {
      if (!this.validateRequest(`PATCH ${scope} network-configuration`, where, body)) return invalid("Invalid request");
      const request = body as Partial<NetworkConfigurationRecord>;
      if (request.name !== undefined && nameTaken(request.name, record.id))
        return invalid("Validation Failed", [{ resource: "NetworkConfiguration", field: "name", code: "already_exists" }]);
      const foreign = foreignSettings([...(request.network_settings_ids ?? []), ...(request.failover_network_settings_ids ?? [])]);
      if (foreign)
        return invalid(
          `A private network cannot be established with the provided resource ID ${foreign}; it is already associated with a different enterprise or organization.`,
        );
      if (request.network_settings_ids !== undefined && request.network_settings_ids.length === 0)
        return invalid("A network configuration needs exactly one network settings resource");
      if (refusedAsInUse(request, record.id)) return;
      Object.assign(record, request);
      if (record.failover_network_settings_ids.length === 0) record.failover_network_enabled = false;
      return send(200, this.checkedAnswer(`200 ${scope} network-configuration`, where, record));
    }
    if (method === "DELETE") {
      list.splice(list.indexOf(record), 1);
      // The owner's groups lose the deleted configuration.
      for (const group of this.groupsOf(scope, slug))
        if (group.network_configuration_id === record.id) delete group.network_configuration_id;
      return send(204);
    }
    return send(404, NOT_FOUND);
  }

  /** A group as GitHub answers it: `runner-groups-org` for an organization's, `runner-groups-enterprise` for an enterprise's. */
  private groupAnswer(scope: OwnerKind, slug: string, group: RunnerGroupRecord): unknown {
    const base = `${this.url}${scope === "organization" ? "/orgs" : "/enterprises"}/${slug}/actions/runner-groups/${group.id}`;
    const selected =
      scope === "organization"
        ? { selected_repositories_url: `${base}/repositories` }
        : { selected_organizations_url: `${base}/organizations` };
    return {
      id: group.id,
      name: group.name,
      visibility: group.visibility,
      default: group.default,
      ...(group.visibility === "selected" ? selected : {}),
      runners_url: `${base}/runners`,
      hosted_runners_url: `${base}/hosted-runners`,
      ...(group.network_configuration_id === undefined ? {} : { network_configuration_id: group.network_configuration_id }),
      ...(scope === "organization" ? { inherited: false } : {}),
      allows_public_repositories: group.allows_public_repositories,
      restricted_to_workflows: group.restricted_to_workflows ?? false,
      selected_workflows: group.selected_workflows ?? [],
      workflow_restrictions_read_only: false,
    };
  }

  /** GET a network settings resource: 404 when GitHub does not know it, else it with the configuration using it. */
  private networkSettings(scope: OwnerKind, slug: string, id: string, url: URL, send: (status: number, answer?: unknown) => void): void {
    const where = `GET ${url.pathname}`;
    const settings = this.networkSettingsByOwner.get(`${scope}/${slug}`)?.find((s) => s.id === id);
    if (!settings) return send(404, this.checkedAnswer("404 not found", where, NOT_FOUND));
    const user = this.configurations(scope, slug).find((c) => [...c.network_settings_ids, ...c.failover_network_settings_ids].includes(id));
    const answer = { ...settings, ...(user ? { network_configuration_id: user.id } : {}) };
    return send(200, this.checkedAnswer(`200 ${scope} network-settings`, where, answer));
  }

  private runnerGroupRequest(
    scope: OwnerKind,
    slug: string,
    id: number | undefined,
    method: string,
    url: URL,
    body: unknown,
    send: (status: number, answer?: unknown) => void,
  ): void {
    const where = `${method} ${url.pathname}`;
    const groups = this.groupsOf(scope, slug);
    // The organization's schemas keep their original keys; the enterprise's are prefixed.
    const schemaKey = (key: string) => (scope === "organization" ? key : `${key.replace(/^(POST|PATCH) /, "$1 enterprise ")}`);
    const answer = (status: number, group: RunnerGroupRecord) =>
      send(
        status,
        this.checkedAnswer(
          scope === "organization" ? "runner-group" : "enterprise runner-group",
          where,
          this.groupAnswer(scope, slug, group),
        ),
      );
    const unknownConfiguration = (configurationId: unknown) =>
      typeof configurationId === "string" && !this.configurations(scope, slug).some((c) => c.id === configurationId);
    if (id === undefined && method === "GET") {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      return send(200, {
        total_count: groups.length,
        runner_groups: groups.slice((page - 1) * perPage, page * perPage).map((g) => this.groupAnswer(scope, slug, g)),
      });
    }
    if (id === undefined && method === "POST") {
      if (!this.validateRequest(schemaKey("POST runner-group"), where, body)) return send(422, { message: "Invalid request" });
      const request = body as {
        name: string;
        visibility?: string;
        selected_repository_ids?: number[];
        selected_organization_ids?: number[];
        allows_public_repositories?: boolean;
        restricted_to_workflows?: boolean;
        selected_workflows?: string[];
        network_configuration_id?: string;
      };
      if (groups.some((g) => g.name.toLowerCase() === request.name.toLowerCase()))
        return send(409, { message: "A runner group with that name already exists" });
      if (unknownConfiguration(request.network_configuration_id)) return send(422, { message: "Network configuration not found" });
      const group: RunnerGroupRecord = {
        id: this.nextGroupId(scope, slug),
        name: request.name,
        visibility: request.visibility ?? "all",
        default: false,
        allows_public_repositories: request.allows_public_repositories ?? false,
        ...(scope === "organization"
          ? { selected_repository_ids: request.selected_repository_ids ?? [] }
          : { selected_organization_ids: request.selected_organization_ids ?? [] }),
        ...(request.restricted_to_workflows === undefined ? {} : { restricted_to_workflows: request.restricted_to_workflows }),
        ...(request.selected_workflows === undefined ? {} : { selected_workflows: request.selected_workflows }),
        ...(request.network_configuration_id === undefined ? {} : { network_configuration_id: request.network_configuration_id }),
      };
      groups.push(group);
      return answer(201, group);
    }
    const group = groups.find((g) => g.id === id);
    if (!group) return send(404, NOT_FOUND);
    if (method === "GET") return answer(200, group);
    if (method === "PATCH") {
      if (!this.validateRequest(schemaKey("PATCH runner-group"), where, body)) return send(422, { message: "Invalid request" });
      const request = body as {
        name?: string;
        visibility?: string;
        allows_public_repositories?: boolean;
        restricted_to_workflows?: boolean;
        selected_workflows?: string[];
        network_configuration_id?: string | null;
      };
      if (unknownConfiguration(request.network_configuration_id)) return send(422, { message: "Network configuration not found" });
      if (request.name !== undefined) group.name = request.name;
      if (request.visibility !== undefined) group.visibility = request.visibility;
      if (request.allows_public_repositories !== undefined) group.allows_public_repositories = request.allows_public_repositories;
      if (request.restricted_to_workflows !== undefined) group.restricted_to_workflows = request.restricted_to_workflows;
      if (request.selected_workflows !== undefined) group.selected_workflows = request.selected_workflows;
      if (request.network_configuration_id === null) delete group.network_configuration_id;
      else if (request.network_configuration_id !== undefined) group.network_configuration_id = request.network_configuration_id;
      return answer(200, group);
    }
    if (method === "DELETE") {
      if (group.default) return send(422, { message: "The default runner group cannot be deleted" });
      groups.splice(groups.indexOf(group), 1);
      return send(204);
    }
    return send(404, NOT_FOUND);
  }

  private graphql(body: unknown, grants: Permission[], send: (status: number, answer?: unknown) => void): void {
    const request = body as { query?: unknown; variables?: Record<string, unknown> } | undefined;
    const query = typeof request?.query === "string" ? request.query.replace(/\s+/g, " ").trim() : "";
    const organization = /^query\(\$login: String!\) \{ organization\(login: \$login\) \{ login databaseId \} \}$/.test(query);
    const enterprise = /^query\(\$slug: String!\) \{ enterprise\(slug: \$slug\) \{ slug databaseId \} \}$/.test(query);
    const variable = organization ? request?.variables?.login : request?.variables?.slug;
    if ((!organization && !enterprise) || typeof variable !== "string" || Object.keys(request?.variables ?? {}).length !== 1) {
      this.violations.push(`POST /graphql: unexpected query or variables: ${JSON.stringify(body)}`);
      return send(200, { errors: [{ message: "Parse error" }] });
    }
    const field = organization ? "organization" : "enterprise";
    if (!grants.includes(organization ? "read:org" : "read:enterprise")) {
      return send(200, {
        data: { [field]: null },
        errors: [
          {
            type: "INSUFFICIENT_SCOPES",
            message: `Your token has not been granted the required scopes to execute this query. The '${field}' field requires one of the following scopes: ['${organization ? "read:org" : "read:enterprise"}'].`,
          },
        ],
      });
    }
    const ids = organization ? this.options.organizations : this.options.enterprises;
    const databaseId = ids?.[variable];
    if (databaseId === undefined) {
      return send(200, {
        data: { [field]: null },
        errors: [
          {
            type: "NOT_FOUND",
            path: [field],
            message: `Could not resolve to an ${organization ? "Organization" : "Enterprise"} with the ${organization ? "login" : "slug"} of '${variable}'.`,
          },
        ],
      });
    }
    return send(200, { data: { [field]: { [organization ? "login" : "slug"]: variable, databaseId } } });
  }
}

/** An owner's endpoint this emulator serves, from the request path. */
function routeOf(
  path: string,
): { kind: "network-configurations" | "network-settings" | "runner-groups"; scope: OwnerKind; slug: string; id?: string } | undefined {
  const patterns = [
    ["network-configurations", "organization", /^\/orgs\/([^/]+)\/settings\/network-configurations(?:\/([^/]+))?$/],
    ["network-configurations", "enterprise", /^\/enterprises\/([^/]+)\/network-configurations(?:\/([^/]+))?$/],
    ["network-settings", "organization", /^\/orgs\/([^/]+)\/settings\/network-settings\/([^/]+)$/],
    ["network-settings", "enterprise", /^\/enterprises\/([^/]+)\/network-settings\/([^/]+)$/],
    ["runner-groups", "organization", /^\/orgs\/([^/]+)\/actions\/runner-groups(?:\/([^/]+))?$/],
    ["runner-groups", "enterprise", /^\/enterprises\/([^/]+)\/actions\/runner-groups(?:\/([^/]+))?$/],
  ] as const;
  for (const [kind, scope, pattern] of patterns) {
    const match = pattern.exec(path);
    if (match) return { kind, scope, slug: match[1], ...(match[2] === undefined ? {} : { id: match[2] }) };
  }
  return undefined;
}
