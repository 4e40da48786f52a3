/**
 * The Pulumi project and the stack config file a command works on, found the way Pulumi finds
 * them, and the stack file read into Pulumi's flat config form.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError, type CommandContext } from "./command";
import type { FlatConfig } from "./offline-engine";
import { SECRET_MARKER } from "./secret-marker";

/** Pulumi's project file names, in the order Pulumi tries them. */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"] as const;
/** `Pulumi.<stack>.yaml`; the project file itself has no stack part. */
const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

export interface PulumiProject {
  /** The folder holding the project file. */
  dir: string;
  /** Pulumi.yaml (or Pulumi.yml) in it. */
  file: string;
  name: string;
  /** Pulumi.yaml `main`, relative to `dir`. */
  main?: string;
  /** Where its stack files live: `stackConfigDir`, else beside the project file. */
  stackConfigDir: string;
}

export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

function readProject(file: string): PulumiProject {
  const document = readYamlFile(file) as Record<string, unknown> | null;
  const name = document?.name;
  if (typeof name !== "string" || name === "") throw new InputError(`${file} has no project name`);
  const dir = dirname(file);
  const stackConfigDir = document?.stackConfigDir;
  return {
    dir,
    file,
    name,
    ...(typeof document?.main === "string" ? { main: document.main } : {}),
    stackConfigDir: typeof stackConfigDir === "string" ? resolve(dir, stackConfigDir) : dir,
  };
}

/** The project at or above `from`, as Pulumi looks for it from the working directory; undefined when there is none. */
export function findProject(from: string): PulumiProject | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = PROJECT_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
    if (file) return readProject(file);
    if (dirname(dir) === dir) return undefined;
  }
}

/** This package's own project (its Pulumi.yaml ships with it), whose stack `plan` runs without --program. */
export function ownProject(): PulumiProject {
  const project = findProject(__dirname);
  // Not the user's doing: the package itself is incomplete.
  if (!project) throw new Error(`no Pulumi.yaml at or above ${__dirname}, where this package should have its own`);
  return project;
}

/** The stack files in the project's stack folder, by name; Pulumi gives them the project file's extension. */
export function stackFiles(project: PulumiProject): string[] {
  let names: string[];
  try {
    names = readdirSync(project.stackConfigDir);
  } catch {
    return [];
  }
  return names.filter((name) => STACK_FILE.test(name) && extname(name) === extname(project.file)).sort();
}

/** A path as the user should see it: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith("..") && !isAbsolute(fromCwd) ? fromCwd : path;
}

export interface StackFileQuery {
  /** `--config FILE`. */
  configFile?: string;
  /** `--stack NAME`. */
  stack?: string;
  /** The project the command is for: --program's, else the one at or above the working directory. */
  project: PulumiProject | undefined;
  context: CommandContext;
}

/**
 * The stack config file, chosen the way Pulumi chooses the stack: `--config FILE`; else
 * `--stack NAME`, else `PULUMI_STACK`, as `Pulumi.NAME.yaml` in the project's stack folder; else
 * the only stack file there; else `Pulumi.example.yaml` there (this repository's quick start).
 * Anything else is a choice for the user to make, so it is an InputError naming the flags and
 * the stack files found. The path is relative to the working directory when inside it.
 */
export function findStackFile({ configFile, stack, project, context }: StackFileQuery): string {
  if (configFile !== undefined) return configFile;
  if (stack === "") throw new InputError("--stack: give a stack name, such as dev (for Pulumi.dev.yaml)");
  const chosen =
    stack !== undefined
      ? { name: stack, by: "--stack" }
      : context.env.PULUMI_STACK
        ? { name: context.env.PULUMI_STACK, by: "PULUMI_STACK" }
        : undefined;
  if (!project) {
    const which = chosen ? `, so stack ${chosen.name} (${chosen.by}) has no stack file` : "";
    throw new InputError(
      `no Pulumi.yaml in ${context.cwd} or any folder above it${which}: run in your Pulumi project, or pass --config FILE`,
    );
  }
  const files = stackFiles(project);
  const folder =
    project.stackConfigDir === project.dir
      ? `beside ${shown(project.file, context.cwd)}`
      : `in ${shown(project.stackConfigDir, context.cwd)} (stackConfigDir of ${shown(project.file, context.cwd)})`;
  const inFolder = (name: string) => join(project.stackConfigDir, name);
  if (chosen) {
    // A fully qualified name (org/project/stack) keeps its stack part in the file name, as in Pulumi.
    const file = inFolder(`Pulumi.${chosen.name.split("/").pop()}${extname(project.file)}`);
    if (!existsSync(file)) {
      throw new InputError(
        `stack ${chosen.name} (${chosen.by}) has no stack file: ${shown(file, context.cwd)} does not exist; stack files ${folder}: ${files.join(", ") || "none"}`,
      );
    }
    return shown(file, context.cwd);
  }
  if (files.length === 1) return shown(inFolder(files[0]), context.cwd);
  const example = `Pulumi.example${extname(project.file)}`;
  if (files.includes(example)) return shown(inFolder(example), context.cwd);
  const found = files.length
    ? `${files.length} stack files ${folder} (${files.join(", ")})`
    : `no stack file (Pulumi.<stack>${extname(project.file)}) ${folder}`;
  throw new InputError(`which stack? ${found}: pass --stack NAME or --config FILE`);
}

/** A `secure:` value as a stack file holds it, at the top or nested (`pulumi config set --secret --path`). */
const isSecure = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;

/** `value` with every nested secure value replaced by the marker, as Pulumi would hand it over decrypted. */
function withSecretMarkers(value: unknown): unknown {
  if (isSecure(value)) return SECRET_MARKER;
  if (Array.isArray(value)) return value.map(withSecretMarkers);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withSecretMarkers(inner)]));
  return value;
}

/**
 * Reads a `Pulumi.<stack>.yaml` file into Pulumi's flat config form. Keys without a namespace
 * belong to the project, as in Pulumi; secure values, top-level or nested, cannot be decrypted
 * offline and are replaced by a marker.
 */
export function loadStackConfigFile(file: string, project: string): { stack: string; config: FlatConfig } {
  const document = readYamlFile(file) as { config?: unknown } | null;
  const stack = STACK_FILE.exec(basename(file))?.[1] ?? basename(file).replace(/\.ya?ml$/, "");
  const raw = document?.config ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new InputError(`${file}: "config" must be a map of keys to values`);
  const config: FlatConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const marked = withSecretMarkers(value);
    config[fullKey] = typeof marked === "string" ? marked : JSON.stringify(marked);
  }
  return { stack, config };
}
