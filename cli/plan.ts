/**
 * The offline plan: evaluates the stack program against a stack config file with Pulumi's
 * runtime mocks standing in for the engine and Azure. No Pulumi CLI, cloud or credentials.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { validateStackConfig, type ValidationIssue } from "../components/lib/validation";
import { readStackConfig } from "../infra/config";
import { evaluatePolicies, policyConfigProblems, type PolicyPackConfig, type PolicyViolation } from "../policy/evaluate";
import type { FlatConfig, RecordedResource } from "./offline-engine";
import { SECRET_MARKER } from "./secret-marker";

export type { PolicyViolation } from "../policy/evaluate";


/** The `--json` document; its shape is part of the public contract. */
export interface PlanReport {
  project: string;
  stack: string;
  resources: {
    type: string;
    name: string;
    parent: string | null;
    inputs: Record<string, unknown>;
    dependencies: string[];
    urn: string;
    options?: RecordedResource["options"];
  }[];
  outputs: Record<string, unknown>;
  policy: { violations: PolicyViolation[] };
}

export type PlanOutcome =
  | { kind: "planned"; report: PlanReport; recorded: RecordedResource[]; configFile: string }
  | { kind: "invalid"; configFile: string; issues: ValidationIssue[] };

/** A config file that cannot be read or parsed; reported like invalid config (exit 2). */
export class ConfigFileError extends Error {}

/** The project root: the nearest folder above this module that holds Pulumi.yaml. */
export function projectRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigFileError(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

export function projectName(root: string): string {
  const project = readYaml(join(root, "Pulumi.yaml")) as { name?: unknown } | null;
  if (typeof project?.name !== "string") throw new ConfigFileError(`${join(root, "Pulumi.yaml")} has no project name`);
  return project.name;
}

/**
 * Reads a `Pulumi.<stack>.yaml` file into Pulumi's flat config form. Keys without a namespace
 * belong to the project, as in Pulumi; secure values cannot be decrypted offline and are
 * replaced by a marker.
 */
export function loadStackConfigFile(file: string, project: string): { stack: string; config: FlatConfig } {
  const document = readYaml(file) as { config?: unknown } | null;
  const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file))?.[1] ?? basename(file).replace(/\.ya?ml$/, "");
  const raw = document?.config ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigFileError(`${file}: "config" must be a map of keys to values`);
  const config: FlatConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const isSecure = typeof value === "object" && value !== null && "secure" in value;
    config[fullKey] = isSecure ? SECRET_MARKER : typeof value === "string" ? value : JSON.stringify(value);
  }
  return { stack, config };
}

/**
 * Reads a policy config file in the form `pulumi preview --policy-pack-config` takes (JSON or
 * YAML): `{ "<policy>": "<level>" | { "enforcementLevel": ..., <settings> } }`.
 */
export function loadPolicyConfigFile(file: string): PolicyPackConfig {
  const config = readYaml(file) ?? {};
  const problems = policyConfigProblems(config);
  if (problems.length) throw new ConfigFileError(`${file}: invalid policy config\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return config as PolicyPackConfig;
}

/**
 * The module Pulumi would run for a program path: a file, or a folder (its Pulumi.yaml `main`,
 * else its package.json `main` or index file, as Node resolves folders).
 */
function programEntry(program: string): { entry: string; projectDir: string } {
  const path = resolve(program);
  if (!existsSync(path)) throw new ConfigFileError(`program ${program} does not exist`);
  const isFolder = statSync(path).isDirectory();
  let projectDir = isFolder ? path : dirname(path);
  while (!existsSync(join(projectDir, "Pulumi.yaml"))) {
    if (dirname(projectDir) === projectDir) throw new ConfigFileError(`no Pulumi.yaml at or above ${program}`);
    projectDir = dirname(projectDir);
  }
  const main = (readYaml(join(projectDir, "Pulumi.yaml")) as { main?: unknown } | null)?.main;
  return { entry: isFolder && path === projectDir && typeof main === "string" ? join(projectDir, main) : path, projectDir };
}

/** Runs a program module the way Pulumi's Node.js runtime does: an exported function is called, and its result (or the exports) are the outputs. */
async function runProgramModule(entry: string): Promise<Record<string, unknown>> {
  const exported: unknown = createRequire(__filename)(entry);
  const result: unknown = typeof exported === "function" ? await (exported as () => unknown)() : exported;
  return typeof result === "object" && result !== null ? { ...(result as Record<string, unknown>) } : {};
}

export interface PlanOptions {
  /** A Pulumi program to plan instead of this package's stack (a user stack written with raw azure-native resources, for example). */
  program?: string;
  /** Policy levels and settings, as `--policy-pack-config` takes them. */
  policyConfig?: PolicyPackConfig;
}

/**
 * Plans the stack in this process, then runs the policy pack over the planned resources. Call
 * once per process: Pulumi's runtime is process-wide. `configFile` defaults to
 * Pulumi.example.yaml for this package's stack and to no config for `options.program`.
 */
export async function planStack(configFile?: string, options: PlanOptions = {}): Promise<PlanOutcome> {
  const user = options.program === undefined ? undefined : programEntry(options.program);
  const root = user?.projectDir ?? projectRoot();
  const project = projectName(root);
  const file = configFile ?? (user ? undefined : "Pulumi.example.yaml");
  const { stack, config } = file ? loadStackConfigFile(file, project) : { stack: "offline", config: {} };
  const label = file ?? options.program!;
  if (!user) {
    const validated = validateStackConfig(readStackConfig(config));
    if (!validated.ok) return { kind: "invalid", configFile: label, issues: validated.issues };
  }

  // Loaded only now: invalid config is reported without starting Pulumi's runtime.
  const { runProgram, startOfflineEngine } = await import("./offline-engine");
  const engine = await startOfflineEngine({ project, stack, config });
  const outputs = await runProgram(engine, async () => (user ? runProgramModule(user.entry) : { ...(await import("../infra/index")) }));
  await engine.settle();
  const recorded = engine.resources();
  const report: PlanReport = {
    project,
    stack,
    resources: recorded.map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parent,
      inputs: r.inputs,
      dependencies: r.dependencies,
      urn: r.urn,
      ...(Object.keys(r.options).length ? { options: r.options } : {}),
    })),
    outputs,
    policy: { violations: await policyViolations(recorded, options.policyConfig) },
  };
  return { kind: "planned", report, recorded, configFile: label };
}

/** The pack's policies over the planned resources; loaded late, as the engine is. */
async function policyViolations(recorded: RecordedResource[], policyConfig?: PolicyPackConfig): Promise<PolicyViolation[]> {
  const { plannedResources } = await import("../policy/offline");
  return evaluatePolicies(plannedResources(recorded, [SECRET_MARKER]), policyConfig);
}
