/**
 * The registration provider as Pulumi ships it: serialized (as pulumi.dynamic.Resource does), then
 * loaded the way Pulumi's dynamic provider host loads it (require-from-string) in a fresh Node
 * process whose working directory is the project (as the engine starts it for a stack) or another
 * directory (as for a component plugin).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registrationProvider } from "../../components/azure/provider-registration";
import { SUBSCRIPTION } from "./fixtures";

const REPO = resolve(__dirname, "..", "..");
let workDir: string;
let providerFile: string;
let serializedText: string;

beforeAll(async () => {
  serializedText = (await pulumi.runtime.serializeFunction(() => registrationProvider, { allowSecrets: true })).text;
  workDir = mkdtempSync(join(tmpdir(), "registration-provider-"));
  providerFile = join(workDir, "provider.js");
  writeFileSync(providerFile, serializedText);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs in the child: loads the provider like Pulumi's host and calls the methods that need no Azure. */
const driver = `
const requireFromString = require(process.argv[1]);
const provider = requireFromString(require("node:fs").readFileSync(process.argv[2], "utf8")).handler();
const inputs = JSON.parse(process.argv[3]);
(async () => {
  const result = {};
  try { result.diff = await provider.diff("id", inputs, { ...inputs, timeoutSeconds: 60 }); } catch (error) { result.diff = "error: " + error.message; }
  result.deleteResult = String(await provider.delete("id", inputs));
  try { await provider.create({ ...inputs, subscriptionId: "not-a-guid" }); } catch (error) { result.create = "error: " + error.message; }
  process.stdout.write(JSON.stringify(result));
})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

function runDriver(cwd: string, file = providerFile): Promise<Record<string, unknown>> {
  const inputs = { subscriptionId: SUBSCRIPTION, namespaces: ["GitHub.Network", "Microsoft.Network"], location: "eastus", timeoutSeconds: 900, pollIntervalSeconds: 10, __provider: "(code)" };
  return new Promise((done, fail) =>
    execFile(process.execPath, ["-e", driver, require.resolve("require-from-string"), file, JSON.stringify(inputs)], { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout)),
    ),
  );
}

const MODULE_LOADED = {
  diff: { changes: true, replaces: [] },
  deleteResult: "undefined",
  // The registration module's own input check answered: the module was found and loaded.
  create: 'error: invalid provider registration inputs:\n  subscriptionId: "not-a-guid" is not a subscription id (a GUID)',
};

it("stays small: the registration code and the ARM client are required when needed, not captured", () => {
  expect(serializedText).toContain('relative: "components/azure/registration"');
  expect(serializedText).toContain(`absolute: ${JSON.stringify(join(REPO, "components", "azure", "registration"))}`);
  expect(serializedText).not.toContain("ensureProvidersRegistered");
  expect(serializedText).not.toContain("class ArmClient");
  expect(serializedText.length).toBeLessThan(6000);
});

it("runs from its serialized text in the project directory, and never unregisters on delete", async () => {
  expect(await runDriver(REPO)).toEqual(MODULE_LOADED);
});

it("finds the module where the program did when the provider process runs elsewhere (a component plugin)", async () => {
  expect(await runDriver(workDir)).toEqual(MODULE_LOADED);
});

it("diffs anywhere, and says where it looked when the module is nowhere", async () => {
  const moved = join(workDir, "moved-provider.js");
  const missing = join(workDir, "gone", "registration");
  writeFileSync(moved, serializedText.replace(JSON.stringify(join(REPO, "components", "azure", "registration")), JSON.stringify(missing)));
  expect(await runDriver(workDir, moved)).toEqual({
    ...MODULE_LOADED,
    create: `error: cannot find the registration module: looked for components/azure/registration(.js|.ts) under ${workDir} and at ${missing}(.js|.ts); run pulumi where the stack's program and its node_modules are`,
  });
});
