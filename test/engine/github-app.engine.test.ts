/**
 * This package's stack signed in as a GitHub App (by its client ID) under the real Pulumi engine: github.app in the
 * stack config with the private key as a nested secret (`pulumi config set --secret --path`),
 * against the GitHub emulator (which checks the app's JWTs and mints installation tokens) and the
 * ARM emulator. up, a refresh after every token minted so far has expired, and destroy all
 * succeed, each operation minting its own token; the state holds the app, its key as a secret
 * only, and no token.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmEmulator } from "../support/arm-emulator";
import { generateAppKey } from "../support/github-app-keys";
import { GitHubEmulator } from "../support/github-emulator";
import { REPO, endEngineSuite, engineScratch, runEngine, succeeded, writeStackConfig, type EngineProject } from "./engine-run";

const SUBSCRIPTION = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
const ARM_TOKEN = "arm-engine-app-token";
const APP_ID = 424242;
/** The stack signs in with the client ID, as GitHub recommends; the mocks and emulator tests cover the numeric App ID. */
const CLIENT_ID = "Iv23liEngine0App4242";
const INSTALLATION_ID = 5151;
const BUSINESS_ID = 12345678;
/** Pulumi's signature of a secret value in state. */
const SECRET_SIGNATURE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const CONFIGURATION_TYPE = "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration";
const BINDING_TYPE = "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubRunnerGroupBinding";

const appKey = generateAppKey();
let arm: ArmEmulator;
let github: GitHubEmulator;
let scratch: { dir: string; env: Record<string, string> };
let project: EngineProject;

beforeAll(async () => {
  arm = await ArmEmulator.start({
    token: ARM_TOKEN,
    subscriptions: { [SUBSCRIPTION]: { displayName: "app sign-in", state: "Enabled", tenantId: "6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f" } },
    providers: {
      "GitHub.Network": { registrationState: "Registered", networkSettingsLocations: ["East US", "West US 2"] },
      "Microsoft.Network": { registrationState: "Registered" },
    },
  });
  github = await GitHubEmulator.start({
    tokens: {},
    apps: {
      [APP_ID]: {
        publicKey: appKey.publicKey,
        clientId: CLIENT_ID,
        installations: { [INSTALLATION_ID]: ["org:network-configurations", "org:runner-groups", "read:org"] },
      },
    },
    organizations: { "my-org": BUSINESS_ID },
  });
  scratch = engineScratch();
  project = {
    workDir: REPO,
    project: "azure-github-runner-network",
    stack: `engine-app-${process.pid}`,
    program: join(REPO, "dist", "infra", "index.js"),
    // No sign-in from this machine's environment: the stack config's app only.
    env: {
      ...scratch.env,
      ...arm.clientEnvironment(),
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      GITHUB_TOKEN: "",
      GITHUB_APP_ID: "",
      GITHUB_APP_INSTALLATION_ID: "",
      GITHUB_APP_PRIVATE_KEY: "",
    },
  };
  const example = parseYaml(readFileSync(join(REPO, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, unknown> };
  const { businessId: _lookedUp, ...gitHub } = example.config["azure-github-runner-network:github"] as Record<string, unknown>;
  succeeded(await runEngine(project, "init"));
  writeStackConfig(project, {
    ...example.config,
    "azure-github-runner-network:github": { ...gitHub, apiUrl: github.url, app: { appId: CLIENT_ID, installationId: INSTALLATION_ID } },
    "azure-native:subscriptionId": SUBSCRIPTION,
  });
  succeeded(
    await runEngine(project, "set-config-path", {
      "azure-github-runner-network:github.app.privateKey": { value: appKey.privateKey, secret: true },
    }),
  );
}, 600_000);

afterAll(() => endEngineSuite(project, [arm, github], scratch?.dir));

/** The requests since `from`, by the credential each carried. */
const credentialsSince = (from: number) => github.requests.slice(from).map((request) => request.credential);

describe("the stack signed in as a GitHub App under the real engine", () => {
  it("keeps the private key in the stack file as a nested secret only", () => {
    const file = readFileSync(join(REPO, `Pulumi.${project.stack}.yaml`), "utf8");
    const app = (parseYaml(file) as { config: Record<string, { app: Record<string, unknown> }> }).config[
      "azure-github-runner-network:github"
    ].app;
    expect(app).toEqual({ appId: CLIENT_ID, installationId: INSTALLATION_ID, privateKey: { secure: expect.any(String) } });
    expect(file).not.toContain("PRIVATE KEY");
  });

  it("up: looks businessId up and creates the configuration and runner group, every request with a minted installation token", async () => {
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ create: 20 });
    expect(arm.resourcesOfType("GitHub.Network/networkSettings").map((r) => (r.properties as { businessId: string }).businessId)).toEqual([
      String(BUSINESS_ID),
      String(BUSINESS_ID),
    ]);
    const [configuration] = github.configurations("organization", "my-org");
    expect(configuration.name).toBe("azure-private-network");
    expect(github.runnerGroups("my-org").find((group) => group.name === "azure-larger-runners")?.network_configuration_id).toBe(
      configuration.id,
    );
    const credentials = credentialsSince(0);
    expect(credentials.every((credential) => credential === "app JWT" || /^installation token \d+$/.test(credential ?? ""))).toBe(true);
    // One sign-in each: the program's businessId lookup, the configuration's create, the binding's create.
    expect(credentials.filter((credential) => credential === "app JWT").length).toBe(3);
    expect(github.mintedTokens.length).toBe(3);
    expect(github.violations).toEqual([]);
  });

  it("refresh after every token minted so far has expired: each operation mints a new one, none sends an expired one", async () => {
    github.expireInstallationTokens();
    const mintedBefore = github.mintedTokens.length;
    const from = github.requests.length;
    const refresh = succeeded(await runEngine(project, "refresh"));
    expect(refresh.changeSummary).toEqual({ same: 20 });
    const credentials = credentialsSince(from);
    // The configuration's read and the binding's read each sign in afresh.
    expect(github.mintedTokens.length - mintedBefore).toBe(2);
    expect(credentials.some((credential) => credential?.endsWith("(expired)"))).toBe(false);
    for (const credential of credentials.filter((c) => c !== "app JWT"))
      expect(Number(/^installation token (\d+)$/.exec(credential ?? "")?.[1])).toBeGreaterThan(mintedBefore);
  });

  it("keeps the app and its key only as a secret in state, and no token", async () => {
    // Exported with secrets shown (the Automation API's export): each still carries Pulumi's secret signature.
    const exported = succeeded(await runEngine(project, "export")).deployment!.deployment.resources ?? [];
    const gitHubResources = exported.filter((resource) => resource.type === CONFIGURATION_TYPE || resource.type === BINDING_TYPE);
    expect(gitHubResources.map((resource) => resource.type).sort()).toEqual([CONFIGURATION_TYPE, BINDING_TYPE]);
    for (const resource of gitHubResources) {
      for (const props of [resource.inputs!, resource.outputs!]) {
        expect("token" in props).toBe(false);
        expect(props.app).toEqual({
          appId: CLIENT_ID,
          installationId: String(INSTALLATION_ID),
          privateKey: { ...SECRET_SIGNATURE, plaintext: JSON.stringify(appKey.privateKey) },
        });
      }
    }
    // On disk, the file backend's state holds the key encrypted only.
    const state = readFileSync(join(scratch.dir, "state", ".pulumi", "stacks", project.project, `${project.stack}.json`), "utf8");
    const stored = JSON.parse(state) as { checkpoint: { latest: { resources: { type: string; outputs?: Record<string, unknown> }[] } } };
    const configuration = stored.checkpoint.latest.resources.find((resource) => resource.type === CONFIGURATION_TYPE)!;
    expect((configuration.outputs!.app as Record<string, unknown>).privateKey).toEqual({
      ...SECRET_SIGNATURE,
      ciphertext: expect.any(String),
    });
    for (const minted of github.mintedTokens) expect(state).not.toContain(minted.token);
    expect(state).not.toContain("PRIVATE KEY");
    for (const line of appKey.privateKey.split("\n").filter((l) => l.length > 20)) expect(state).not.toContain(line);
  });

  it("destroy after the tokens expired again: the configuration and the group are gone", async () => {
    github.expireInstallationTokens();
    const mintedBefore = github.mintedTokens.length;
    const destroy = succeeded(await runEngine(project, "destroy"));
    expect(destroy.changeSummary).toEqual({ delete: 20 });
    expect(github.configurations("organization", "my-org")).toEqual([]);
    expect(github.runnerGroups("my-org").map((group) => group.name)).toEqual(["Default"]);
    expect(github.mintedTokens.length).toBeGreaterThan(mintedBefore);
    expect(arm.log().filter((entry) => entry.outcome === "refused")).toEqual([]);
    expect(github.violations).toEqual([]);
  });
});
