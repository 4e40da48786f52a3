/**
 * Runs the pack's policies without the Pulumi engine, over resources a program registered: what
 * `npm run plan` reports. Levels and settings come from a policy config in the form
 * `pulumi preview --policy-pack-config` reads, so one file serves both.
 */
import type * as AjvModule from "ajv";
import type { ErrorObject, SchemaObject, ValidateFunction } from "ajv";
import {
  ENFORCEMENT_LEVELS,
  POLICY_DEFINITIONS,
  runDefinition,
  type ConfigProperty,
  type EnforcementLevel,
  type PolicyDefinition,
} from "./definitions";
import type { ResourceView } from "./model";

/** One violation, in the shape of the plan's JSON (`policy.violations[]`). */
export interface PolicyViolation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  message: string;
  /** URN of the resource the violation concerns. */
  resource: string | null;
}

/** `{ "<policy>": "<level>" | { enforcementLevel?, ...settings } }`; the key `all` sets every policy's level. */
export type PolicyPackConfig = Record<string, unknown>;

/** A resource as registered: its inputs (what resource policies read) and outputs (what stack policies read). */
export interface PlannedResource {
  inputs: ResourceView;
  outputs: ResourceView;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/**
 * The JSON Schema a policy config must match: `all` takes a level, and each policy a level or a
 * map of `enforcementLevel` and the settings of its own `configSchema` (the schema Pulumi checks
 * `--policy-pack-config` against), nothing else.
 */
export function policyConfigSchema(definitions: readonly PolicyDefinition[] = POLICY_DEFINITIONS): SchemaObject {
  const level = { enum: [...ENFORCEMENT_LEVELS] };
  const policy = (definition: PolicyDefinition) => ({
    // A string is a level; anything else must be the map of settings.
    if: { type: "string" },
    then: level,
    else: { type: "object", properties: { enforcementLevel: level, ...definition.configSchema.properties }, additionalProperties: false },
  });
  return {
    type: "object",
    properties: { all: level, ...Object.fromEntries(definitions.map((definition) => [definition.name, policy(definition)])) },
    additionalProperties: false,
  };
}

const validators = new WeakMap<readonly PolicyDefinition[], ValidateFunction>();

/** Compiled once per list of definitions; ajv is loaded only when a policy config is checked. */
function validatorFor(definitions: readonly PolicyDefinition[]): ValidateFunction {
  let validate = validators.get(definitions);
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv } = require("ajv") as typeof AjvModule;
    validate = new Ajv({ allErrors: true, strict: true }).compile(policyConfigSchema(definitions));
    validators.set(definitions, validate);
  }
  return validate;
}

/**
 * Problems in a policy config, each naming its key path and what is allowed; empty when valid.
 * ajv finds where the config breaks the schema; the message says what that key allows.
 */
export function policyConfigProblems(config: unknown, definitions: readonly PolicyDefinition[] = POLICY_DEFINITIONS): string[] {
  const validate = validatorFor(definitions);
  if (validate(config)) return [];
  const problems = new Map<string, string>();
  // `if` only reports which branch failed; the branch's own error says how.
  for (const error of (validate.errors ?? []).filter((e) => e.keyword !== "if")) {
    const { key, message } = describeError(error, config, definitions);
    if (!problems.has(key)) problems.set(key, message);
  }
  const order = keyOrder(config);
  return [...problems].sort(([a], [b]) => order(a) - order(b)).map(([key, message]) => `${key}: ${message}`);
}

/** The key an ajv error is about (`policy` or `policy.setting`) and what that key allows. */
function describeError(error: ErrorObject, config: unknown, definitions: readonly PolicyDefinition[]): { key: string; message: string } {
  const levels = ENFORCEMENT_LEVELS.join(", ");
  const [name, setting] = error.instancePath.split("/").slice(1).map(unescapePointer);
  const definition = definitions.find((candidate) => candidate.name === name);
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    if (!definition) return { key: extra, message: `unknown policy; allowed: all, ${definitions.map((d) => d.name).join(", ")}` };
    const allowed = ["enforcementLevel", ...Object.keys(definition.configSchema.properties)].join(", ");
    return { key: `${name}.${extra}`, message: `unknown setting; allowed: ${allowed}` };
  }
  if (name === undefined) return { key: "(root)", message: "must be a map of policy names to an enforcement level or settings" };
  const value = (config as Record<string, unknown>)[name];
  if (setting === undefined) {
    const isLevelText = name === "all" || typeof value === "string";
    return isLevelText
      ? { key: name, message: `${JSON.stringify(value)} is not allowed; allowed: ${levels}` }
      : { key: name, message: `must be an enforcement level (${levels}) or a map of settings` };
  }
  const key = `${name}.${setting}`;
  if (setting === "enforcementLevel") {
    return { key, message: `${JSON.stringify((value as Record<string, unknown>)[setting])} is not allowed; allowed: ${levels}` };
  }
  return { key, message: settingRule(definition!.configSchema.properties[setting]) };
}

/** What a setting allows, in the words the config reference uses. */
function settingRule(property: ConfigProperty): string {
  switch (property.type) {
    case "boolean":
      return "must be true or false";
    case "integer":
      return `must be a whole number ${property.minimum ?? ""}-${property.maximum ?? ""}`.replace(/ -$/, "");
    case "array":
      return "must be a list of strings";
  }
}

/** `~1` and `~0` in a JSON Pointer segment stand for `/` and `~`. */
const unescapePointer = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** Problems are listed in the order of the keys in the config, as it was written. */
function keyOrder(config: unknown): (key: string) => number {
  const keys = Object.entries(isRecord(config) ? config : {}).flatMap(([name, value]) => [
    name,
    ...(isRecord(value) ? Object.keys(value).map((setting) => `${name}.${setting}`) : []),
  ]);
  return (key) => keys.indexOf(key);
}

/** The level a policy runs at under `config`: its own setting, else `all`, else its default. */
export function enforcementLevelOf(definition: PolicyDefinition, config: PolicyPackConfig): EnforcementLevel {
  const own = config[definition.name];
  if (isLevel(own)) return own;
  if (isRecord(own) && isLevel(own.enforcementLevel)) return own.enforcementLevel;
  return isLevel(config.all) ? config.all : definition.enforcementLevel;
}

/** Every violation the pack's policies find in the planned resources, policy by policy. */
export function evaluatePolicies(resources: readonly PlannedResource[], config: PolicyPackConfig = {}): PolicyViolation[] {
  return POLICY_DEFINITIONS.flatMap((definition) => {
    const level = enforcementLevelOf(definition, config);
    if (level === "disabled") return [];
    const own = config[definition.name];
    return runDefinition(definition, resources, isRecord(own) ? own : {}).map((finding) => ({
      policy: definition.name,
      enforcementLevel: level,
      message: finding.message,
      resource: finding.urn,
    }));
  });
}
