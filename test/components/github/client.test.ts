/** The GitHub client against the local emulator: headers, retries, rate limits, errors, GraphQL lookup. */
import { describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClientOptions } from "../../../components/github/client";
import { lookUpBusinessId, resolveBusinessId } from "../../../components/github/business-id";
import { ENTERPRISE_POLICY_HINT } from "../../../components/github/errors";
import { type GitHubEmulator } from "../../support/github-emulator";
import { ORGANIZATION_LISTING, useGitHubEmulator } from "../../support/use-github-emulator";

const TOKEN = "ghp_emulatorTokenAllScopes0001";
const READ_ONLY = "ghp_emulatorTokenNoScopes00002";
let emulator!: GitHubEmulator;
useGitHubEmulator(
  {
    tokens: {
      [TOKEN]: ["org:network-configurations", "enterprise:network-configurations", "org:runner-groups", "read:org", "read:enterprise"],
      [READ_ONLY]: [],
    },
    organizations: { "my-org": 4201 },
    enterprises: { acme: 9901 },
  },
  (started) => {
    emulator = started;
  },
);

const { context: orgContext, path: listPath } = ORGANIZATION_LISTING;

/** A client with a recorded, instant sleep and a fixed clock. */
function client(options: Partial<GitHubClientOptions> = {}) {
  const sleeps: number[] = [];
  const retries: string[] = [];
  const instance = createGitHubClient({
    token: TOKEN,
    apiUrl: emulator.url,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => Date.UTC(2026, 7, 22, 12, 0, 0),
    onRetry: (event) => retries.push(event.reason),
    ...options,
  });
  return { instance, sleeps, retries };
}

describe("requests", () => {
  it("sends the bearer token, API version, Accept and User-Agent GitHub expects", async () => {
    const { instance } = client();
    const answer = await instance.rest("GET", listPath, orgContext);
    expect(answer).toEqual({ status: 200, body: { total_count: 0, network_configurations: [] } });
    expect(emulator.requests[0].headers).toMatchObject({
      authorization: "present",
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "azure-github-runner-network",
    });
  });

  it("joins a base URL with a trailing slash without doubling it", async () => {
    const { instance } = client({ apiUrl: `${emulator.url}/` });
    await instance.rest("GET", listPath, orgContext);
    expect(emulator.calls()).toEqual([`GET ${listPath}`]);
  });
});

describe("retries and rate limits", () => {
  it.each([
    [
      "429 with retry-after",
      { status: 429, headers: { "retry-after": "7" }, body: { message: "API rate limit exceeded" } },
      7000,
      "rate limited (429, retry-after)",
    ],
    [
      "secondary limit: 403 with retry-after",
      { status: 403, headers: { "retry-after": "30" }, body: { message: "You have exceeded a secondary rate limit" } },
      30000,
      "rate limited (403, retry-after)",
    ],
    [
      "primary limit: 403 with x-ratelimit-remaining 0",
      {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Date.UTC(2026, 7, 22, 12, 2, 0) / 1000) },
        body: { message: "API rate limit exceeded for user" },
      },
      121000,
      "primary rate limit (403, x-ratelimit-reset)",
    ],
    [
      "secondary limit without headers",
      { status: 403, headers: {}, body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes." } },
      60000,
      "secondary rate limit (403)",
    ],
    ["502 from a proxy", { status: 502, headers: {}, body: "Bad Gateway" }, 1000, "server error 502"],
    [
      "503 with retry-after",
      { status: 503, headers: { "retry-after": "3" }, body: { message: "Service Unavailable" } },
      3000,
      "server error 503",
    ],
  ])("waits after %s, then succeeds", async (_name, failure, expectedSleep, reason) => {
    emulator.script("GET", /network-configurations$/, failure);
    const { instance, sleeps, retries } = client();
    const answer = await instance.rest("GET", listPath, orgContext);
    expect(answer.status).toBe(200);
    expect(sleeps).toEqual([expectedSleep]);
    expect(retries).toEqual([reason]);
    expect(emulator.calls()).toEqual([`GET ${listPath}`, `GET ${listPath}`]);
  });

  it("backs off exponentially on repeated 5xx and gives up after maxAttempts with a clear error", async () => {
    emulator.script(
      "GET",
      /network-configurations$/,
      ...Array.from({ length: 4 }, () => ({ status: 500, body: { message: "Server Error" } })),
    );
    const { instance, sleeps } = client({ retry: { maxAttempts: 4 } });
    await expect(instance.rest("GET", listPath, orgContext)).rejects.toThrow(
      "list network configurations failed: GitHub answered 500: Server Error and kept failing after retries; try again later (https://www.githubstatus.com).",
    );
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(emulator.requests).toHaveLength(4);
  });

  it("refuses to wait longer than maxWaitMs and says until when", async () => {
    const reset = Date.UTC(2026, 7, 22, 13, 0, 0) / 1000;
    emulator.script("GET", /network-configurations$/, {
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded" },
    });
    const { instance, sleeps } = client();
    await expect(instance.rest("GET", listPath, orgContext)).rejects.toMatchObject({
      kind: "rate-limited",
      status: 429,
      message:
        "list network configurations failed: GitHub rate-limits this token until 2026-08-22T13:00:01.000Z (429); waiting longer than 15 minutes or 6 attempts is not done automatically. Run again later, or use a token with a higher limit (a GitHub App installation).",
    });
    expect(sleeps).toEqual([]);
  });

  it("retries connection failures, then names the host it could not reach", async () => {
    const { instance, sleeps } = client({ apiUrl: "http://127.0.0.1:1", retry: { maxAttempts: 3 } });
    await expect(instance.rest("GET", listPath, orgContext)).rejects.toMatchObject({
      kind: "network",
      message: expect.stringMatching(/^list network configurations failed: could not reach http:\/\/127\.0\.0\.1:1 after 3 attempts \(/),
    });
    expect(sleeps).toEqual([1000, 2000]);
  });
});

describe("errors name the fix and never the token", () => {
  it("401: unknown token", async () => {
    const { instance } = client({ token: "ghp_notKnownToTheEmulator99" });
    const error = await instance.rest("GET", listPath, orgContext).catch((e: Error) => e);
    expect(error).toMatchObject({
      kind: "unauthorized",
      message:
        "list network configurations failed: GitHub rejected the token (401: Bad credentials). It is missing, expired or revoked; set a valid token in the secret config azure-github-runner-network:githubToken (pulumi config set --secret) or GITHUB_TOKEN.",
    });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain("ghp_notKnownToTheEmulator99");
  });

  it("403: a token without the permission gets the permission it needs", async () => {
    const { instance } = client({ token: READ_ONLY });
    await expect(instance.rest("GET", listPath, orgContext)).rejects.toMatchObject({
      kind: "forbidden",
      message:
        'list network configurations failed: the token is not allowed to do this in organization "my-org" (403: Resource not accessible by personal access token). Organization network configurations need a fine-grained token or GitHub App with the organization permission "Network configurations" (read and write), or a classic token with write:network_configurations. If the organization belongs to an enterprise, an enterprise owner must also allow organizations to create network configurations (the enterprise\'s hosted compute networking policy); until then the organization can only use the enterprise\'s.',
    });
  });

  it("404: an enterprise slug used as an organization", async () => {
    const { instance } = client();
    await expect(
      instance.rest("GET", "/orgs/acme/settings/network-configurations", { ...orgContext, owner: { scope: "organization", slug: "acme" } }),
    ).rejects.toMatchObject({
      kind: "not-found",
      message: expect.stringMatching(
        /^list network configurations failed: GitHub found nothing at organization "acme" \(404: Not Found\)\. Check github\.slug and github\.scope: an enterprise slug used with scope organization is not found/,
      ),
    });
    // An organization in an enterprise that does not allow it gets 404 too: the hint names the policy.
    const error = await instance
      .rest("GET", "/orgs/acme/settings/network-configurations", { ...orgContext, owner: { scope: "organization", slug: "acme" } })
      .catch((e: Error) => e);
    expect((error as Error).message.endsWith(ENTERPRISE_POLICY_HINT)).toBe(true);
  });

  it("no token at all fails before any request", async () => {
    const { instance } = client({ token: "" });
    await expect(instance.rest("GET", listPath, orgContext)).rejects.toThrow(
      "list network configurations failed: no GitHub token; set the secret config azure-github-runner-network:githubToken (pulumi config set --secret) or GITHUB_TOKEN.",
    );
    expect(emulator.requests).toEqual([]);
  });
});

describe("businessId lookup over GraphQL", () => {
  it.each([
    ["organization", "my-org", "4201"],
    ["enterprise", "acme", "9901"],
  ] as const)("%s %s has databaseId %s", async (scope, slug, databaseId) => {
    expect(await lookUpBusinessId(client().instance, { scope, slug })).toBe(databaseId);
    expect(emulator.calls()).toEqual(["POST /graphql"]);
  });

  it("accepts a given businessId that matches", async () => {
    expect(await resolveBusinessId(client().instance, { scope: "organization", slug: "my-org" }, "4201")).toBe("4201");
  });

  it("refuses a given businessId of the other level", async () => {
    await expect(resolveBusinessId(client().instance, { scope: "organization", slug: "my-org" }, "9901")).rejects.toMatchObject({
      kind: "wrong-business-level",
      message:
        'github.businessId 9901 is not the databaseId of organization "my-org" (GitHub says 4201). Set github.businessId to 4201 or leave it out to use the looked-up value; if 9901 is your enterprise\'s id, set github.scope to enterprise and github.slug to its slug.',
    });
  });

  it("an unknown organization says what to check", async () => {
    await expect(lookUpBusinessId(client().instance, { scope: "organization", slug: "nobody" })).rejects.toMatchObject({
      kind: "not-found",
      message:
        "look up the databaseId of organization \"nobody\" failed: Could not resolve to an Organization with the login of 'nobody'. Check github.slug and github.scope (an enterprise slug used with scope organization is not found). Reading an organization's databaseId needs a token with read:org.",
    });
  });

  it("a token without read:enterprise gets GitHub's reason and the scope it needs", async () => {
    await expect(lookUpBusinessId(client({ token: READ_ONLY }).instance, { scope: "enterprise", slug: "acme" })).rejects.toMatchObject({
      message: expect.stringMatching(/required scopes.*Reading an enterprise's databaseId needs a token with read:enterprise\.$/),
    });
  });
});

/** All a caught error carries as text: its message, its JSON form and its stack. */
const everything = (error: unknown) => `${String(error)} ${JSON.stringify(error)} ${(error as Error | undefined)?.stack ?? ""}`;
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => Promise.reject(new Error("expected the call to fail")),
    (error: unknown) => error,
  );

describe("a server that quotes the Authorization header back in its errors", () => {
  const NOT_KNOWN = "plain-secret-the-emulator-does-not-know-42";
  const failures: [string, string, () => void, (instance: ReturnType<typeof client>["instance"]) => Promise<unknown>][] = [
    ["401 for an unknown token", NOT_KNOWN, () => undefined, (c) => c.rest("GET", listPath, orgContext)],
    ["403 for a token without the permission", READ_ONLY, () => undefined, (c) => c.rest("GET", listPath, orgContext)],
    [
      "404 for an unknown organization",
      TOKEN,
      () => undefined,
      (c) =>
        c.rest("GET", "/orgs/nobody/settings/network-configurations", { ...orgContext, owner: { scope: "organization", slug: "nobody" } }),
    ],
    [
      "422 with GitHub's error list",
      TOKEN,
      () =>
        emulator.script("POST", /network-configurations$/, {
          status: 422,
          body: { message: "Validation Failed", errors: [{ code: "custom", message: "bad" }] },
        }),
      (c) => c.rest("POST", listPath, orgContext, { body: { name: "n" } }),
    ],
    [
      "500 until the attempts run out",
      TOKEN,
      () =>
        emulator.script(
          "GET",
          /network-configurations$/,
          ...Array.from({ length: 6 }, () => ({ status: 500, body: { message: "Server Error" } })),
        ),
      (c) => c.rest("GET", listPath, orgContext),
    ],
    [
      // The page is cut at 300 characters, 10 characters into the quoted token.
      "a 502 page that is not JSON, cut inside the quoted token",
      TOKEN,
      () =>
        emulator.script(
          "GET",
          /network-configurations$/,
          ...Array.from({ length: 6 }, () => ({
            status: 502,
            headers: { "content-type": "text/html" },
            rawBody: `<html>${"x".repeat(300 - 10 - "<html></html> (request had Authorization: Bearer ".length)}</html>`,
          })),
        ),
      (c) => c.rest("GET", listPath, orgContext),
    ],
    [
      "GraphQL errors of a token without read:enterprise",
      READ_ONLY,
      () => undefined,
      (c) => lookUpBusinessId(c, { scope: "enterprise", slug: "acme" }),
    ],
  ];

  it.each(failures)("%s: the message says what GitHub said, with the token redacted", async (_name, token, setUp, call) => {
    emulator.reflectAuthorization = true;
    setUp();
    const error = await failureOf(call(client({ token }).instance));
    expect((error as Error).name).toBe("GitHubApiError");
    expect(everything(error)).not.toContain(token);
    expect(everything(error)).not.toContain(token.slice(0, 10));
    expect((error as Error).message).toContain("Authorization: Bearer [redacted]");
  });
});

describe("answers that break off after their headers", () => {
  const answer = { status: 200, body: { total_count: 0, network_configurations: [] } };

  it.each(["stall", "reset"] as const)("a body that %ss is retried like a dropped connection", async (cut) => {
    emulator.script("GET", /network-configurations$/, { ...answer, cut });
    const { instance, sleeps, retries } = client({ requestTimeoutMs: 300 });
    expect(await instance.rest("GET", listPath, orgContext)).toEqual({ status: 200, body: answer.body });
    expect(sleeps).toEqual([1000]);
    expect(retries).toEqual([expect.stringMatching(/^answer stopped after its headers \(.+\)$/)]);
    expect(emulator.calls()).toEqual([`GET ${listPath}`, `GET ${listPath}`]);
  });

  it.each([
    ["stall", "no complete answer within 300 ms"],
    ["reset", "terminated: other side closed"],
  ] as const)("a body that %ss every time ends in the client's network error, naming the request", async (cut, cause) => {
    emulator.script("GET", /network-configurations$/, { ...answer, cut }, { ...answer, cut });
    const { instance } = client({ requestTimeoutMs: 300, retry: { maxAttempts: 2 } });
    const error = await failureOf(instance.rest("GET", listPath, orgContext));
    expect(error).toMatchObject({
      name: "GitHubApiError",
      kind: "network",
      message: `list network configurations failed: the answer from ${emulator.url} stopped after its headers in all 2 attempts (GET ${listPath}: ${cause}).`,
    });
  });
});

describe("answers that are not GitHub's", () => {
  const page = "<html><body>Sign in to the corporate proxy</body></html>";

  it("a GraphQL answer that is not JSON is reported as such, not as an organization that is not visible", async () => {
    emulator.script("POST", /^\/graphql$/, { status: 200, headers: { "content-type": "text/html" }, rawBody: page });
    await expect(lookUpBusinessId(client().instance, { scope: "organization", slug: "my-org" })).rejects.toMatchObject({
      kind: "unexpected-answer",
      message: `look up the databaseId of organization "my-org" failed: the answer to POST /graphql (200, text/html) is not JSON; it starts ${JSON.stringify(page)}. A proxy or gateway may have answered instead of GitHub: check the API URL and the network path (HTTPS_PROXY).`,
    });
  });

  it("a GraphQL answer that is JSON but neither data nor errors is reported as such", async () => {
    emulator.script("POST", /^\/graphql$/, { status: 200, body: { message: "hello" } });
    await expect(lookUpBusinessId(client().instance, { scope: "organization", slug: "my-org" })).rejects.toMatchObject({
      kind: "unexpected-answer",
      message:
        'look up the databaseId of organization "my-org" failed: GitHub\'s GraphQL endpoint answered with an object without data or errors, not a GraphQL answer. A proxy or gateway may have answered instead of GitHub: check github.apiUrl and the network path (HTTPS_PROXY).',
    });
  });

  it("a REST answer that is not JSON is the client's error, with the start of the page shortened", async () => {
    const long = `<html>${"y".repeat(200)}</html>`;
    emulator.script("GET", /network-configurations$/, {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      rawBody: long,
    });
    await expect(client().instance.rest("GET", listPath, orgContext)).rejects.toMatchObject({
      kind: "unexpected-answer",
      status: 200,
      message: expect.stringMatching(
        /^list network configurations failed: the answer to GET \/orgs\/my-org\/settings\/network-configurations \(200, text\/html; charset=utf-8\) is not JSON; it starts "<html>y+… \(\d+ characters\)\. A proxy/,
      ),
    });
  });
});
