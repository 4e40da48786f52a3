/**
 * Runs Pulumi operations under the real engine for the engine suite: a Pulumi CLI from
 * scripts/pulumi-engine, a file backend and PULUMI_HOME in a temp folder, the passphrase secrets
 * provider, and on PATH the stand-in azure-native plugin and the dynamic-provider shim. Each
 * operation runs test/engine/driver.cjs in a fresh process with the program's project as its
 * working directory.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export const REPO = resolve(__dirname, "..", "..");
export const ENGINE_PLUGINS = join(REPO, "scripts", "engine", "plugins");
export const STAND_IN_BIN = join(REPO, "test", "engine", "azure-native", "bin");

let pulumiPath: string | undefined;
/** The CLI scripts/pulumi-engine finds or builds (built once, then cached outside the repository). */
export function pulumiCli(): string {
  pulumiPath ??= execFileSync(join(REPO, "scripts", "pulumi-engine"), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 3_600_000,
  }).trim();
  return pulumiPath;
}

export interface EngineProject {
  /** The project folder: Pulumi.yaml, package.json and node_modules with @pulumi/pulumi. */
  workDir: string;
  project: string;
  stack: string;
  /** The program's entry module (compiled JavaScript), loaded as an inline program. */
  program: string;
  /** Environment of the engine and its plugins, on top of the scratch folder's. */
  env: Record<string, string>;
}

export interface DriverResult {
  ok: boolean;
  message?: string;
  stdout: string;
  stderr?: string;
  changeSummary?: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
  deployment?: {
    version: number;
    deployment: {
      resources?: { urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
    };
  };
}

/** A scratch folder with a file backend and PULUMI_HOME, and the environment that points at them. */
export function engineScratch(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "agrn-engine-"));
  mkdirSync(join(dir, "state"));
  mkdirSync(join(dir, "home"));
  const env = {
    PATH: [STAND_IN_BIN, ENGINE_PLUGINS, dirname(pulumiCli()), dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
    PULUMI_HOME: join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "engine-suite-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return { dir, env };
}

/** Runs one operation (init, preview, up, refresh, destroy, export, remove) of a project's stack. */
export function runEngine(project: EngineProject, op: string, options: Record<string, unknown> = {}): Promise<DriverResult> {
  const spec = { ...project, op, options, pulumi: pulumiCli() };
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, "driver.cjs")],
      // The program runs in the driver: it sees the engine's environment as a deployment would.
      { cwd: project.workDir, env: { ...process.env, ...project.env }, timeout: 600_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && !stdout) return fail(new Error(`driver failed (${op}): ${error.message}\n${stderr}`));
        try {
          done(JSON.parse(stdout) as DriverResult);
        } catch {
          fail(new Error(`driver printed no result (${op}):\n${stdout}\n${stderr}`));
        }
      },
    );
    child.stdin?.end(JSON.stringify(spec));
  });
}

/** Merges `config` (namespaced keys to plain values, as a stack file holds them) into the stack's file. */
export function writeStackConfig(project: EngineProject, config: Record<string, unknown>): void {
  const file = join(project.workDir, `Pulumi.${project.stack}.yaml`);
  const document = (parseYaml(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  document.config = { ...document.config, ...config };
  writeFileSync(file, stringifyYaml(document));
}

/**
 * Ends an engine suite: its stack removed (whatever it still holds is forgotten, not deleted) with
 * its stack file, the emulators stopped and the scratch folder deleted. Parts never made are skipped.
 */
export async function endEngineSuite(
  project: EngineProject | undefined,
  emulators: ({ stop(): Promise<void> } | undefined)[],
  scratchDir: string | undefined,
): Promise<void> {
  if (project) {
    await runEngine(project, "remove").catch(() => undefined);
    rmSync(join(project.workDir, `Pulumi.${project.stack}.yaml`), { force: true });
  }
  for (const emulator of emulators) await emulator?.stop();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

/** This package's stack as an engine project, with the scratch folder of its file backend (endEngineSuite removes both). */
export interface StackProject {
  project: EngineProject;
  scratchDir: string;
}

/**
 * This package's stack (the built infra/ program, run in the repository) as stack `stack` of a
 * fresh file backend: its Pulumi.<stack>.yaml beside Pulumi.yaml holds `config`, and the GitHub
 * token is set as a secret (GITHUB_TOKEN is emptied, so only that one counts).
 */
export async function startStackProject(options: {
  stack: string;
  env: Record<string, string>;
  config: Record<string, unknown>;
  gitHubToken: string;
}): Promise<StackProject> {
  const scratch = engineScratch();
  const project: EngineProject = {
    workDir: REPO,
    project: "azure-github-runner-network",
    stack: options.stack,
    program: join(REPO, "dist", "infra", "index.js"),
    env: { ...scratch.env, ...options.env, GITHUB_TOKEN: "" },
  };
  succeeded(await runEngine(project, "init"));
  writeStackConfig(project, options.config);
  succeeded(
    await runEngine(project, "set-config", { "azure-github-runner-network:githubToken": { value: options.gitHubToken, secret: true } }),
  );
  return { project, scratchDir: scratch.dir };
}

/** Fails with the engine's own output when an operation did not succeed. */
export function succeeded(result: DriverResult): DriverResult {
  if (!result.ok) throw new Error(`${result.message}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr ?? ""}`);
  return result;
}

/**
 * What to pass as `--policy-pack` for a pack folder. The engine runs a pack folder through the
 * Node.js language host, which is not available here; an executable is run as a binary analyzer
 * plugin instead, with its own folder as the pack's. So the pack's files are linked into a folder
 * beside scripts/engine/plugins/policy-pack-analyzer, which starts Pulumi's own pack launcher.
 */
export function policyPackAnalyzer(packFolder: string, scratchDir: string): string {
  const folder = mkdtempSync(join(scratchDir, "policy-pack-"));
  for (const file of ["PulumiPolicy.yaml", "package.json", "index.js"]) symlinkSync(join(packFolder, file), join(folder, file));
  copyFileSync(join(ENGINE_PLUGINS, "policy-pack-analyzer"), join(folder, "policy-pack-analyzer"));
  return join(folder, "policy-pack-analyzer");
}
