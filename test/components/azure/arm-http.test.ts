import { describe, expect, it } from "vitest";
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
} from "../../../components/azure/arm-http";
import { parseRetryAfter } from "../../../components/lib/retry-after";

const NOW = Date.parse("2026-11-20T12:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    [null, undefined],
    [undefined, undefined],
    ["0", 0],
    ["7", 7000],
    [" 30 ", 30_000],
    ["Fri, 20 Nov 2026 12:00:05 GMT", 5000],
    ["Fri, 20 Nov 2026 11:59:00 GMT", 0],
    ["Friday, 20-Nov-26 12:01:00 GMT", 60_000],
    ["soon", undefined],
    ["-3", undefined],
    ["1.5", undefined],
    ["2026-11-20", undefined],
  ])("%j gives %j ms", (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe("retryDelayMs", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 20_000 };
  it.each([
    // retry, Retry-After, random, expected
    [0, undefined, 0, 500],
    [0, undefined, 1, 1000],
    [1, undefined, 0.5, 1500],
    [2, undefined, 0, 2000],
    [3, undefined, 1, 8000],
    [6, undefined, 1, 8000],
    [0, 3000, 0.9, 3000],
    [5, 0, 0.9, 0],
    [0, 120_000, 0, 20_000],
  ])("retry %i with Retry-After %j and jitter %d waits %i ms", (retry, retryAfter, random, expected) => {
    expect(retryDelayMs(retry, retryAfter, policy, () => random)).toBe(expected);
  });
});

describe("isTransientStatus", () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [501, false],
  ])("%i is transient: %s", (status, expected) => {
    expect(isTransientStatus(status)).toBe(expected);
  });
});

describe("armErrorDetails", () => {
  it.each([
    [403, '{"error":{"code":"AuthorizationFailed","message":"no access"}}', { code: "AuthorizationFailed", message: "no access" }],
    [409, '{"error":{"code":"Conflict"}}', { code: "Conflict", message: "" }],
    [502, "<html><body>Bad   Gateway</body></html>", { code: "HTTP502", message: "<html><body>Bad Gateway</body></html>" }],
    [500, "", { code: "HTTP500", message: "no error details in the response" }],
    [404, '{"message":"not ARM"}', { code: "HTTP404", message: '{"message":"not ARM"}' }],
    [400, "null", { code: "HTTP400", message: "null" }],
  ])("%i %s", (status, body, expected) => {
    expect(armErrorDetails(status, body)).toEqual(expected);
  });

  it("keeps at most 200 characters of a non-ARM body", () => {
    expect(armErrorDetails(500, "x".repeat(500)).message).toBe("x".repeat(200));
  });
});

describe("hintFor", () => {
  it.each([
    [
      409,
      "MissingSubscriptionRegistration",
      "register the resource provider (az provider register --namespace <namespace>); pulumi up does it unless registerResourceProvider is false",
    ],
    [404, "SubscriptionNotFound", "check the subscription id, and that the signed-in identity belongs to the subscription's tenant"],
    [
      0,
      "CredentialUnavailable",
      "sign in: az login, or set AZURE_TENANT_ID/AZURE_CLIENT_ID with a secret, certificate or workload identity (OIDC), or run with a managed identity",
    ],
    [0, "RequestTimeout", "Azure did not answer in time; check the network path to management.azure.com and run again"],
    [
      0,
      "NetworkError",
      "could not reach Azure Resource Manager; check the network path to management.azure.com (proxy, firewall, DNS) and run again",
    ],
    [
      401,
      "InvalidAuthenticationToken",
      "the sign-in was refused or has expired: sign in again (az login), or check the service principal or workload identity and its tenant",
    ],
    [
      403,
      "AuthorizationFailed",
      "the signed-in identity lacks permission: GitHub's docs ask for Contributor and Network Contributor (or Owner) on the subscription; run `doctor` to see its role assignments",
    ],
    [
      404,
      "ResourceNotFound",
      "not found: check the subscription, resource group and name, and that the resource provider namespace exists in this cloud",
    ],
    [
      409,
      "Conflict",
      "the resource is in a conflicting state: wait for operations on it to finish, or remove what holds it (for a subnet, a service association link or NICs) and retry",
    ],
    [429, "SubscriptionRequestsThrottled", "Azure Resource Manager throttled the requests; wait a minute and run again"],
    [503, "ServiceUnavailable", "Azure had a server-side failure; run again later, and check Azure status if it persists"],
    [400, "InvalidRequestContent", "check the request; Azure refused it"],
  ])("%i %s", (status, code, expected) => {
    expect(hintFor(status, code)).toBe(expected);
  });
});

describe("longRunningPollUrl", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
  it.each([
    [
      202,
      { "azure-asyncoperation": "https://management.azure.com/op/1", location: "https://management.azure.com/loc/1" },
      { url: "https://management.azure.com/op/1", kind: "async-operation" },
    ],
    [
      201,
      { "azure-asyncoperation": "https://management.azure.com/op/2" },
      { url: "https://management.azure.com/op/2", kind: "async-operation" },
    ],
    [202, { location: "https://management.azure.com/loc/3" }, { url: "https://management.azure.com/loc/3", kind: "location" }],
    [200, { "azure-asyncoperation": "https://management.azure.com/op/4" }, undefined],
    [202, {}, undefined],
  ])("%i %j", (status, values, expected) => {
    expect(longRunningPollUrl(status, headers(values))).toEqual(expected);
  });
});

describe("asyncOperationState", () => {
  it.each([
    [{ status: "InProgress" }, "running"],
    [{ status: "Accepted" }, "running"],
    [{ status: "Succeeded" }, "succeeded"],
    [{ status: "succeeded" }, "succeeded"],
    [{ status: "Failed" }, "failed"],
    [{ status: "Canceled" }, "failed"],
    [{}, "running"],
    [null, "running"],
  ])("%j is %s", (body, expected) => {
    expect(asyncOperationState(body)).toBe(expected);
  });
});

describe("isSameOrigin", () => {
  it.each([
    ["https://management.azure.com/subscriptions/x?api-version=1", "https://management.azure.com", true],
    ["https://management.azure.com:443/x", "https://management.azure.com", true],
    ["https://evil.example/x", "https://management.azure.com", false],
    ["http://management.azure.com/x", "https://management.azure.com", false],
    ["http://127.0.0.1:8080/a", "http://127.0.0.1:8080", true],
    ["http://127.0.0.1:8081/a", "http://127.0.0.1:8080", false],
    ["not a url", "https://management.azure.com", false],
  ])("%s against %s: %s", (url, base, expected) => {
    expect(isSameOrigin(url, base)).toBe(expected);
  });
});

describe("armUrl", () => {
  it("puts api-version first and encodes the filter", () => {
    expect(
      armUrl("https://management.azure.com", "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments", "2022-04-01", {
        $filter: "assignedTo('abc')",
      }),
    ).toBe(
      "https://management.azure.com/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&%24filter=assignedTo%28%27abc%27%29",
    );
  });
  it("accepts a path without a leading slash", () => {
    expect(armUrl("http://127.0.0.1:9", "subscriptions/s1", "2022-12-01")).toBe(
      "http://127.0.0.1:9/subscriptions/s1?api-version=2022-12-01",
    );
  });
});
