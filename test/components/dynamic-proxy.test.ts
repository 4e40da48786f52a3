/**
 * The dynamic providers as Pulumi runs them: each resource's proxy serialized by Pulumi's real
 * serializer, then loaded the way Pulumi's dynamic-provider host loads it (require-from-string,
 * `.handler()`) in a fresh Node process whose working directory is a project with the package
 * in its node_modules. The package there is a stand-in whose public dynamic-providers entry is
 * this checkout's source (the consumer test does the same with the packed tarball).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DYNAMIC_PROVIDERS_ENTRY, dynamicProviderProxy, proxyTargetOf } from "../../components/dynamic-proxy";
import { gitHubProviderProxy } from "../../components/github/provider";
import { SUBSCRIPTION } from "../support/doctor-fixtures";
import { GitHubEmulator } from "../support/github-emulator";

const REPO = resolve(__dirname, "..", "..");
const TOKEN = "ghp_serializedProviderToken0001";
let emulator: GitHubEmulator;
let project: string;

beforeAll(async () => {
  emulator = await GitHubEmulator.start({
    tokens: { [TOKEN]: ["org:network-configurations", "org:runner-groups"] },
    organizations: { "my-org": 4201 },
  });
  project = mkdtempSync(join(tmpdir(), "dynamic-proxy-"));
  const installed = join(project, "node_modules", "azure-github-runner-network");
  mkdirSync(installed, { recursive: true });
  writeFileSync(
    join(installed, "package.json"),
    JSON.stringify({ name: "azure-github-runner-network", exports: { "./dynamic-providers": "./dynamic-providers.js" } }),
  );
  writeFileSync(
    join(installed, "dynamic-providers.js"),
    `module.exports = require(${JSON.stringify(join(REPO, "components", "dynamic-providers.ts"))});\n`,
  );
});
afterAll(async () => {
  await emulator.stop();
  rmSync(project, { recursive: true, force: true });
});

const serialize = async (provider: object) => (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;

/** Loads `text` like Pulumi's host in `cwd` and runs `script` (an async function body over `provider`); prints its JSON result. */
async function inProviderProcess(text: string, script: string, cwd = project): Promise<unknown> {
  const file = join(project, `provider-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, text);
  const driver = `
const provider = require(${JSON.stringify(require.resolve("require-from-string"))})(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8")).handler();
(async () => { ${script} })().then((result) => process.stdout.write(JSON.stringify(result)), (error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", driver], {
    cwd,
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe("the serialized text", () => {
  it.each([
    ["providerRegistration", dynamicProviderProxy("providerRegistration")],
    ["github", gitHubProviderProxy],
  ])("of %s holds the public entry point and the provider's name, and no code, path or token", async (name, proxy) => {
    const text = await serialize(proxy);
    expect(text).toContain(`entry: ${JSON.stringify(DYNAMIC_PROVIDERS_ENTRY)}`);
    expect(text).toContain(`name: ${JSON.stringify(name)}`);
    expect(text).not.toContain(REPO);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/require\(["'][./]/);
    expect(text).not.toContain("ArmClient");
    expect(text).not.toContain("fetch(");
    expect(text.length).toBeLessThan(6000);
  });

  it("is recognised as a proxy from its own object, and other providers are not", () => {
    expect(proxyTargetOf(gitHubProviderProxy)).toEqual({ entry: DYNAMIC_PROVIDERS_ENTRY, name: "github" });
    expect(proxyTargetOf({ create: () => Promise.resolve({ id: "x" }) })).toBeUndefined();
    expect(proxyTargetOf({ azureGitHubRunnerNetworkTarget: { entry: DYNAMIC_PROVIDERS_ENTRY, name: "other" } })).toBeUndefined();
  });
});

describe("in the provider process", () => {
  it("runs the registration provider's own logic, and never unregisters on delete", async () => {
    const text = await serialize(dynamicProviderProxy("providerRegistration"));
    const inputs = {
      subscriptionId: SUBSCRIPTION,
      namespaces: ["GitHub.Network", "Microsoft.Network"],
      locations: ["eastus"],
      timeoutSeconds: 900,
      pollIntervalSeconds: 10,
      __provider: "(code)",
    };
    const result = await inProviderProcess(
      text,
      `const inputs = ${JSON.stringify(inputs)};
       const checked = await provider.check({}, inputs);
       const diff = await provider.diff("id", inputs, { ...inputs, timeoutSeconds: 60 });
       const deleted = String(await provider.delete("id", inputs));
       const create = await provider.create({ ...inputs, subscriptionId: "not-a-guid" }).then(() => "created", (error) => error.message);
       return { checked: checked.inputs === undefined ? "none" : "inputs", diff, deleted, create };`,
    );
    expect(result).toEqual({
      checked: "inputs",
      diff: { changes: true, replaces: [] },
      deleted: "undefined",
      // The registration module's own input check answered: the code was found through the entry point.
      create: 'invalid provider registration inputs:\n  subscriptionId: "not-a-guid" is not a subscription id (a GUID)',
    });
  });

  it("runs a GitHub network configuration and runner group lifecycle against the emulator", async () => {
    const text = await serialize(gitHubProviderProxy);
    const inputs = {
      kind: "networkConfiguration",
      scope: "organization",
      slug: "my-org",
      apiUrl: emulator.url,
      name: "shipped",
      gitHubId: "SETTINGS-1",
      token: TOKEN,
    };
    const result = (await inProviderProcess(
      text,
      `const inputs = ${JSON.stringify(inputs)};
       const checked = await provider.check({}, inputs);
       const created = await provider.create(checked.inputs);
       const binding = await provider.create({ kind: "runnerGroupBinding", organization: "my-org", apiUrl: inputs.apiUrl, token: inputs.token, networkConfigurationId: created.id, runnerGroupName: "shipped", createIfMissing: true });
       const read = await provider.read(created.id, created.outs);
       // The error path too: GitHubApiError and the name-taken lookup, from the package's code.
       const taken = await provider.create(checked.inputs).then(() => "created twice", (error) => error.name + ": " + error.kind + ": " + error.message);
       await provider.delete(binding.id, binding.outs);
       await provider.delete(created.id, read.props);
       return { failures: checked.failures, id: created.id, name: read.props.name, kind: read.props.kind, group: binding.outs.groupName, taken };`,
    )) as { id: string };
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
      `GET /orgs/my-org/settings/network-configurations/${result.id}`,
      "POST /orgs/my-org/settings/network-configurations",
      "GET /orgs/my-org/settings/network-configurations?per_page=100&page=1",
      "DELETE /orgs/my-org/actions/runner-groups/2",
      `DELETE /orgs/my-org/settings/network-configurations/${result.id}`,
    ]);
    expect(emulator.violations).toEqual([]);
  });

  it("in a checkout of the package (pulumi up of its own stack), finds the built entry point as a self-reference", async () => {
    const text = await serialize(dynamicProviderProxy("providerRegistration"));
    const answer = await inProviderProcess(text, `return provider.diff("id", { namespaces: ["A.B"] }, { namespaces: ["A.B"] });`, REPO);
    expect(answer).toEqual({ changes: false, replaces: [] });
  });

  it("says what to install when the project does not have the package", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "no-package-"));
    try {
      const text = await serialize(gitHubProviderProxy);
      const message = (await inProviderProcess(
        text,
        `return provider.diff("id", {}, { kind: "networkConfiguration" }).then(() => "ran", (error) => error.message);`,
        elsewhere,
      )) as string;
      expect(message).toMatch(
        new RegExp(
          `^cannot load azure-github-runner-network/dynamic-providers from ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: Cannot find module 'azure-github-runner-network/dynamic-providers'\\. Install azure-github-runner-network in this Pulumi project \\(npm install\\) and run pulumi from the project directory\\.$`,
        ),
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("names a provider the installed version lacks (state from another version)", async () => {
    const text = (await serialize(gitHubProviderProxy)).replaceAll('name: "github"', 'name: "retired"');
    expect(await inProviderProcess(text, `return provider.create({}).then(() => "ran", (error) => error.message);`)).toBe(
      'azure-github-runner-network/dynamic-providers has no dynamic provider "retired"; this state was written by a version that had it: install that version',
    );
  });
});
