/**
 * This package's stack (infra/, with Pulumi.example.yaml's config and the GitHub side pointed at
 * the GitHub emulator) through a whole life under the real Pulumi engine: a preview with the
 * shipped policy pack, up, a no-change preview, in-place updates, drift found by refresh and
 * undone by up, destroy; and what the state holds. Azure is the ARM emulator behind the stand-in
 * azure-native plugin (test/engine/azure-native); the dynamic resources run in Pulumi's real
 * provider process, loading this checkout's built package.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmEmulator } from "../support/arm-emulator";
import { GitHubEmulator } from "../support/github-emulator";
import {
  REPO,
  endEngineSuite,
  policyPackAnalyzer,
  runEngine,
  startStackProject,
  succeeded,
  writeStackConfig,
  type EngineProject,
} from "./engine-run";

const SUBSCRIPTION = "7d3a1c52-9a0e-4c64-8f0c-1d2e3f405162";
const TENANT = "4b6c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e";
const ARM_TOKEN = "arm-engine-suite-token";
const GITHUB_TOKEN = "ghp_engineSuiteToken0000000000000000001";
const BUSINESS_ID = 12345678;
/** An organization the networks move to: a new businessId. */
const NEW_BUSINESS_ID = 87654321;
/** The enterprise they move to last: enterprise runner groups. */
const ENTERPRISE_BUSINESS_ID = 55550001;

let arm: ArmEmulator;
let github: GitHubEmulator;
let scratchDir: string;
let project: EngineProject;
/** The built policy pack (policy-pack/), as the engine runs it here (see policyPackAnalyzer). */
let policyPack: string;

/** The example stack file's config, with the GitHub side at the emulator. */
function exampleConfig(): Record<string, unknown> {
  const example = parseYaml(readFileSync(join(REPO, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
  const gitHub = example.config["azure-github-runner-network:github"];
  return {
    ...example.config,
    "azure-github-runner-network:github": { ...gitHub, apiUrl: github.url },
    "azure-native:subscriptionId": SUBSCRIPTION,
  };
}

beforeAll(async () => {
  arm = await ArmEmulator.start({
    token: ARM_TOKEN,
    subscriptions: { [SUBSCRIPTION]: { displayName: "engine suite", state: "Enabled", tenantId: TENANT } },
    providers: {
      "GitHub.Network": {
        registrationState: "NotRegistered",
        afterRegister: ["Registering", "Registered"],
        networkSettingsLocations: ["East US", "West US 2"],
      },
      "Microsoft.Network": { registrationState: "Registered" },
    },
  });
  github = await GitHubEmulator.start({
    tokens: {
      [GITHUB_TOKEN]: [
        "org:network-configurations",
        "org:runner-groups",
        "read:org",
        "enterprise:network-configurations",
        "enterprise:runner-groups",
        "read:enterprise",
      ],
    },
    organizations: { "my-org": BUSINESS_ID, "my-new-org": NEW_BUSINESS_ID },
    enterprises: { "my-enterprise": ENTERPRISE_BUSINESS_ID },
  });
  ({ project, scratchDir } = await startStackProject({
    stack: `engine-${process.pid}`,
    env: { ...arm.clientEnvironment(), ARM_SUBSCRIPTION_ID: SUBSCRIPTION },
    config: exampleConfig(),
    gitHubToken: GITHUB_TOKEN,
  }));
  policyPack = policyPackAnalyzer(join(REPO, "policy-pack"), scratchDir);
});

afterAll(() => endEngineSuite(project, [arm, github], scratchDir));

const outputsOf = (result: { outputs?: Record<string, { value: unknown }> }) =>
  Object.fromEntries(Object.entries(result.outputs ?? {}).map(([key, { value }]) => [key, value]));

describe("the stack under the real engine", () => {
  it("previews with the shipped policy pack: everything to create, no violation", async () => {
    const preview = succeeded(await runEngine(project, "preview", { policyPacks: [policyPack] }));
    expect(preview.changeSummary).toEqual({ create: 20 });
    expect(preview.stdout).not.toMatch(/mandatory|advisory/);
    expect(preview.stdout).toContain("Policies:");
  });

  it("creates everything, in dependency order, and links the network configuration to the GitHubId the service wrote", async () => {
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ create: 20 });
    const outputs = outputsOf(up) as {
      networks: Record<string, { gitHubId: string; networkSettingsId: string; subnetId: string }>;
      gitHub: { networkConfiguration: { id: string } };
    };
    const settings = arm.resourcesOfType("GitHub.Network/networkSettings");
    expect(settings.map((resource) => [resource.id, (resource.tags as Record<string, string>).GitHubId]).sort()).toEqual(
      [
        [outputs.networks.primary.networkSettingsId, outputs.networks.primary.gitHubId],
        [outputs.networks.failover.networkSettingsId, outputs.networks.failover.gitHubId],
      ].sort(),
    );
    const [configuration] = github.configurations("organization", "my-org");
    expect(configuration).toMatchObject({
      id: outputs.gitHub.networkConfiguration.id,
      name: "azure-private-network",
      network_settings_ids: [outputs.networks.primary.gitHubId],
      failover_network_settings_ids: [outputs.networks.failover.gitHubId],
      failover_network_enabled: false,
    });
    expect(github.runnerGroups("my-org").find((group) => group.name === "azure-larger-runners")?.network_configuration_id).toBe(
      configuration.id,
    );
    // The registration went first; each networkSettings after its subnet.
    const writes = arm
      .log()
      .filter((entry) => entry.outcome === "ok" && entry.method === "PUT")
      .map((entry) => entry.type);
    expect(writes.indexOf("Microsoft.Network/virtualNetworks/subnets")).toBeLessThan(writes.indexOf("GitHub.Network/networkSettings"));
    expect(arm.log().some((entry) => entry.outcome === "refused")).toBe(false);
  });

  it("previews no change right after: no GitHubId tag drift, no perpetual diff", async () => {
    const preview = succeeded(await runEngine(project, "preview", { expectNoChanges: true }));
    expect(preview.changeSummary).toEqual({ same: 20 });
  });

  it("switches failover on in place", async () => {
    writeStackConfig(project, {
      "azure-github-runner-network:github": {
        ...(exampleConfig()["azure-github-runner-network:github"] as Record<string, unknown>),
        networkConfiguration: {
          name: "azure-private-network",
          failoverEnabled: true,
          runnerGroups: [{ name: "azure-larger-runners", create: true, visibility: "all" }],
        },
      },
    });
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ same: 19, update: 1 });
    expect(github.configurations("organization", "my-org")[0].failover_network_enabled).toBe(true);
  });

  it("adds an extra NSG rule in place", async () => {
    const networks = exampleConfig()["azure-github-runner-network:networks"] as Record<string, unknown>[];
    const rule = {
      name: "allow-build-cache",
      priority: 3000,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      destinationAddressPrefixes: ["10.60.0.0/16"],
      destinationPortRanges: ["8080"],
    };
    writeStackConfig(project, { "azure-github-runner-network:networks": [{ ...networks[0], extraSecurityRules: [rule] }, networks[1]] });
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ same: 19, update: 1 });
    const nsg = arm.resourcesOfType("Microsoft.Network/networkSecurityGroups").find((resource) => String(resource.id).includes("primary"))!;
    expect((nsg.properties as { securityRules: { name: string }[] }).securityRules.map((r) => r.name)).toContain("allow-build-cache");
  });

  it("finds a configuration renamed in GitHub with refresh, and up renames it back", async () => {
    github.configurations("organization", "my-org")[0].name = "renamed-in-the-ui";
    const refresh = succeeded(await runEngine(project, "refresh"));
    expect(refresh.changeSummary).toEqual({ same: 19, update: 1 });
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ same: 19, update: 1 });
    expect(github.configurations("organization", "my-org")[0].name).toBe("azure-private-network");
  });

  it("finds a configuration deleted in GitHub with refresh, and up creates it again", async () => {
    github.configurations("organization", "my-org").splice(0);
    const refresh = succeeded(await runEngine(project, "refresh"));
    expect(refresh.changeSummary).toEqual({ same: 19, delete: 1 });
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toMatchObject({ create: 1 });
    expect(github.configurations("organization", "my-org").map((c) => c.name)).toEqual(["azure-private-network"]);
  });

  it("moves to another organization: each networkSettings is replaced old one first, and the new configuration holds the new GitHubIds", async () => {
    const before = Object.fromEntries(
      arm
        .resourcesOfType("GitHub.Network/networkSettings")
        .map((resource) => [String(resource.name), (resource.tags as Record<string, string>).GitHubId]),
    );
    const movedAt = Date.now();
    const gitHub = exampleConfig()["azure-github-runner-network:github"] as Record<string, unknown>;
    writeStackConfig(project, {
      "azure-github-runner-network:github": {
        ...gitHub,
        businessId: String(NEW_BUSINESS_ID),
        slug: "my-new-org",
        networkConfiguration: {
          name: "azure-private-network",
          failoverEnabled: true,
          runnerGroups: [{ name: "azure-larger-runners", create: true, visibility: "all" }],
        },
      },
    });
    const up = succeeded(await runEngine(project, "up"));
    // Two networkSettings (businessId), the configuration (another owner) and the binding (another organization).
    expect(up.changeSummary).toEqual({ same: 16, replace: 4 });
    const after = arm.resourcesOfType("GitHub.Network/networkSettings");
    expect(after.map((resource) => (resource.properties as { businessId: string }).businessId)).toEqual([
      String(NEW_BUSINESS_ID),
      String(NEW_BUSINESS_ID),
    ]);
    for (const resource of after) expect(Object.values(before)).not.toContain((resource.tags as Record<string, string>).GitHubId);
    const outputs = outputsOf(up) as { networks: Record<string, { gitHubId: string }> };
    expect(github.configurations("organization", "my-org")).toEqual([]);
    expect(github.configurations("organization", "my-new-org")).toMatchObject([
      {
        name: "azure-private-network",
        network_settings_ids: [outputs.networks.primary.gitHubId],
        failover_network_settings_ids: [outputs.networks.failover.gitHubId],
        failover_network_enabled: true,
      },
    ]);
    // Old one first: a subnet holds one networkSettings, so each delete precedes the new one's create.
    const settingsWrites = arm
      .log()
      .filter((entry) => entry.at >= movedAt && entry.type === "GitHub.Network/networkSettings" && entry.outcome === "ok");
    expect(settingsWrites.map((entry) => entry.method).sort()).toEqual(["DELETE", "DELETE", "PUT", "PUT"]);
    for (const network of ["primary", "failover"]) {
      const mine = settingsWrites.filter((entry) => entry.id.toLowerCase().includes(`/${network}-network-settings`));
      expect(mine.map((entry) => entry.method)).toEqual(["DELETE", "PUT"]);
    }
  });

  it("moves to an enterprise: an enterprise configuration, bound to an enterprise runner group it creates for one organization", async () => {
    const gitHub = exampleConfig()["azure-github-runner-network:github"] as Record<string, unknown>;
    writeStackConfig(project, {
      "azure-github-runner-network:github": {
        ...gitHub,
        businessId: String(ENTERPRISE_BUSINESS_ID),
        scope: "enterprise",
        slug: "my-enterprise",
        networkConfiguration: {
          name: "azure-private-network",
          failoverEnabled: true,
          runnerGroups: [
            { name: "azure-larger-runners", create: true, visibility: "selected", selectedOrganizationIds: [NEW_BUSINESS_ID] },
          ],
        },
      },
    });
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ same: 16, replace: 4 });
    const outputs = outputsOf(up) as { networks: Record<string, { gitHubId: string }> };
    expect(github.configurations("organization", "my-new-org")).toEqual([]);
    const [configuration] = github.configurations("enterprise", "my-enterprise");
    expect(configuration).toMatchObject({
      name: "azure-private-network",
      network_settings_ids: [outputs.networks.primary.gitHubId],
      failover_network_settings_ids: [outputs.networks.failover.gitHubId],
    });
    expect(github.enterpriseRunnerGroups("my-enterprise").find((group) => group.name === "azure-larger-runners")).toMatchObject({
      visibility: "selected",
      selected_organization_ids: [NEW_BUSINESS_ID],
      network_configuration_id: configuration.id,
    });
    // The organization's group, which the old binding created, went with it.
    expect(github.runnerGroups("my-new-org").map((group) => group.name)).toEqual(["Default"]);
    expect(github.violations).toEqual([]);
  });

  it("keeps no GitHub or Azure token in the state in plain text", () => {
    // The file backend's own state file, as Pulumi wrote it (`stack export` would decrypt secrets).
    const file = join(scratchDir, "state", ".pulumi", "stacks", project.project, `${project.stack}.json`);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(GITHUB_TOKEN);
    expect(text).not.toContain(ARM_TOKEN);
    expect(text).not.toContain(arm.clientEnvironment().IDENTITY_HEADER);
    // The tokens are there, encrypted: Pulumi's secret signature with a ciphertext.
    const state = JSON.parse(text) as { checkpoint: { latest: { resources: { type: string; outputs?: Record<string, unknown> }[] } } };
    const configuration = state.checkpoint.latest.resources.find((resource) => resource.type.endsWith(":GitHubNetworkConfiguration"))!;
    expect(configuration.outputs!.token).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
  });

  it("passes doctor --deployed against the same ARM, with GitHub's view from the GitHub emulator", async () => {
    const file = join(REPO, `Pulumi.${project.stack}.yaml`);
    // GitHub's service learns of each networkSettings when Azure creates it; the emulators are not linked, so tell it here.
    for (const resource of arm.resourcesOfType("GitHub.Network/networkSettings")) {
      github.addNetworkSettings("enterprise", "my-enterprise", {
        id: (resource.tags as Record<string, string>).GitHubId,
        name: String(resource.name),
        subnet_id: (resource.properties as { subnetId: string }).subnetId,
        region: String(resource.location),
      });
    }
    const [configuration] = github.configurations("enterprise", "my-enterprise");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO, "dist", "cli", "main.js"), "doctor", "--config", file, "--deployed", "--subscription", SUBSCRIPTION],
      {
        cwd: REPO,
        env: { ...process.env, ...arm.clientEnvironment(), GITHUB_TOKEN },
      },
    ).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`doctor failed:\n${error.stdout}\n${error.stderr}`);
    });
    for (const network of ["primary", "failover"]) {
      const settings = arm
        .resourcesOfType("GitHub.Network/networkSettings")
        .find((resource) => String(resource.name).startsWith(`${network}-network-settings`))!;
      expect(stdout).toContain(
        `\nok    deployed ${network}: ${String(settings.name)} GitHubId ${(settings.tags as Record<string, string>).GitHubId} (paste it into the GitHub network configuration)\n`,
      );
      expect(stdout).toMatch(
        new RegExp(
          `^ok    deployed subnet ${network}: subnet ${network}-subnet[0-9a-f]{8}, delegation GitHub.Network/networkSettings, NSG ${network}-nsg[0-9a-f]{8}$`,
          "m",
        ),
      );
      expect(stdout).toMatch(
        new RegExp(`^ok    address space ${network}: .* ${network}-vnet[0-9a-f]{8} is this stack's own VNET, deployed earlier$`, "m"),
      );
      const gitHubId = (settings.tags as Record<string, string>).GitHubId;
      expect(stdout).toContain(
        `\nok    github ${network}: GitHub knows network settings ${gitHubId} (${String(settings.name)}); network configuration "azure-private-network" (id ${configuration.id}) uses it\n`,
      );
      expect(stdout).toMatch(
        new RegExp(`^ok    github subnet ${network}: GitHub and Azure agree: subnet ${network}-subnet[0-9a-f]{8}$`, "m"),
      );
      expect(stdout).toMatch(new RegExp(`^ok    github region ${network}: GitHub and Azure agree: (eastus|westus2)$`, "m"));
    }
    expect(stdout).toMatch(/^17 ok, 2 warn, 0 fail$/m);
  });

  it("destroys everything: the configuration before its networkSettings, and no linked subnet deleted", async () => {
    const destroyedAt = Date.now();
    const destroy = succeeded(await runEngine(project, "destroy"));
    expect(destroy.changeSummary).toEqual({ delete: 20 });
    expect(github.configurations("enterprise", "my-enterprise")).toEqual([]);
    expect(github.enterpriseRunnerGroups("my-enterprise").map((group) => group.name)).toEqual(["Default"]);
    expect(arm.log().filter((entry) => entry.outcome === "refused")).toEqual([]);
    const deletedSettingsAt = Math.min(
      ...arm
        .log()
        .filter((entry) => entry.at >= destroyedAt && entry.method === "DELETE" && entry.type === "GitHub.Network/networkSettings")
        .map((entry) => entry.at),
    );
    const configurationDeletedAt = github.requests.find(
      (request) => request.at >= destroyedAt && request.method === "DELETE" && request.path.includes("/network-configurations/"),
    )!.at;
    expect(configurationDeletedAt).toBeLessThan(deletedSettingsAt);
    expect(arm.resourcesOfType("GitHub.Network/networkSettings")).toEqual([]);
  });
});
