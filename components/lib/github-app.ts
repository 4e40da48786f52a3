/**
 * Signing in as a GitHub App installation: the three values it takes, where each may come from
 * (the stack config's `github.app`, or environment variables for CI), and their checks. No zod
 * and no I/O (a key is read with node:crypto): components/github's dynamic provider runs the same
 * checks on a resource's `app` input.
 *
 * GitHub's rules (docs.github.com, "Generating a JSON Web Token (JWT) for a GitHub App" and
 * "Generating an installation access token for a GitHub App"): the app signs a JWT with its RSA
 * private key (the PEM file downloaded from the app's settings), its `iss` the app's client ID
 * (recommended) or its numeric App ID; the JWT buys a token for one installation
 * (`POST /app/installations/{installation_id}/access_tokens`).
 * No check here echoes a private key.
 */
import { createPrivateKey } from "node:crypto";
import { quoted, type Problem } from "./problems";

/** What a GitHub App sign-in needs; ids are kept as text (digits, or the client ID). */
export interface GitHubAppCredentials {
  /** The app's client ID (`Iv…`) or its numeric App ID: the JWT's `iss`. */
  appId: string;
  installationId: string;
  /** PEM text; kept as a secret wherever it is stored. */
  privateKey: string;
}

export const GITHUB_APP_KEYS = ["appId", "installationId", "privateKey"] as const;
export type GitHubAppKey = (typeof GITHUB_APP_KEYS)[number];

/** The environment variables a CI job can sign in with instead of (or, per key, besides) the stack config's github.app. */
export const GITHUB_APP_ENVIRONMENT: Readonly<Record<GitHubAppKey, string>> = {
  appId: "GITHUB_APP_ID",
  installationId: "GITHUB_APP_INSTALLATION_ID",
  privateKey: "GITHUB_APP_PRIVATE_KEY",
};

/** The stack config path of each key, as messages name it. */
export const GITHUB_APP_CONFIG_PATH = "github.app";

/** What a `pulumi config set` of the key looks like; shown wherever the key must be given or moved. */
export const PRIVATE_KEY_SET_COMMAND =
  "pulumi config set --secret --path 'azure-github-runner-network:github.app.privateKey' < app-private-key.pem";

/** A positive whole number, as a number or as digits (Pulumi config and environment variables give text). */
function numericId(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^[1-9]\d{0,18}$/.test(value.trim())) return value.trim();
  return undefined;
}

/**
 * A GitHub App's client ID: `Iv1.` and 16 hex digits for older apps, `Iv23` and 16 letters and
 * digits for newer ones. GitHub documents no pattern; every App client ID starts with `Iv` (an
 * OAuth app's with `Ov`), so this catches a wrong value before the first sign-in.
 */
const CLIENT_ID = /^Iv\d+\.?[A-Za-z0-9]{10,40}$/;

/** The app's client ID or its numeric App ID, as text; undefined for anything else. */
function appIdentifier(value: unknown): string | undefined {
  if (typeof value === "string" && CLIENT_ID.test(value.trim())) return value.trim();
  return numericId(value);
}

export function appIdProblem(value: unknown): string | undefined {
  return appIdentifier(value) === undefined
    ? `${quoted(value)} is not allowed; use the GitHub App's client ID (Iv…, which GitHub recommends) or its numeric App ID (both on its settings page, "About")`
    : undefined;
}

export function installationIdProblem(value: unknown): string | undefined {
  return numericId(value) === undefined
    ? `${quoted(value)} is not allowed; use the numeric id of the app's installation (the number at the end of the installation's settings URL, .../installations/<id>)`
    : undefined;
}

/** Both header forms GitHub's keys come in: PKCS#1 (`RSA PRIVATE KEY`, what GitHub hands out) and PKCS#8 (`PRIVATE KEY`). */
const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+-----END (?:RSA )?PRIVATE KEY-----/;

/** Never quotes the value: whatever it is, it may be (part of) a private key. */
export function privateKeyProblem(value: unknown): string | undefined {
  const allowed =
    "use the app's private key, the whole PEM file GitHub gave (-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY-----)";
  if (typeof value !== "string" || value.trim() === "") return `required; ${allowed}`;
  const pem = value.replace(/\\n/g, "\n");
  if (PEM_PRIVATE_KEY.test(pem)) {
    // Read, not only shaped like one: a line lost in copying shows here rather than at the first sign-in.
    try {
      const type = createPrivateKey(pem).asymmetricKeyType;
      return type === "rsa"
        ? undefined
        : `is a${type === "ec" ? "n" : ""} ${String(type).toUpperCase()} key, GitHub App keys are RSA; ${allowed}`;
    } catch {
      return `cannot be read as a private key (a line missing or changed?); ${allowed}`;
    }
  }
  if (/-----BEGIN (?:RSA )?PUBLIC KEY-----/.test(value)) return `is a public key; ${allowed}`;
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(value)) return `is an OpenSSH key; ${allowed}`;
  return `is not a PEM private key; ${allowed}`;
}

/**
 * The credentials with ids as digit strings, or undefined when a value is missing or wrong (its
 * problem says which). Values not known yet (`isUnknown`) count as given.
 */
export function gitHubAppProblems(app: unknown, isUnknown: (value: unknown) => boolean = () => false): Problem[] {
  if (typeof app !== "object" || app === null || Array.isArray(app))
    return [{ path: "", message: "must be an object with appId, installationId and privateKey" }];
  const record = app as Record<string, unknown>;
  const problems: Problem[] = Object.keys(record)
    .filter((key) => !(GITHUB_APP_KEYS as readonly string[]).includes(key))
    .map((key) => ({ path: key, message: `unknown key; allowed: ${GITHUB_APP_KEYS.join(", ")}` }));
  const checks: Record<GitHubAppKey, (value: unknown) => string | undefined> = {
    appId: appIdProblem,
    installationId: installationIdProblem,
    privateKey: privateKeyProblem,
  };
  for (const key of GITHUB_APP_KEYS) {
    if (isUnknown(record[key])) continue;
    const message = checks[key](record[key]);
    if (message) problems.push({ path: key, message });
  }
  return problems;
}

/** The credentials with ids as text, for values that passed `gitHubAppProblems`. */
export function normalizeGitHubApp(app: { appId: unknown; installationId: unknown; privateKey: unknown }): GitHubAppCredentials {
  return {
    appId: appIdentifier(app.appId) ?? String(app.appId),
    installationId: numericId(app.installationId) ?? String(app.installationId),
    privateKey: String(app.privateKey),
  };
}

/** Where the app's values come from for one run: each key from the stack config, else from its environment variable. */
export interface GitHubAppSources {
  /** The stack config's github.app, if any (privateKey may be left to the environment). */
  config?: Partial<Record<GitHubAppKey, unknown>>;
  env: Readonly<Record<string, string | undefined>>;
}

export type GitHubAppResolution =
  | { kind: "none" }
  | { kind: "app"; app: GitHubAppCredentials }
  /** Everything but the private key is there: like a missing token, fine for a preview, not for changing GitHub. */
  | { kind: "no-key"; appId: string; installationId: string }
  | { kind: "invalid"; problems: Problem[] };

/** Whether any GitHub App environment variable is set (non-empty). */
export function gitHubAppInEnvironment(env: Readonly<Record<string, string | undefined>>): boolean {
  return GITHUB_APP_KEYS.some((key) => Boolean(env[GITHUB_APP_ENVIRONMENT[key]]));
}

/**
 * The app for this run: each key from `config` when it holds it, else from its environment
 * variable. Problems name both places a value can come from.
 */
export function resolveGitHubApp({ config, env }: GitHubAppSources): GitHubAppResolution {
  if (config === undefined && !gitHubAppInEnvironment(env)) return { kind: "none" };
  const value = (key: GitHubAppKey) => config?.[key] ?? (env[GITHUB_APP_ENVIRONMENT[key]] || undefined);
  const where = (key: GitHubAppKey) => `${GITHUB_APP_CONFIG_PATH}.${key} (or ${GITHUB_APP_ENVIRONMENT[key]})`;
  const named = (key: GitHubAppKey) => (config?.[key] !== undefined ? `${GITHUB_APP_CONFIG_PATH}.${key}` : GITHUB_APP_ENVIRONMENT[key]);
  const values = { appId: value("appId"), installationId: value("installationId"), privateKey: value("privateKey") };
  const problems: Problem[] = [];
  for (const key of GITHUB_APP_KEYS) {
    if (values[key] === undefined) {
      if (key !== "privateKey") problems.push({ path: where(key), message: "required to sign in as a GitHub App" });
      continue;
    }
    const problem = gitHubAppProblems({ [key]: values[key] }).find((p) => p.path === key);
    if (problem) problems.push({ path: named(key), message: problem.message });
  }
  if (problems.length) return { kind: "invalid", problems };
  if (values.privateKey === undefined)
    return { kind: "no-key", appId: appIdentifier(values.appId)!, installationId: numericId(values.installationId)! };
  return { kind: "app", app: normalizeGitHubApp(values) };
}

/**
 * GitHub's enterprise network configuration endpoints take no GitHub App installation token
 * (their REST description: `enabledForGitHubApps: false`; "This endpoint does not work with GitHub
 * App user access tokens, GitHub App installation access tokens, or fine-grained personal access
 * tokens"); an enterprise owner's classic token with admin:enterprise does.
 */
export const ENTERPRISE_CONFIGURATIONS_NEED_A_TOKEN =
  "GitHub's enterprise network configuration endpoints refuse GitHub App installation tokens; sign in with a classic personal access token of an enterprise owner (admin:enterprise) instead";

/**
 * What the stack config's sign-in must agree with: one way to sign in (githubToken or github.app),
 * and no app where GitHub takes only a token (an enterprise's network configuration).
 */
export function signInConfigProblems(config: { githubToken?: unknown; github?: unknown }): Problem[] {
  const github = (typeof config.github === "object" && config.github !== null ? config.github : {}) as Record<string, unknown>;
  if (github.app === undefined) return [];
  const problems: Problem[] = [];
  if (config.githubToken !== undefined)
    problems.push({
      path: GITHUB_APP_CONFIG_PATH,
      message:
        "githubToken and github.app are both set; sign in one way: remove githubToken to sign in as the GitHub App, or github.app to sign in with the token",
    });
  if (github.scope === "enterprise" && github.networkConfiguration !== undefined)
    problems.push({
      path: GITHUB_APP_CONFIG_PATH,
      message: `cannot manage github.networkConfiguration with scope enterprise: ${ENTERPRISE_CONFIGURATIONS_NEED_A_TOKEN} (githubToken)`,
    });
  return problems;
}
