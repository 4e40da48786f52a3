/** Runs the project's CLI in a child process, as a user runs it. */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");
const TSX = join(REPO, "node_modules", ".bin", "tsx");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      TSX,
      [join(REPO, "cli", "main.ts"), ...args],
      { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Writes a stack config file (Pulumi.<stack>.yaml) into a fresh temp folder and returns its path. */
export function writeStackFile(yaml: string, stack = "test"): string {
  const dir = mkdtempSync(join(tmpdir(), "agrn-"));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, yaml);
  return file;
}
