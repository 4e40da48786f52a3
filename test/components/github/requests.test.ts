/**
 * Pure request building, parsing, retry and error logic, table by table; every body the builders
 * make is checked against GitHub's request schemas, transcribed as JSON Schema in
 * test/support/github-api (checked against GitHub's OpenAPI excerpts by
 * test/support/github-api-schemas.test.ts).
 */
import { describe, expect, it } from "vitest";
import {
  apiUrlProblem,
  configurationNameProblem,
  createNetworkConfigurationBody,
  createRunnerGroupBody,
  graphqlUrl,
  networkConfigurationPath,
  networkSettingsPath,
  parseDatabaseIdAnswer,
  parseNetworkConfiguration,
  runnerGroupPath,
  updateNetworkConfigurationBody,
  updateRunnerGroupBody,
  UNKNOWN_INPUT,
  workflowReferenceProblem,
  type NetworkConfigurationSpec,
} from "../../../components/github/api";
import { retryDecision, DEFAULT_RETRY_POLICY, type AnswerSummary } from "../../../components/github/client";
import { explainGitHubError, redact, type CallContext } from "../../../components/github/errors";
import { diffNetworkConfiguration, type NetworkConfigurationOutputs } from "../../../components/github/network-configuration-provider";
import { makeGitHubProvider } from "../../../components/github/provider";
import { diffRunnerGroupBinding, type RunnerGroupBindingOutputs } from "../../../components/github/runner-group-binding-provider";
import { generateAppKey } from "../../support/github-app-keys";
import { loadSchemas } from "../../support/github-emulator";

const schemas = loadSchemas();
const NOW = Date.UTC(2026, 7, 22, 12, 0, 0);
const answer = (status: number, headers: Record<string, string> = {}, message?: string): AnswerSummary => ({
  status,
  header: (name) => headers[name] ?? null,
  message,
});

describe("names and URLs", () => {
  it.each([
    ["a", undefined],
    ["Azure_private-network.1", undefined],
    ["n".repeat(100), undefined],
    ["n".repeat(101), `"${"n".repeat(79)}… (103 characters) is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`],
    ["", `"" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`],
    ["with space", `"with space" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`],
    ["ümlaut", `"ümlaut" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`],
    [42, "required; 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'"],
  ])("configuration name %j", (name, expected) => {
    expect(configurationNameProblem(name)).toBe(expected);
  });

  const allowed = "allowed: https://api.github.com, https://api.<subdomain>.ghe.com or another https URL (http only to localhost)";
  it.each([
    ["https://api.github.com", undefined],
    ["https://api.octocorp.ghe.com", undefined],
    ["http://127.0.0.1:8080", undefined],
    ["http://localhost:3000/", undefined],
    ["http://api.github.com", `"http://api.github.com" is not allowed; ${allowed}`],
    ["https://api.github.com?x=1", `"https://api.github.com?x=1" must not carry credentials, a query or a fragment; ${allowed}`],
    ["not a url", `"not a url" is not a URL; ${allowed}`],
    // User-info is never echoed, whatever else is wrong with the URL.
    [
      "https://user:pa55word@api.github.com",
      `"https://[redacted]@api.github.com" must not carry credentials, a query or a fragment; ${allowed}`,
    ],
    ["ftp://user:pa55word@api.github.com", `"ftp://[redacted]@api.github.com" is not allowed; ${allowed}`],
    ["https://user:pa55word@api.github.com:notaport", `"https://[redacted]@api.github.com:notaport" is not a URL; ${allowed}`],
  ])("API URL %s", (url, expected) => {
    expect(apiUrlProblem(url)).toBe(expected);
  });

  const workflowForm = "use owner/repo/.github/workflows/file.yml@ref (a branch, tag or SHA after '@')";
  it.each([
    ["octo-org/octo-repo/.github/workflows/deploy.yaml@main", undefined],
    ["o/r.js/.github/workflows/release.yml@refs/tags/v1.2.3", undefined],
    ["O-1/_r-2.x/.github/workflows/ci.yml@0123456789abcdef0123456789abcdef01234567", undefined],
    ["o/r/.github/workflows/deploy.yml", `"o/r/.github/workflows/deploy.yml" is not allowed; ${workflowForm}`],
    ["o/r/.github/workflows/deploy.yml@", `"o/r/.github/workflows/deploy.yml@" is not allowed; ${workflowForm}`],
    ["o/r/.github/workflows/deploy.json@main", `"o/r/.github/workflows/deploy.json@main" is not allowed; ${workflowForm}`],
    ["o/r/.github/workflows/.yml@main", `"o/r/.github/workflows/.yml@main" is not allowed; ${workflowForm}`],
    ["o/r/.github/workflows/sub/deploy.yml@main", `"o/r/.github/workflows/sub/deploy.yml@main" is not allowed; ${workflowForm}`],
    ["o/r/workflows/deploy.yml@main", `"o/r/workflows/deploy.yml@main" is not allowed; ${workflowForm}`],
    ["-o/r/.github/workflows/deploy.yml@main", `"-o/r/.github/workflows/deploy.yml@main" is not allowed; ${workflowForm}`],
    ["o--p/r/.github/workflows/deploy.yml@main", `"o--p/r/.github/workflows/deploy.yml@main" is not allowed; ${workflowForm}`],
    [`${"o".repeat(40)}/r/.github/workflows/d.yml@main`, expect.stringContaining("is not allowed")],
    ["o/r r/.github/workflows/deploy.yml@main", `"o/r r/.github/workflows/deploy.yml@main" is not allowed; ${workflowForm}`],
    ["o/../.github/workflows/deploy.yml@main", `"o/../.github/workflows/deploy.yml@main" is not allowed; ${workflowForm}`],
    ["o/r/.github/workflows/deploy.yml@main branch", `"o/r/.github/workflows/deploy.yml@main branch" is not allowed; ${workflowForm}`],
    [7, `must be a string; ${workflowForm}`],
  ])("workflow reference %j", (workflow, expected) => {
    expect(workflowReferenceProblem(workflow)).toEqual(expected);
  });

  it.each([
    [{ scope: "organization", slug: "my-org" }, "ABC", "/orgs/my-org/settings/network-configurations/ABC"],
    [{ scope: "enterprise", slug: "acme" }, "ABC", "/enterprises/acme/network-configurations/ABC"],
    [{ scope: "organization", slug: "my-org" }, "a/b", "/orgs/my-org/settings/network-configurations/a%2Fb"],
  ] as const)("%j configuration %s is at %s", (owner, id, path) => {
    expect(networkConfigurationPath(owner, id)).toBe(path);
  });

  it("runner groups, network settings and GraphQL paths", () => {
    expect(runnerGroupPath({ scope: "organization", slug: "my-org" }, 7)).toBe("/orgs/my-org/actions/runner-groups/7");
    expect(runnerGroupPath({ scope: "enterprise", slug: "acme" }, 7)).toBe("/enterprises/acme/actions/runner-groups/7");
    expect(networkSettingsPath({ scope: "organization", slug: "my-org" }, "GH/1")).toBe("/orgs/my-org/settings/network-settings/GH%2F1");
    expect(networkSettingsPath({ scope: "enterprise", slug: "acme" }, "GH1")).toBe("/enterprises/acme/network-settings/GH1");
    expect(graphqlUrl(undefined)).toBe("https://api.github.com/graphql");
    expect(graphqlUrl("https://api.octocorp.ghe.com/")).toBe("https://api.octocorp.ghe.com/graphql");
  });
});

describe("request bodies, each valid against GitHub's request schema", () => {
  const primaryOnly: NetworkConfigurationSpec = { name: "net", gitHubId: "P", failoverEnabled: false };
  const withFailover: NetworkConfigurationSpec = { name: "net", gitHubId: "P", failoverGitHubId: "F", failoverEnabled: true };
  it.each([
    [
      "create, primary only",
      createNetworkConfigurationBody(primaryOnly),
      "POST",
      { name: "net", compute_service: "actions", network_settings_ids: ["P"] },
    ],
    [
      "create, failover on",
      createNetworkConfigurationBody(withFailover),
      "POST",
      {
        name: "net",
        compute_service: "actions",
        network_settings_ids: ["P"],
        failover_network_settings_ids: ["F"],
        failover_network_enabled: true,
      },
    ],
    [
      "update, failover on",
      updateNetworkConfigurationBody(withFailover),
      "PATCH",
      {
        name: "net",
        compute_service: "actions",
        network_settings_ids: ["P"],
        failover_network_settings_ids: ["F"],
        failover_network_enabled: true,
      },
    ],
    [
      "update, failover removed",
      updateNetworkConfigurationBody(primaryOnly),
      "PATCH",
      {
        name: "net",
        compute_service: "actions",
        network_settings_ids: ["P"],
        failover_network_settings_ids: [],
        failover_network_enabled: false,
      },
    ],
  ])("%s", (_name, body, method, expected) => {
    expect(body).toEqual(expected);
    for (const scope of ["organization", "enterprise"]) {
      const validate = schemas.request[`${method} ${scope} network-configuration`];
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each([
    ["create, minimal", createRunnerGroupBody({ name: "g" }, "NC1"), "POST runner-group", { name: "g", network_configuration_id: "NC1" }],
    [
      "create, selected repositories",
      createRunnerGroupBody({ name: "g", visibility: "selected", selectedRepositoryIds: [1, 2], allowsPublicRepositories: true }, "NC1"),
      "POST runner-group",
      {
        name: "g",
        visibility: "selected",
        selected_repository_ids: [1, 2],
        allows_public_repositories: true,
        network_configuration_id: "NC1",
      },
    ],
    [
      "create, restricted to workflows",
      createRunnerGroupBody({ name: "g", restrictedToWorkflows: true, selectedWorkflows: ["o/r/.github/workflows/d.yml@main"] }, "NC1"),
      "POST runner-group",
      {
        name: "g",
        restricted_to_workflows: true,
        selected_workflows: ["o/r/.github/workflows/d.yml@main"],
        network_configuration_id: "NC1",
      },
    ],
    ["attach", updateRunnerGroupBody("g", "NC1"), "PATCH runner-group", { name: "g", network_configuration_id: "NC1" }],
    [
      "lift a workflow restriction",
      updateRunnerGroupBody("g", "NC1", { restrictedToWorkflows: false, selectedWorkflows: [] }),
      "PATCH runner-group",
      { name: "g", restricted_to_workflows: false, selected_workflows: [], network_configuration_id: "NC1" },
    ],
    ["detach", updateRunnerGroupBody("g", null), "PATCH runner-group", { name: "g", network_configuration_id: null }],
  ])("runner group %s", (_name, body, schema, expected) => {
    expect(body).toEqual(expected);
    const validate = schemas.request[schema];
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the schemas refuse what GitHub would (so the checks above can fail)", () => {
    expect(schemas.request["POST organization network-configuration"]({ name: "x", network_settings_ids: [] })).toBe(false);
    expect(
      schemas.request["POST organization network-configuration"]({ name: "x", network_settings_ids: ["a"], compute_service: "codespaces" }),
    ).toBe(false);
    expect(schemas.request["PATCH runner-group"]({ network_configuration_id: "x" })).toBe(false);
  });
});

describe("responses", () => {
  it.each([
    [
      "every field",
      {
        id: "A",
        name: "n",
        compute_service: "actions",
        network_settings_ids: ["P"],
        failover_network_settings_ids: ["F"],
        failover_network_enabled: true,
        created_on: "2026-01-01T00:00:00Z",
      },
      {
        id: "A",
        name: "n",
        computeService: "actions",
        gitHubId: "P",
        failoverGitHubId: "F",
        failoverEnabled: true,
        createdOn: "2026-01-01T00:00:00Z",
      },
    ],
    [
      "only the required fields",
      { id: "A", name: "n", created_on: null },
      { id: "A", name: "n", computeService: undefined, gitHubId: "", failoverGitHubId: undefined, failoverEnabled: false, createdOn: null },
    ],
  ])("network configuration with %s", (_name, body, expected) => {
    expect(parseNetworkConfiguration(body)).toEqual(expected);
  });

  it("refuses something that is not a configuration", () => {
    expect(() => parseNetworkConfiguration({ message: "Not Found" })).toThrow(
      "GitHub answered with something that is not a network configuration (no id or name)",
    );
  });

  it.each([
    [{ scope: "organization", slug: "o" }, { data: { organization: { login: "o", databaseId: 42 } } }, { found: true, databaseId: "42" }],
    [{ scope: "enterprise", slug: "e" }, { data: { enterprise: { slug: "e", databaseId: 7 } } }, { found: true, databaseId: "7" }],
    [
      { scope: "organization", slug: "o" },
      { data: { organization: null }, errors: [{ message: "Could not resolve." }] },
      { found: false, reason: "Could not resolve." },
    ],
    [{ scope: "enterprise", slug: "e" }, { data: {} }, { found: false, reason: 'no enterprise "e" is visible to this token' }],
    // Not a GraphQL answer at all: nothing is known about the owner.
    [
      { scope: "organization", slug: "o" },
      { message: "hello" },
      {
        found: false,
        unexpected: true,
        reason: "GitHub's GraphQL endpoint answered with an object without data or errors, not a GraphQL answer",
      },
    ],
    [
      { scope: "organization", slug: "o" },
      "<html>sign in to the proxy</html>",
      { found: false, unexpected: true, reason: "GitHub's GraphQL endpoint answered with a string, not a GraphQL answer" },
    ],
    [
      { scope: "organization", slug: "o" },
      null,
      { found: false, unexpected: true, reason: "GitHub's GraphQL endpoint answered with nothing, not a GraphQL answer" },
    ],
    [
      { scope: "enterprise", slug: "e" },
      [1],
      { found: false, unexpected: true, reason: "GitHub's GraphQL endpoint answered with a list, not a GraphQL answer" },
    ],
  ] as const)("databaseId answer for %j", (owner, body, expected) => {
    expect(parseDatabaseIdAnswer(owner, body)).toEqual(expected);
  });
});

describe("retry decisions", () => {
  it.each([
    ["200 is final", answer(200), 1, { retry: false, reason: "done" }],
    ["404 is final", answer(404), 1, { retry: false, reason: "done" }],
    ["403 without rate-limit signs is a refusal", answer(403, {}, "Resource not accessible"), 1, { retry: false, reason: "done" }],
    ["500 backs off 1 s first", answer(500), 1, { retry: true, delayMs: 1000, reason: "server error 500" }],
    ["500 backs off 8 s the 4th time", answer(500), 4, { retry: true, delayMs: 8000, reason: "server error 500" }],
    [
      "backoff is capped (here at 10 s)",
      answer(503),
      5,
      { retry: true, delayMs: 10000, reason: "server error 503" },
      { maxBackoffMs: 10_000 },
    ],
    ["the last attempt is not retried", answer(500), DEFAULT_RETRY_POLICY.maxAttempts, { retry: false, reason: "attempts-exhausted" }],
    [
      "retry-after as an HTTP date",
      answer(429, { "retry-after": new Date(NOW + 5000).toUTCString() }),
      1,
      { retry: true, delayMs: 5000, reason: "rate limited (429, retry-after)" },
    ],
    ["429 without headers waits a minute", answer(429), 1, { retry: true, delayMs: 60000, reason: "secondary rate limit (429)" }],
    [
      "primary limit resets in 2 minutes",
      answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 120) }),
      1,
      { retry: true, delayMs: 121000, reason: "primary rate limit (403, x-ratelimit-reset)" },
    ],
    [
      "a reset in the past still waits a second",
      answer(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 - 10) }),
      1,
      { retry: true, delayMs: 1000, reason: "primary rate limit (429, x-ratelimit-reset)" },
    ],
    [
      "a reset beyond 15 minutes is not waited for",
      answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 3600) }),
      1,
      { retry: false, reason: "wait-too-long", retryAtMs: NOW + 3601000 },
    ],
  ])("%s", (_name, summary, attempt, expected, policy?: Partial<typeof DEFAULT_RETRY_POLICY>) => {
    expect(retryDecision(summary, attempt, NOW, { ...DEFAULT_RETRY_POLICY, ...policy })).toEqual(expected);
  });
});

describe("errors", () => {
  const org: CallContext = {
    operation: "create network configuration",
    endpoint: "network-configurations",
    owner: { scope: "organization", slug: "o" },
  };
  const enterprise: CallContext = { ...org, owner: { scope: "enterprise", slug: "e" } };
  it.each([
    ["401", 401, { message: "Bad credentials" }, org, "unauthorized"],
    ["403", 403, { message: "Forbidden" }, org, "forbidden"],
    ["404", 404, { message: "Not Found" }, enterprise, "not-found"],
    ["422 already_exists", 422, { message: "Validation Failed", errors: [{ code: "already_exists", field: "name" }] }, org, "name-taken"],
    ["422 name in words", 422, { message: "Name has already been taken" }, org, "name-taken"],
    [
      "422 wrong level",
      422,
      { message: "network settings already associated with a different enterprise or organization" },
      org,
      "wrong-business-level",
    ],
    [
      "422 settings in use (the emulator's words)",
      422,
      {
        message: "Validation Failed",
        errors: [
          {
            code: "invalid",
            field: "network_settings_ids",
            message: "Network settings P is already in use by another network configuration.",
          },
        ],
      },
      org,
      "settings-in-use",
    ],
    [
      "422 settings already_exists",
      422,
      { message: "Validation Failed", errors: [{ code: "already_exists", field: "failover_network_settings_ids" }] },
      org,
      "settings-in-use",
    ],
    [
      "422 anything else",
      422,
      { message: "Validation Failed", errors: [{ code: "invalid", field: "network_settings_ids" }] },
      org,
      "invalid",
    ],
    ["502", 502, "Bad Gateway", org, "server"],
    ["418", 418, undefined, org, "invalid"],
  ])("%s becomes %s", (_name, status, body, context, kind) => {
    expect(explainGitHubError(status, body, context).kind).toBe(kind);
  });

  it("names the permission each endpoint and level needs", () => {
    expect(explainGitHubError(403, undefined, enterprise).message).toBe(
      'create network configuration failed: the token is not allowed to do this in enterprise "e" (403). Enterprise network configurations need a classic personal access token with the admin:enterprise scope from an enterprise owner; GitHub Apps and fine-grained tokens cannot use the enterprise endpoints.',
    );
    expect(explainGitHubError(403, undefined, { ...org, endpoint: "runner-groups" }).message).toBe(
      'create network configuration failed: the token is not allowed to do this in organization "o" (403). Organization runner groups need a fine-grained token or GitHub App with the organization permission "Self-hosted runners" (read and write), or a classic token with admin:org.',
    );
  });

  it("redacts the token wherever it shows up", () => {
    expect(explainGitHubError(422, { message: "token ghp_secretValue123 is odd" }, org, "ghp_secretValue123").message).toBe(
      "create network configuration failed: GitHub refused the request (422: token [redacted] is odd).",
    );
    expect(redact("abc", "")).toBe("abc");
  });

  it("redacts a token a server quotes back before cutting a long text answer, so no part of it is left", () => {
    const token = "ghp_quotedBackToken0123456789";
    // The 300-character cut falls inside the token.
    const page = `<html>${"x".repeat(252)} you sent Authorization: Bearer ${token}</html>`;
    expect(page.indexOf(token)).toBe(290);
    const message = explainGitHubError(500, page, org, token).message;
    expect(message).not.toContain(token.slice(0, 8));
    expect(message).toContain("Bearer [redacted]");
    expect(message).toContain("<html>xxx");
  });
});

describe("diffs", () => {
  const olds: NetworkConfigurationOutputs = {
    scope: "organization",
    slug: "o",
    apiUrl: "https://api.github.com",
    name: "n",
    computeService: "actions",
    gitHubId: "P",
    failoverGitHubId: "F",
    failoverEnabled: false,
    token: "t",
    createdOn: null,
  };
  const { createdOn: _createdOn, ...same } = olds;
  it.each([
    ["nothing changed", same, { changes: false, replaces: [], deleteBeforeReplace: false }],
    ["renamed", { ...same, name: "m" }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    ["failover switched on", { ...same, failoverEnabled: true }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    ["failover removed", { ...same, failoverGitHubId: undefined }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    ["another existing primary network", { ...same, gitHubId: "Q" }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    [
      "primary networkSettings being replaced (unknown)",
      { ...same, gitHubId: UNKNOWN_INPUT },
      { changes: true, replaces: ["gitHubId"], deleteBeforeReplace: true },
    ],
    [
      "failover networkSettings being replaced (unknown)",
      { ...same, failoverGitHubId: UNKNOWN_INPUT },
      { changes: true, replaces: ["failoverGitHubId"], deleteBeforeReplace: true },
    ],
    [
      "moved to the enterprise",
      { ...same, scope: "enterprise", slug: "e" },
      { changes: true, replaces: ["scope", "slug"], deleteBeforeReplace: true },
    ],
    // The sign-in is the provider's (operationsFor), below.
    ["a new token alone", { ...same, token: "u" }, { changes: false, replaces: [], deleteBeforeReplace: false }],
  ])("network configuration: %s", (_name, news, expected) => {
    expect(diffNetworkConfiguration(olds, news)).toEqual(expected);
  });

  const sourced: NetworkConfigurationOutputs = { ...olds, gitHubIdSource: "primary", failoverGitHubIdSource: "failover" };
  const { createdOn: _sourcedCreatedOn, ...sameSourced } = sourced;
  it.each<[string, NetworkConfigurationOutputs, Record<string, unknown>, ReturnType<typeof diffNetworkConfiguration>]>([
    ["nothing changed", sourced, sameSourced, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "moved to a new network, its GitHubId not known yet: an update",
      sourced,
      { ...sameSourced, gitHubId: UNKNOWN_INPUT, gitHubIdSource: "primary-v2" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "the same network's networkSettings being replaced: a replacement",
      sourced,
      { ...sameSourced, gitHubId: UNKNOWN_INPUT },
      { changes: true, replaces: ["gitHubId"], deleteBeforeReplace: true },
    ],
    [
      "the failover moved to a new network",
      sourced,
      { ...sameSourced, failoverGitHubId: UNKNOWN_INPUT, failoverGitHubIdSource: "failover-v2" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a source renamed alone, its GitHubId the same: an update that sends nothing",
      sourced,
      { ...sameSourced, gitHubIdSource: "renamed" },
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    ["sources no longer given: no change", sourced, same, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "a stack deployed without sources, moved to a new network: a replacement, as before",
      olds,
      { ...same, gitHubId: UNKNOWN_INPUT, gitHubIdSource: "primary-v2" },
      { changes: true, replaces: ["gitHubId"], deleteBeforeReplace: true },
    ],
  ])("network configuration with sources: %s", (_name, previous, news, expected) => {
    expect(diffNetworkConfiguration(previous, news)).toEqual(expected);
  });

  const binding: RunnerGroupBindingOutputs = {
    organization: "o",
    apiUrl: "https://api.github.com",
    token: "t",
    networkConfigurationId: "NC1",
    attachedNetworkConfigurationId: "NC1",
    runnerGroupName: "g",
    createIfMissing: false,
    groupId: 5,
    groupName: "g",
    createdGroup: false,
  };
  const inputs = {
    organization: "o",
    apiUrl: "https://api.github.com",
    token: "t",
    networkConfigurationId: "NC1",
    runnerGroupName: "g",
    createIfMissing: false,
  };
  const deploy = "o/r/.github/workflows/deploy.yml@main";
  const release = "o/r/.github/workflows/release.yml@v1";
  const createdBefore: RunnerGroupBindingOutputs = {
    ...binding,
    createIfMissing: true,
    createdGroup: true,
    visibility: "all",
    allowsPublicRepositories: false,
  };
  const created: RunnerGroupBindingOutputs = { ...createdBefore, restrictedToWorkflows: false, selectedWorkflows: [] };
  const createdInputs = { ...inputs, createIfMissing: true };
  it.each([
    ["nothing changed", binding, inputs, { changes: false, replaces: [] }],
    [
      "attached to another configuration in the UI",
      { ...binding, attachedNetworkConfigurationId: "NC9" },
      inputs,
      { changes: true, replaces: [] },
    ],
    ["another configuration", binding, { ...inputs, networkConfigurationId: "NC2" }, { changes: true, replaces: [] }],
    ["another group", binding, { ...inputs, runnerGroupName: "h" }, { changes: true, replaces: ["runnerGroupName"] }],
    [
      "renaming a group it created",
      { ...binding, createdGroup: true, createIfMissing: true },
      { ...inputs, createIfMissing: true, runnerGroupName: "h" },
      { changes: true, replaces: [] },
    ],
    ["another organization", binding, { ...inputs, organization: "p" }, { changes: true, replaces: ["organization"] }],
    [
      "workflows for a group it did not create (not its settings)",
      binding,
      { ...inputs, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
      { changes: false, replaces: [] },
    ],
    ["restricting a group it created", created, { ...createdInputs, restrictedToWorkflows: true }, { changes: true, replaces: [] }],
    [
      "the same workflows in another order",
      { ...created, restrictedToWorkflows: true, selectedWorkflows: [deploy, release] },
      { ...createdInputs, restrictedToWorkflows: true, selectedWorkflows: [release, deploy] },
      { changes: false, replaces: [] },
    ],
    [
      "another workflow",
      { ...created, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
      { ...createdInputs, restrictedToWorkflows: true, selectedWorkflows: [release] },
      { changes: true, replaces: [] },
    ],
    [
      "restriction lifted in the UI",
      { ...created, restrictedToWorkflows: false, selectedWorkflows: [deploy] },
      { ...createdInputs, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
      { changes: true, replaces: [] },
    ],
    ["state from before workflow restrictions (GitHub's defaults)", createdBefore, createdInputs, { changes: false, replaces: [] }],
  ])("runner group binding: %s", (_name, old, news, expected) => {
    expect(diffRunnerGroupBinding(old, news)).toEqual(expected);
  });

  const app = { appId: "1234", installationId: "5678", privateKey: generateAppKey().privateKey };
  const provider = makeGitHubProvider();
  const withSignIn = (props: object, signIn: object) => {
    const { token: _token, app: _app, ...rest } = props as Record<string, unknown>;
    return { ...rest, ...signIn };
  };
  it.each([
    ["a new token", { token: "t" }, { token: "u" }, true],
    ["no token this time (a preview without one)", { token: "t" }, { token: "" }, false],
    ["from a token to a GitHub App", { token: "t" }, { app }, true],
    ["the same app", { app }, { app: { ...app } }, false],
    ["the app's key rotated", { app }, { app: { ...app, privateKey: generateAppKey().privateKey } }, true],
    ["another installation", { app }, { app: { ...app, installationId: "5679" } }, true],
    ["no credentials this time after an app", { app }, { token: "" }, false],
    ["from an app back to a token", { app }, { token: "t" }, true],
  ])("a sign-in change alone: %s is an in-place update without a request (%s)", async (_name, before, after, changes) => {
    const configurationOlds = { kind: "networkConfiguration", ...withSignIn(olds, before) };
    const configurationNews = { kind: "networkConfiguration", ...withSignIn(same, after) };
    expect(await provider.diff("NC1", configurationOlds, configurationNews)).toEqual({ changes, replaces: [], deleteBeforeReplace: false });
    const bindingOlds = { kind: "runnerGroupBinding", ...withSignIn(binding, before) };
    const bindingNews = { kind: "runnerGroupBinding", ...withSignIn(inputs, after) };
    expect(await provider.diff("5", bindingOlds, bindingNews)).toEqual({ changes, replaces: [] });
  });
});
