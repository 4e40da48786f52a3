/**
 * `plan`, the offline plan: evaluates a stack program against a stack config file with Pulumi's
 * runtime mocks standing in for the engine and Azure. No Pulumi CLI, cloud or credentials.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { problemReport, type Problem } from "../components/lib/problems";
import { deferSdkModulesUntilUsed } from "../components/pulumi-internals-loading";
import { validateStackConfig } from "../components/lib/stack-config";
import { plainTextTokenProblems, readStackConfig } from "../infra/config";
import { evaluatePolicies, policyConfigProblems, type PolicyPackConfig, type PolicyViolation } from "../policy/evaluate";
import { EXIT, InputError, onUnhandledError, type CommandContext, type UnhandledErrorHandler } from "./command";
import type { DynamicProviderError, RecordedResource, startOfflineEngine } from "./offline-engine";
import { blockedRequirementWarnings, egressReports, type NetworkEgressReport } from "./egress-report";
import { warningsNamingNetworks } from "./network-warnings";
import { renderPlan } from "./render";
import { SECRET_MARKER } from "./secret-marker";
import { findProject, findStackFile, loadStackConfigFile, ownProject, readYamlFile, type PulumiProject } from "./stack-file";

export type { PolicyViolation } from "../policy/evaluate";

export const PLAN_USAGE = `usage: azure-github-runner-network plan [options]

Plans a Pulumi stack offline, with Pulumi's mocks standing in for the engine and Azure (no cloud,
no credentials), and runs the policy pack over the planned resources.

options:
  --config FILE          the stack config file (Pulumi.<stack>.yaml)
  --stack NAME           the stack: its Pulumi.NAME.yaml beside the project's Pulumi.yaml
  --program PATH         plan this Pulumi program (a folder with Pulumi.yaml, or a file) instead of
                         this package's stack; TypeScript runs as under Pulumi, with the project's tsconfig.json
  --policy-config FILE   policy levels and settings, as pulumi --policy-pack-config takes them
  --json                 print the plan as one JSON document
  -h, --help             print this help

The stack file is --config; else Pulumi.NAME.yaml for --stack, else for PULUMI_STACK; else the only
Pulumi.<stack>.yaml beside the project's Pulumi.yaml (--program's project, else the nearest
Pulumi.yaml at or above the current directory); else Pulumi.example.yaml there.

exit codes: ${EXIT.ok} planned, no mandatory policy violated; ${EXIT.policyViolation} a mandatory policy is violated;
  ${EXIT.invalidInput} invalid config or usage, a file that cannot be read, or the program failed; ${EXIT.internal} internal error
`;

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
    /** The explicit provider's URN (a provider resource listed like any other), when not the default one. */
    provider?: string;
    urn: string;
    options?: RecordedResource["options"];
  }[];
  outputs: Record<string, unknown>;
  /** Per network: what runners must reach and whether the plan lets them (README "Requirements report"). */
  egress: Record<string, NetworkEgressReport>;
  policy: { violations: PolicyViolation[] };
}

export type PlanOutcome =
  | { kind: "planned"; report: PlanReport; recorded: RecordedResource[]; configFile: string; warnings: string[] }
  | { kind: "invalid"; configFile: string; issues: Problem[] };

/** A user's program failed to load or run: theirs to fix (exit 2), told in one line with the place in the program. */
export class ProgramError extends InputError {}

/**
 * Reads a policy config file in the form `pulumi preview --policy-pack-config` takes (JSON or
 * YAML): `{ "<policy>": "<level>" | { "enforcementLevel": ..., <settings> } }`.
 */
export function loadPolicyConfigFile(file: string): PolicyPackConfig {
  const config = readYamlFile(file) ?? {};
  const problems = policyConfigProblems(config);
  if (problems.length) throw new InputError(`${file}: invalid policy config\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return config as PolicyPackConfig;
}

/** A user's program, found the way Pulumi finds it. */
export interface ProgramEntry {
  /** `--program` as given, for messages. */
  label: string;
  /** The module to load. */
  module: string;
  project: PulumiProject;
}

/**
 * Extensions a folder's index and an extensionless `main` are tried with, in Node's order
 * (JavaScript before TypeScript, as Pulumi warns).
 */
const MODULE_EXTENSIONS = [".js", ".cjs", ".ts", ".cts"] as const;
const TYPESCRIPT_MODULE = /\.[cm]?tsx?$/;

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * A package.json's entry the way Pulumi reads it when Pulumi.yaml has no `main`: `exports` (".",
 * then its default, require or import), else `main`.
 */
function packageEntry(manifestFile: string): string | undefined {
  if (!isFile(manifestFile)) return undefined;
  const manifest = readYamlFile(manifestFile) as { exports?: unknown; main?: unknown } | null;
  const exported =
    typeof manifest?.exports === "object" && manifest.exports !== null
      ? (manifest.exports as Record<string, unknown>)["."]
      : manifest?.exports;
  const conditional = typeof exported === "object" && exported !== null ? (exported as Record<string, unknown>) : undefined;
  const entry = conditional ? (conditional.default ?? conditional.require ?? conditional.import) : exported;
  if (typeof entry === "string") return entry;
  return typeof manifest?.main === "string" ? manifest.main : undefined;
}

/**
 * The file `require(path)` loads once a TypeScript loader is registered: the file, a folder's
 * package.json `main` or index, or the path with an extension.
 */
function moduleFile(path: string): string | undefined {
  if (isFile(path)) return path;
  const candidates = (base: string) => MODULE_EXTENSIONS.map((extension) => `${base}${extension}`);
  if (isFolder(path)) {
    const main = packageEntry(join(path, "package.json"));
    const fromMain = main !== undefined && resolve(path, main) !== path ? moduleFile(resolve(path, main)) : undefined;
    return fromMain ?? candidates(join(path, "index")).find(isFile);
  }
  return candidates(path).find(isFile);
}

/** The nearest package.json at or above `dir`, as Pulumi looks for the program's package. */
function nearestPackageManifest(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (isFile(join(at, "package.json"))) return join(at, "package.json");
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The module Pulumi runs for `--program`: a file or folder other than the project folder as
 * given; for the project folder, Pulumi.yaml's `main` (a file or a folder), else the entry of the
 * nearest package.json when that file exists, else the folder itself.
 */
export function findProgram(program: string, cwd: string): ProgramEntry {
  const path = resolve(cwd, program);
  if (!existsSync(path)) throw new InputError(`program ${program} does not exist`);
  const project = findProject(isFolder(path) ? path : dirname(path));
  if (!project) throw new InputError(`no Pulumi.yaml at or above ${program}`);
  let target = path;
  if (path === project.dir) {
    const manifest = project.main === undefined ? nearestPackageManifest(project.dir) : undefined;
    const entry = manifest && packageEntry(manifest);
    const packaged = manifest && entry !== undefined ? join(dirname(manifest), entry) : undefined;
    target = project.main !== undefined ? resolve(project.dir, project.main) : packaged && existsSync(packaged) ? packaged : project.dir;
  }
  const module = moduleFile(target);
  if (!module)
    throw new InputError(`program ${program}: nothing to run at ${target}; expected a file, or a folder with index.js or index.ts`);
  return { label: program, module, project };
}

/** tsx's CommonJS API: the user's project's own tsx first (as Pulumi prefers the project's TypeScript), else this package's. */
function loadTsx(program: ProgramEntry): { register: () => () => void } {
  for (const from of [join(program.project.dir, "package.json"), __filename]) {
    try {
      return createRequire(from)("tsx/cjs/api") as { register: () => () => void };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    }
  }
  throw new InputError(
    `program ${program.label}: ${relative(program.project.dir, program.module)} is TypeScript, which needs tsx: run npm install --save-dev tsx in ${program.project.dir}`,
  );
}

/** The first stack frame in the program's own files (not its dependencies), relative to its project folder. */
function placeInProgram(stack: string, projectDir: string): string | undefined {
  for (const line of stack.split("\n").map((l) => l.trim())) {
    if (!line.startsWith("at ")) continue;
    const location = (/\((.*)\)$/.exec(line)?.[1] ?? line.slice(3)).replace(/^file:\/\//, "");
    const parsed = /^(.*):(\d+):(\d+)$/.exec(location);
    if (parsed && parsed[1].startsWith(projectDir + sep) && !parsed[1].includes(`${sep}node_modules${sep}`)) {
      return `${relative(projectDir, parsed[1])}:${parsed[2]}:${parsed[3]}`;
    }
  }
  return undefined;
}

function programFailure(error: unknown, program: ProgramEntry): ProgramError {
  if (error instanceof ProgramError) return error;
  const reason =
    error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message.split("\n")[0]}` : String(error);
  const place = error instanceof Error ? placeInProgram(error.stack ?? "", program.project.dir) : undefined;
  return new ProgramError(`program ${program.label} failed: ${reason}${place ? ` (at ${place})` : ""}`, { cause: error });
}

type OfflineEngine = Awaited<ReturnType<typeof startOfflineEngine>>;
/** A stack's outputs. */
type Outputs = Record<string, unknown>;
type ProgramRunner = (engine: OfflineEngine, program: () => Promise<Outputs>) => Promise<Outputs>;

/**
 * Loads a program module the way Pulumi's Node.js runtime does: an exported function is called,
 * and its result (or the exports) are the outputs.
 */
async function runProgramModule(module: string): Promise<Outputs> {
  const exported: unknown = createRequire(__filename)(module);
  const result: unknown = typeof exported === "function" ? await (exported as () => unknown)() : exported;
  return typeof result === "object" && result !== null ? { ...(result as Outputs) } : {};
}

/**
 * Runs a stack program with what it leaves unhandled collected: Pulumi's runtime reports a
 * registration that fails (an input or a provider it cannot serialize) as a rejection nobody
 * handles, and Node would end the process on the first one with exit code 1, a verdict here.
 * Returns the outputs and every failure, thrown or unhandled, in order; what the program raises
 * after the run goes to `afterRun`.
 */
async function runCollectingFailures(
  engine: OfflineEngine,
  runProgram: ProgramRunner,
  load: () => Promise<Outputs>,
  afterRun: UnhandledErrorHandler,
): Promise<{ outputs: Outputs; failures: unknown[] }> {
  const failures: unknown[] = [];
  let running = true;
  // For good: the program's code stays loaded, so what it raises later is still its doing.
  onUnhandledError((error, next) => (running ? failures.push(error) : afterRun(error, next)));
  try {
    const outputs = await runProgram(engine, load).catch((error: unknown) => {
      failures.push(error);
      return {};
    });
    // Registrations the program started may still fail.
    await engine.settle().catch((error: unknown) => void failures.push(error));
    // Node reports a rejection nobody handled once the current task has ended.
    await new Promise((done) => setImmediate(done));
    return { outputs, failures };
  } finally {
    running = false;
  }
}

/**
 * Runs a user's program as Pulumi's Node.js runtime does: in its project folder, a TypeScript
 * entry compiled by tsx (registered for this run only; tsx reads tsconfig.json from the working
 * directory, so the project's own), and whatever error the program raises, thrown or left
 * unhandled, taken as the program's failure (exit 2).
 */
async function runUserProgram(program: ProgramEntry, engine: OfflineEngine, runProgram: ProgramRunner): Promise<Outputs> {
  const callerDir = process.cwd();
  let unregister: (() => void) | undefined;
  try {
    process.chdir(program.project.dir);
    if (TYPESCRIPT_MODULE.test(program.module)) unregister = loadTsx(program).register();
    const { outputs, failures } = await runCollectingFailures(
      engine,
      runProgram,
      () => runProgramModule(program.module),
      (error, next) => next(programFailure(error, program)),
    );
    if (failures.length) throw programFailure(failures[0], program);
    return outputs;
  } finally {
    unregister?.();
    process.chdir(callerDir);
  }
}

/**
 * Runs this package's stack (infra/). Its failures are this package's bugs (internal errors),
 * but for one: Pulumi's provider process could not load the package from the user's project,
 * which is theirs to fix (exit 2).
 */
async function runOwnStack(
  engine: OfflineEngine,
  runProgram: ProgramRunner,
  dynamicProviderError: typeof DynamicProviderError,
): Promise<Outputs> {
  const { outputs, failures } = await runCollectingFailures(
    engine,
    runProgram,
    async () => ({ ...(await import("../infra/index")) }),
    (error, next) => next(error),
  );
  if (!failures.length) return outputs;
  // Pulumi prefixes the message with each property it was serializing; the user needs the fix.
  if (failures[0] instanceof dynamicProviderError)
    throw new InputError(failures[0].message.replace(/^(error serializing property "[^"]*": )+/, ""));
  throw failures[0];
}

export interface PlanOptions {
  /** A user's Pulumi program to plan instead of this package's stack (see findProgram). */
  program?: ProgramEntry;
  /** Policy levels and settings, as `--policy-pack-config` takes them. */
  policyConfig?: PolicyPackConfig;
  /**
   * The project the plan runs in: the stack file's keys without a namespace are its, and Pulumi
   * would start dynamic providers from its folder. Default: the program's, else this package's.
   */
  project?: PulumiProject;
}

/**
 * Plans the stack in this process, then runs the policy pack over the planned resources. Call
 * once per process: Pulumi's runtime is process-wide.
 */
export async function planStack(configFile: string, options: PlanOptions = {}): Promise<PlanOutcome> {
  const { program } = options;
  const { name: project, dir: projectDir } = options.project ?? program?.project ?? ownProject();
  const { stack, config } = loadStackConfigFile(configFile, project);
  const warnings: string[] = [];
  if (!program) {
    const validated = validateStackConfig(readStackConfig(config));
    const issues = [...plainTextTokenProblems(config, (_key, value) => value === SECRET_MARKER), ...(validated.ok ? [] : validated.issues)];
    if (!validated.ok || issues.length) return { kind: "invalid", configFile, issues };
    // A warning several networks share (the GHE.com snapshot's, say) is said once, naming them all.
    warnings.push(
      ...warningsNamingNetworks(
        validated.value.networks.flatMap((network) => network.design.warnings.map((w) => [network.name, w] as const)),
      ),
    );
  }

  // Loaded only now: invalid config is reported without starting Pulumi's runtime. Pulumi's closure
  // serializer loads when a function is serialized: a provider other than this package's own.
  deferSdkModulesUntilUsed();
  const { DynamicProviderError, runProgram, startOfflineEngine } = await import("./offline-engine");
  const engine = await startOfflineEngine({ project, stack, config, projectDir });
  const outputs = program ? await runUserProgram(program, engine, runProgram) : await runOwnStack(engine, runProgram, DynamicProviderError);
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
      ...(r.provider ? { provider: r.provider } : {}),
      urn: r.urn,
      ...(Object.keys(r.options).length ? { options: r.options } : {}),
    })),
    outputs: byName(outputs),
    egress: egressReports(recorded),
    policy: { violations: await policyViolations(recorded, options.policyConfig) },
  };
  return { kind: "planned", report, recorded, configFile, warnings };
}

/**
 * A stack's outputs by name, as `pulumi stack output --json` prints them. A program's exports come
 * in the order its compiler defines them (tsc: declaration order; esbuild, which tsx uses: sorted),
 * so the same program would print differently under the bin and under a TypeScript loader.
 */
function byName(outputs: Outputs): Outputs {
  return Object.fromEntries(Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The pack's policies over the planned resources; loaded late, as the engine is. */
async function policyViolations(recorded: RecordedResource[], policyConfig?: PolicyPackConfig): Promise<PolicyViolation[]> {
  const { plannedResources } = await import("../policy/offline");
  return evaluatePolicies(plannedResources(recorded, [SECRET_MARKER]), policyConfig);
}

/** `plan [options]`: prints the plan; the exit code says whether it may go ahead (PLAN_USAGE). */
export async function planCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      stack: { type: "string" },
      program: { type: "string" },
      "policy-config": { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  // Checked first: a bad policy config is reported whatever the stack.
  const policyConfig = values["policy-config"] === undefined ? undefined : loadPolicyConfigFile(values["policy-config"]);
  const program = values.program === undefined ? undefined : findProgram(values.program, context.cwd);
  const project = program?.project ?? findProject(context.cwd);
  const configFile = findStackFile({ configFile: values.config, stack: values.stack, project, context });
  const outcome = await planStack(configFile, { program, policyConfig, project });
  if (outcome.kind === "invalid") {
    process.stderr.write(`${problemReport(`${outcome.configFile}: invalid config, nothing was planned`, outcome.issues)}\n`);
    return EXIT.invalidInput;
  }
  const { report } = outcome;
  for (const warning of [...outcome.warnings, ...blockedRequirementWarnings(report.egress)]) process.stderr.write(`${warning}\n`);
  process.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderPlan(report, outcome.recorded, outcome.configFile)}\n`,
  );
  return report.policy.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.policyViolation : EXIT.ok;
}
