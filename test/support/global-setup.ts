/**
 * Vitest's global setup (every config): dist/ and policy-pack/ brought up to date once, before any
 * test file runs, so the tests that run the compiled CLI or load the built package see this
 * checkout's code. A build that fails stops the run with the compiler's own report.
 */
import { buildPolicyPack, compilePackage, type BuildResult } from "./build";

export default function setup(): void {
  const steps: [string, () => BuildResult][] = [
    ["tsc -b tsconfig.build.json", () => compilePackage()],
    ["scripts/build-policy-pack.mjs", () => buildPolicyPack()],
  ];
  for (const [what, step] of steps) {
    const result = step();
    if (result.code !== 0) throw new Error(`the build for the tests failed (${what}):\n${result.output}`);
  }
}
