/**
 * A small GitHub REST/GraphQL client: bearer token, API version header, bounded retries with
 * backoff on 5xx and network failures, and waits for primary and secondary rate limits.
 * Sleep, clock and fetch are injectable so tests run fast against a local emulator. Signed in as a
 * GitHub App (app-auth.ts), it mints an installation token on its first request, a new one when
 * the last is about to expire, and once more when GitHub refuses it as expired.
 *
 * Rate-limit handling follows GitHub's REST docs ("Rate limits for the REST API", "Best practices
 * for using the REST API"): honor `retry-after`; when `x-ratelimit-remaining` is 0 wait until
 * `x-ratelimit-reset` (UTC epoch seconds); for a secondary limit without those headers wait at
 * least a minute, then back off exponentially.
 *
 * Only `fetch` for requests; @octokit/auth-app only to sign an app's JWT, loaded on first use.
 */
import { GITHUB_API_VERSION, graphqlUrl, normalizeApiUrl } from "./api";
import {
  appJsonWebTokens,
  INSTALLATION_TOKEN_ANSWERS,
  installationTokenPath,
  installationTokenRefused,
  installationTokenRejected,
  parseInstallationToken,
  type InstallationToken,
} from "./app-auth";
import { explainGitHubError, gitHubApiError, TOKEN_SETTING, type CallContext } from "./errors";
import type { GitHubAppCredentials } from "../lib/github-app";
import { quoted } from "../lib/problems";
import { redactSecrets } from "../lib/redact";
import { parseRetryAfter } from "../lib/retry-after";

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff for 5xx and network failures; doubles each time. */
  baseDelayMs: number;
  /** Longest single backoff for 5xx and network failures. */
  maxBackoffMs: number;
  /** Longest rate-limit wait we accept; a longer one fails with the time to retry. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxBackoffMs: 32_000, maxWaitMs: 15 * 60_000 };
/** GitHub's advice for a secondary rate limit that names no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

/** The parts of an HTTP answer the retry decision needs. */
export interface AnswerSummary {
  status: number;
  header(name: string): string | null;
  /** GitHub's `message`, used to tell a secondary rate limit from a permission 403. */
  message?: string;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: "done" | "attempts-exhausted" | "wait-too-long"; retryAtMs?: number };

/** True when a 403/429 is a rate limit rather than a refusal. */
export function isRateLimited(answer: AnswerSummary): boolean {
  if (answer.status === 429) return true;
  if (answer.status !== 403) return false;
  return (
    answer.header("x-ratelimit-remaining") === "0" || answer.header("retry-after") !== null || /rate limit/i.test(answer.message ?? "")
  );
}

const retryAfterMs = (answer: AnswerSummary, nowMs: number) => parseRetryAfter(answer.header("retry-after"), nowMs);

/**
 * Whether to try again after `attempt` attempts (1 = the first), and after how long.
 * Success and ordinary 4xx answers are final.
 */
export function retryDecision(
  answer: AnswerSummary,
  attempt: number,
  nowMs: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const backoff = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** (attempt - 1));
  let delayMs: number;
  let reason: string;
  if (isRateLimited(answer)) {
    const after = retryAfterMs(answer, nowMs);
    const reset = answer.header("x-ratelimit-reset");
    if (after !== undefined) {
      delayMs = after;
      reason = `rate limited (${answer.status}, retry-after)`;
    } else if (answer.header("x-ratelimit-remaining") === "0" && reset !== null && /^\d+$/.test(reset)) {
      // A second more than the reset time: the window is counted in whole seconds.
      delayMs = Math.max(0, Number(reset) * 1000 - nowMs) + 1000;
      reason = `primary rate limit (${answer.status}, x-ratelimit-reset)`;
    } else {
      delayMs = Math.max(SECONDARY_LIMIT_WAIT_MS, backoff);
      reason = `secondary rate limit (${answer.status})`;
    }
    if (delayMs > policy.maxWaitMs) return { retry: false, reason: "wait-too-long", retryAtMs: nowMs + delayMs };
  } else if (answer.status >= 500) {
    delayMs = retryAfterMs(answer, nowMs) ?? backoff;
    reason = `server error ${answer.status}`;
  } else {
    return { retry: false, reason: "done" };
  }
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "attempts-exhausted" };
  return { retry: true, delayMs, reason };
}

/** A minted installation token this close to its expiry is not used for another request. */
export const RENEW_BEFORE_EXPIRY_MS = 60_000;

export interface GitHubClientOptions {
  /** A token; give this or `app`. */
  token?: string;
  /** Sign in as this GitHub App installation: the client mints its own installation tokens. */
  app?: GitHubAppCredentials;
  /** REST base URL; default https://api.github.com (GHE.com: https://api.<subdomain>.ghe.com). */
  apiUrl?: string;
  apiVersion?: string;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called before each wait; tests and logs see why. */
  onRetry?: (event: { operation: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface GitHubAnswer {
  status: number;
  body: unknown;
}

export interface GitHubClient {
  /**
   * Sends one REST request. Answers with a status in `accept` (default: any 2xx) resolve; others
   * throw a GitHubApiError that names the fix.
   */
  rest(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    context: CallContext,
    options?: { body?: unknown; accept?: number[] },
  ): Promise<GitHubAnswer>;
  /** Sends a GraphQL query; GraphQL-level errors are left to the caller (they come with status 200). */
  graphql(query: string, variables: Record<string, unknown>, context: CallContext): Promise<unknown>;
}

/**
 * The whole text of an answer, or a rejection once `signal` fires: a body that stalls after the
 * headers is abandoned when the attempt's time is up, whatever the fetch in use does with the signal.
 */
export function readAnswerText(response: Response, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const stop = () => {
      // The signal's reason: a TimeoutError (a DOMException, which is an Error) from AbortSignal.timeout.
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      response.body?.cancel(signal.reason).catch(() => undefined);
    };
    if (signal.aborted) return stop();
    signal.addEventListener("abort", stop, { once: true });
    response
      .text()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", stop));
  });
}

/** Why a fetch or the read of its body failed, in a few words: the system error's code, or that `timeout` ran out. */
export function describeFailure(error: unknown, timeout: string): string {
  if ((error as Error | undefined)?.name === "TimeoutError") return `no complete answer within ${timeout}`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  // A system error's code (ECONNREFUSED) says most; for fetch's own errors, their message ("other side closed").
  const code = typeof cause?.code === "string" && /^E[A-Z]+$/.test(cause.code) ? cause.code : undefined;
  const detail = code ?? (typeof cause?.message === "string" ? cause.message : undefined);
  return detail && detail !== message ? `${message}: ${detail}` : message;
}

/** A body that is JSON is parsed; any other text is kept as text (error pages), and no body is undefined. */
function parseBody(text: string): { body: unknown; json: boolean } {
  if (!text) return { body: undefined, json: true };
  try {
    return { body: JSON.parse(text), json: true };
  } catch {
    return { body: text, json: false };
  }
}

/** One attempt: the answer with its whole body, or where it failed (before or after the headers) and why. */
type Exchange = { response: Response; text: string } | { failed: "connect" | "body"; cause: string };

/** The messages in a GraphQL answer's `errors` (they may quote the request), redacted as every other message. */
function redactGraphQLErrors(body: unknown, hide: (text: string) => string): unknown {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return body;
  return {
    ...(body as object),
    errors: errors.map((error: unknown) =>
      typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string"
        ? { ...error, message: hide((error as { message: string }).message) }
        : error,
    ),
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const base = normalizeApiUrl(options.apiUrl);
  const { token, app } = options;
  const jsonWebToken = app ? appJsonWebTokens(app) : undefined;
  let minted: InstallationToken | undefined;
  let minting: Promise<InstallationToken> | undefined;
  /** Every secret this client holds, so no message shows one. */
  const secrets = () => [token, minted?.token, app?.privateKey].filter((secret): secret is string => Boolean(secret));
  const hide = (text: string) => redactSecrets(text, secrets());

  /** The installation token to send: the last one minted while it has time left, else a new one (one mint at a time). */
  async function installationToken(app: GitHubAppCredentials, context: CallContext): Promise<string> {
    if (minted && minted.expiresAtMs - now() > RENEW_BEFORE_EXPIRY_MS) return minted.token;
    minting ??= (async () => {
      const answer = await send(
        "POST",
        `${base}${installationTokenPath(app.installationId)}`,
        undefined,
        { ...context, operation: `${context.operation}: sign in as GitHub App ${app.appId}` },
        INSTALLATION_TOKEN_ANSWERS,
        // A JWT per attempt: a rate-limited mint may be retried after the last one's ten minutes.
        () => jsonWebToken!(context.operation),
      );
      if (answer.status !== 201) throw installationTokenRefused(context.operation, answer.status, answer.body, app, secrets());
      return parseInstallationToken(answer.body, app, context.operation);
    })().finally(() => (minting = undefined));
    minted = await minting;
    return minted.token;
  }

  /** One request and its whole answer, within one timeout; a failure is described without the token. */
  async function exchange(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Exchange> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      return { failed: "connect", cause: hide(describeFailure(error, `${timeoutMs} ms`)) };
    }
    try {
      return { response, text: await readAnswerText(response, signal) };
    } catch (error) {
      return { failed: "body", cause: hide(describeFailure(error, `${timeoutMs} ms`)) };
    }
  }

  /** `bearer` replaces the client's own sign-in for this request, asked anew for each attempt (the app's JWT when minting). */
  async function send(
    method: string,
    url: string,
    body: unknown,
    context: CallContext,
    accept?: number[],
    bearer?: () => Promise<string>,
  ): Promise<GitHubAnswer> {
    if (!token && !app && !bearer)
      throw gitHubApiError("unauthorized", undefined, `${context.operation} failed: no GitHub token; set ${TOKEN_SETTING}.`);
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      "x-github-api-version": options.apiVersion ?? GITHUB_API_VERSION,
      "user-agent": "azure-github-runner-network",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw gitHubApiError("invalid", undefined, `${context.operation} failed: ${quoted(hide(url))} is not a URL; check the API URL.`);
    }
    const request = hide(`${method} ${target.pathname}`);
    // Signed in as an app, a token GitHub refuses as expired is minted again, once per request.
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      headers.authorization = `Bearer ${bearer ? await bearer() : app ? await installationToken(app, context) : token}`;
      const outcome = await exchange(method, url, headers, body);
      if ("failed" in outcome) {
        // Refused, reset or timed out, before or after the headers: transient until the attempts run out.
        if (attempt >= policy.maxAttempts) {
          const what =
            outcome.failed === "connect"
              ? `could not reach ${target.origin} after ${attempt} attempts`
              : `the answer from ${target.origin} stopped after its headers in all ${attempt} attempts`;
          throw gitHubApiError("network", undefined, `${context.operation} failed: ${what} (${request}: ${outcome.cause}).`);
        }
        const delayMs = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const reason = outcome.failed === "connect" ? "network failure" : "answer stopped after its headers";
        options.onRetry?.({ operation: context.operation, attempt, delayMs, reason: `${reason} (${outcome.cause})` });
        await sleep(delayMs);
        continue;
      }
      const { response, text } = outcome;
      const { body: answerBody, json } = parseBody(text);
      const message =
        typeof answerBody === "object" && answerBody !== null && typeof (answerBody as { message?: unknown }).message === "string"
          ? (answerBody as { message: string }).message
          : undefined;
      const answer: AnswerSummary = { status: response.status, header: (name) => response.headers.get(name), message };
      // A rate-limited 403 is waited out even where 403 is an answer the caller tells (minting).
      const ok = !isRateLimited(answer) && (accept ? accept.includes(response.status) : response.status >= 200 && response.status < 300);
      if (ok && !json) {
        const type = response.headers.get("content-type");
        throw gitHubApiError(
          "unexpected-answer",
          response.status,
          `${context.operation} failed: the answer to ${request} (${response.status}${type ? `, ${hide(type)}` : ""}) is not JSON; it starts ${quoted(hide(text))}. A proxy or gateway may have answered instead of GitHub: check the API URL and the network path (HTTPS_PROXY).`,
        );
      }
      if (ok) return { status: response.status, body: answerBody };
      if (response.status === 401 && app && bearer === undefined) {
        if (!renewed) {
          renewed = true;
          minted = undefined;
          continue;
        }
        const message = (answerBody as { message?: unknown } | null | undefined)?.message;
        throw installationTokenRejected(context.operation, app, typeof message === "string" ? `: ${hide(message).slice(0, 300)}` : "");
      }
      const decision = retryDecision(answer, attempt, now(), policy);
      if (decision.retry) {
        options.onRetry?.({ operation: context.operation, attempt, delayMs: decision.delayMs, reason: decision.reason });
        await sleep(decision.delayMs);
        continue;
      }
      if (decision.reason === "wait-too-long" || (decision.reason === "attempts-exhausted" && isRateLimited(answer))) {
        const until = decision.retryAtMs === undefined ? "" : ` until ${new Date(decision.retryAtMs).toISOString()}`;
        throw gitHubApiError(
          "rate-limited",
          response.status,
          `${context.operation} failed: GitHub rate-limits ${app ? `GitHub App ${app.appId}'s installation ${app.installationId}` : "this token"}${until} (${response.status}); waiting longer than ${Math.round(policy.maxWaitMs / 60_000)} minutes or ${policy.maxAttempts} attempts is not done automatically. Run again later${app ? "" : ", or use a token with a higher limit (a GitHub App installation)"}.`,
        );
      }
      throw explainGitHubError(response.status, answerBody, context, minted?.token ?? token);
    }
  }

  return {
    rest: (method, path, context, requestOptions = {}) =>
      send(method, `${base}${path}`, requestOptions.body, context, requestOptions.accept),
    graphql: async (query, variables, context) =>
      redactGraphQLErrors((await send("POST", graphqlUrl(base), { query, variables }, context)).body, hide),
  };
}
