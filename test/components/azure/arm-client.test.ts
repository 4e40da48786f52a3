import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ARM_SCOPE, ArmClient, ArmError, UNEXPECTED_RESPONSE_HINT } from "../../../components/azure/arm-client";
import { objectWith, text } from "../../../components/azure/arm-shapes";
import type { ArmEmulator } from "../../support/arm-emulator";
import {
  SUBSCRIPTION,
  TENANT,
  TOKEN,
  expectNoToken,
  expectNoTokenIn,
  fixedCredential,
  startEmulator,
  vnet,
} from "../../support/doctor-fixtures";

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** A client whose sleeps are recorded instead of waited, with jitter fixed at the middle. */
function clientFor(baseUrl: string, options: ConstructorParameters<typeof ArmClient>[0] = {}) {
  const sleeps: number[] = [];
  const credential = fixedCredential();
  const client = new ArmClient({ baseUrl, credential, sleep: (ms) => (sleeps.push(ms), Promise.resolve()), random: () => 0.5, ...options });
  return { client, sleeps, credential };
}

async function caught(promise: Promise<unknown>): Promise<ArmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ArmError);
    expectNoToken(String(error), JSON.stringify(error), (error as Error).stack ?? "");
    return error as ArmError;
  }
  throw new Error("expected an ArmError");
}

const SUBSCRIPTION_PATH = `/subscriptions/${SUBSCRIPTION}`;

describe("ArmClient against the emulator", () => {
  it("signs in once for ARM's scope and reuses the token", async () => {
    emulator = await startEmulator();
    const { client, credential, sleeps } = clientFor(emulator.url);
    const first = await client.get(SUBSCRIPTION_PATH, "2022-12-01");
    await client.get(SUBSCRIPTION_PATH, "2022-12-01");
    expect(first).toEqual({
      id: SUBSCRIPTION_PATH,
      subscriptionId: SUBSCRIPTION,
      displayName: "Platform",
      state: "Enabled",
      tenantId: TENANT,
    });
    expect(credential.calls).toEqual([ARM_SCOPE]);
    expect(ARM_SCOPE).toBe("https://management.azure.com/.default");
    expect(emulator.requests).toEqual([
      { method: "GET", url: `${SUBSCRIPTION_PATH}?api-version=2022-12-01`, authorized: true },
      { method: "GET", url: `${SUBSCRIPTION_PATH}?api-version=2022-12-01`, authorized: true },
    ]);
    expect(sleeps).toEqual([]);
  });

  it("waits as long as a 429's Retry-After (seconds) says, then succeeds", async () => {
    emulator = await startEmulator({
      faults: [
        {
          path: /^\/subscriptions\/[^/]+$/,
          times: 2,
          status: 429,
          headers: { "retry-after": "3" },
          code: "SubscriptionRequestsThrottled",
          message: "Number of read requests for subscription exceeded the limit.",
        },
      ],
    });
    const { client, sleeps } = clientFor(emulator.url);
    const subscription = await client.get<{ displayName: string }>(SUBSCRIPTION_PATH, "2022-12-01");
    expect(subscription.displayName).toBe("Platform");
    expect(sleeps).toEqual([3000, 3000]);
    expect(emulator.requests.length).toBe(3);
  });

  it("reads Retry-After as an HTTP date, relative to the injected clock", async () => {
    const now = Date.parse("2026-11-20T12:00:00Z");
    emulator = await startEmulator({
      faults: [
        {
          path: /^\/subscriptions\/[^/]+$/,
          times: 1,
          status: 429,
          headers: { "retry-after": "Fri, 20 Nov 2026 12:00:12 GMT" },
          code: "TooManyRequests",
        },
      ],
    });
    const { client, sleeps } = clientFor(emulator.url, { now: () => now });
    await client.get(SUBSCRIPTION_PATH, "2022-12-01");
    expect(sleeps).toEqual([12_000]);
  });

  it("caps a very long Retry-After", async () => {
    emulator = await startEmulator({
      faults: [{ path: /^\/subscriptions\/[^/]+$/, times: 1, status: 429, headers: { "retry-after": "3600" }, code: "TooManyRequests" }],
    });
    const { client, sleeps } = clientFor(emulator.url);
    await client.get(SUBSCRIPTION_PATH, "2022-12-01");
    expect(sleeps).toEqual([60_000]);
  });

  it("retries 500 and 503 with exponential backoff and jitter, then succeeds", async () => {
    emulator = await startEmulator({
      faults: [
        {
          path: /^\/subscriptions\/[^/]+$/,
          times: 1,
          status: 500,
          code: "InternalServerError",
          message: "Encountered internal server error.",
        },
        { path: /^\/subscriptions\/[^/]+$/, times: 1, status: 503, code: "ServiceUnavailable", message: "The service is unavailable." },
        { path: /^\/subscriptions\/[^/]+$/, times: 1, status: 502, rawBody: "<html><body>Bad Gateway</body></html>" },
      ],
    });
    const { client, sleeps } = clientFor(emulator.url);
    expect(await client.get<{ state: string }>(SUBSCRIPTION_PATH, "2022-12-01")).toMatchObject({ state: "Enabled" });
    // Steps of 1 s, 2 s, 4 s, each with jitter 0.5: half the step plus a quarter.
    expect(sleeps).toEqual([750, 1500, 3000]);
    expect(emulator.requests.length).toBe(4);
  });

  it("gives up after the last retry with ARM's code, message and a hint", async () => {
    emulator = await startEmulator({
      faults: [
        { path: /^\/subscriptions\/[^/]+$/, times: 99, status: 503, code: "ServiceUnavailable", message: "The service is unavailable." },
      ],
    });
    const { client, sleeps } = clientFor(emulator.url, { retry: { maxRetries: 2 } });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect({ status: error.status, code: error.code, armMessage: error.armMessage, request: error.request }).toEqual({
      status: 503,
      code: "ServiceUnavailable",
      armMessage: "The service is unavailable. (after 2 retries)",
      request: `GET ${SUBSCRIPTION_PATH}`,
    });
    expect(error.hint).toBe("Azure had a server-side failure; run again later, and check Azure status if it persists");
    expect(error.message).toBe(
      `GET ${SUBSCRIPTION_PATH} failed: 503 ServiceUnavailable: The service is unavailable. (after 2 retries)\n  hint: Azure had a server-side failure; run again later, and check Azure status if it persists`,
    );
    expect(sleeps).toEqual([750, 1500]);
    expect(emulator.requests.length).toBe(3);
  });

  it("does not retry a 401, and never echoes the token it sent", async () => {
    emulator = await startEmulator();
    const { client } = clientFor(emulator.url, { credential: fixedCredential("eyJ.wrong-token-value.sig") });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.status, error.code, error.armMessage]).toEqual([401, "InvalidAuthenticationToken", "The access token is invalid."]);
    expect(error.hint).toBe(
      "the sign-in was refused or has expired: sign in again (az login), or check the service principal or workload identity and its tenant",
    );
    expect(String(error)).not.toContain("wrong-token-value");
    expect(emulator.requests).toEqual([{ method: "GET", url: `${SUBSCRIPTION_PATH}?api-version=2022-12-01`, authorized: false }]);
  });

  it("reports a 403 with ARM's AuthorizationFailed body", async () => {
    const message = `The client 'alice@contoso.example' with object id '9a3e' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '${SUBSCRIPTION_PATH}'.`;
    emulator = await startEmulator({ faults: [{ path: /virtualNetworks$/, times: 1, status: 403, code: "AuthorizationFailed", message }] });
    const { client } = clientFor(emulator.url);
    const error = await caught(client.list(`${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`, "2024-05-01"));
    expect([error.status, error.code, error.armMessage]).toEqual([403, "AuthorizationFailed", message]);
    expect(emulator.requests.length).toBe(1);
  });

  it("follows nextLink pages of a list", async () => {
    emulator = await startEmulator({
      pageSize: 2,
      virtualNetworks: [
        vnet("a", "one", "eastus", ["10.1.0.0/16"]),
        vnet("a", "two", "eastus", ["10.2.0.0/16"]),
        vnet("b", "three", "westus2", ["10.3.0.0/16"]),
      ],
    });
    const { client } = clientFor(emulator.url);
    const names = (
      await client.list<{ name: string }>(`${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`, "2024-05-01")
    ).map((v) => v.name);
    expect(names).toEqual(["one", "two", "three"]);
    expect(emulator.calls()).toEqual([
      `GET ${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01`,
      `GET ${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01&%24skiptoken=2`,
    ]);
  });

  it("refuses to send the token to a nextLink outside ARM", async () => {
    emulator = await startEmulator({
      faults: [
        {
          method: "GET",
          path: /virtualNetworks$/,
          times: 1,
          status: 200,
          rawBody: JSON.stringify({ value: [], nextLink: "https://collector.example/steal?page=2" }),
        },
      ],
    });
    const { client } = clientFor(emulator.url);
    const error = await caught(client.list(`${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`, "2024-05-01"));
    expect([error.code, error.armMessage]).toEqual(["UntrustedUrl", "refusing to send credentials to https://collector.example"]);
    expect(emulator.requests.length).toBe(1);
  });

  it("polls an Azure-AsyncOperation until Succeeded, honouring its Retry-After, then reads the resource", async () => {
    emulator = await startEmulator({ operationPolls: 2 });
    const { client, sleeps } = clientFor(emulator.url, { pollIntervalMs: 5000 });
    const result = await client.request({
      method: "PUT",
      path: `${SUBSCRIPTION_PATH}/resourcegroups/rg-runners`,
      apiVersion: "2021-04-01",
      body: { location: "eastus" },
    });
    expect(result).toEqual({
      status: 200,
      body: {
        id: `${SUBSCRIPTION_PATH}/resourceGroups/rg-runners`,
        name: "rg-runners",
        location: "eastus",
        properties: { provisioningState: "Succeeded" },
      },
    });
    // First poll after the default interval (the 201 had no Retry-After), then the operation's own 2 s.
    expect(sleeps).toEqual([5000, 2000, 2000]);
    expect(emulator.calls()).toEqual([
      `PUT ${SUBSCRIPTION_PATH}/resourcegroups/rg-runners?api-version=2021-04-01`,
      "GET /operations/op-1?api-version=2021-04-01",
      "GET /operations/op-1?api-version=2021-04-01",
      "GET /operations/op-1?api-version=2021-04-01",
      `GET ${SUBSCRIPTION_PATH}/resourcegroups/rg-runners?api-version=2021-04-01`,
    ]);
  });

  it("reports a failed asynchronous operation with the operation's error", async () => {
    emulator = await startEmulator({
      operationPolls: 0,
      operationError: { code: "ResourceGroupBeingDeleted", message: "The resource group 'rg-runners' is in deprovisioning state." },
    });
    const { client } = clientFor(emulator.url);
    const error = await caught(
      client.request({ method: "PUT", path: `${SUBSCRIPTION_PATH}/resourcegroups/rg-runners`, apiVersion: "2021-04-01", body: {} }),
    );
    expect([error.code, error.armMessage, error.hint]).toEqual([
      "ResourceGroupBeingDeleted",
      "The resource group 'rg-runners' is in deprovisioning state.",
      "the operation failed inside Azure; its Activity log entry has the details",
    ]);
  });

  it("polls a Location header until the operation stops answering 202", async () => {
    emulator = await startEmulator({ operationPolls: 1 });
    const { client, sleeps } = clientFor(emulator.url);
    const path = `${SUBSCRIPTION_PATH}/resourceGroups/rg/providers/GitHub.Network/networkSettings/ns1`;
    expect(await client.request({ method: "DELETE", path, apiVersion: "2024-04-02" })).toEqual({ status: 204, body: undefined });
    expect(sleeps).toEqual([1000, 1000]);
    expect(emulator.calls()).toEqual([
      `DELETE ${path}?api-version=2024-04-02`,
      "GET /operations/op-1?api-version=2024-04-02",
      "GET /operations/op-1?api-version=2024-04-02",
    ]);
  });

  it("stops polling at the operation timeout", async () => {
    emulator = await startEmulator({ operationPolls: 1000 });
    let now = 0;
    const { client } = clientFor(emulator.url, {
      now: () => now,
      sleep: (ms) => ((now += ms), Promise.resolve()),
      operationTimeoutMs: 10_000,
      pollIntervalMs: 3000,
    });
    const error = await caught(
      client.request({ method: "PUT", path: `${SUBSCRIPTION_PATH}/resourcegroups/rg-slow`, apiVersion: "2021-04-01", body: {} }),
    );
    expect([error.code, error.armMessage]).toEqual(["OperationTimeout", "still running after 10 s"]);
    // Polls at 3 s, then every 2 s (the operation's Retry-After) until 11 s passes the 10 s limit.
    expect(emulator.requests.length).toBe(1 + 5);
  });

  it("turns a sign-in failure into CredentialUnavailable without the credential's secrets", async () => {
    emulator = await startEmulator();
    const failing = {
      getToken: async () =>
        Promise.reject(
          new Error(
            "ChainedTokenCredential authentication failed.\nEnvironmentCredential: not configured\nAzureCliCredential: Please run 'az login'",
          ),
        ),
    };
    const { client } = clientFor(emulator.url, { credential: failing });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.status, error.code, error.request, error.armMessage]).toEqual([
      0,
      "CredentialUnavailable",
      "sign-in",
      "ChainedTokenCredential authentication failed.; EnvironmentCredential: not configured; AzureCliCredential: Please run 'az login'",
    ]);
    expect(emulator.requests).toEqual([]);
  });

  it("reports a 200 whose body is not JSON", async () => {
    emulator = await startEmulator({
      faults: [{ path: /^\/subscriptions\/[^/]+$/, times: 1, status: 200, rawBody: "<html>proxy login</html>" }],
    });
    const { client } = clientFor(emulator.url);
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.code, error.armMessage]).toEqual(["InvalidResponse", "the answer was not JSON"]);
  });
});

describe("ArmClient without an answer", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("times out each attempt, retries, then reports RequestTimeout", async () => {
    let received = 0;
    // Accepts requests and never answers them.
    server = createServer(() => void received++);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const { client, sleeps } = clientFor(`http://127.0.0.1:${port}`, { requestTimeoutMs: 150, retry: { maxRetries: 1 } });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.status, error.code, error.armMessage]).toEqual([0, "RequestTimeout", "no answer within 150 ms"]);
    expect(received).toBe(2);
    expect(sleeps).toEqual([750]);
  });

  it("reports a refused connection as NetworkError after retrying", async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const { client, sleeps } = clientFor(`http://127.0.0.1:${port}`, { retry: { maxRetries: 2 } });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.status, error.code]).toEqual([0, "NetworkError"]);
    expect(error.armMessage).toMatch(/^ECONNREFUSED/);
    expect(sleeps).toEqual([750, 1500]);
  });
});

it("keeps the token out of the client's own properties when printed", () => {
  const client = new ArmClient({ baseUrl: "http://127.0.0.1:1", credential: fixedCredential() });
  expect(JSON.stringify(client)).not.toContain(TOKEN);
});

describe("ArmClient and a server that quotes the Authorization header back", () => {
  const quoted = " (request had Authorization: Bearer ";

  it.each([
    ["403 with ARM's error body", { path: /virtualNetworks$/, times: 1, status: 403, code: "AuthorizationFailed", message: "no read" }],
    ["500 with ARM's error body, after the retries", { path: /virtualNetworks$/, times: 9, status: 500, code: "InternalServerError" }],
    [
      // ARM's excerpt of a body that is not ARM's keeps 200 characters: here it ends 10 characters into the quoted token.
      "a 502 gateway page cut inside the token, after the retries",
      { path: /virtualNetworks$/, times: 9, status: 502, rawBody: `<html>${"x".repeat(200 - 10 - quoted.length - 13)}</html>` },
    ],
  ])("%s: the error holds what ARM said, with the token redacted", async (_name, fault) => {
    emulator = await startEmulator({ reflectAuthorization: true, faults: [fault] });
    const { client } = clientFor(emulator.url, { retry: { maxRetries: 1 } });
    const error = await caught(client.list(`${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`, "2024-05-01"));
    expect(error.armMessage).toContain("Authorization: Bearer [redacted]");
  });

  it("401 for a token ARM does not accept: that token is redacted too", async () => {
    emulator = await startEmulator({ reflectAuthorization: true });
    const refused = "not-a-jwt-but-a-secret-all-the-same";
    const { client } = clientFor(emulator.url, { credential: fixedCredential(refused) });
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01"));
    expect([error.status, error.code, error.armMessage]).toEqual([
      401,
      "InvalidAuthenticationToken",
      "The access token is invalid. (request had Authorization: Bearer [redacted])",
    ]);
    expectNoTokenIn(refused, String(error), JSON.stringify(error), error.stack ?? "");
  });
});

describe("ArmClient and answers that break off after their headers", () => {
  const vnets = `${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`;

  it.each(["stall", "reset"] as const)("a body that %ss is retried like a dropped connection", async (cut) => {
    emulator = await startEmulator({ faults: [{ path: /virtualNetworks$/, times: 1, status: 200, rawBody: '{"value": []}', cut }] });
    const { client, sleeps } = clientFor(emulator.url, { requestTimeoutMs: 300 });
    expect(await client.list(vnets, "2024-05-01")).toEqual([expect.objectContaining({ name: "hub-vnet" })]);
    expect(sleeps).toEqual([750]);
    expect(emulator.requests.length).toBe(2);
  });

  it.each([
    ["stall", "RequestTimeout", "no answer within 300 ms"],
    ["reset", "NetworkError", "the answer stopped after its headers (aborted)"],
  ] as const)("a body that %ss every time is an ArmError naming the request", async (cut, code, armMessage) => {
    emulator = await startEmulator({ faults: [{ path: /virtualNetworks$/, times: 9, status: 200, rawBody: '{"value": []}', cut }] });
    const { client } = clientFor(emulator.url, { requestTimeoutMs: 300, retry: { maxRetries: 1 } });
    const error = await caught(client.list(vnets, "2024-05-01"));
    expect([error.status, error.code, error.armMessage, error.request]).toEqual([0, code, armMessage, `GET ${vnets}`]);
    expect(emulator.requests.length).toBe(2);
  });
});

describe("ArmClient and answers of an unexpected shape", () => {
  const vnets = `${SUBSCRIPTION_PATH}/providers/Microsoft.Network/virtualNetworks`;
  const answering = (path: RegExp, rawBody: string) => startEmulator({ faults: [{ path, times: 1, status: 200, rawBody }] });

  it.each([
    ["null", "the answer is null, not an object"],
    ["{}", "value is missing, not a list"],
    ['{"value": 5}', "value is number 5, not a list"],
    ['{"value": [{"name": "a"}, 7]}', "value[1] is number 7, not an object"],
    ['{"value": [], "nextLink": 3}', "nextLink is number 3, not a string"],
  ])("a list page %s is an UnexpectedResponse naming the field", async (body, problem) => {
    emulator = await answering(/virtualNetworks$/, body);
    const { client } = clientFor(emulator.url);
    const error = await caught(client.list(vnets, "2024-05-01", undefined, objectWith({ name: text })));
    expect([error.status, error.code, error.armMessage, error.request, error.hint]).toEqual([
      0,
      "UnexpectedResponse",
      problem,
      `GET ${vnets}`,
      UNEXPECTED_RESPONSE_HINT,
    ]);
  });

  it.each([
    ["null", "the answer is null, not an object"],
    ["{}", "subscriptionId is missing, not a string"],
    ['{"subscriptionId": ["x"]}', "subscriptionId is a list, not a string"],
  ])("a GET answered %s, with a shape asked for, is an UnexpectedResponse", async (body, problem) => {
    emulator = await answering(/^\/subscriptions\/[^/]+$/, body);
    const { client } = clientFor(emulator.url);
    const error = await caught(client.get(SUBSCRIPTION_PATH, "2022-12-01", undefined, objectWith({ subscriptionId: text })));
    expect([error.code, error.armMessage]).toEqual(["UnexpectedResponse", problem]);
  });

  it("a GET without a shape returns what ARM answered, as before", async () => {
    emulator = await answering(/^\/subscriptions\/[^/]+$/, "null");
    const { client } = clientFor(emulator.url);
    expect(await client.get(SUBSCRIPTION_PATH, "2022-12-01")).toBeNull();
  });
});
