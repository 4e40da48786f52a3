/**
 * Turns what the offline engine recorded (cli/offline-engine.ts) into the views the policies read.
 * Pulumi's runtime hands back values not known during a preview as its `unknown` marker and
 * secrets wrapped in a signature object; both are translated here.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIGNATURE } from "../components/pulumi-internals-wire";
import type { PlannedResource } from "./evaluate";
import { UNKNOWN, type ResourceView } from "./model";

/** The parts of a recorded registration the policies use. */
export interface RecordedRegistration {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Plain data with unknowns marked. `placeholders` are texts that stand for values the plan could
 * not read (the plan's stand-in for secure config values), which are as good as unknown.
 */
export function normalizeValue(value: unknown, placeholders: readonly string[] = []): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (typeof value === "string") return placeholders.includes(value) ? UNKNOWN : value;
  if (Array.isArray(value)) return value.map((entry) => normalizeValue(entry, placeholders));
  if (!isPlainRecord(value)) return value;
  if (value[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value) return normalizeValue(value.value, placeholders);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, normalizeValue(entry, placeholders)]));
}

export function plannedResources(recorded: readonly RecordedRegistration[], placeholders: readonly string[] = []): PlannedResource[] {
  const view = (resource: RecordedRegistration, props: Record<string, unknown>): ResourceView => ({
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props: normalizeValue(props, placeholders) as Record<string, unknown>,
    parent: resource.parent ?? undefined,
    dependencies: resource.dependencies,
    propertyDependencies: {},
  });
  return recorded.map((resource) => ({ inputs: view(resource, resource.inputs), outputs: view(resource, resource.outputs) }));
}
