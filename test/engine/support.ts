/**
 * Engine tests whose program is a function in the test itself: an Automation API inline program
 * (the Node.js language host is not available as a Go module, so the engine runs the program
 * through the Automation API's own language server), on the Pulumi CLI and scratch folder of
 * engine-run.ts: file backend, PULUMI_HOME, passphrase secrets, and on PATH the stand-in
 * azure-native plugin, the dynamic-provider shim and the CLI.
 */
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { ArmEmulator, emptySubscriptionState, emulatedAccessToken } from "../support/arm-emulator";
import { REPO, engineScratch, pulumiCli } from "./engine-run";

export interface EngineWorkspaceOptions {
  projectName: string;
  /** Default: `test`. */
  stackName?: string;
  program: PulumiFn;
  /** The project's folder; by default one in the scratch folder whose node_modules is the repository's. */
  workDir?: string;
  /** More environment for the engine and its plugins, e.g. an emulator's `clientEnvironment()`. */
  extraEnv?: Record<string, string>;
  /** Stack config as a stack file holds it: namespaced keys (`azure-native:subscriptionId`) to values. */
  config?: Record<string, string>;
}

export interface EngineWorkspace {
  stack: Stack;
  workDir: string;
  /** The file backend's folder. */
  stateDir: string;
  pulumiHome: string;
  /** The environment the engine and its plugins run with (on top of this process's). */
  env: Record<string, string>;
  /** Removes the stack (whatever it still holds is forgotten, not deleted) and the scratch folder. */
  dispose(): Promise<void>;
}

export async function engineWorkspace(options: EngineWorkspaceOptions): Promise<EngineWorkspace> {
  const scratch = engineScratch();
  const stateDir = join(scratch.dir, "state");
  const pulumiHome = join(scratch.dir, "home");
  const workDir = options.workDir ?? join(scratch.dir, "project");
  if (!options.workDir) {
    mkdirSync(workDir);
    // Plugins the engine starts in the project folder (the dynamic-provider shim) load @pulumi/pulumi from here.
    symlinkSync(join(REPO, "node_modules"), join(workDir, "node_modules"), "dir");
  }
  const env = {
    ...scratch.env,
    // The stand-in azure-native plugin is found on PATH ("ambient"); nothing is ever downloaded.
    PULUMI_IGNORE_AMBIENT_PLUGINS: "false",
    ...options.extraEnv,
  };
  const cli = pulumiCli();
  const pulumiCommand = await PulumiCommand.get({ root: dirname(dirname(cli)), skipVersionCheck: false });
  const stackName = options.stackName ?? "test";
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName: options.projectName, program: options.program },
    {
      workDir,
      pulumiCommand,
      pulumiHome,
      projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: `file://${stateDir}` } },
      envVars: env,
      secretsProvider: "passphrase",
    },
  );
  if (options.config) await stack.setAllConfig(Object.fromEntries(Object.entries(options.config).map(([key, value]) => [key, { value }])));
  return {
    stack,
    workDir,
    stateDir,
    pulumiHome,
    env,
    async dispose() {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      rmSync(scratch.dir, { recursive: true, force: true });
    },
  };
}

/**
 * An inline program's workspace against a fresh ARM emulator: one empty subscription with
 * GitHub.Network registered, the signed-in identity's claims in its token, long-running
 * operations done on their first poll, and the subscription from the provider's config
 * (ARM_SUBSCRIPTION_ID stays unset).
 */
export async function armEngineWorkspace(options: {
  projectName: string;
  program: PulumiFn;
  subscriptionId: string;
  identity: { tenantId: string; objectId: string; clientId: string };
}): Promise<{ arm: ArmEmulator; workspace: EngineWorkspace }> {
  const arm = await ArmEmulator.start({
    ...emptySubscriptionState({
      token: emulatedAccessToken(options.identity),
      subscriptionId: options.subscriptionId,
      tenantId: options.identity.tenantId,
      gitHubNetwork: "Registered",
    }),
    operationPolls: 0,
  });
  const workspace = await engineWorkspace({
    projectName: options.projectName,
    program: options.program,
    extraEnv: arm.clientEnvironment(),
    config: { "azure-native:subscriptionId": options.subscriptionId },
  });
  return { arm, workspace };
}

/** The engine's own words for a failed operation: the Automation API puts them in the error's message. */
export function engineFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
