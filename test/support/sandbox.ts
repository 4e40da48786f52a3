/**
 * A local sandbox for trying this package's stack by hand under the real Pulumi engine, with no
 * Azure account and no GitHub token (README, "A local sandbox"):
 *
 *   npm run sandbox -- [--write-env FILE] [--json] [--dir DIR] [--pulumi PATH] [--port N] [--github-org LOGIN=ID]...
 *
 * Starts the emulators of emulator-server.ts in this process, makes a scratch folder (DIR, or a
 * new temp folder that stop removes) with `state/` for a file backend and `home/` for
 * PULUMI_HOME, finds a Pulumi CLI with scripts/pulumi-engine (or takes `--pulumi PATH`), prints
 * the environment a shell needs as `export` lines (or, with --json, one JSON object; with
 * --write-env, the lines also go to FILE for another terminal to source), and serves until SIGINT
 * or SIGTERM. Tests import `startSandbox`.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { ENGINE_PLUGINS, STAND_IN_BIN, pulumiCli } from "../engine/engine-run";
import { SERVER_USAGE, readServerOption, startEmulators, type RunningEmulator, type ServerOptions } from "./emulator-server";

export interface SandboxOptions extends Partial<ServerOptions> {
  /** The scratch folder (created when missing, kept by stop); default: a new temp folder, removed by stop. */
  dir?: string;
  /** The Pulumi CLI whose folder goes on PATH; default: the one scripts/pulumi-engine finds, if any. */
  pulumi?: string;
}

export interface Sandbox {
  dir: string;
  /** The Pulumi CLI on PATH, or undefined when scripts/pulumi-engine could not find or build one. */
  pulumi: string | undefined;
  /** The folders put in front of PATH, in order. */
  path: string[];
  /** The environment of a session; PATH is `path` followed by this process's PATH. */
  env: Record<string, string>;
  /** armApi, armState, githubApi, githubState. */
  urls: Record<string, string>;
  /** Stops the emulators (their state is gone) and removes the scratch folder unless it was given. */
  stop(): Promise<void>;
}

export const SANDBOX_PASSPHRASE = "sandbox";

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const pulumi = options.pulumi ?? findPulumi();
  const dir = options.dir === undefined ? mkdtempSync(join(tmpdir(), "agrn-sandbox-")) : resolve(options.dir);
  const created = options.dir === undefined;
  let running: RunningEmulator[];
  try {
    for (const folder of ["state", "home"]) mkdirSync(join(dir, folder), { recursive: true });
    running = await startEmulators({ armPort: options.armPort ?? 0, githubOrganizations: options.githubOrganizations });
  } catch (error) {
    if (created) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // The plugin shims run `node`: the one running the sandbox, whatever the other terminal's PATH has.
  const path = [STAND_IN_BIN, ENGINE_PLUGINS, ...(pulumi ? [dirname(pulumi)] : []), dirname(process.execPath)];
  const env: Record<string, string> = {
    PATH: [...path, process.env.PATH ?? ""].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
    PULUMI_HOME: join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: SANDBOX_PASSPHRASE,
    // Nothing leaves the machine: no update check, and the stand-in azure-native plugin on PATH is
    // used as it is instead of the real provider being downloaded (as in the engine suite).
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...Object.assign({}, ...running.map((emulator) => emulator.env)),
  };
  let stopping: Promise<void> | undefined;
  return {
    dir,
    pulumi,
    path,
    env,
    urls: Object.assign({}, ...running.map((emulator) => emulator.urls)),
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all(running.map((emulator) => emulator.stop()));
        if (created) rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** What scripts/pulumi-engine prints (its own messages go to stderr), or undefined when it fails. */
function findPulumi(): string | undefined {
  try {
    return pulumiCli();
  } catch {
    return undefined;
  }
}

/** The stack config that points this package's stack at the sandbox. */
export function sandboxStackConfig(sandbox: Sandbox): Record<string, string> {
  return {
    "azure-github-runner-network:github.apiUrl": sandbox.urls.githubApi,
    "azure-native:subscriptionId": sandbox.env.ARM_SUBSCRIPTION_ID,
  };
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** Lines of the labelled URLs in `shellExports`, which the README's session reads back with sed. */
const URL_LABELS: Record<string, string> = { githubApi: "GitHub API", armState: "ARM state", githubState: "GitHub state" };

/** The session's environment as lines a POSIX shell can source or eval; the rest as comments. */
export function shellExports(sandbox: Sandbox): string {
  const pulumiNote = sandbox.pulumi
    ? `# Pulumi CLI: ${sandbox.pulumi}`
    : "# No Pulumi CLI from scripts/pulumi-engine: a Pulumi CLI of your own on PATH works too.";
  const exports = Object.entries(sandbox.env).map(([key, value]) =>
    // PATH keeps the sourcing shell's own PATH after the sandbox's folders.
    key === "PATH" ? `export PATH=${shellQuote(sandbox.path.join(delimiter))}${delimiter}"$PATH"` : `export ${key}=${shellQuote(value)}`,
  );
  const config = Object.entries(sandboxStackConfig(sandbox)).map(
    ([key, value]) => `#   pulumi config set${key.includes(".") ? " --path" : ""} ${key} ${value}`,
  );
  return [
    `# azure-github-runner-network sandbox: local ARM and GitHub emulators, scratch folder ${sandbox.dir}`,
    pulumiNote,
    ...exports,
    "# The emulators' API for the stack config, and their state as JSON (no token needed, none in it):",
    ...Object.entries(URL_LABELS).map(([name, label]) => `# ${label}: ${sandbox.urls[name]}`),
    "# Stack config, once `pulumi stack init` has made the stack:",
    ...config,
    "",
  ].join("\n");
}

interface CommandLine {
  options: SandboxOptions;
  json: boolean;
  /** `--write-env FILE`; not `--env-file`, which tsx hands to Node (which then reads FILE). */
  envFile?: string;
}

const USAGE = `usage: npm run sandbox -- [--write-env FILE] [--json] [--dir DIR] [--pulumi PATH] ${SERVER_USAGE}`;

class UsageError extends Error {}

function parseCommandLine(args: readonly string[]): CommandLine {
  const options: SandboxOptions & ServerOptions = { armPort: 0 };
  const line: CommandLine = { options, json: false };
  for (let i = 0; i < args.length;) {
    const [flag, value] = [args[i], args[i + 1]];
    const taken = readServerOption(args, i, options);
    if (taken > 0) {
      i += taken;
      continue;
    }
    if (flag === "--json") {
      line.json = true;
      i += 1;
      continue;
    }
    if (value === undefined || !["--dir", "--write-env", "--pulumi"].includes(flag))
      throw new UsageError(`${USAGE}\nunexpected ${JSON.stringify(flag)}`);
    if (flag === "--dir") options.dir = value;
    if (flag === "--write-env") line.envFile = resolve(value);
    if (flag === "--pulumi") options.pulumi = executable(resolve(value));
    i += 2;
  }
  return line;
}

function executable(file: string): string {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new UsageError(`--pulumi ${file}: not an executable file`);
  }
  return file;
}

/** Written whole (a temp file renamed), so a terminal sourcing it never reads half; 0600: it holds the token. */
function writeEnvFile(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, file);
}

async function main(): Promise<void> {
  const line = parseCommandLine(process.argv.slice(2));
  const sandbox = await startSandbox(line.options);
  if (!sandbox.pulumi)
    process.stderr.write(
      "sandbox: scripts/pulumi-engine found no Pulumi CLI; starting anyway: a Pulumi CLI of your own on PATH works too\n",
    );
  const exports = shellExports(sandbox);
  if (line.envFile) writeEnvFile(line.envFile, exports);
  process.stdout.write(
    line.json
      ? `${JSON.stringify({ pid: process.pid, dir: sandbox.dir, pulumi: sandbox.pulumi ?? null, path: sandbox.path, env: sandbox.env, urls: sandbox.urls, config: sandboxStackConfig(sandbox) })}\n`
      : exports,
  );
  process.stderr.write(
    `sandbox: serving until Ctrl-C or SIGTERM (pid ${process.pid})${line.envFile ? `; in another terminal: . ${shellQuote(line.envFile)}` : ""}\n`,
  );
  const stop = (signal: string) => {
    process.stderr.write(`sandbox: ${signal}, stopping\n`);
    sandbox
      .stop()
      .then(() => {
        // It points at emulators that are gone now.
        if (line.envFile) rmSync(line.envFile, { force: true });
      })
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`sandbox: stopping failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

// Only when run (npm run sandbox); tests import startSandbox.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
