/**
 * Growing a deployed network under the real Pulumi engine, with this package's stack (infra/,
 * built) against the ARM and GitHub emulators: a count the deployed subnet holds changes nothing;
 * one it does not is refused by preview and up before anything is changed; README's two steps
 * (a second network, the configuration switched, then the old network removed) are applied as
 * README writes them; and a network deployed larger than it now needs keeps its subnet.
 */
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmEmulator, emptySubscriptionState, type ArmResource } from "../support/arm-emulator";
import { GitHubEmulator } from "../support/github-emulator";
import { readmeExample } from "../support/readme-examples";
import { endEngineSuite, runEngine, startStackProject, succeeded, writeStackConfig, type EngineProject } from "./engine-run";
import { armEngineWorkspace, engineFailure, type EngineWorkspace } from "./support";

const SUBSCRIPTION = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const TENANT = "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b";
const ARM_TOKEN = "arm-growth-suite-token";
const GITHUB_TOKEN = "ghp_growthSuiteToken000000000000000001";
const BUSINESS_ID = 12345678;
const NAMESPACE = "azure-github-runner-network";

let arm: ArmEmulator;
let github: GitHubEmulator;
let scratchDir: string;
let project: EngineProject;

/** A stack config README shows (`<!-- example: NAME -->`), with the GitHub side at the emulator. */
function readmeConfig(name: string): Record<string, unknown> {
  const { config } = parseYaml(readmeExample(name)) as { config: Record<string, Record<string, unknown>> };
  return { ...config, [`${NAMESPACE}:github`]: { ...config[`${NAMESPACE}:github`], apiUrl: github.url } };
}

/** Step 1's config with only the deployed network: where README's procedure starts. */
function deployedConfig(primary: Record<string, unknown> = {}): Record<string, unknown> {
  const step1 = readmeConfig("growing-step-1");
  const github = step1[`${NAMESPACE}:github`] as { networkConfiguration: Record<string, unknown> };
  const [deployed] = step1[`${NAMESPACE}:networks`] as Record<string, unknown>[];
  return {
    [`${NAMESPACE}:github`]: { ...github, networkConfiguration: { ...github.networkConfiguration, primaryNetwork: "primary" } },
    [`${NAMESPACE}:networks`]: [{ ...deployed, ...primary }],
  };
}

const subnets = () => arm.resourcesOfType("Microsoft.Network/virtualNetworks/subnets");
const subnetOf = (network: string): ArmResource => subnets().find((subnet) => subnet.name.startsWith(`${network}-subnet`))!;
const prefixOf = (network: string) => (subnetOf(network).properties as { addressPrefix: string }).addressPrefix;
const writesSince = (count: number) => arm.log().slice(count);
/** The lines of a preview that announce an update (`~  <type> <name> update [diff: ...]`). */
const updatesIn = (stdout: string) => [...stdout.matchAll(/^ ~ {2}(.+ update \[diff: .*\])$/gm)].map((match) => match[1]);
const failureOf = (result: { ok: boolean; message?: string; stdout: string }) => {
  expect(result.ok).toBe(false);
  return `${result.message ?? ""}\n${result.stdout}`;
};

beforeAll(async () => {
  arm = await ArmEmulator.start(
    emptySubscriptionState({ token: ARM_TOKEN, subscriptionId: SUBSCRIPTION, tenantId: TENANT, gitHubNetwork: "Registered" }),
  );
  github = await GitHubEmulator.start({
    tokens: { [GITHUB_TOKEN]: ["org:network-configurations", "org:runner-groups", "read:org"] },
    organizations: { "my-org": BUSINESS_ID },
  });
  ({ project, scratchDir } = await startStackProject({
    stack: `growth-${process.pid}`,
    env: { ...arm.clientEnvironment(), ARM_SUBSCRIPTION_ID: SUBSCRIPTION },
    config: { ...deployedConfig(), "azure-native:subscriptionId": SUBSCRIPTION },
    gitHubToken: GITHUB_TOKEN,
  }));
});

afterAll(() => endEngineSuite(project, [arm, github], scratchDir));

describe("growing a deployed network under the real engine", () => {
  let resourceCount = 0;

  it("deploys 100 runners in a /24, with the network configuration on it", async () => {
    const up = succeeded(await runEngine(project, "up"));
    resourceCount = up.changeSummary!.create;
    expect(prefixOf("primary")).toBe("10.40.0.0/24");
    expect(github.configurations("organization", "my-org")).toHaveLength(1);
  });

  it("raised to a count the deployed subnet holds: only the component's recorded count changes", async () => {
    writeStackConfig(project, deployedConfig({ maxConcurrentRunners: 150 }));
    const preview = succeeded(await runEngine(project, "preview"));
    expect(preview.changeSummary).toEqual({ same: resourceCount - 1, update: 1 });
    expect(updatesIn(preview.stdout)).toEqual([
      "azure-github-runner-network:index:GitHubRunnerNetwork primary update [diff: ~maxConcurrentRunners]",
    ]);
  });

  it("raised past it: preview and up stop with the key, both sizes and the steps, and nothing is changed", async () => {
    writeStackConfig(project, deployedConfig({ maxConcurrentRunners: 300 }));
    const writesBefore = arm.log().length;
    const gitHubRequestsBefore = github.requests.length;
    const expected = [
      "    error: the stack config (azure-github-runner-network) would change a deployed runner subnet, which Azure refuses for a subnet in use; nothing was changed:",
      '      networks[0].maxConcurrentRunners: 300 needs 395 addresses (ceil(1.3 x 300) + 5 reserved), a /23 or larger, but the deployed subnet 10.40.0.0/24 holds 193 runners and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To grow, add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET) and maxConcurrentRunners 300, set github.networkConfiguration.primaryNetwork to it, pulumi up, then remove this network and pulumi up again (README "Growing a deployed network"); or keep maxConcurrentRunners at most 193',
    ].join("\n");
    for (const op of ["preview", "up"]) {
      const failure = failureOf(await runEngine(project, op));
      expect(failure).toContain(expected);
      expect(failure).not.toContain("error serializing property");
      expect(failure).not.toMatch(/\n\s+at .*\.js:\d+/);
    }
    expect(writesSince(writesBefore)).toEqual([]);
    // Reads only: GraphQL is the businessId lookup.
    expect(
      github.requests.slice(gitHubRequestsBefore).filter((request) => request.method !== "GET" && request.path !== "/graphql"),
    ).toEqual([]);
    expect(prefixOf("primary")).toBe("10.40.0.0/24");
  });

  it("README step 1: a second network, and the configuration moved to it in place", async () => {
    const [configuration] = github.configurations("organization", "my-org");
    const primarySubnet = subnetOf("primary");
    writeStackConfig(project, readmeConfig("growing-step-1"));
    const preview = succeeded(await runEngine(project, "preview"));
    // The new gitHubId is not known before its networkSettings exists; the configuration is told it
    // comes from another network, so the preview shows the update in place that up does, and the
    // runner group binding no change.
    expect(preview.changeSummary).toEqual({ same: resourceCount - 1, create: 8, update: 1 });
    expect(updatesIn(preview.stdout)).toEqual([
      "pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration github-network-configuration update [diff: ~gitHubId,gitHubIdSource]",
    ]);
    const writesBefore = arm.log().length;
    const up = succeeded(await runEngine(project, "up"));
    // The up knows it, and updates the configuration in place.
    expect(up.changeSummary).toEqual({ same: resourceCount - 1, create: 8, update: 1 });
    const networks = up.outputs!.networks.value as Record<string, { gitHubId: string }>;
    expect(github.configurations("organization", "my-org")).toEqual([
      expect.objectContaining({ id: configuration.id, network_settings_ids: [networks["primary-v2"].gitHubId] }),
    ]);
    expect(github.runnerGroups("my-org").find((group) => group.name === "azure-larger-runners")?.network_configuration_id).toBe(
      configuration.id,
    );
    expect(prefixOf("primary-v2")).toBe("10.42.0.0/23");
    // The old network: not one write.
    const oldNetwork = writesSince(writesBefore).filter((entry) => entry.id.toLowerCase().includes("/primary-rg"));
    expect(oldNetwork).toEqual([]);
    expect(subnetOf("primary")).toEqual(primarySubnet);
  });

  it("README step 2: the old network removed, its networkSettings before its subnet", async () => {
    const oldSettings = arm
      .resourcesOfType("GitHub.Network/networkSettings")
      .find((resource) => resource.name.startsWith("primary-network-settings"))!;
    const oldSubnet = subnetOf("primary");
    writeStackConfig(project, readmeConfig("growing-step-2"));
    const writesBefore = arm.log().length;
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ same: resourceCount, delete: 8 });
    const deletes = writesSince(writesBefore).map((entry) => [entry.method, entry.id, entry.outcome]);
    expect(deletes.findIndex(([, id]) => id === oldSettings.id)).toBeLessThan(deletes.findIndex(([, id]) => id === oldSubnet.id));
    expect(deletes.every(([method, , outcome]) => method === "DELETE" && outcome === "ok")).toBe(true);
    expect(subnets().map((subnet) => (subnet.properties as { addressPrefix: string }).addressPrefix)).toEqual(["10.42.0.0/23"]);
  });

  it("lowered below what the deployed /23 was sized for: only the recorded count changes, the subnet and NAT IPs stay", async () => {
    const step2 = readmeConfig("growing-step-2");
    const [network] = step2[`${NAMESPACE}:networks`] as Record<string, unknown>[];
    writeStackConfig(project, { [`${NAMESPACE}:networks`]: [{ ...network, maxConcurrentRunners: 100 }] });
    const preview = succeeded(await runEngine(project, "preview"));
    expect(preview.changeSummary).toEqual({ same: resourceCount - 1, update: 1 });
    expect(updatesIn(preview.stdout)).toEqual([
      "azure-github-runner-network:index:GitHubRunnerNetwork primary-v2 update [diff: ~maxConcurrentRunners]",
    ]);
  });
});

describe("the component in a program of its own, under the real engine", () => {
  const scenario = { runners: 300 };
  let workspace: EngineWorkspace;
  let componentArm: ArmEmulator;
  const program = async () => {
    const { GitHubRunnerNetwork } = await import("../../components/github-runner-network");
    const runners = new GitHubRunnerNetwork("ci", {
      location: "eastus",
      businessId: String(BUSINESS_ID),
      addressSpace: "10.50.0.0/16",
      maxConcurrentRunners: scenario.runners,
      registerResourceProvider: false,
    });
    return { runnerCapacity: runners.runnerCapacity };
  };

  beforeAll(async () => {
    ({ arm: componentArm, workspace } = await armEngineWorkspace({
      projectName: "component-growth",
      program,
      subscriptionId: SUBSCRIPTION,
      identity: { tenantId: TENANT, objectId: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", clientId: "c0ffee00-0000-4000-8000-000000000001" },
    }));
  });

  afterAll(async () => {
    await workspace?.dispose();
    await componentArm?.stop();
  });

  it("deployed for 300 runners, lowered to 100: the /23 stays, only the recorded count changes", async () => {
    const up = await workspace.stack.up({ color: "never" });
    expect(up.outputs.runnerCapacity.value).toBe(390);
    scenario.runners = 100;
    const preview = await workspace.stack.preview({ color: "never" });
    expect(preview.changeSummary).toEqual({ same: 8, update: 1 });
    expect(updatesIn(preview.stdout)).toEqual([
      "azure-github-runner-network:index:GitHubRunnerNetwork ci update [diff: ~maxConcurrentRunners]",
    ]);
  });

  it("raised past the /23: the preview stops with the component's key, as written, and nothing is written to ARM", async () => {
    scenario.runners = 600;
    const writesBefore = componentArm.log().length;
    const failure = await workspace.stack.preview({ color: "never" }).then(
      () => "the preview succeeded",
      (error: unknown) => engineFailure(error),
    );
    expect(failure).toContain(
      [
        '    error: GitHubRunnerNetwork "ci" would change a deployed runner subnet, which Azure refuses for a subnet in use; nothing was changed:',
        '      maxConcurrentRunners: 600 needs 785 addresses (ceil(1.3 x 600) + 5 reserved), a /22 or larger, but the deployed subnet 10.50.0.0/23 holds 390 runners and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To grow, add a second GitHubRunnerNetwork whose subnet does not overlap this one and maxConcurrentRunners 600, point your GitHub network configuration at its gitHubId, pulumi up, then remove this component and pulumi up again (README "Growing a deployed network"); or keep maxConcurrentRunners at most 390',
      ].join("\n"),
    );
    expect(failure).not.toContain("error serializing property");
    expect(componentArm.log().slice(writesBefore)).toEqual([]);
  });
});
