/**
 * The one client this package uses for Azure Resource Manager: a bearer token from an
 * `@azure/identity` credential, JSON over the global `fetch`, retries with backoff and jitter on
 * throttling and server failures (honouring `Retry-After`), polling of long-running operations,
 * a timeout per request, and errors that carry ARM's code and message plus what to do.
 *
 * The token is only ever placed in the Authorization header of requests to the client's own
 * endpoint; it is never part of an error, a log line or a return value.
 */
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
import { parseRetryAfter } from "../lib/retry-after";

export const ARM_ENDPOINT = "https://management.azure.com";
/** The ARM audience; `.default` asks for the permissions the identity has been granted. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/** An ARM request that failed: HTTP status, ARM's `error.code`/`error.message`, and a hint. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly armMessage: string,
    readonly hint: string,
    /** `GET /subscriptions/...` without the query string. */
    readonly request: string,
  ) {
    super(`${request} failed: ${status === 0 ? "" : `${status} `}${code}: ${armMessage || "(no message)"}\n  hint: ${hint}`);
    this.name = "ArmError";
  }
}

export interface ArmClientOptions {
  /** Default: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, ...). */
  credential?: TokenCredential;
  /** For tests against a local emulator only; production always talks to management.azure.com. */
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
  private cachedToken?: AccessToken;

  constructor(options: ArmClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? ARM_ENDPOINT;
    // Loaded on first use of the default only: @azure/identity takes a while to import.
    this.credential = options.credential ?? defaultCredential();
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 10 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** A token for ARM (cached until shortly before it expires). Callers must not print it. */
  async accessToken(): Promise<string> {
    if (this.cachedToken && this.cachedToken.expiresOnTimestamp - REFRESH_TOKEN_EARLY_MS > this.now()) return this.cachedToken.token;
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(ARM_SCOPE);
    } catch (error) {
      throw new ArmError(0, "CredentialUnavailable", credentialFailure(error), hintFor(0, "CredentialUnavailable"), "sign-in");
    }
    if (!token)
      throw new ArmError(0, "CredentialUnavailable", "the credential returned no token", hintFor(0, "CredentialUnavailable"), "sign-in");
    this.cachedToken = token;
    return token.token;
  }

  async get<T>(path: string, apiVersion: string, query?: Record<string, string>): Promise<T> {
    return (await this.request<T>({ method: "GET", path, apiVersion, query })).body;
  }

  /** GET, or undefined when ARM answers 404. */
  async getIfExists<T>(path: string, apiVersion: string, query?: Record<string, string>): Promise<T | undefined> {
    try {
      return await this.get<T>(path, apiVersion, query);
    } catch (error) {
      if (error instanceof ArmError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Every item of an ARM list, following `nextLink` pages. */
  async list<T>(path: string, apiVersion: string, query?: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = armUrl(this.baseUrl, path, apiVersion, query);
    const label = `GET ${path}`;
    // Bounded: a service that keeps answering with a nextLink must not loop forever.
    for (let pages = 0; url !== undefined && pages < 1000; pages++) {
      const page: SentResponse<{ value?: T[]; nextLink?: string }> = await this.send("GET", url, undefined, label);
      items.push(...(page.body?.value ?? []));
      url = page.body?.nextLink || undefined;
    }
    return items;
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
  private async send<T>(method: string, url: string, body: unknown, label: string): Promise<SentResponse<T>> {
    if (!isSameOrigin(url, this.baseUrl)) {
      throw new ArmError(
        0,
        "UntrustedUrl",
        `refusing to send credentials to ${new URL(url).origin}`,
        "Azure answered with a URL outside Azure Resource Manager; report it",
        label,
      );
    }
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(method, url, body, label);
      const retriesLeft = attempt < this.policy.maxRetries;
      if (outcome.kind === "response" && (outcome.response.status < 400 || !isTransientStatus(outcome.response.status) || !retriesLeft)) {
        const response = outcome.response;
        if (response.status >= 400) {
          const details = armErrorDetails(response.status, response.text);
          const retried = attempt > 0 ? ` (after ${attempt} ${attempt === 1 ? "retry" : "retries"})` : "";
          throw new ArmError(response.status, details.code, details.message + retried, hintFor(response.status, details.code), label);
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

  private async attempt(method: string, url: string, body: unknown, label: string): Promise<AttemptOutcome> {
    const token = await this.accessToken();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.requestTimeoutMs);
    timer.unref?.();
    try {
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await response.text();
      return { kind: "response", response: { status: response.status, headers: response.headers, text } };
    } catch (error) {
      const timedOut = controller.signal.aborted;
      const code = timedOut ? "RequestTimeout" : "NetworkError";
      // fetch's own error names the URL at most, never the headers; keep only its first line.
      const message = timedOut ? `no answer within ${formatMs(this.requestTimeoutMs)}` : describeNetworkError(error);
      return { kind: "failure", error: new ArmError(0, code, message, hintFor(0, code), label) };
    } finally {
      clearTimeout(timer);
    }
  }
}

interface SentResponse<T> {
  status: number;
  headers: { get(name: string): string | null };
  body: T;
  retryAfterMs?: number;
}

type AttemptOutcome =
  | { kind: "response"; response: { status: number; headers: { get(name: string): string | null }; text: string } }
  | { kind: "failure"; error: ArmError };

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

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message.split("\n")[0]})` : ""}` : firstLine(error);
}

function defaultCredential(): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new DefaultAzureCredential();
}
