/**
 * GitHub API failures turned into messages that name the fix. Pure and dependency-free: it travels
 * with the serialized dynamic providers (see api.ts).
 *
 * Token scopes quoted here: the `description` of each operation in ../shared/reference/openapi-*.yaml
 * (classic scopes `read:`/`write:network_configurations`, `admin:org` for runner groups;
 * `enabledForGitHubApps: false` on the enterprise endpoints), GitHub's Enterprise Cloud description
 * for enterprise runner groups (`manage_runners:enterprise`, `enabledForGitHubApps: false`) and
 * GitHub's REST docs for fine-grained permissions and enterprise network configurations (no
 * fine-grained token or GitHub App; a classic token with `admin:enterprise`).
 */
import { redactSecrets } from "../lib/redact";
import type { Owner } from "./api";

/** Which family of endpoints a call belongs to; decides which token permission to suggest. */
export type Endpoint = "network-configurations" | "runner-groups" | "graphql";

export interface CallContext {
  /** What we were doing, e.g. `create network configuration "azure-private"`. */
  operation: string;
  endpoint: Endpoint;
  owner: Owner;
}

export type GitHubErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "name-taken"
  /** A network settings resource another network configuration already uses. */
  | "settings-in-use"
  | "wrong-business-level"
  | "invalid"
  | "rate-limited"
  | "server"
  | "network"
  /** A successful status with an answer that is not GitHub's (not JSON, or not the shape asked for). */
  | "unexpected-answer";

/** A failed GitHub call. The message never holds the token or anything shaped like one (see `redact`). */
export interface GitHubApiError extends Error {
  name: "GitHubApiError";
  kind: GitHubErrorKind;
  status: number | undefined;
}

/**
 * Makes a GitHubApiError. A plain Error with fields, not a subclass: Pulumi's closure serializer
 * rewrites `class ... extends Error` so that `super(message)` no longer sets the message, and the
 * dynamic provider would report "undefined".
 */
export function gitHubApiError(kind: GitHubErrorKind, status: number | undefined, message: string): GitHubApiError {
  return Object.assign(new Error(message), { name: "GitHubApiError" as const, kind, status });
}

export function isGitHubApiError(error: unknown, kind?: GitHubErrorKind): error is GitHubApiError {
  return error instanceof Error && error.name === "GitHubApiError" && (kind === undefined || (error as GitHubApiError).kind === kind);
}

/** `text` without the token or anything shaped like a secret (../lib/redact.ts), as every message here is made. */
export function redact(text: string, token: string | undefined): string {
  return redactSecrets(text, [token]);
}

export const TOKEN_SETTING = "the secret config azure-github-runner-network:githubToken (pulumi config set --secret) or GITHUB_TOKEN";

export function permissionHint(endpoint: Endpoint, owner: Owner): string {
  if (endpoint === "graphql") {
    return owner.scope === "enterprise"
      ? "Reading an enterprise's databaseId needs a token with read:enterprise."
      : "Reading an organization's databaseId needs a token with read:org.";
  }
  if (endpoint === "runner-groups") {
    return owner.scope === "enterprise"
      ? "Enterprise runner groups need a classic personal access token with the manage_runners:enterprise scope (or admin:enterprise) from an enterprise owner; GitHub Apps and fine-grained tokens cannot use the enterprise endpoints."
      : 'Organization runner groups need a fine-grained token or GitHub App with the organization permission "Self-hosted runners" (read and write), or a classic token with admin:org.';
  }
  return owner.scope === "enterprise"
    ? "Enterprise network configurations need a classic personal access token with the admin:enterprise scope from an enterprise owner; GitHub Apps and fine-grained tokens cannot use the enterprise endpoints."
    : `Organization network configurations need a fine-grained token or GitHub App with the organization permission "Network configurations" (read and write), or a classic token with write:network_configurations. ${ENTERPRISE_POLICY_HINT}`;
}

/**
 * An organization in an enterprise creates network configurations only when the enterprise allows
 * it: by default its organizations inherit the enterprise's (docs.github.com, "Troubleshooting Azure
 * private network configurations for GitHub-hosted runners in your enterprise").
 */
export const ENTERPRISE_POLICY_HINT =
  "If the organization belongs to an enterprise, an enterprise owner must also allow organizations to create network configurations (the enterprise's hosted compute networking policy); until then the organization can only use the enterprise's.";

const ownerText = (owner: Owner) => `${owner.scope} "${owner.slug}"`;

/** The `errors` of a validation-failed answer (GitHub's `validation-error` schema), as objects. */
function errorItems(body: unknown): Record<string, unknown>[] {
  const errors = typeof body === "object" && body !== null ? (body as { errors?: unknown }).errors : undefined;
  return Array.isArray(errors)
    ? errors.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null && !Array.isArray(e))
    : [];
}

/** What GitHub said, redacted before a long text is cut (a cut could split the token). */
function githubMessage(body: unknown, token: string | undefined): string {
  if (typeof body !== "object" || body === null) return typeof body === "string" && body ? redact(body, token).slice(0, 300) : "";
  const { message, errors } = body as { message?: unknown; errors?: unknown };
  const details = Array.isArray(errors)
    ? errors
        .map((e) =>
          typeof e === "string"
            ? e
            : typeof e === "object" && e !== null
              ? [(e as Record<string, unknown>).field, (e as Record<string, unknown>).code, (e as Record<string, unknown>).message]
                  .filter((x) => typeof x === "string")
                  .join(" ")
              : "",
        )
        .filter(Boolean)
    : [];
  return redact([typeof message === "string" ? message : "", ...details].filter(Boolean).join("; "), token);
}

const SETTINGS_FIELDS = ["network_settings_ids", "failover_network_settings_ids"];

/**
 * A network settings resource belongs to one network configuration at a time: GitHub says another
 * configuration uses it, or that the value of a settings field already exists.
 */
function isSettingsInUse(body: unknown, message: string): boolean {
  return (
    /(in use|used) by (another|a different|an other) (network )?configuration/i.test(message) ||
    errorItems(body).some((e) => SETTINGS_FIELDS.includes(e.field as string) && e.code === "already_exists")
  );
}

function isNameTaken(body: unknown, message: string): boolean {
  return errorItems(body).some((e) => e.code === "already_exists") || /already (exists|taken|in use)|name .*taken/i.test(message);
}

/**
 * GitHub's troubleshooting page describes this refusal: the networkSettings resource is tied to a
 * different enterprise or organization (wrong level of businessId).
 */
function isWrongBusinessLevel(message: string): boolean {
  return /associated with a different|different (enterprise|organization|business)|private network cannot be established/i.test(message);
}

/** The error for a final (not retried) 4xx/5xx answer. */
export function explainGitHubError(status: number, body: unknown, context: CallContext, token?: string): GitHubApiError {
  const said = githubMessage(body, token);
  const quoted = said ? `: ${said}` : "";
  const { operation, endpoint, owner } = context;
  if (status === 401) {
    return gitHubApiError(
      "unauthorized",
      status,
      `${operation} failed: GitHub rejected the token (401${quoted}). It is missing, expired or revoked; set a valid token in ${TOKEN_SETTING}.`,
    );
  }
  if (status === 403) {
    return gitHubApiError(
      "forbidden",
      status,
      `${operation} failed: the token is not allowed to do this in ${ownerText(owner)} (403${quoted}). ${permissionHint(endpoint, owner)}`,
    );
  }
  if (status === 404) {
    const other = owner.scope === "enterprise" ? "organization" : "enterprise";
    return gitHubApiError(
      "not-found",
      status,
      `${operation} failed: GitHub found nothing at ${ownerText(owner)} (404${quoted}). Check github.slug and github.scope: an ${other} slug used with scope ${owner.scope} is not found, and GitHub also answers 404 when the token cannot see the ${owner.scope}. ${permissionHint(endpoint, owner)}`,
    );
  }
  if (status === 422 || status === 409 || status === 400) {
    if (isWrongBusinessLevel(said)) {
      return gitHubApiError(
        "wrong-business-level",
        status,
        `${operation} failed: GitHub refused the network settings resource (${status}${quoted}). It was created with the businessId of another ${owner.scope === "enterprise" ? "level or enterprise" : "level or organization"}; networkSettings used by ${ownerText(owner)} need that ${owner.scope}'s databaseId. Set github.businessId to it (or omit it to look it up from github.slug); this replaces the networkSettings resource.`,
      );
    }
    if (isSettingsInUse(body, said)) {
      return gitHubApiError(
        "settings-in-use",
        status,
        `${operation} failed: another network configuration already uses the network settings resource (${status}${quoted}). A network settings resource belongs to one configuration at a time.`,
      );
    }
    if (isNameTaken(body, said)) {
      return gitHubApiError(
        "name-taken",
        status,
        `${operation} failed: the name is already taken in ${ownerText(owner)} (${status}${quoted}). Choose another name, or adopt the existing one with the resource option import.`,
      );
    }
    return gitHubApiError("invalid", status, `${operation} failed: GitHub refused the request (${status}${quoted}).`);
  }
  if (status >= 500) {
    return gitHubApiError(
      "server",
      status,
      `${operation} failed: GitHub answered ${status}${quoted} and kept failing after retries; try again later (https://www.githubstatus.com).`,
    );
  }
  return gitHubApiError("invalid", status, `${operation} failed: GitHub answered ${status}${quoted}.`);
}
