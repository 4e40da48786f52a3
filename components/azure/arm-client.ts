/**
 * The one client this package uses for Azure Resource Manager. Its requests go through Azure's
 * HTTP pipeline (`@azure/core-rest-pipeline`, the transport under every Azure SDK client): the
 * pipeline's HTTP client with keep-alive, HTTPS_PROXY and NO_PROXY, decompression, a timeout per
 * request, a user agent and a request id, and logging with secrets redacted (AZURE_LOG_LEVEL).
 *
 * This client adds what the SDK's typed clients do differently from what we need (measured and
 * explained in ARCHITECTURE.md, "Azure clients: measured"): retries that honour `Retry-After` on
 * every transient answer but cap it, with a clock tests inject; one cached sign-in that `doctor`
 * also reads claims from; polling of long-running operations; and errors that carry ARM's code
 * and message plus what to do.
 *
 * The token is only ever placed in the Authorization header of requests to the client's own
 * endpoint (the sign-in policy below checks every request, redirects included); it is never part
 * of an error, a log line or a return value: every ArmError is redacted as it is made (the token,
 * and anything shaped like a secret that an answer quotes back).
 *
 * An answer is read whole by the pipeline within the request's timeout, so one that stalls or
 * breaks off after its headers fails like a dropped connection (RequestTimeout, NetworkError) and
 * is retried. An answer of a shape the caller cannot read (see arm-shapes.ts) is an ArmError too.
 */
import type * as CorePipeline from "@azure/core-rest-pipeline";
import type { HttpClient, Pipeline, PipelinePolicy } from "@azure/core-rest-pipeline";
import type * as Identity from "@azure/identity";
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  DEFAULT_RETRY_POLICY,
  armErrorDetails,
  armUrl,
  asyncOperationState,
  hintFor,
  isSameOrigin,
  isTransientStatus,
  longRunningPollUrl,
  retryDelayMs,
  type RetryPolicy,
} from "./arm-http";
import { anything, listPage, type Shape } from "./arm-shapes";
import { isLoopbackUrl } from "../lib/loopback";
import { redactSecrets } from "../lib/redact";
import { parseRetryAfter } from "../lib/retry-after";

export const ARM_ENDPOINT = "https://management.azure.com";
/** The ARM audience; `.default` asks for the permissions the identity has been granted. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/**
 * An ARM request that failed: HTTP status, ARM's `error.code`/`error.message`, and a hint. What
 * came from an answer is redacted (`secrets`, and anything shaped like one), so no secret is ever
 * part of an ArmError.
 */
export class ArmError extends Error {
  readonly code: string;
  readonly armMessage: string;
  /** `GET /subscriptions/...` without the query string. */
  readonly request: string;

  constructor(
    readonly status: number,
    code: string,
    armMessage: string,
    readonly hint: string,
    request: string,
    secrets: readonly (string | undefined)[] = [],
  ) {
    const [safeCode, safeMessage, safeRequest] = [code, armMessage, request].map((text) => redactSecrets(text, secrets));
    super(`${safeRequest} failed: ${status === 0 ? "" : `${status} `}${safeCode}: ${safeMessage || "(no message)"}\n  hint: ${hint}`);
    this.name = "ArmError";
    this.code = safeCode;
    this.armMessage = safeMessage;
    this.request = safeRequest;
  }
}

/** What to do about an answer of a shape the caller cannot read. */
export const UNEXPECTED_RESPONSE_HINT =
  "Azure Resource Manager answered in a shape this package does not read: run again; if it persists, a proxy may be answering instead of Azure (check HTTPS_PROXY), or report it with the request named";

export interface ArmClientOptions {
  /** Default: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, ...). */
  credential?: TokenCredential;
  /**
   * For tests against a local emulator only (http to this machine); production always talks to
   * management.azure.com. Any other http URL is refused.
   */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP request. Default 30 s. */
  requestTimeoutMs?: number;
  /** How long a long-running operation may take in total. Default 10 min. */
  operationTimeoutMs?: number;
  /** Poll interval for long-running operations that give no `Retry-After`. Default 5 s. */
  pollIntervalMs?: number;
  /** Injected so tests do not wait for real. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface ArmRequest {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  path: string;
  apiVersion: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface ArmResponse<T> {
  status: number;
  body: T;
}

const REFRESH_TOKEN_EARLY_MS = 2 * 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ArmClient {
  readonly baseUrl: string;
  private readonly credential: TokenCredential;
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly operationTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  /** True for a loopback emulator: plain http is allowed there, and no proxy is used. */
  private readonly loopback: boolean;
  // ECMAScript-private: never part of JSON.stringify(client) or a logged object.
  readonly #pipeline: Pipeline;
  readonly #httpClient: HttpClient;
  #cachedToken?: AccessToken;

  constructor(options: ArmClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? ARM_ENDPOINT;
    this.loopback = isLoopbackHttp(this.baseUrl);
    if (!this.loopback && new URL(this.baseUrl).protocol !== "https:") {
      throw new Error(`ArmClient: ${new URL(this.baseUrl).origin} is not https; plain http is only for an emulator on this machine`);
    }
    // Loaded on first use of the default only: @azure/identity takes a while to import.
    this.credential = options.credential ?? defaultCredential();
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 10 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.#pipeline = armPipeline(this.baseUrl, this.loopback, () => this.accessToken());
    this.#httpClient = corePipeline().createDefaultHttpClient();
  }

  /** A token for ARM (cached until shortly before it expires). Callers must not print it. */
  async accessToken(): Promise<string> {
    const cached = this.#cachedToken;
    if (cached && cached.expiresOnTimestamp - REFRESH_TOKEN_EARLY_MS > this.now()) return cached.token;
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(ARM_SCOPE);
    } catch (error) {
      throw new ArmError(0, "CredentialUnavailable", credentialFailure(error), hintFor(0, "CredentialUnavailable"), "sign-in");
    }
    if (!token)
      throw new ArmError(0, "CredentialUnavailable", "the credential returned no token", hintFor(0, "CredentialUnavailable"), "sign-in");
    this.#cachedToken = token;
    return token.token;
  }

  /** GET; with `shape`, an answer that does not fit it is an ArmError (UnexpectedResponse) instead of a `T`. */
  async get<T>(path: string, apiVersion: string, query?: Record<string, string>, shape?: Shape): Promise<T> {
    const body = (await this.request<T>({ method: "GET", path, apiVersion, query })).body;
    if (shape) this.expectShape(body, shape, `GET ${path}`);
    return body;
  }

  /** GET, or undefined when ARM answers 404. */
  async getIfExists<T>(path: string, apiVersion: string, query?: Record<string, string>, shape?: Shape): Promise<T | undefined> {
    try {
      return await this.get<T>(path, apiVersion, query, shape);
    } catch (error) {
      if (error instanceof ArmError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Every item of an ARM list, following `nextLink` pages. Each page must be `{ value: [...] }`
   * and, with `itemShape`, each item must fit it; otherwise an ArmError (UnexpectedResponse).
   */
  async list<T>(path: string, apiVersion: string, query?: Record<string, string>, itemShape: Shape = anything): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = armUrl(this.baseUrl, path, apiVersion, query);
    const label = `GET ${path}`;
    const pageShape = listPage(itemShape);
    // Bounded: a service that keeps answering with a nextLink must not loop forever.
    for (let pages = 0; url !== undefined && pages < 1000; pages++) {
      const page: SentResponse<{ value: T[]; nextLink?: string | null }> = await this.send("GET", url, undefined, label);
      this.expectShape(page.body, pageShape, label);
      items.push(...page.body.value);
      url = page.body.nextLink || undefined;
    }
    return items;
  }

  private expectShape(body: unknown, shape: Shape, label: string): void {
    const problem = shape(body, "");
    if (problem) throw new ArmError(0, "UnexpectedResponse", problem, UNEXPECTED_RESPONSE_HINT, label, this.secrets());
  }

  /** What no error may hold: the token this client signs in with. */
  private secrets(): string[] {
    return this.#cachedToken ? [this.#cachedToken.token] : [];
  }

  /**
   * One ARM call with retries; when the answer starts a long-running operation, waits for it and
   * returns the final result.
   */
  async request<T>(request: ArmRequest): Promise<ArmResponse<T>> {
    const label = `${request.method} ${request.path}`;
    const url = armUrl(this.baseUrl, request.path, request.apiVersion, request.query);
    const first = await this.send<T>(request.method, url, request.body, label);
    const poll = longRunningPollUrl(first.status, first.headers);
    if (!poll) return { status: first.status, body: first.body };
    return this.waitForOperation<T>(request, url, poll, first, label);
  }

  private async waitForOperation<T>(
    request: ArmRequest,
    resourceUrl: string,
    poll: NonNullable<ReturnType<typeof longRunningPollUrl>>,
    first: SentResponse<T>,
    label: string,
  ): Promise<ArmResponse<T>> {
    const deadline = this.now() + this.operationTimeoutMs;
    let retryAfter = first.retryAfterMs;
    for (;;) {
      if (this.now() >= deadline) {
        throw new ArmError(
          0,
          "OperationTimeout",
          `still running after ${formatMs(this.operationTimeoutMs)}`,
          "check the operation in the Azure portal (Activity log) and run again once it has finished",
          label,
        );
      }
      await this.sleep(Math.min(retryAfter ?? this.pollIntervalMs, this.policy.maxRetryAfterMs));
      const status = await this.send<unknown>("GET", poll.url, undefined, `${label} (operation status)`);
      retryAfter = status.retryAfterMs;
      if (poll.kind === "location") {
        if (status.status === 202) continue;
        return { status: status.status, body: status.body as T };
      }
      const state = asyncOperationState(status.body);
      if (state === "running") continue;
      if (state === "failed") {
        const error = (status.body as { error?: { code?: string; message?: string } }).error;
        const code = error?.code ?? "OperationFailed";
        throw new ArmError(
          200,
          code,
          error?.message ?? "the operation failed",
          "the operation failed inside Azure; its Activity log entry has the details",
          label,
          this.secrets(),
        );
      }
      // Succeeded: PUT and PATCH return the resource itself; others have no further result.
      if (request.method === "PUT" || request.method === "PATCH") {
        const final = await this.send<T>("GET", resourceUrl, undefined, `${label} (result)`);
        return { status: final.status, body: final.body };
      }
      return { status: 200, body: status.body as T };
    }
  }

  /** One HTTP exchange, retried on transient failures. */
  private async send<T>(method: ArmRequest["method"], url: string, body: unknown, label: string): Promise<SentResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(method, url, body, label);
      const retriesLeft = attempt < this.policy.maxRetries;
      if (outcome.kind === "response" && (outcome.response.status < 400 || !isTransientStatus(outcome.response.status) || !retriesLeft)) {
        const response = outcome.response;
        if (response.status >= 400) {
          const details = armErrorDetails(response.status, response.text, this.secrets());
          const retried = attempt > 0 ? ` (after ${attempt} ${attempt === 1 ? "retry" : "retries"})` : "";
          throw new ArmError(
            response.status,
            details.code,
            details.message + retried,
            hintFor(response.status, details.code),
            label,
            this.secrets(),
          );
        }
        return {
          status: response.status,
          headers: response.headers,
          body: parseJsonBody<T>(response.text, label),
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), this.now()),
        };
      }
      if (outcome.kind === "failure" && !retriesLeft) throw outcome.error;
      const retryAfter = outcome.kind === "response" ? parseRetryAfter(outcome.response.headers.get("retry-after"), this.now()) : undefined;
      await this.sleep(retryDelayMs(attempt, retryAfter, this.policy, this.random));
    }
  }

  private async attempt(method: ArmRequest["method"], url: string, body: unknown, label: string): Promise<AttemptOutcome> {
    const { createHttpHeaders, createPipelineRequest } = corePipeline();
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) }),
      body: body === undefined ? undefined : JSON.stringify(body),
      timeout: this.requestTimeoutMs,
      allowInsecureConnection: this.loopback,
    });
    try {
      const response = await this.#pipeline.sendRequest(this.#httpClient, request);
      return { kind: "response", response: { status: response.status, headers: response.headers, text: response.bodyAsText ?? "" } };
    } catch (error) {
      // Sign-in failures are final, and so is a URL the token may not go to.
      if (error instanceof ArmError) throw error;
      if (error instanceof UntrustedOrigin) {
        const hint = "Azure answered with a URL outside Azure Resource Manager; report it";
        throw new ArmError(0, "UntrustedUrl", error.message, hint, label);
      }
      // No caller passes an abort signal: an abort is the pipeline's own timeout.
      const timedOut = (error as Error | undefined)?.name === "AbortError";
      const code = timedOut ? "RequestTimeout" : "NetworkError";
      // The pipeline's error names the URL at most, never the headers; keep only its first line.
      const message = timedOut ? `no answer within ${formatMs(this.requestTimeoutMs)}` : describeNetworkError(error);
      return { kind: "failure", error: new ArmError(0, code, message, hintFor(0, code), label, this.secrets()) };
    }
  }
}

/** http (and so no TLS) is allowed to this machine only, where the emulators of the tests run. */
function isLoopbackHttp(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === "http:" && isLoopbackUrl(url);
}

/**
 * Thrown inside the pipeline when a request would carry the token outside the client's endpoint:
 * poll and paging URLs come from ARM's answers, and a redirect may point anywhere.
 */
class UntrustedOrigin extends Error {
  constructor(origin: string) {
    super(`refusing to send credentials to ${origin}`);
  }
}

/**
 * Azure's default pipeline for this client, with two changes: retries are the client's own loop
 * (see `send`), and signing in is the client's own policy, which puts the cached token on
 * requests to `baseUrl`'s origin only. (The SDK's bearer-token policy refuses every http URL, so
 * it cannot talk to a loopback emulator, and keeps a token cache of its own.)
 */
function armPipeline(baseUrl: string, loopback: boolean, token: () => Promise<string>): Pipeline {
  const { createPipelineFromOptions, proxyPolicyName } = corePipeline();
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: "azure-github-runner-network" } });
  pipeline.removePolicy({ phase: "Retry" });
  // An emulator on this machine is never reached through a proxy.
  if (loopback) pipeline.removePolicy({ name: proxyPolicyName });
  const origin = new URL(baseUrl).origin;
  const signIn: PipelinePolicy = {
    name: "armSignIn",
    async sendRequest(request, next) {
      if (!isSameOrigin(request.url, origin)) throw new UntrustedOrigin(new URL(request.url).origin);
      request.headers.set("authorization", `Bearer ${await token()}`);
      return next(request);
    },
  };
  pipeline.addPolicy(signIn, { phase: "Sign" });
  return pipeline;
}

/** Response headers, as the pipeline gives them. */
interface Headers {
  get(name: string): string | undefined;
}

interface SentResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  retryAfterMs?: number;
}

type AttemptOutcome =
  { kind: "response"; response: { status: number; headers: Headers; text: string } } | { kind: "failure"; error: ArmError };

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** A credential chain explains each credential it tried; keep that, on one line and bounded. */
function credentialFailure(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("; ");
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}

function parseJsonBody<T>(text: string, label: string): T {
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ArmError(
      0,
      "InvalidResponse",
      "the answer was not JSON",
      "a proxy between you and Azure may have answered instead; check HTTPS_PROXY and the network path to management.azure.com",
      label,
    );
  }
}

/**
 * The pipeline's RestError carries the system error's code (ECONNREFUSED, ENOTFOUND, ...); a body
 * that breaks off after the headers is its PARSE_ERROR "Error reading response as text".
 */
function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const broken = /^Error reading response as text: (.*)/.exec(firstLine(error));
  if (code === "PARSE_ERROR" && broken) return `the answer stopped after its headers (${broken[1]})`;
  return typeof code === "string" && code !== "REQUEST_SEND_ERROR" ? `${code} (${firstLine(error)})` : firstLine(error);
}

/**
 * Loaded with the first client, not with this module: the pipeline takes about 90 ms to import,
 * and declaring, previewing or planning a registration makes no ARM call (ARCHITECTURE.md, "Azure
 * clients: measured"). A real sign-in loads it anyway, with @azure/identity.
 */
function corePipeline(): typeof CorePipeline {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@azure/core-rest-pipeline") as typeof CorePipeline;
}

function defaultCredential(): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof Identity;
  return new DefaultAzureCredential();
}
