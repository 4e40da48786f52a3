/**
 * The stack program with its GitHub side under Pulumi's mocks: the Azure networks, the network
 * configuration (primary and failover) and the runner group bindings in one program, with exact
 * inputs, dependencies (teardown order) and secrets; the businessId lookup against the emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram, startOfflineEngine, type RecordedResource } from "../../cli/offline-engine";
import { createGitHubClient } from "../../components/github/client";
import type { SignIn } from "../../components/github/provider-support";
import { generateAppKey } from "../support/github-app-keys";
import { GitHubEmulator } from "../support/github-emulator";

const TOKEN = "ghp_stackTestTokenNeverShown0001";
const CONFIGURATION = "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration";
const BINDING = "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubRunnerGroupBinding";
const DEPLOY_WORKFLOW = "my-org/app/.github/workflows/deploy.yml@main";
const STACK_URN = "urn:pulumi:unit::test::pulumi:pulumi:Stack::test-unit";

const networks = [
  { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 },
  { name: "failover", location: "westus2", addressSpace: "10.41.0.0/16", maxConcurrentRunners: 100, role: "failover" },
];
const organizationConfig = {
  github: {
    businessId: "4201",
    scope: "organization",
    slug: "my-org",
    networkConfiguration: {
      name: "azure-private",
      runnerGroups: [
        {
          name: "larger-runners",
          create: true,
          visibility: "selected",
          selectedRepositoryIds: [32],
          restrictedToWorkflows: true,
          selectedWorkflows: [DEPLOY_WORKFLOW],
        },
        { id: 7 },
      ],
    },
  },
  networks,
};

// Started at collection time: the describe blocks below run their programs while being collected.
const started = GitHubEmulator.start({
  tokens: { [TOKEN]: ["read:org", "read:enterprise"] },
  organizations: { "my-org": 4201 },
  enterprises: { acme: 9901 },
});
afterAll(async () => (await started).stop());

/** Runs a program under the offline engine (mocks); `preview: false` acts like `pulumi up`. */
async function underMocks(program: () => Promise<Record<string, unknown>> | Record<string, unknown>, preview = true) {
  const engine = await startOfflineEngine({ project: "test", stack: "unit", preview });
  let failure: unknown;
  const outputs = await runProgram(engine, async () => {
    try {
      return await program();
    } catch (error) {
      failure = error;
      return {};
    }
  });
  await engine.settle();
  const resources = engine.resources();
  const byName = (name: string) => resources.find((r) => r.name === name) as RecordedResource;
  return { outputs, resources, byName, failure };
}

const load = () => import("../../infra/stack");
const gitHubIdOf = (resource: RecordedResource) => (resource.outputs.tags as Record<string, string>).GitHubId;
const emulatorAccess = (emulator: GitHubEmulator) => ({
  offline: false,
  token: TOKEN,
  connect: (signIn: SignIn) => createGitHubClient({ ...signIn, apiUrl: emulator.url }),
});

describe("one program: Azure networks, network configuration with failover, runner group bindings", async () => {
  const emulator = await started;
  const { deployStackWithGitHub } = await load();
  const run = await underMocks(async () => deployStackWithGitHub(organizationConfig, emulatorAccess(emulator)));
  const configuration = run.byName("github-network-configuration");
  const primarySettings = run.byName("primary-network-settings");
  const failoverSettings = run.byName("failover-network-settings");

  it("registers the configuration with the primary and failover GitHubIds and the token as a secret", () => {
    expect(run.failure).toBeUndefined();
    expect(configuration.type).toBe(CONFIGURATION);
    expect(configuration.parent).toBe(STACK_URN);
    expect(configuration.inputs).toEqual({
      kind: "networkConfiguration",
      scope: "organization",
      slug: "my-org",
      apiUrl: "https://api.github.com",
      name: "azure-private",
      computeService: "actions",
      gitHubId: gitHubIdOf(primarySettings),
      failoverGitHubId: gitHubIdOf(failoverSettings),
      failoverEnabled: false,
      gitHubIdSource: "primary",
      failoverGitHubIdSource: "failover",
      token: "[secret]",
    });
    expect(gitHubIdOf(primarySettings)).toMatch(/^offline-plan-[0-9a-f]{12}$/);
    expect(configuration.options).toEqual({ additionalSecretOutputs: ["token"] });
  });

  it("depends on both networkSettings resources, so it is deleted before them", () => {
    expect(configuration.dependencies).toEqual([failoverSettings.urn, primarySettings.urn].sort());
    // And networkSettings before the subnet (the core component's own dependency).
    expect(primarySettings.dependencies).toContain(run.byName("primary-subnet").urn);
  });

  it("binds each runner group to the configuration, so bindings go first on teardown", () => {
    const created = run.byName("github-runner-group-larger-runners");
    const byId = run.byName("github-runner-group-id-7");
    expect([created.type, byId.type]).toEqual([BINDING, BINDING]);
    expect(created.inputs).toEqual({
      kind: "runnerGroupBinding",
      organization: "my-org",
      apiUrl: "https://api.github.com",
      networkConfigurationId: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
      runnerGroupName: "larger-runners",
      createIfMissing: true,
      visibility: "selected",
      selectedRepositoryIds: [32],
      restrictedToWorkflows: true,
      selectedWorkflows: [DEPLOY_WORKFLOW],
      token: "[secret]",
    });
    expect(byId.inputs).toEqual({
      kind: "runnerGroupBinding",
      organization: "my-org",
      apiUrl: "https://api.github.com",
      networkConfigurationId: created.inputs.networkConfigurationId,
      runnerGroupId: 7,
      createIfMissing: false,
      token: "[secret]",
    });
    expect(created.inputs.networkConfigurationId).toMatch(/^offline-plan-[0-9a-f]{12}$/);
    expect(created.dependencies).toEqual([configuration.urn]);
    expect(byId.dependencies).toEqual([configuration.urn]);
    expect(created.options).toEqual({ additionalSecretOutputs: ["token"] });
  });

  it("exports which network is primary and which is failover", () => {
    expect(run.outputs.gitHub).toEqual({
      scope: "organization",
      slug: "my-org",
      businessId: "4201",
      networkConfiguration: {
        id: created().inputs.networkConfigurationId,
        name: "azure-private",
        primaryNetwork: "primary",
        failoverNetwork: "failover",
        failoverEnabled: false,
        runnerGroups: ["larger-runners", "id 7"],
      },
    });
    expect((run.outputs.nextSteps as string).split("\n")).toEqual([
      '1. pulumi up creates network configuration "azure-private" in organization "my-org" with network "primary" and failover network "failover".',
      '2. It is attached to runner groups "larger-runners", "id 7"; add larger runners there (GitHub: Actions > Runners > New runner, or @pulumi/github ActionsHostedRunner).',
      "3. Failover is off: set github.networkConfiguration.failoverEnabled and pulumi up to switch; it takes about 15 minutes and runners may run on both networks meanwhile.",
      "Teardown: pulumi destroy removes the runner group bindings, then the configuration, then networkSettings and subnets.",
    ]);
    function created() {
      return run.byName("github-runner-group-larger-runners");
    }
  });

  it("never shows the token: not in inputs, outputs or stack outputs", () => {
    expect(JSON.stringify(run.resources)).not.toContain(TOKEN);
    expect(JSON.stringify(run.outputs)).not.toContain(TOKEN);
  });

  it("looked the businessId up once and found it matches", () => {
    expect(emulator.calls()).toEqual(["POST /graphql"]);
    expect((primarySettings.inputs.properties as Record<string, string>).businessId).toBe("4201");
  });
});

describe("the GitHub side of the stack, case by case", () => {
  it.each([
    ["failover switched on", { failoverEnabled: true }, networks, { failoverGitHubId: true, failoverEnabled: true }],
    ["no failover network", {}, [networks[0]], { failoverGitHubId: false, failoverEnabled: false }],
  ])("%s", async (_name, extra, configured, expected) => {
    const { deployStackWithGitHub } = await load();
    const config = {
      github: { businessId: "4201", scope: "organization", slug: "my-org", networkConfiguration: { name: "azure-private", ...extra } },
      networks: configured,
    };
    const run = await underMocks(async () => deployStackWithGitHub(config, { offline: true }));
    const inputs = run.byName("github-network-configuration").inputs;
    expect("failoverGitHubId" in inputs).toBe(expected.failoverGitHubId);
    expect(inputs.failoverEnabled).toBe(expected.failoverEnabled);
    expect(inputs.token).toBe("[secret]");
    expect(run.resources.filter((r) => r.type === BINDING)).toEqual([]);
  });
});

describe("the same program's GitHub resources, created and destroyed against the emulator as the engine would", async () => {
  const { makeGitHubProvider } = await import("../../components/github/provider");
  const { deployStackWithGitHub } = await load();
  const lifecycleEmulator = await GitHubEmulator.start({
    tokens: { [TOKEN]: ["org:network-configurations", "org:runner-groups", "read:org"] },
    organizations: { "my-org": 4201 },
  });
  afterAll(() => lifecycleEmulator.stop());
  const config = {
    ...organizationConfig,
    github: {
      ...organizationConfig.github,
      apiUrl: lifecycleEmulator.url,
      networkConfiguration: {
        name: "azure-private",
        failoverEnabled: true,
        runnerGroups: [{ name: "larger-runners", create: true, restrictedToWorkflows: true, selectedWorkflows: [DEPLOY_WORKFLOW] }],
      },
    },
  };
  const run = await underMocks(async () =>
    deployStackWithGitHub(config, {
      offline: false,
      token: TOKEN,
      connect: (signIn) => createGitHubClient({ ...signIn, apiUrl: lifecycleEmulator.url }),
    }),
  );
  const provider = makeGitHubProvider();
  // The engine hands the provider the decrypted token and resolved outputs of dependencies.
  const asEngineSends = (resource: RecordedResource, resolved: Record<string, unknown> = {}) => ({
    ...resource.inputs,
    token: TOKEN,
    ...resolved,
  });

  it("creates the configuration, then the binding; destroys in the reverse order; every request passes the schemas", async () => {
    const configurationInputs = (await provider.check({}, asEngineSends(run.byName("github-network-configuration")))).inputs;
    const configuration = await provider.create(configurationInputs);
    const bindingInputs = (
      await provider.check(
        {},
        asEngineSends(run.byName("github-runner-group-larger-runners"), { networkConfigurationId: configuration.id }),
      )
    ).inputs;
    const binding = await provider.create(bindingInputs);
    expect(lifecycleEmulator.configurations("organization", "my-org")).toEqual([
      {
        id: configuration.id,
        name: "azure-private",
        compute_service: "actions",
        network_settings_ids: [gitHubIdOf(run.byName("primary-network-settings"))],
        failover_network_settings_ids: [gitHubIdOf(run.byName("failover-network-settings"))],
        failover_network_enabled: true,
        created_on: expect.any(String),
      },
    ]);
    expect(lifecycleEmulator.runnerGroups("my-org").find((g) => g.name === "larger-runners")).toMatchObject({
      network_configuration_id: configuration.id,
      visibility: "all",
      restricted_to_workflows: true,
      selected_workflows: [DEPLOY_WORKFLOW],
    });
    expect(lifecycleEmulator.requests.find((r) => r.method === "POST" && r.path === "/orgs/my-org/actions/runner-groups")?.body).toEqual({
      name: "larger-runners",
      restricted_to_workflows: true,
      selected_workflows: [DEPLOY_WORKFLOW],
      network_configuration_id: configuration.id,
    });
    await provider.delete(binding.id, binding.outs);
    await provider.delete(configuration.id, configuration.outs);
    expect(lifecycleEmulator.calls()).toEqual([
      "POST /graphql",
      "POST /orgs/my-org/settings/network-configurations",
      "GET /orgs/my-org/actions/runner-groups?per_page=100&page=1",
      "POST /orgs/my-org/actions/runner-groups",
      "DELETE /orgs/my-org/actions/runner-groups/2",
      `DELETE /orgs/my-org/settings/network-configurations/${configuration.id}`,
    ]);
    expect(lifecycleEmulator.violations).toEqual([]);
  });
});

describe("an enterprise stack: enterprise configuration and enterprise runner groups", async () => {
  const { makeGitHubProvider } = await import("../../components/github/provider");
  const { deployStackWithGitHub } = await load();
  const enterpriseEmulator = await GitHubEmulator.start({
    tokens: { [TOKEN]: ["enterprise:network-configurations", "enterprise:runner-groups", "read:enterprise"] },
    enterprises: { acme: 9901 },
  });
  afterAll(() => enterpriseEmulator.stop());
  const config = {
    github: {
      scope: "enterprise",
      slug: "acme",
      apiUrl: enterpriseEmulator.url,
      networkConfiguration: {
        name: "acme-private",
        runnerGroups: [{ name: "shared-runners", create: true, visibility: "selected", selectedOrganizationIds: [4201, 4202] }, { id: 1 }],
      },
    },
    networks: [networks[0]],
  };
  const run = await underMocks(async () =>
    deployStackWithGitHub(config, {
      offline: false,
      token: TOKEN,
      connect: (signIn) => createGitHubClient({ ...signIn, apiUrl: enterpriseEmulator.url }),
    }),
  );
  const configuration = run.byName("github-network-configuration");
  const created = run.byName("github-runner-group-shared-runners");
  const byId = run.byName("github-runner-group-id-1");

  it("registers the enterprise configuration and one binding per enterprise group, with exact inputs", () => {
    expect(run.failure).toBeUndefined();
    expect(configuration.inputs).toEqual({
      kind: "networkConfiguration",
      scope: "enterprise",
      slug: "acme",
      apiUrl: enterpriseEmulator.url,
      name: "acme-private",
      computeService: "actions",
      gitHubId: gitHubIdOf(run.byName("primary-network-settings")),
      failoverEnabled: false,
      gitHubIdSource: "primary",
      token: "[secret]",
    });
    expect(created.inputs).toEqual({
      kind: "runnerGroupBinding",
      enterprise: "acme",
      apiUrl: enterpriseEmulator.url,
      networkConfigurationId: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
      runnerGroupName: "shared-runners",
      createIfMissing: true,
      visibility: "selected",
      selectedOrganizationIds: [4201, 4202],
      token: "[secret]",
    });
    expect(byId.inputs).toEqual({
      kind: "runnerGroupBinding",
      enterprise: "acme",
      apiUrl: enterpriseEmulator.url,
      networkConfigurationId: created.inputs.networkConfigurationId,
      runnerGroupId: 1,
      createIfMissing: false,
      token: "[secret]",
    });
    expect([created.dependencies, byId.dependencies]).toEqual([[configuration.urn], [configuration.urn]]);
    expect((run.byName("primary-network-settings").inputs.properties as Record<string, string>).businessId).toBe("9901");
  });

  it("binds the enterprise groups against the emulator as the engine would, and lets go of them on destroy", async () => {
    const provider = makeGitHubProvider();
    const engineSends = (resource: RecordedResource, resolved: Record<string, unknown> = {}) => ({
      ...resource.inputs,
      token: TOKEN,
      ...resolved,
    });
    const made = await provider.create((await provider.check({}, engineSends(configuration))).inputs);
    const bindings = [];
    for (const resource of [created, byId]) {
      const checked = await provider.check({}, engineSends(resource, { networkConfigurationId: made.id }));
      expect(checked.failures).toEqual([]);
      bindings.push(await provider.create(checked.inputs));
    }
    const groups = enterpriseEmulator.enterpriseRunnerGroups("acme");
    expect(groups.map((g) => [g.name, g.visibility, g.selected_organization_ids, g.network_configuration_id])).toEqual([
      ["Default", "all", [], made.id],
      ["shared-runners", "selected", [4201, 4202], made.id],
    ]);
    for (const binding of bindings.reverse()) await provider.delete(binding.id, binding.outs);
    await provider.delete(made.id, made.outs);
    expect(groups.map((g) => [g.name, g.network_configuration_id])).toEqual([["Default", undefined]]);
    expect(enterpriseEmulator.calls().filter((call) => !call.startsWith("GET "))).toEqual([
      "POST /graphql",
      "POST /enterprises/acme/network-configurations",
      "POST /enterprises/acme/actions/runner-groups",
      "PATCH /enterprises/acme/actions/runner-groups/1",
      "PATCH /enterprises/acme/actions/runner-groups/1",
      "DELETE /enterprises/acme/actions/runner-groups/2",
      `DELETE /enterprises/acme/network-configurations/${made.id}`,
    ]);
    expect(enterpriseEmulator.violations).toEqual([]);
  });
});

describe("businessId: looked up from the slug, checked when given", async () => {
  const emulator = await started;
  it("is looked up when left out and a token is at hand", async () => {
    const { deployStackWithGitHub } = await load();
    const config = { github: { scope: "enterprise", slug: "acme" }, networks: [networks[0]] };
    const run = await underMocks(async () => deployStackWithGitHub(config, emulatorAccess(emulator)));
    expect(run.failure).toBeUndefined();
    expect((run.byName("primary-network-settings").inputs.properties as Record<string, string>).businessId).toBe("9901");
    expect(run.outputs.gitHub).toEqual({ scope: "enterprise", slug: "acme", businessId: "9901" });
  });

  it("a businessId that is not the slug's stops the program before any resource is registered", async () => {
    const { deployStackWithGitHub } = await load();
    const config = { github: { businessId: "9901", scope: "organization", slug: "my-org" }, networks: [networks[0]] };
    const run = await underMocks(async () => deployStackWithGitHub(config, emulatorAccess(emulator)));
    expect(pulumi.RunError.isInstance(run.failure as Error)).toBe(true);
    expect((run.failure as Error).message).toBe(
      'github.businessId 9901 is not the databaseId of organization "my-org" (GitHub says 4201). Set github.businessId to 4201 or leave it out to use the looked-up value; if 9901 is your enterprise\'s id, set github.scope to enterprise and github.slug to its slug.',
    );
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("without a token it must be given (offline, nothing can look it up)", async () => {
    const { deployStackWithGitHub } = await load();
    expect(() =>
      deployStackWithGitHub({ github: { scope: "organization", slug: "my-org" }, networks: [networks[0]] }, { offline: true }),
    ).toThrow(
      "invalid stack config (azure-github-runner-network):\n  github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)",
    );
  });
});

describe("the token", () => {
  it("is required for pulumi up when the stack manages a network configuration; a preview runs without one", async () => {
    const { deployStackWithGitHub } = await load();
    const config = {
      github: { businessId: "4201", scope: "organization", slug: "my-org", networkConfiguration: { name: "azure-private" } },
      networks: [networks[0]],
    };
    const up = await underMocks(async () => deployStackWithGitHub(config, { offline: false }), false);
    expect((up.failure as Error).message).toBe(
      "invalid stack config (azure-github-runner-network):\n  githubToken: required to manage github.networkConfiguration: set it with pulumi config set --secret azure-github-runner-network:githubToken, or set GITHUB_TOKEN; or sign in as a GitHub App (github.app)",
    );
    expect(up.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    const preview = await underMocks(async () => deployStackWithGitHub(config, { offline: false }), true);
    expect(preview.failure).toBeUndefined();
    expect(preview.byName("github-network-configuration").inputs.token).toBe("[secret]");
  });

  it.each([
    [
      "secret config wins over GITHUB_TOKEN",
      { "azure-github-runner-network:githubToken": "from-config" },
      { GITHUB_TOKEN: "from-env" },
      true,
      { offline: false, token: "from-config" },
    ],
    ["GITHUB_TOKEN when no config", {}, { GITHUB_TOKEN: "from-env" }, true, { offline: false, token: "from-env" }],
    ["no token at all", {}, {}, true, { offline: false, token: undefined }],
  ])("%s", async (_name, allConfig, env, secret, expected) => {
    const { gitHubAccessFromEnvironment } = await load();
    expect(gitHubAccessFromEnvironment(allConfig, env, () => secret)).toEqual(expected);
  });

  it("kept in plain text in the stack file is refused without being echoed", async () => {
    const { gitHubAccessFromEnvironment } = await load();
    let error: Error | undefined;
    try {
      gitHubAccessFromEnvironment({ "azure-github-runner-network:githubToken": "ghp_plainTextToken" }, {}, () => false);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe(
      "invalid stack config (azure-github-runner-network):\n  githubToken: is stored in plain text; remove it and set it with pulumi config set --secret azure-github-runner-network:githubToken",
    );
  });
});

describe("the README's program shape: component, configuration and binding used directly", async () => {
  const { GitHubRunnerNetwork } = await import("../../components/github-runner-network");
  const { GitHubNetworkConfiguration, GitHubRunnerGroupBinding } = await import("../../components/github");
  const run = await underMocks(() => {
    const east = new GitHubRunnerNetwork("east", {
      location: "eastus",
      businessId: "4201",
      addressSpace: "10.50.0.0/16",
      maxConcurrentRunners: 50,
    });
    const configuration = new GitHubNetworkConfiguration("private-networking", {
      scope: "organization",
      slug: "my-org",
      name: "east-private",
      gitHubId: east.gitHubId,
      token: pulumi.secret(TOKEN),
    });
    const binding = new GitHubRunnerGroupBinding("larger-runners", {
      organization: "my-org",
      runnerGroupName: "larger-runners",
      createIfMissing: true,
      networkConfigurationId: configuration.id,
      token: pulumi.secret(TOKEN),
    });
    return { configurationId: configuration.id, groupId: binding.groupId };
  });

  it("chains binding -> configuration -> networkSettings -> subnet through data dependencies", () => {
    const settings = run.byName("east-network-settings");
    const configuration = run.byName("private-networking");
    expect(configuration.dependencies).toEqual([settings.urn]);
    expect(run.byName("larger-runners").dependencies).toEqual([configuration.urn]);
    expect(settings.dependencies).toContain(run.byName("east-subnet").urn);
    expect(configuration.inputs.gitHubId).toBe(gitHubIdOf(settings));
    expect(JSON.stringify(run.resources) + JSON.stringify(run.outputs)).not.toContain(TOKEN);
  });

  it("refuses bad arguments before registering anything, naming each one", async () => {
    const refused = await underMocks(() => {
      new GitHubNetworkConfiguration("bad", {
        scope: "organization",
        slug: "my-org",
        name: "has spaces",
        gitHubId: "x",
        failoverEnabled: true,
        token: TOKEN,
      });
      return {};
    });
    expect((refused.failure as Error).message).toBe(
      "GitHubNetworkConfiguration \"bad\" has invalid arguments:\n  name: \"has spaces\" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'\n  failoverEnabled: true needs failoverGitHubId: there is no failover network to switch to",
    );
    expect(refused.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("signed in as a GitHub App", async () => {
  const APP_ID = "1234";
  const INSTALLATION_ID = "5678";
  const appKey = generateAppKey();
  const strangerKey = generateAppKey();
  const emulator = await GitHubEmulator.start({
    tokens: {},
    apps: { [APP_ID]: { publicKey: appKey.publicKey, installations: { [INSTALLATION_ID]: ["read:org", "read:enterprise"] } } },
    organizations: { "my-org": 4201 },
  });
  afterAll(() => emulator.stop());
  const { deployStackWithGitHub, gitHubAccessFromEnvironment } = await load();
  const app = { appId: APP_ID, installationId: INSTALLATION_ID, privateKey: appKey.privateKey };
  const appAccess = (privateKey = appKey.privateKey) => ({
    offline: false,
    app: { ...app, privateKey },
    connect: (signIn: SignIn) => createGitHubClient({ ...signIn, apiUrl: emulator.url }),
  });
  const config = {
    github: { scope: "organization", slug: "my-org", networkConfiguration: { name: "azure-private", runnerGroups: [{ id: 7 }] } },
    networks: [networks[0]],
  };

  it("looks businessId up with an installation token, and gives the resources the app with its key as a secret and no token", async () => {
    const run = await underMocks(async () => deployStackWithGitHub(config, appAccess()), false);
    expect(run.failure).toBeUndefined();
    expect(run.outputs.gitHub).toMatchObject({ businessId: "4201" });
    expect(emulator.requests.map((r) => `${r.method} ${r.path} with ${r.credential}`)).toEqual([
      `POST /app/installations/${INSTALLATION_ID}/access_tokens with app JWT`,
      "POST /graphql with installation token 1",
    ]);
    // The key is registered as a secret: read back offline, the object holding it is one (the engine test sees the key alone).
    const configuration = run.byName("github-network-configuration");
    const binding = run.byName("github-runner-group-id-7");
    expect([configuration.inputs.app, binding.inputs.app]).toEqual(["[secret]", "[secret]"]);
    expect(["token" in configuration.inputs, "token" in binding.inputs]).toEqual([false, false]);
    const recorded = JSON.stringify(run.resources) + JSON.stringify(run.outputs);
    expect(recorded).not.toContain("PRIVATE KEY");
    expect(recorded).not.toContain(emulator.mintedTokens[0].token);
    expect(emulator.violations).toEqual([]);
  });

  it("a key that is not the app's stops the program before any resource, naming github.app.privateKey, without a stack trace or the key", async () => {
    const run = await underMocks(async () => deployStackWithGitHub(config, appAccess(strangerKey.privateKey)), false);
    expect(pulumi.RunError.isInstance(run.failure as Error)).toBe(true);
    expect((run.failure as Error).message).toBe(
      "look up the databaseId of organization \"my-org\" failed: cannot sign in as GitHub App 1234 (installation 5678): GitHub refused the app's JSON Web Token (401: A JSON web token could not be decoded). The private key is not this app's, or the client ID or App ID is wrong: check github.app.privateKey (or GITHUB_APP_PRIVATE_KEY) and github.app.appId (or GITHUB_APP_ID). A clock more than a minute off also makes GitHub refuse it.",
    );
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("without its private key: a preview runs (businessId given), pulumi up names github.app.privateKey", async () => {
    const noKey = { offline: false, appWithoutKey: true };
    const withBusinessId = { ...config, github: { ...config.github, businessId: "4201" } };
    const up = await underMocks(async () => deployStackWithGitHub(withBusinessId, noKey), false);
    expect((up.failure as Error).message).toBe(
      "invalid stack config (azure-github-runner-network):\n  github.app.privateKey: required to manage github.networkConfiguration: set it with pulumi config set --secret --path 'azure-github-runner-network:github.app.privateKey' < app-private-key.pem, or set GITHUB_APP_PRIVATE_KEY",
    );
    const preview = await underMocks(async () => deployStackWithGitHub(withBusinessId, noKey), true);
    expect(preview.failure).toBeUndefined();
  });

  it("the resources refuse token and app together, an incomplete app, and an app for an enterprise's configuration", async () => {
    const { GitHubNetworkConfiguration, GitHubRunnerGroupBinding } = await import("../../components/github");
    const refused = await underMocks(() => {
      new GitHubNetworkConfiguration("both", {
        scope: "enterprise",
        slug: "acme",
        name: "private",
        gitHubId: "G",
        token: pulumi.secret(TOKEN),
        app: { appId: 1234, installationId: pulumi.output(5678), privateKey: pulumi.secret(appKey.privateKey) },
      });
      return {};
    });
    expect((refused.failure as Error).message).toBe(
      'GitHubNetworkConfiguration "both" has invalid arguments:\n  app: give token or app, not both: app signs in as a GitHub App, token with a token\n  app: GitHub\'s enterprise network configuration endpoints refuse GitHub App installation tokens; sign in with a classic personal access token of an enterprise owner (admin:enterprise) instead',
    );
    const incomplete = await underMocks(() => {
      new GitHubRunnerGroupBinding("incomplete", {
        organization: "my-org",
        networkConfigurationId: "NC1",
        runnerGroupId: 7,
        app: { appId: "my-app", installationId: 5678, privateKey: "./app.pem" },
      });
      return {};
    });
    expect((incomplete.failure as Error).message).toBe(
      'GitHubRunnerGroupBinding "incomplete" has invalid arguments:\n  app.appId: "my-app" is not allowed; use the GitHub App\'s client ID (Iv…, which GitHub recommends) or its numeric App ID (both on its settings page, "About")\n  app.privateKey: is not a PEM private key; use the app\'s private key, the whole PEM file GitHub gave (-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY-----)',
    );
    expect([refused.resources.length, incomplete.resources.length]).toEqual([1, 1]);
  });

  const GITHUB = "azure-github-runner-network:github";
  const appConfig = (appSettings: Record<string, unknown>) => ({
    [GITHUB]: JSON.stringify({ scope: "organization", slug: "my-org", app: appSettings }),
  });
  const appEnvironment = { GITHUB_APP_ID: "1111", GITHUB_APP_INSTALLATION_ID: "2222", GITHUB_APP_PRIVATE_KEY: appKey.privateKey };
  it.each([
    ["github.app in the stack config (the key a secret)", appConfig(app), {}, { offline: false, app }],
    [
      "github.app wins over GITHUB_TOKEN; its missing key comes from GITHUB_APP_PRIVATE_KEY",
      appConfig({ appId: 1234, installationId: 5678 }),
      { GITHUB_TOKEN: "ghp_fromEnvironment", GITHUB_APP_PRIVATE_KEY: appKey.privateKey },
      { offline: false, app },
    ],
    [
      "the GITHUB_APP_* variables alone (CI)",
      {},
      appEnvironment,
      { offline: false, app: { ...app, appId: "1111", installationId: "2222" } },
    ],
    [
      "githubToken wins over the GITHUB_APP_* variables",
      { "azure-github-runner-network:githubToken": "ghp_fromConfig" },
      appEnvironment,
      { offline: false, token: "ghp_fromConfig" },
    ],
    ["an app without its key (a preview)", appConfig({ appId: 1234, installationId: 5678 }), {}, { offline: false, appWithoutKey: true }],
  ])("%s", (_name, allConfig, env, expected) => {
    expect(gitHubAccessFromEnvironment(allConfig, env, () => true)).toEqual(expected);
  });

  /** The message gitHubAccessFromEnvironment refuses with. */
  const refusalOf = (allConfig: Record<string, string>, env: Record<string, string>, secret: boolean) => {
    try {
      gitHubAccessFromEnvironment(allConfig, env, () => secret);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected a refusal");
  };

  it.each([
    [
      "GITHUB_TOKEN and the GITHUB_APP_* variables at once",
      {},
      { GITHUB_TOKEN: "ghp_fromEnvironment", ...appEnvironment },
      true,
      [
        "GITHUB_TOKEN: and GitHub App variables (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY) are both set; sign in one way: unset GITHUB_TOKEN to sign in as the app, or the GITHUB_APP_* variables to use the token",
      ],
    ],
    [
      "github.app.privateKey kept in plain text in the stack file",
      appConfig(app),
      {},
      false,
      [
        "github.app.privateKey: is stored in plain text; remove it and set it with pulumi config set --secret --path 'azure-github-runner-network:github.app.privateKey' < app-private-key.pem, or set GITHUB_APP_PRIVATE_KEY",
      ],
    ],
    [
      "an incomplete app from the environment",
      {},
      { GITHUB_APP_ID: "1111", GITHUB_APP_PRIVATE_KEY: appKey.privateKey },
      true,
      ["github.app.installationId (or GITHUB_APP_INSTALLATION_ID): required to sign in as a GitHub App"],
    ],
  ])("refuses %s, every problem at once, never quoting the key", (_name, allConfig, env, secret, expected) => {
    const message = refusalOf(allConfig, env, secret);
    expect(message).toBe(["invalid stack config (azure-github-runner-network):", ...expected.map((line) => `  ${line}`)].join("\n"));
    expect(message).not.toContain(appKey.privateKey.split("\n")[1]);
  });
});
