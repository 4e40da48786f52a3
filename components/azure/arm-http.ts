/**
 * Pure pieces of talking to Azure Resource Manager: which answers are worth retrying, how long
 * to wait, how ARM reports errors and long-running operations, and what to tell the user.
 * No I/O here, so every rule is checked by table-driven tests.
 *
 * Sources: ARM's error body is `{ "error": { "code", "message" } }` (Azure REST API guidelines,
 * "Error response"); throttled or busy answers carry `Retry-After` in seconds or as an HTTP date
 * (RFC 9110 section 10.2.3); asynchronous operations answer 201/202 with an `Azure-AsyncOperation`
 * status URL (body `{ status: InProgress | Succeeded | Failed | Canceled }`) or a `Location` URL
 * that answers 202 until the operation ends (learn.microsoft.com, "Track asynchronous Azure
 * operations").
 */
import { redactSecrets } from "../lib/redact";

/** Statuses ARM documents as transient: throttling, timeouts and server-side failures. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** Longest delay the exponential backoff reaches. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a server asking for more gets this much. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

/**
 * Wait before retry number `retry` (0 = first retry). A server's `Retry-After` wins (capped);
 * otherwise exponential backoff with jitter between half and all of the step, so that many
 * clients throttled together do not retry in lockstep.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | undefined, policy: RetryPolicy, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(step / 2 + (step / 2) * random());
}

export interface ArmErrorDetails {
  code: string;
  message: string;
}

/**
 * The `error.code` and `error.message` of an ARM error body; a stand-in when the body has none.
 * Both are redacted (`secrets`, and anything shaped like a secret) before a long body is cut, so
 * a server that quotes the request's token back cannot leave half of it in the excerpt.
 */
export function armErrorDetails(status: number, bodyText: string, secrets: readonly (string | undefined)[] = []): ArmErrorDetails {
  try {
    const body = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } } | null;
    const error = body?.error;
    if (error && typeof error.code === "string") {
      return {
        code: redactSecrets(error.code, secrets),
        message: typeof error.message === "string" ? redactSecrets(error.message, secrets) : "",
      };
    }
  } catch {
    // Not JSON: gateways and proxies answer with HTML or plain text.
  }
  const excerpt = redactSecrets(bodyText, secrets).replace(/\s+/g, " ").trim().slice(0, 200);
  return { code: `HTTP${status}`, message: excerpt || "no error details in the response" };
}

/** What to do about an ARM error, in one sentence the user can act on. */
export function hintFor(status: number, code: string): string {
  if (code === "MissingSubscriptionRegistration") {
    return "register the resource provider (az provider register --namespace <namespace>); pulumi up does it unless registerResourceProvider is false";
  }
  if (code === "SubscriptionNotFound" || code === "InvalidSubscriptionId") {
    return "check the subscription id, and that the signed-in identity belongs to the subscription's tenant";
  }
  if (code === "CredentialUnavailable") {
    return "sign in: az login, or set AZURE_TENANT_ID/AZURE_CLIENT_ID with a secret, certificate or workload identity (OIDC), or run with a managed identity";
  }
  if (code === "RequestTimeout") return "Azure did not answer in time; check the network path to management.azure.com and run again";
  if (code === "NetworkError")
    return "could not reach Azure Resource Manager; check the network path to management.azure.com (proxy, firewall, DNS) and run again";
  switch (status) {
    case 401:
      return "the sign-in was refused or has expired: sign in again (az login), or check the service principal or workload identity and its tenant";
    case 403:
      return "the signed-in identity lacks permission: GitHub's docs ask for Contributor and Network Contributor (or Owner) on the subscription; run `doctor` to see its role assignments";
    case 404:
      return "not found: check the subscription, resource group and name, and that the resource provider namespace exists in this cloud";
    case 409:
      return "the resource is in a conflicting state: wait for operations on it to finish, or remove what holds it (for a subnet, a service association link or NICs) and retry";
    case 429:
      return "Azure Resource Manager throttled the requests; wait a minute and run again";
    default:
      return status >= 500
        ? "Azure had a server-side failure; run again later, and check Azure status if it persists"
        : "check the request; Azure refused it";
  }
}

/** Where an asynchronous operation can be polled, if the answer started one. */
export function longRunningPollUrl(
  status: number,
  headers: { get(name: string): string | null | undefined },
): { url: string; kind: "async-operation" | "location" } | undefined {
  if (status !== 201 && status !== 202) return undefined;
  const asyncOperation = headers.get("azure-asyncoperation");
  if (asyncOperation) return { url: asyncOperation, kind: "async-operation" };
  const location = headers.get("location");
  return location ? { url: location, kind: "location" } : undefined;
}

export type OperationState = "running" | "succeeded" | "failed";

/** State of an `Azure-AsyncOperation` status body (`status` is case-insensitive in practice). */
export function asyncOperationState(body: unknown): OperationState {
  const status = (body as { status?: unknown } | null)?.status;
  const text = typeof status === "string" ? status.toLowerCase() : "";
  if (text === "succeeded") return "succeeded";
  if (text === "failed" || text === "canceled" || text === "cancelled") return "failed";
  return "running";
}

/**
 * Whether `url` may receive our bearer token: only the ARM endpoint the client was built for.
 * Poll and paging URLs come from response headers and bodies, so they are checked, not trusted.
 */
export function isSameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

/** `baseUrl` + path + query (`api-version` first, as ARM's own samples write it). */
export function armUrl(baseUrl: string, path: string, apiVersion: string, query: Record<string, string> = {}): string {
  const url = new URL(path.startsWith("/") ? path : `/${path}`, baseUrl);
  url.searchParams.set("api-version", apiVersion);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}
