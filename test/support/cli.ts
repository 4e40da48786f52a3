/** Runs the project's CLI in a child process, as a user runs it: from this checkout, or built and installed. */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");
const TSX = join(REPO, "node_modules", ".bin", "tsx");
const TSC = join(REPO, "node_modules", ".bin", "tsc");

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

/** The CLI from this checkout, as `npm run cli --` runs it (tsx). */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return run(TSX, [join(REPO, "cli", "main.ts"), ...args], options);
}

let installed: Promise<string> | undefined;

/**
 * The package as npm installs it: the build (tsconfig.build.json) beside package.json and the
 * Pulumi.yaml the package ships, in a scratch folder; built once per test file. Returns its root.
 */
export function installedPackage(): Promise<string> {
  installed ??= (async () => {
    const root = join(mkdtempSync(join(tmpdir(), "agrn-installed-")), "azure-github-runner-network");
    // Emit only: `npm run typecheck` checks the types, and the CLI needs no declarations.
    const build = await run(TSC, ["-p", "tsconfig.build.json", "--outDir", join(root, "dist"), "--noCheck", "--declaration", "false"]);
    if (build.code !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
    for (const file of ["package.json", "Pulumi.yaml", "Pulumi.example.yaml"]) copyFileSync(join(REPO, file), join(root, file));
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

/** The plan's warning for Git LFS's S3 host, which a network with outbound restricted blocks. */
export const lfsBlockedWarning = (network: string) =>
  `warning: network "${network}" blocks github-cloud.s3.amazonaws.com (Git LFS): AWS, not a GitHub or Azure address; TCP 443 is denied by DenyInternetOutbound; to allow it, set outbound: "https" (443 anywhere), add an extraSecurityRules entry that allows its addresses, or use egress "firewall" with extraDomains\n`;
