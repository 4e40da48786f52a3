/**
 * `azure-github-runner-network/policy`: `npm run build` (tsconfig.build.json) emits the policy
 * module, and the package's exports map points at it. The build is this checkout's dist/ (the test
 * run's global setup made it; built again here, incrementally, its report must be empty), loaded
 * by plain Node (no TypeScript loader), as a consumer would.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_DEFINITIONS } from "../../policy/definitions";
import { compilePackage } from "../support/build";

const REPO = resolve(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  exports: Record<string, { types: string; default: string }>;
  files: string[];
};

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      file,
      args,
      { cwd: REPO, env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("the ./policy export", () => {
  it("is published and points into dist/policy", () => {
    expect(manifest.exports["./policy"]).toEqual({ types: "./dist/policy/index.d.ts", default: "./dist/policy/index.js" });
    expect(manifest.files).toContain("dist/policy");
  });

  it("builds with the package and loads without TypeScript, giving every policy", async () => {
    const build = compilePackage();
    expect(build.output).toBe("");
    expect(build.code).toBe(0);
    const entry = (path: string) => join(REPO, path);
    expect(existsSync(entry(manifest.exports["./policy"].types))).toBe(true);
    // Dependencies resolve from the repository, as they would from the consumer's node_modules.
    const script = `const { policies } = require(${JSON.stringify(entry(manifest.exports["./policy"].default))});
      console.log(JSON.stringify(policies.map((p) => [p.name, p.enforcementLevel, typeof (p.validateResource ?? p.validateStack)])));`;
    const loaded = await run(process.execPath, ["-e", script], { NODE_PATH: join(REPO, "node_modules"), NODE_OPTIONS: "" });
    expect(loaded.stderr).toBe("");
    expect(JSON.parse(loaded.stdout)).toEqual(
      POLICY_DEFINITIONS.map((definition) => [definition.name, definition.enforcementLevel, "function"]),
    );
  }, 240_000);
});
