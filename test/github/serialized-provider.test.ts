/**
 * The provider as Pulumi ships it: serialized by value (as pulumi.dynamic.Resource does), then
 * loaded the way Pulumi's dynamic provider host loads it (require-from-string) in a fresh Node
 * process whose working directory is elsewhere, and run against the emulator.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gitHubProvider } from "../../components/github/provider";
import { GitHubEmulator } from "../support/github-emulator";

const TOKEN = "ghp_serializedProviderToken0001";
let emulator: GitHubEmulator;
let workDir: string;

beforeAll(async () => {
  emulator = await GitHubEmulator.start({ tokens: { [TOKEN]: ["org:network-configurations", "org:runner-groups"] }, organizations: { "my-org": 4201 } });
  workDir = mkdtempSync(join(tmpdir(), "gh-provider-"));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs in the child: loads the provider like Pulumi's host and drives one lifecycle. */
const driver = `
const requireFromString = require(process.argv[1]);
const text = require("node:fs").readFileSync(process.argv[2], "utf8");
const provider = requireFromString(text).handler();
(async () => {
  const inputs = JSON.parse(process.argv[3]);
  const checked = await provider.check({}, inputs);
  const created = await provider.create(checked.inputs);
  const binding = await provider.create({ kind: "runnerGroupBinding", organization: "my-org", apiUrl: inputs.apiUrl, token: inputs.token, networkConfigurationId: created.id, runnerGroupName: "shipped", createIfMissing: true });
  const read = await provider.read(created.id, created.outs);
  // The error path too: GitHubApiError and the name-taken lookup, from the serialized code.
  const taken = await provider.create(checked.inputs).then(() => "created twice", (error) => error.name + ": " + error.kind + ": " + error.message);
  await provider.delete(binding.id, binding.outs);
  await provider.delete(created.id, read.props);
  process.stdout.write(JSON.stringify({ failures: checked.failures, id: created.id, name: read.props.name, kind: read.props.kind, group: binding.outs.groupName, taken }));
})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

it("runs from its serialized text alone, with no path of this machine and no token in it", async () => {
  const serialized = await pulumi.runtime.serializeFunction(() => gitHubProvider, { allowSecrets: true });
  expect(serialized.containsSecrets).toBe(false);
  expect(serialized.text).not.toContain(TOKEN);
  expect(serialized.text).not.toContain(resolve(__dirname, "..", ".."));
  expect(serialized.text).not.toMatch(/require\(["']\.{1,2}\//);
  const file = join(workDir, "provider.js");
  writeFileSync(file, serialized.text);

  const inputs = { kind: "networkConfiguration", scope: "organization", slug: "my-org", apiUrl: emulator.url, name: "shipped", gitHubId: "SETTINGS-1", token: TOKEN };
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", driver, require.resolve("require-from-string"), file, JSON.stringify(inputs)], { cwd: workDir, timeout: 30_000 });
  const result = JSON.parse(stdout);
  expect(result).toEqual({
    failures: [],
    id: expect.stringMatching(/^NC/),
    name: "shipped",
    kind: "networkConfiguration",
    group: "shipped",
    taken: `GitHubApiError: name-taken: create network configuration "shipped" failed: the name is already taken in organization "my-org" (422: Validation Failed; name already_exists). Choose another name, or adopt the existing one with the resource option import. It has id ${result.id}: adopt it with the resource option import: "${result.id}", or delete it in GitHub.`,
  });
  expect(emulator.calls()).toEqual([
    "POST /orgs/my-org/settings/network-configurations",
    "GET /orgs/my-org/actions/runner-groups?per_page=100&page=1",
    "POST /orgs/my-org/actions/runner-groups",
    `GET /orgs/my-org/settings/network-configurations/${JSON.parse(stdout).id}`,
    "POST /orgs/my-org/settings/network-configurations",
    "GET /orgs/my-org/settings/network-configurations?per_page=100&page=1",
    "DELETE /orgs/my-org/actions/runner-groups/2",
    `DELETE /orgs/my-org/settings/network-configurations/${JSON.parse(stdout).id}`,
  ]);
  expect(emulator.violations).toEqual([]);
});
