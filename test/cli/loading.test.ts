/**
 * Each command loads only what it uses (cli/main.ts loads a command when it runs; the plan defers
 * Pulumi's closure serializer, Automation API and gRPC, components/pulumi-internals-loading.ts), and the
 * plan still serializes a program's own dynamic provider with Pulumi's real serializer, failing
 * where `pulumi preview` would. Checked in the compiled CLI's own process: a preload writes the
 * files Node loaded.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, writeProject } from "../support/cli";

/** Runs the CLI with a preload that lists the files Node loaded; returns the result and those files. */
async function runListingModules(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "agrn-loaded-"));
  const probe = join(dir, "probe.cjs");
  const listing = join(dir, "loaded.txt");
  writeFileSync(
    probe,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(listing)}, Object.keys(require.cache).join("\\n")));\n`,
  );
  const result = await runCli(args, { ...options, env: { ...options.env, NODE_OPTIONS: `--require ${probe}` } });
  const loaded = readFileSync(listing, "utf8").split("\n");
  return { result, loaded };
}

/** What of each group a process loaded, by the first file of the group it loaded. */
const GROUPS: Record<string, RegExp> = {
  "Pulumi's SDK": /node_modules\/@pulumi\/pulumi\/index\.js$/,
  "azure-native's network module": /node_modules\/@pulumi\/azure-native\/network\/index\.js$/,
  TypeScript: /node_modules\/typescript\//,
  "npm's Arborist": /node_modules\/@npmcli\/arborist\//,
  "Pulumi's closure serializer": /node_modules\/@pulumi\/pulumi\/runtime\/closure\/createClosure\.js$/,
  "the Automation API": /node_modules\/@pulumi\/pulumi\/automation\/localWorkspace\.js$/,
  // By a module of its own: the plan's stand-in sits in the cache under the index's name.
  gRPC: /node_modules\/@grpc\/grpc-js\/build\/src\/channel\.js$/,
  "the plan": /dist\/cli\/plan\.js$/,
  doctor: /dist\/cli\/doctor\.js$/,
  endpoints: /dist\/cli\/endpoints\.js$/,
  "Azure's HTTP pipeline": /node_modules\/@azure\/core-rest-pipeline\//,
  "Azure's sign-in": /node_modules\/@azure\/identity\//,
};
const groupsLoaded = (loaded: string[]) => Object.keys(GROUPS).filter((group) => loaded.some((file) => GROUPS[group].test(file)));

describe("what each command loads", () => {
  it("plan: Pulumi and azure-native, not TypeScript, Arborist, the serializer, the Automation API, gRPC, doctor, endpoints or Azure's clients", async () => {
    const { result, loaded } = await runListingModules(["plan", "--json"]);
    expect(result.code).toBe(0);
    expect(groupsLoaded(loaded)).toEqual(["Pulumi's SDK", "azure-native's network module", "the plan"]);
  });

  it("endpoints show: neither Pulumi nor the other commands", async () => {
    const { result, loaded } = await runListingModules(["endpoints", "show", "--format", "fqdn"]);
    expect(result.code).toBe(0);
    expect(groupsLoaded(loaded)).toEqual(["endpoints"]);
  });

  it("doctor --help: neither Pulumi nor the other commands", async () => {
    const { result, loaded } = await runListingModules(["doctor", "--help"]);
    expect(result.code).toBe(0);
    expect(groupsLoaded(loaded)).toEqual(["doctor"]);
  });
});

describe("a program's own dynamic provider, serialized by Pulumi's real serializer", () => {
  // Resolves @pulumi/pulumi from this checkout, as from the program's own node_modules.
  const env = { NODE_PATH: join(REPO, "node_modules") };
  const program = (provider: string) => {
    const dir = writeProject("own-provider", { "Pulumi.dev.yaml": "config: {}\n" });
    writeFileSync(
      join(dir, "index.js"),
      `const pulumi = require("@pulumi/pulumi");\nnew pulumi.dynamic.Resource(${provider}, "mine", { size: 1 });\n`,
    );
    return dir;
  };

  it("plans a provider Pulumi can serialize, loading the serializer (and TypeScript) for it", async () => {
    const dir = program('{ create: async () => ({ id: "mine-id", outs: {} }) }');
    const { result, loaded } = await runListingModules(["plan", "--program", dir, "--json"], { env });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const report = JSON.parse(result.stdout) as { resources: { type: string; name: string; inputs: unknown }[] };
    expect(report.resources.map(({ type, name, inputs }) => [type, name, inputs])).toEqual([
      ["pulumi:pulumi:Stack", "own-provider-dev", {}],
      ["pulumi-nodejs:dynamic:Resource", "mine", { size: 1 }],
    ]);
    expect(groupsLoaded(loaded)).toEqual(["Pulumi's SDK", "TypeScript", "Pulumi's closure serializer", "the plan"]);
  });

  it("fails on a provider Pulumi cannot serialize (a bound function has no source), as pulumi preview does", async () => {
    const dir = program("{ create: Math.max.bind(null) }");
    const { result } = await runListingModules(["plan", "--program", dir, "--json"], { env });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `program ${dir} failed: error serializing property "__provider": Error serializing '() => provider'\n`,
    });
  });
});
