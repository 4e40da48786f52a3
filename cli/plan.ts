/**
 * The offline plan: evaluates the stack program against a stack config file with Pulumi's
 * runtime mocks standing in for the engine and Azure. No Pulumi CLI, cloud or credentials.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { validateStackConfig, type ValidationIssue } from "../components/lib/validation";
import { readStackConfig } from "../infra/config";
import type { FlatConfig, RecordedResource } from "./offline-engine";

export interface PolicyViolation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  message: string;
  resource: string | null;
}

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
    config[fullKey] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
  }
  return { stack, config };
}

/** Plans the stack in this process. Call once per process: Pulumi's runtime is process-wide. */
export async function planStack(configFile: string): Promise<PlanOutcome> {
  const root = projectRoot();
  const project = projectName(root);
  const { stack, config } = loadStackConfigFile(configFile, project);
  const validated = validateStackConfig(readStackConfig(config));
  if (!validated.ok) return { kind: "invalid", configFile, issues: validated.issues };

  // Loaded only now: invalid config is reported without starting Pulumi's runtime.
  const { runProgram, startOfflineEngine } = await import("./offline-engine");
  const engine = await startOfflineEngine({ project, stack, config });
  const outputs = await runProgram(engine, async () => ({ ...(await import("../infra/index")) }));
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
    policy: { violations: [] },
  };
  return { kind: "planned", report, recorded, configFile };
}
