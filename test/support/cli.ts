/**
 * Runs the project's CLI in a child process, as a user runs it: the compiled CLI of this checkout
 * (what `npm run plan` and `npm run cli` run; the test run's global setup builds it), or the
 * package as installed.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");
/** The CLI's entry as package.json's `bin` names it. */
const BIN = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
  "azure-github-runner-network"
];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Variables of the CLI a developer's shell may hold; a test that wants one passes it. */
const CLI_VARIABLES_UNSET = { PULUMI_STACK: undefined, AZURE_GITHUB_RUNNER_NETWORK_DEBUG: undefined };

function run(file: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd ?? REPO,
        env: { ...process.env, ...CLI_VARIABLES_UNSET, ...options.env },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The CLI from this checkout, as `npm run cli --` runs it: the compiled bin, with plain Node. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return run(process.execPath, [join(REPO, BIN), ...args], options);
}

let installed: Promise<string> | undefined;

/**
 * The package as npm installs it: the files `npm pack` would ship (package.json's `files`, from
 * this checkout's build), copied into a scratch folder once per test file. Returns its root.
 */
export function installedPackage(): Promise<string> {
  installed ??= (async () => {
    const root = join(mkdtempSync(join(tmpdir(), "agrn-installed-")), "azure-github-runner-network");
    // --ignore-scripts: the list of what would ship, without packing (the global setup built it).
    const listed = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]);
    if (listed.code !== 0) throw new Error(`npm pack --dry-run failed:\n${listed.stderr}`);
    const [{ files }] = JSON.parse(listed.stdout) as [{ files: { path: string }[] }];
    for (const { path } of files) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(join(REPO, path), join(root, path));
    }
    return root;
  })();
  return installed;
}

/**
 * Runs an installed package's bin with plain Node, no TypeScript loader; its dependencies
 * resolve from this checkout's node_modules, as they would from a consumer's.
 */
export function runInstalledCli(packageRoot: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return run(process.execPath, [join(packageRoot, "dist", "cli", "main.js"), ...args], {
    ...options,
    env: { NODE_PATH: join(REPO, "node_modules"), NODE_OPTIONS: "", ...options.env },
  });
}

/** Writes a stack config file (Pulumi.<stack>.yaml) into a fresh temp folder and returns its path. */
export function writeStackFile(yaml: string, stack = "test"): string {
  const dir = mkdtempSync(join(tmpdir(), "agrn-"));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/**
 * A Pulumi project in a fresh temp folder: Pulumi.yaml with `project` (plus `extra` lines) and the
 * given stack files. Returns its folder.
 */
export function writeProject(project: string, stackFiles: Record<string, string>, extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "agrn-project-"));
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n${extra}`);
  for (const [name, yaml] of Object.entries(stackFiles)) writeFileSync(join(dir, name), yaml);
  return dir;
}

/** The plan's warning for Git LFS's S3 host, which networks with outbound restricted block: one line naming them all. */
export const lfsBlockedWarning = (...networks: string[]) =>
  `warning: ${networks.length === 1 ? "network" : "networks"} ${networks.map((network) => `"${network}"`).join(", ")}: github-cloud.s3.amazonaws.com (Git LFS) is blocked: AWS, not a GitHub or Azure address; TCP 443 is denied by DenyInternetOutbound; to allow it, set outbound: "https" (443 anywhere), add an extraSecurityRules entry that allows its addresses, or use egress "firewall" with extraDomains\n`;
