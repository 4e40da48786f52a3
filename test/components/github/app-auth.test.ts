/**
 * Signing in as a GitHub App against the emulator, which checks the app's JWT as GitHub does:
 * the client mints an installation token on its first request, keeps it while it has time left,
 * mints again when it nears its expiry or GitHub refuses it as expired, waits out a rate-limited
 * mint, signs in by client ID or App ID, and tells a wrong key, a wrong id and an unknown
 * installation apart, never showing a key or a token.
 */
import { createSign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createGitHubClient, RENEW_BEFORE_EXPIRY_MS } from "../../../components/github/client";
import { lookUpBusinessId } from "../../../components/github/business-id";
import { isGitHubApiError } from "../../../components/github/errors";
import { generateAppKey } from "../../support/github-app-keys";
import { type GitHubEmulator } from "../../support/github-emulator";
import { ORGANIZATION_LISTING, useGitHubEmulator } from "../../support/use-github-emulator";

const APP_ID = "1234";
const CLIENT_ID = "Iv23liA1b2C3d4E5f6G7";
const INSTALLATION_ID = "5678";
const appKey = generateAppKey();
const strangerKey = generateAppKey();
const LIFETIME_MS = 3_600_000;
let emulator!: GitHubEmulator;
useGitHubEmulator(
  {
    tokens: {},
    apps: {
      [APP_ID]: {
        publicKey: appKey.publicKey,
        clientId: CLIENT_ID,
        installations: { [INSTALLATION_ID]: ["org:network-configurations", "read:org"] },
      },
    },
    installationTokenLifetimeMs: LIFETIME_MS,
    organizations: { "my-org": 4201 },
  },
  (started) => {
    emulator = started;
  },
);

const { context, path: LIST } = ORGANIZATION_LISTING;
const MINT = `/app/installations/${INSTALLATION_ID}/access_tokens`;
const app = { appId: APP_ID, installationId: INSTALLATION_ID, privateKey: appKey.privateKey };

/** A client signed in as the app, with a clock the test moves and instant sleeps. */
function appClient(overrides: Partial<typeof app> = {}) {
  const clock = { now: Date.now() };
  const instance = createGitHubClient({
    app: { ...app, ...overrides },
    apiUrl: emulator.url,
    now: () => clock.now,
    sleep: () => Promise.resolve(),
  });
  return { instance, clock };
}

const trail = () => emulator.requests.map((request) => `${request.method} ${request.path} with ${request.credential}`);

/** The refusal a call ends in, as an error; never a resolved value. */
async function refusal(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error("expected the call to fail");
  return outcome;
}

describe("minting installation tokens", () => {
  it("mints one on the first request with the app's JWT, and uses it while it has time left", async () => {
    const { instance } = appClient();
    await instance.rest("GET", LIST, context);
    await instance.rest("GET", LIST, context);
    expect(trail()).toEqual([
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token 1`,
      `GET ${LIST} with installation token 1`,
    ]);
    expect(emulator.requests[0].headers).toMatchObject({
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "azure-github-runner-network",
    });
    expect(emulator.mintedTokens.at(-1)).toMatchObject({
      appId: APP_ID,
      installationId: INSTALLATION_ID,
      token: expect.stringMatching(/^ghs_/),
    });
  });

  it("mints again before a request once the last token is within a minute of its expiry", async () => {
    const { instance, clock } = appClient();
    await instance.rest("GET", LIST, context);
    const first = emulator.mintedTokens.at(-1)!;
    clock.now = first.expiresAtMs - RENEW_BEFORE_EXPIRY_MS + 1;
    await instance.rest("GET", LIST, context);
    const n = emulator.mintedTokens.length;
    expect(trail()).toEqual([
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token ${n - 1}`,
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token ${n}`,
    ]);
  });

  it("renews a token GitHub refuses as expired (401 Bad credentials) instead of sending it again", async () => {
    const { instance } = appClient();
    await instance.rest("GET", LIST, context);
    emulator.expireInstallationTokens();
    const answer = await instance.rest("GET", LIST, context);
    expect(answer.status).toBe(200);
    const n = emulator.mintedTokens.length;
    expect(trail()).toEqual([
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token ${n - 1}`,
      `GET ${LIST} with installation token ${n - 1} (expired)`,
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token ${n}`,
    ]);
  });

  it("signs in with the app's client ID as the JWT's issuer, as GitHub recommends", async () => {
    const { instance } = appClient({ appId: CLIENT_ID });
    expect((await instance.rest("GET", LIST, context)).status).toBe(200);
    expect(trail()).toEqual([`POST ${MINT} with app JWT`, `GET ${LIST} with installation token ${emulator.mintedTokens.length}`]);
    expect(emulator.mintedTokens.at(-1)).toMatchObject({ appId: APP_ID, installationId: INSTALLATION_ID });
  });

  it("waits out a rate-limited mint (403 with retry-after) and mints again with a new JWT", async () => {
    const retries: string[] = [];
    const instance = createGitHubClient({
      app,
      apiUrl: emulator.url,
      sleep: () => Promise.resolve(),
      onRetry: ({ attempt, delayMs, reason }) => retries.push(`${attempt} ${delayMs} ${reason}`),
    });
    emulator.script("POST", new RegExp(`^${MINT}$`), {
      status: 403,
      headers: { "retry-after": "30" },
      body: { message: "You have exceeded a secondary rate limit" },
    });
    expect((await instance.rest("GET", LIST, context)).status).toBe(200);
    expect(retries).toEqual(["1 30000 rate limited (403, retry-after)"]);
    expect(trail()).toEqual([
      `POST ${MINT} with app JWT`,
      `POST ${MINT} with app JWT`,
      `GET ${LIST} with installation token ${emulator.mintedTokens.length}`,
    ]);
  });

  it("a rate limit too long to wait out names the app's installation and when to run again, not another token", async () => {
    const { instance } = appClient();
    emulator.script("POST", new RegExp(`^${MINT}$`), {
      status: 403,
      headers: { "retry-after": "3600" },
      body: { message: "You have exceeded a secondary rate limit" },
    });
    const error = await refusal(instance.rest("GET", LIST, context));
    expect(error.message).toMatch(
      /^list network configurations: sign in as GitHub App 1234 failed: GitHub rate-limits GitHub App 1234's installation 5678 until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(403\); waiting longer than 15 minutes or 6 attempts is not done automatically\. Run again later\.$/,
    );
  });

  it("signs GraphQL requests too: the businessId lookup works signed in as an app", async () => {
    const { instance } = appClient();
    expect(await lookUpBusinessId(instance, { scope: "organization", slug: "my-org" })).toBe("4201");
  });

  it("answers like GitHub's REST description: 201 with token, expires_at and permissions", async () => {
    const jwt = signedJwt(appKey.privateKey, { iss: Number(APP_ID) });
    const response = await fetch(`${emulator.url}${MINT}`, { method: "POST", headers: gitHubHeaders(jwt) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      token: emulator.mintedTokens.at(-1)!.token,
      expires_at: new Date(emulator.mintedTokens.at(-1)!.expiresAtMs).toISOString().replace(".000Z", "Z"),
      permissions: { organization_network_configurations: "write" },
      repository_selection: "all",
    });
    expect(Date.parse(body.expires_at as string) - Date.now()).toBeGreaterThan(LIFETIME_MS - 5_000);
  });
});

/** The headers the client sends; the emulator checks them on every request. */
const gitHubHeaders = (jwt: string) => ({
  authorization: `Bearer ${jwt}`,
  accept: "application/vnd.github+json",
  "x-github-api-version": "2022-11-28",
  "user-agent": "azure-github-runner-network",
});

/** A JWT signed with `key`, with GitHub's claims unless `claims` says otherwise. */
function signedJwt(key: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", typ: "JWT" }): string {
  const nowS = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const message = `${encode(header)}.${encode({ iat: nowS - 60, exp: nowS + 540, ...claims })}`;
  return `${message}.${createSign("RSA-SHA256").update(message).sign(key).toString("base64url")}`;
}

describe("the emulator refuses the JWTs GitHub refuses", () => {
  const nowS = () => Math.floor(Date.now() / 1000);
  it.each([
    ["signed by another key", () => signedJwt(strangerKey.privateKey, { iss: 1234 }), 401, "A JSON web token could not be decoded"],
    ["for another app", () => signedJwt(appKey.privateKey, { iss: 999 }), 401, "A JSON web token could not be decoded"],
    ["not RS256", () => signedJwt(appKey.privateKey, { iss: 1234 }, { alg: "HS256" }), 401, "A JSON web token could not be decoded"],
    ["not a JWT", () => "not-a-jwt", 401, "A JSON web token could not be decoded"],
    [
      "expired",
      () => signedJwt(appKey.privateKey, { iss: 1234, iat: nowS() - 700, exp: nowS() - 100 }),
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    ],
    [
      "good for more than ten minutes",
      () => signedJwt(appKey.privateKey, { iss: 1234, iat: nowS() - 10, exp: nowS() + 600 }),
      401,
      "'Expiration time' claim ('exp') is too far in the future",
    ],
    [
      "issued in the future beyond the allowed drift",
      () => signedJwt(appKey.privateKey, { iss: 1234, iat: nowS() + 120, exp: nowS() + 300 }),
      401,
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    ],
  ])("%s", async (_name, jwt, status, message) => {
    const response = await fetch(`${emulator.url}${MINT}`, { method: "POST", headers: gitHubHeaders(jwt()) });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ message, documentation_url: "https://docs.github.com/rest" });
  });

  it("answers 404 for an installation the app does not have, and an expired installation token gets 401 Bad credentials", async () => {
    const unknown = await fetch(`${emulator.url}/app/installations/42/access_tokens`, {
      method: "POST",
      headers: gitHubHeaders(signedJwt(appKey.privateKey, { iss: 1234 })),
    });
    expect([unknown.status, await unknown.json()]).toEqual([
      404,
      { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
    ]);
    const { instance } = appClient();
    await instance.rest("GET", LIST, context);
    emulator.expireInstallationTokens();
    const stale = await fetch(`${emulator.url}${LIST}`, { headers: gitHubHeaders(emulator.mintedTokens.at(-1)!.token) });
    expect([stale.status, await stale.json()]).toEqual([
      401,
      { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
    ]);
  });
});

describe("errors that name the fix, without a key or a token", () => {
  it.each([
    [
      "a key that is not the app's",
      { privateKey: strangerKey.privateKey },
      "list network configurations failed: cannot sign in as GitHub App 1234 (installation 5678): GitHub refused the app's JSON Web Token (401: A JSON web token could not be decoded). The private key is not this app's, or the client ID or App ID is wrong: check github.app.privateKey (or GITHUB_APP_PRIVATE_KEY) and github.app.appId (or GITHUB_APP_ID). A clock more than a minute off also makes GitHub refuse it.",
    ],
    [
      "another App ID",
      { appId: "4321" },
      "list network configurations failed: cannot sign in as GitHub App 4321 (installation 5678): GitHub refused the app's JSON Web Token (401: A JSON web token could not be decoded). The private key is not this app's, or the client ID or App ID is wrong: check github.app.privateKey (or GITHUB_APP_PRIVATE_KEY) and github.app.appId (or GITHUB_APP_ID). A clock more than a minute off also makes GitHub refuse it.",
    ],
    [
      "another app's client ID",
      { appId: "Iv23liZ9y8X7w6V5u4T3" },
      "list network configurations failed: cannot sign in as GitHub App Iv23liZ9y8X7w6V5u4T3 (installation 5678): GitHub refused the app's JSON Web Token (401: A JSON web token could not be decoded). The private key is not this app's, or the client ID or App ID is wrong: check github.app.privateKey (or GITHUB_APP_PRIVATE_KEY) and github.app.appId (or GITHUB_APP_ID). A clock more than a minute off also makes GitHub refuse it.",
    ],
    [
      "an installation the app does not have",
      { installationId: "42" },
      "list network configurations failed: cannot sign in as GitHub App 1234 (installation 42): the app has no such installation (404: Not Found). Check github.app.installationId (or GITHUB_APP_INSTALLATION_ID): install the app on the organization, and take the number at the end of the installation's settings URL.",
    ],
  ])("%s", async (_name, overrides: Partial<typeof app>, message) => {
    const error = await refusal(appClient(overrides).instance.rest("GET", LIST, context));
    expect(error.message).toBe(message);
    expect(isGitHubApiError(error)).toBe(true);
    expect(trail()).toEqual([`POST /app/installations/${overrides.installationId ?? INSTALLATION_ID}/access_tokens with app JWT`]);
  });

  it("a key that cannot sign at all is refused before anything is sent, without quoting it", async () => {
    const broken = appKey.privateKey.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
    const error = await refusal(appClient({ privateKey: broken }).instance.rest("GET", LIST, context));
    expect(error.message).toMatch(
      /^list network configurations failed: cannot sign in as GitHub App 1234 \(installation 5678\): its private key cannot sign \(.+\)\. Set github\.app\.privateKey \(or GITHUB_APP_PRIVATE_KEY\) to the app's private key, the whole PEM file from the app's settings \(Private keys > Generate a private key\)\.$/,
    );
    for (const line of broken.split("\n").filter((l) => l.length > 20)) expect(error.message).not.toContain(line);
    expect(error.message).not.toContain("PRIVATE KEY-----");
    expect(emulator.requests).toEqual([]);
  });

  it("error answers that quote the request's Authorization back show neither the JWT nor the installation token", async () => {
    emulator.reflectAuthorization = true;
    const wrongKey = await refusal(appClient({ privateKey: strangerKey.privateKey }).instance.rest("GET", LIST, context));
    expect(wrongKey.message).toContain(
      "GitHub refused the app's JSON Web Token (401: A JSON web token could not be decoded (request had Authorization: Bearer [redacted])).",
    );
    emulator.script("GET", /^\/orgs\/my-org\/settings\/network-configurations$/, { status: 422, body: { message: "Unprocessable" } });
    const error = await refusal(appClient().instance.rest("GET", LIST, context));
    expect(error.message).toBe(
      "list network configurations failed: GitHub refused the request (422: Unprocessable (request had Authorization: Bearer [redacted])).",
    );
  });
});
