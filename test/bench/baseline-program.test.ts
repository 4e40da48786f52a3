/**
 * The benchmark's yardstick is independent and comparable: the hand-written program imports
 * nothing from this repository but Pulumi's SDKs, and registers exactly the resources the plan
 * registers for the same stack (type, name and inputs), so `npm run bench` compares like with like.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { registrationDifferences, type Registration } from "../../bench/registrations";
import { baselineSpec, benchNetworks, stackConfigYaml } from "../../bench/stacks";
import { REPO, runCli } from "../support/cli";

const BASELINE = join(REPO, "bench", "baseline-program.cjs");

describe("the hand-written program", () => {
  it("requires Node built-ins and Pulumi's SDK and azure-native submodules, nothing else", () => {
    const required = [...readFileSync(BASELINE, "utf8").matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(required).toEqual([
      "node:crypto",
      "node:fs",
      "@pulumi/pulumi",
      "@pulumi/azure-native/authorization",
      "@pulumi/azure-native/network",
      "@pulumi/azure-native/resources",
    ]);
  });

  it.each([1, 3])("registers what the plan registers for %d networks", async (count) => {
    const dir = mkdtempSync(join(tmpdir(), "agrn-bench-"));
    const networks = benchNetworks(count);
    writeFileSync(join(dir, "Pulumi.bench.yaml"), stackConfigYaml(networks));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(baselineSpec(networks, "azure-github-runner-network", "bench")));
    const [plan, baseline] = await Promise.all([
      runCli(["plan", "--json", "--config", join(dir, "Pulumi.bench.yaml")]),
      promisify(execFile)(process.execPath, [BASELINE, join(dir, "spec.json")], { maxBuffer: 64 * 1024 * 1024 }),
    ]);
    expect(plan.code).toBe(0);
    const planned = (JSON.parse(plan.stdout) as { resources: Registration[] }).resources;
    const handWritten = (JSON.parse(baseline.stdout) as { resources: Registration[] }).resources;
    // 8 per network (the component and its 7 children), the stack, the shared provider registration and the GitHub side's 2.
    expect([planned.length, handWritten.length]).toEqual([8 * count + 4, 8 * count + 4]);
    expect(registrationDifferences(planned, handWritten)).toEqual([]);
  });
});

describe("registrationDifferences", () => {
  const resource = (name: string, inputs: Record<string, unknown>): Registration => ({ type: "t", name, inputs });

  it("names what only one side registers and what differs, ignoring key order and the other side of a secret", () => {
    const plan = [resource("a", { x: 1, y: { p: 1, q: 2 } }), resource("b", { token: "[secret]" }), resource("c", { z: 1 })];
    const baseline = [resource("a", { y: { q: 2, p: 1 }, x: 1 }), resource("b", { token: { wrapped: "" } }), resource("d", {})];
    expect(registrationDifferences(plan, baseline)).toEqual(["only the plan registers t::c", "only the baseline registers t::d"]);
    expect(registrationDifferences([resource("a", { x: 1 })], [resource("a", { x: 2 })])).toEqual([
      't::a inputs differ: plan {"x":1}, baseline {"x":2}',
    ]);
  });
});
