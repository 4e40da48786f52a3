/**
 * azure-native's diff: the new inputs against the old inputs kept in state (never against what
 * the service added, such as GitHub's `GitHubId` tag), reported as the changed top-level inputs,
 * the ones among them ARM cannot change in place, and a detailed diff down to the changed leaves
 * so that `replaceOnChanges` paths such as `properties.businessId` match precisely.
 */
import { holdsUnknown } from "./shapes";
import type { Inputs, ResourceTypeSpec } from "./resource-types";

export type PropertyChange = "add" | "delete" | "update";

export interface InputDiff {
  /** Top-level inputs that changed, sorted. */
  changed: string[];
  /** Of those, the ones that force a replacement. */
  replaces: string[];
  /** Changed leaves by property path (`tags.owner`, `securityRules[0].priority`), and whether each forces a replacement. */
  detailed: Record<string, { change: PropertyChange; replace: boolean }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const present = (value: unknown) => value !== undefined && value !== null;

/** "East US" and "eastus" are one region to ARM, so not a change. */
function comparable(key: string, value: unknown): unknown {
  return key === "location" && typeof value === "string" ? value.replace(/\s+/g, "").toLowerCase() : value;
}

export function diffInputs(spec: ResourceTypeSpec, olds: Inputs, news: Inputs): InputDiff {
  const detailed: InputDiff["detailed"] = {};
  const changed: string[] = [];
  for (const key of [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort()) {
    const replace = spec.replaceOnChanges.includes(key);
    const leaves = changedLeaves(key, comparable(key, olds[key]), comparable(key, news[key]));
    if (!leaves.length) continue;
    changed.push(key);
    for (const [path, change] of leaves) detailed[path] = { change, replace };
  }
  return { changed, replaces: changed.filter((key) => spec.replaceOnChanges.includes(key)), detailed };
}

function changedLeaves(path: string, before: unknown, after: unknown): [string, PropertyChange][] {
  if (holdsUnknown(after)) return [[path, present(before) ? "update" : "add"]];
  if (!present(before) && !present(after)) return [];
  if (!present(before)) return [[path, "add"]];
  if (!present(after)) return [[path, "delete"]];
  if (isRecord(before) && isRecord(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .flatMap((key) => changedLeaves(`${path}.${key}`, before[key], after[key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      changedLeaves(`${path}[${index}]`, before[index], after[index]),
    ).flat();
  }
  return before === after ? [] : [[path, "update"]];
}
