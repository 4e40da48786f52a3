/**
 * GitHub App sign-in settings: each value's check, where each key comes from (the stack config's
 * github.app, else its environment variable), the stack config's github.app schema and what it
 * must agree with. No message quotes a private key.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appIdProblem,
  gitHubAppProblems,
  installationIdProblem,
  privateKeyProblem,
  resolveGitHubApp,
  signInConfigProblems,
} from "../../../components/lib/github-app";
import { validateStackConfig } from "../../../components/lib/stack-config";
import { generateAppKey } from "../../support/github-app-keys";

const KEY = generateAppKey().privateKey;
const PKCS8 = createPrivateKey(generateAppKey().privateKey).export({ type: "pkcs8", format: "pem" }).toString();
const EC_KEY = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ID_ALLOWED = `is not allowed; use the GitHub App's client ID (Iv…, which GitHub recommends) or its numeric App ID (both on its settings page, "About")`;
const INSTALLATION_ALLOWED =
  "is not allowed; use the numeric id of the app's installation (the number at the end of the installation's settings URL, .../installations/<id>)";
const KEY_ALLOWED =
  "use the app's private key, the whole PEM file GitHub gave (-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY-----)";

describe("the values", () => {
  it.each([
    [1234, undefined],
    ["1234", undefined],
    [" 1234 ", undefined],
    [0, `0 ${ID_ALLOWED}`],
    [-5, `-5 ${ID_ALLOWED}`],
    [1.5, `1.5 ${ID_ALLOWED}`],
    ["Iv1.8a61f9b3a7aba766", undefined],
    ["Iv23liA1b2C3d4E5f6G7", undefined],
    [" Iv23liA1b2C3d4E5f6G7 ", undefined],
    ["Iv1.abc", `"Iv1.abc" ${ID_ALLOWED}`],
    ["Ov23liA1b2C3d4E5f6G7", `"Ov23liA1b2C3d4E5f6G7" ${ID_ALLOWED}`],
    ["Iv23li-A1b2C3d4E5f6G7", `"Iv23li-A1b2C3d4E5f6G7" ${ID_ALLOWED}`],
    ["", `"" ${ID_ALLOWED}`],
    [undefined, `undefined ${ID_ALLOWED}`],
  ])("App ID %j", (value, expected) => {
    expect(appIdProblem(value)).toBe(expected);
  });

  it.each([
    ["5678", undefined],
    [5678, undefined],
    ["56a", `"56a" ${INSTALLATION_ALLOWED}`],
  ])("installation id %j", (value, expected) => {
    expect(installationIdProblem(value)).toBe(expected);
  });

  it.each([
    ["a PKCS#1 key (what GitHub hands out)", KEY, undefined],
    ["a PKCS#8 key", PKCS8, undefined],
    ["a key with escaped line breaks (an environment variable)", KEY.replace(/\n/g, "\\n"), undefined],
    ["nothing", undefined, `required; ${KEY_ALLOWED}`],
    ["blank", "  ", `required; ${KEY_ALLOWED}`],
    ["a number", 42, `required; ${KEY_ALLOWED}`],
    ["a public key", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", `is a public key; ${KEY_ALLOWED}`],
    ["an OpenSSH key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----", `is an OpenSSH key; ${KEY_ALLOWED}`],
    ["the key's first half only", KEY.slice(0, 200), `is not a PEM private key; ${KEY_ALLOWED}`],
    [
      "a line lost in copying",
      KEY.replace(/\n[^\n]+\n/, "\n"),
      `cannot be read as a private key (a line missing or changed?); ${KEY_ALLOWED}`,
    ],
    ["an EC key", EC_KEY, `is an EC key, GitHub App keys are RSA; ${KEY_ALLOWED}`],
    ["a file path", "./app.pem", `is not a PEM private key; ${KEY_ALLOWED}`],
  ])("private key: %s", (_name, value, expected) => {
    expect(privateKeyProblem(value)).toBe(expected);
  });

  it("gitHubAppProblems names each key, skips values not known yet, and refuses unknown keys", () => {
    const unknown = "not-known-yet";
    expect(
      gitHubAppProblems({ appId: "x", installationId: unknown, privateKey: KEY.slice(0, 100), clientId: "Iv1" }, (v) => v === unknown),
    ).toEqual([
      { path: "clientId", message: "unknown key; allowed: appId, installationId, privateKey" },
      { path: "appId", message: `"x" ${ID_ALLOWED}` },
      { path: "privateKey", message: `is not a PEM private key; ${KEY_ALLOWED}` },
    ]);
    expect(gitHubAppProblems("1234")).toEqual([{ path: "", message: "must be an object with appId, installationId and privateKey" }]);
  });
});

describe("where each key comes from", () => {
  const env = { GITHUB_APP_ID: "1234", GITHUB_APP_INSTALLATION_ID: "5678", GITHUB_APP_PRIVATE_KEY: KEY };
  it.each([
    ["nothing anywhere", undefined, {}, { kind: "none" }],
    [
      "all from the stack config",
      { appId: 1234, installationId: 5678, privateKey: KEY },
      {},
      { kind: "app", app: { appId: "1234", installationId: "5678", privateKey: KEY } },
    ],
    ["all from the environment (CI)", undefined, env, { kind: "app", app: { appId: "1234", installationId: "5678", privateKey: KEY } }],
    [
      "ids from the stack config, the key from GITHUB_APP_PRIVATE_KEY",
      { appId: 1111, installationId: 2222 },
      env,
      { kind: "app", app: { appId: "1111", installationId: "2222", privateKey: KEY } },
    ],
    [
      "everything but the key (a preview without it)",
      { appId: 1111, installationId: 2222 },
      {},
      { kind: "no-key", appId: "1111", installationId: "2222" },
    ],
    [
      "the installation missing",
      { appId: 1111, privateKey: KEY },
      {},
      {
        kind: "invalid",
        problems: [{ path: "github.app.installationId (or GITHUB_APP_INSTALLATION_ID)", message: "required to sign in as a GitHub App" }],
      },
    ],
    [
      "a bad value, named where it came from",
      undefined,
      { ...env, GITHUB_APP_ID: "my-app", GITHUB_APP_PRIVATE_KEY: "./app.pem" },
      {
        kind: "invalid",
        problems: [
          { path: "GITHUB_APP_ID", message: `"my-app" ${ID_ALLOWED}` },
          { path: "GITHUB_APP_PRIVATE_KEY", message: `is not a PEM private key; ${KEY_ALLOWED}` },
        ],
      },
    ],
    [
      "an empty variable counts as unset",
      undefined,
      { GITHUB_APP_ID: "", GITHUB_APP_INSTALLATION_ID: "5678" },
      { kind: "invalid", problems: [{ path: "github.app.appId (or GITHUB_APP_ID)", message: "required to sign in as a GitHub App" }] },
    ],
  ])("%s", (_name, config, environment, expected) => {
    expect(resolveGitHubApp({ config, env: environment })).toEqual(expected);
  });
});

describe("github.app in the stack config", () => {
  const networks = [{ name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 }];
  const github = { businessId: "12345678", scope: "organization", slug: "my-org" };
  const issuesOf = (config: Record<string, unknown>) => {
    const result = validateStackConfig({ networks, ...config });
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it.each([
    ["ids as numbers, the key as a secret", { github: { ...github, app: { appId: 1234, installationId: 5678, privateKey: KEY } } }, []],
    ["ids as digits, the key left to the environment", { github: { ...github, app: { appId: "1234", installationId: "5678" } } }, []],
    [
      "a token as well",
      { githubToken: "ghp_x", github: { ...github, app: { appId: 1234, installationId: 5678 } } },
      [
        "github.app: githubToken and github.app are both set; sign in one way: remove githubToken to sign in as the GitHub App, or github.app to sign in with the token",
      ],
    ],
    [
      "an enterprise's network configuration",
      {
        github: {
          ...github,
          scope: "enterprise",
          slug: "acme",
          app: { appId: 1234, installationId: 5678 },
          networkConfiguration: { name: "private" },
        },
      },
      [
        "github.app: cannot manage github.networkConfiguration with scope enterprise: GitHub's enterprise network configuration endpoints refuse GitHub App installation tokens; sign in with a classic personal access token of an enterprise owner (admin:enterprise) instead (githubToken)",
      ],
    ],
    [
      "bad ids, an unknown key and a key that is not text",
      { github: { ...github, app: { appId: "my-app", installationId: true, privateKey: { pem: KEY }, clientId: "Iv1.x" } } },
      [
        `github.app.appId: "my-app" ${ID_ALLOWED}`,
        `github.app.installationId: true ${INSTALLATION_ALLOWED}`,
        "github.app.privateKey: must be the PEM text, set as a secret: pulumi config set --secret --path 'azure-github-runner-network:github.app.privateKey' < app-private-key.pem",
        "github.app.clientId: unknown key; allowed: appId, installationId, privateKey",
      ],
    ],
    [
      "not an object",
      { github: { ...github, app: "1234" } },
      ["github.app: must be an object with keys: appId, installationId, privateKey"],
    ],
  ])("%s", (_name, config, expected) => {
    const issues = issuesOf(config);
    expect(issues).toEqual(expected);
    for (const issue of issues) expect(issue).not.toContain("PRIVATE KEY-----\n");
  });

  it("signInConfigProblems has nothing to say without github.app", () => {
    expect(signInConfigProblems({ githubToken: "t", github: { ...github, scope: "enterprise", networkConfiguration: {} } })).toEqual([]);
  });
});
