/**
 * The package's build for the tests: what `npm run build` makes (dist/ and policy-pack/), but
 * incremental, so that an unchanged checkout costs a quarter of a second. The test run's global
 * setup (test/support/global-setup.ts) brings it up to date before any test file starts, because
 * the CLI tests run the compiled CLI, as `npm run plan` and the installed bin do.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const REPO = resolve(__dirname, "..", "..");

export interface BuildResult {
  code: number;
  /** What the compiler printed: nothing when the build is clean. */
  output: string;
}

function runNode(args: string[], cwd: string): BuildResult {
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** `tsc -b tsconfig.build.json` in `root` (this checkout by default): dist/, rebuilt where the sources changed. */
export function compilePackage(root: string = REPO): BuildResult {
  return runNode([join(root, "node_modules", "typescript", "bin", "tsc"), "-b", join(root, "tsconfig.build.json")], root);
}

/** policy-pack/, bundled again from policy/ (half a second). */
export function buildPolicyPack(root: string = REPO): BuildResult {
  return runNode([join(root, "scripts", "build-policy-pack.mjs")], root);
}
