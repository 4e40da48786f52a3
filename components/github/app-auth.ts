/**
 * Signing in as a GitHub App installation. The app's JSON Web Token comes from @octokit/auth-app
 * (Octokit's own App sign-in: RS256 over `iss`/`iat`/`exp`, PKCS#1 and PKCS#8 keys, escaped line
 * breaks), loaded on first use, so token sign-in, previews and the offline plan never load it. The
 * installation token is bought by the client (client.ts) with that JWT, through the same retries,
 * timeouts and redaction as every other request (ARCHITECTURE.md, "GitHub App sign-in: measured").
 *
 * Endpoint: `POST /app/installations/{installation_id}/access_tokens`, answering 201 with `token`
 * and `expires_at` (GitHub's REST description, "Create an installation access token for an app").
 */
import { gitHubApiError, type GitHubApiError } from "./errors";
import { GITHUB_APP_CONFIG_PATH, GITHUB_APP_ENVIRONMENT, type GitHubAppCredentials, type GitHubAppKey } from "../lib/github-app";
import { redactSecrets } from "../lib/redact";

/** An installation token and when GitHub says it expires. */
export interface InstallationToken {
  token: string;
  expiresAtMs: number;
}

/** Answers the mint request may end in that are told here, not retried: success and GitHub's documented refusals. */
export const INSTALLATION_TOKEN_ANSWERS = [201, 401, 403, 404, 422];

export function installationTokenPath(installationId: string): string {
  return `/app/installations/${encodeURIComponent(installationId)}/access_tokens`;
}

/**
 * Where a key of the app is set, as messages name it: the stack config or its environment variable
 * (a resource's `app` argument has the same keys).
 */
export const appSetting = (key: GitHubAppKey) => `${GITHUB_APP_CONFIG_PATH}.${key} (or ${GITHUB_APP_ENVIRONMENT[key]})`;

/** How every sign-in failure starts: what was being done, and as which app. */
const cannotSignIn = (operation: string, app: GitHubAppCredentials) =>
  `${operation} failed: cannot sign in as GitHub App ${app.appId} (installation ${app.installationId})`;

type AppAuth = Awaited<ReturnType<typeof loadAppAuth>>;

async function loadAppAuth(app: GitHubAppCredentials) {
  const { createAppAuth } = await import("@octokit/auth-app");
  // The JWT's iss: a numeric App ID as a number, a client ID as it is.
  return createAppAuth({ appId: /^\d+$/.test(app.appId) ? Number(app.appId) : app.appId, privateKey: app.privateKey });
}

/** Makes the app's JWTs, each good for the next request only (GitHub allows at most ten minutes). */
export function appJsonWebTokens(app: GitHubAppCredentials): (operation: string) => Promise<string> {
  let auth: Promise<AppAuth> | undefined;
  return async (operation) => {
    // A failure to load the library is not the key's fault: it is thrown as it is.
    auth ??= loadAppAuth(app);
    const signer = await auth;
    try {
      return (await signer({ type: "app" })).token;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw gitHubApiError(
        "unauthorized",
        undefined,
        `${cannotSignIn(operation, app)}: its private key cannot sign (${redactSecrets(reason, [app.privateKey])}). Set ${appSetting("privateKey")} to the app's private key, the whole PEM file from the app's settings (Private keys > Generate a private key).`,
      );
    }
  };
}

/** The token and its expiry from a 201 answer; anything else is not GitHub's answer. */
export function parseInstallationToken(body: unknown, app: GitHubAppCredentials, operation: string): InstallationToken {
  const { token, expires_at: expiresAt } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const expiresAtMs = typeof expiresAt === "string" ? Date.parse(expiresAt) : Number.NaN;
  if (typeof token === "string" && token !== "" && Number.isFinite(expiresAtMs)) return { token, expiresAtMs };
  throw gitHubApiError(
    "unexpected-answer",
    201,
    `${cannotSignIn(operation, app)}: the answer has no token and expires_at. A proxy or gateway may have answered instead of GitHub: check the API URL and the network path (HTTPS_PROXY).`,
  );
}

/** GitHub's refusal to mint, as the fix: the key or the app's id (401), the installation (404), or what GitHub said. */
export function installationTokenRefused(
  operation: string,
  status: number,
  body: unknown,
  app: GitHubAppCredentials,
  secrets: string[],
): GitHubApiError {
  const message = (body as { message?: unknown } | null | undefined)?.message;
  const said = typeof message === "string" && message ? `: ${redactSecrets(message, secrets).slice(0, 300)}` : "";
  if (status === 401)
    return gitHubApiError(
      "unauthorized",
      status,
      `${cannotSignIn(operation, app)}: GitHub refused the app's JSON Web Token (401${said}). The private key is not this app's, or the client ID or App ID is wrong: check ${appSetting("privateKey")} and ${appSetting("appId")}. A clock more than a minute off also makes GitHub refuse it.`,
    );
  if (status === 404)
    return gitHubApiError(
      "not-found",
      status,
      `${cannotSignIn(operation, app)}: the app has no such installation (404${said}). Check ${appSetting("installationId")}: install the app on the organization, and take the number at the end of the installation's settings URL.`,
    );
  return gitHubApiError(
    status === 403 ? "forbidden" : "invalid",
    status,
    `${cannotSignIn(operation, app)}: GitHub refused to mint an installation token (${status}${said}). A suspended installation is refused: check the app's installation in the organization's settings.`,
  );
}

/** An installation token GitHub refused although it was just minted: the installation went away meanwhile. */
export function installationTokenRejected(operation: string, app: GitHubAppCredentials, said: string): GitHubApiError {
  return gitHubApiError(
    "unauthorized",
    401,
    `${operation} failed: GitHub refused the installation token just minted for GitHub App ${app.appId} (401${said}). The installation may have been removed or suspended meanwhile: check ${appSetting("installationId")}.`,
  );
}
