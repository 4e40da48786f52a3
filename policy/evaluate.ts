/**
 * Runs the pack's policies without the Pulumi engine, over resources a program registered: what
 * `npm run plan` reports. Levels and settings come from a policy config in the form
 * `pulumi preview --policy-pack-config` reads, so one file serves both.
 */
import { ENFORCEMENT_LEVELS, POLICY_DEFINITIONS, runDefinition, type EnforcementLevel, type PolicyDefinition } from "./definitions";
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

/** Problems in a policy config, each naming its key path and what is allowed; empty when valid. */
export function policyConfigProblems(config: unknown, definitions: readonly PolicyDefinition[] = POLICY_DEFINITIONS): string[] {
  if (!isRecord(config)) return ["(root): must be a map of policy names to an enforcement level or settings"];
  const names = definitions.map((definition) => definition.name);
  const levels = ENFORCEMENT_LEVELS.join(", ");
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    const definition = definitions.find((candidate) => candidate.name === name);
    if (name === "all") {
      if (!isLevel(value)) problems.push(`all: ${JSON.stringify(value)} is not allowed; allowed: ${levels}`);
      continue;
    }
    if (!definition) {
      problems.push(`${name}: unknown policy; allowed: all, ${names.join(", ")}`);
      continue;
    }
    if (typeof value === "string") {
      if (!isLevel(value)) problems.push(`${name}: ${JSON.stringify(value)} is not allowed; allowed: ${levels}`);
      continue;
    }
    if (!isRecord(value)) {
      problems.push(`${name}: must be an enforcement level (${levels}) or a map of settings`);
      continue;
    }
    for (const [key, setting] of Object.entries(value)) {
      const at = `${name}.${key}`;
      if (key === "enforcementLevel") {
        if (!isLevel(setting)) problems.push(`${at}: ${JSON.stringify(setting)} is not allowed; allowed: ${levels}`);
        continue;
      }
      const property = definition.configSchema.properties[key];
      if (!property) {
        const allowed = ["enforcementLevel", ...Object.keys(definition.configSchema.properties)].join(", ");
        problems.push(`${at}: unknown setting; allowed: ${allowed}`);
      } else if (property.type === "boolean" && typeof setting !== "boolean") {
        problems.push(`${at}: must be true or false`);
      } else if (
        property.type === "integer" &&
        !(
          Number.isInteger(setting) &&
          (setting as number) >= (property.minimum ?? -Infinity) &&
          (setting as number) <= (property.maximum ?? Infinity)
        )
      ) {
        problems.push(`${at}: must be a whole number ${property.minimum ?? ""}-${property.maximum ?? ""}`.replace(/ -$/, ""));
      } else if (property.type === "array" && !(Array.isArray(setting) && setting.every((entry) => typeof entry === "string"))) {
        problems.push(`${at}: must be a list of strings`);
      }
    }
  }
  return problems;
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
