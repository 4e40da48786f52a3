/**
 * A user's org stack (test/support/fixtures/org-stack) with the package installed from its tarball, under
 * the real engine: previewed with the policy pack folder the installed package ships, deployed
 * against the emulators, previewed again with no change, destroyed. The dynamic resources run in
 * Pulumi's provider process from the project's node_modules, as they would for a user.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmEmulator } from "../support/arm-emulator";
import { consumerProject, type ConsumerProject } from "../support/consumer-project";
import { GitHubEmulator } from "../support/github-emulator";
import { endEngineSuite, engineScratch, policyPackAnalyzer, runEngine, succeeded, type EngineProject } from "./engine-run";

const SUBSCRIPTION = "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
const ARM_TOKEN = "arm-consumer-engine-token";
const GITHUB_TOKEN = "ghp_consumerEngineToken00000000000000001";

let arm: ArmEmulator;
let github: GitHubEmulator;
let consumer: ConsumerProject;
let scratch: { dir: string; env: Record<string, string> };
let project: EngineProject;

beforeAll(async () => {
  consumer = await consumerProject();
  // The compiled program, as the consumer test's type-check emits it (tsconfig.json: outDir bin).
  if (!existsSync(join(consumer.dir, "bin", "index.js"))) {
    await promisify(execFile)(process.execPath, [join(consumer.dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
      cwd: consumer.dir,
    });
  }
  arm = await ArmEmulator.start({
    token: ARM_TOKEN,
    subscriptions: { [SUBSCRIPTION]: { displayName: "consumer", state: "Enabled", tenantId: "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c" } },
    providers: {
      "GitHub.Network": { registrationState: "Registered", networkSettingsLocations: ["East US"] },
      "Microsoft.Network": { registrationState: "Registered" },
    },
  });
  github = await GitHubEmulator.start({
    tokens: { [GITHUB_TOKEN]: ["org:network-configurations", "org:runner-groups"] },
    organizations: { "my-org": 12345678 },
  });
  scratch = engineScratch();
  project = {
    workDir: consumer.dir,
    project: "consumer",
    stack: `engine-${process.pid}`,
    program: join(consumer.dir, "bin", "index.js"),
    env: { ...scratch.env, ...arm.clientEnvironment() },
  };
  succeeded(await runEngine(project, "init"));
  succeeded(
    await runEngine(project, "set-config", {
      "azure-native:subscriptionId": { value: SUBSCRIPTION },
      "consumer:githubApiUrl": { value: github.url },
      "consumer:githubToken": { value: GITHUB_TOKEN, secret: true },
    }),
  );
}, 900_000);

afterAll(() => endEngineSuite(project, [arm, github], scratch?.dir));

describe("an org stack with the package installed from its tarball, under the real engine", () => {
  it("previews with the policy pack folder inside the installed package: no violation", async () => {
    const preview = succeeded(
      await runEngine(project, "preview", { policyPacks: [policyPackAnalyzer(join(consumer.installed, "policy-pack"), scratch.dir)] }),
    );
    // Stack, component, its registration, RG, VNET, NSG, IP, NAT, subnet, networkSettings, configuration, binding.
    expect(preview.changeSummary).toEqual({ create: 12 });
    expect(preview.stdout).not.toMatch(/mandatory|advisory/);
  });

  it("deploys: the configuration holds the GitHubId the ARM emulator wrote, and the runner group is bound", async () => {
    const up = succeeded(await runEngine(project, "up"));
    expect(up.changeSummary).toEqual({ create: 12 });
    const [settings] = arm.resourcesOfType("GitHub.Network/networkSettings");
    const gitHubId = (settings.tags as Record<string, string>).GitHubId;
    expect(up.outputs!.gitHubId.value).toBe(gitHubId);
    const [configuration] = github.configurations("organization", "my-org");
    expect(configuration).toMatchObject({ name: "consumer-runners", network_settings_ids: [gitHubId] });
    expect(up.outputs!.networkConfigurationId.value).toBe(configuration.id);
    expect(github.runnerGroups("my-org").find((group) => group.name === "consumer-runners")?.network_configuration_id).toBe(
      configuration.id,
    );
  });

  it("previews no change right after", async () => {
    expect(succeeded(await runEngine(project, "preview", { expectNoChanges: true })).changeSummary).toEqual({ same: 12 });
  });

  it("destroys everything, and no linked subnet was ever deleted", async () => {
    expect(succeeded(await runEngine(project, "destroy")).changeSummary).toEqual({ delete: 12 });
    expect(arm.log().filter((entry) => entry.outcome === "refused")).toEqual([]);
    expect(github.configurations("organization", "my-org")).toEqual([]);
    expect(arm.resourcesOfType("GitHub.Network/networkSettings")).toEqual([]);
  });
});
