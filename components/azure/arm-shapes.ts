/**
 * The part of an ARM answer's shape a caller relies on, checked when the answer arrives: an answer
 * of another shape (`null`, a missing field, a number where a list belongs) then fails as an
 * ArmError that names the request and the field, instead of as a TypeError wherever the field is
 * first read. Pure; ArmClient applies a shape to what `get`, `getIfExists` and `list` return.
 *
 * Only what is read is checked; other fields may be anything, and optional ones may be missing or `null`.
 */
import { quoted } from "../lib/problems";

/** What is wrong with `value` (found at `path`, "" for the whole answer), or undefined when it fits. */
export type Shape = (value: unknown, path: string) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function described(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${quoted(value)}`;
}

const wrong = (value: unknown, path: string, expected: string) => `${path || "the answer"} is ${described(value)}, not ${expected}`;
const below = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Anything at all (a field that is not read). */
export const anything: Shape = () => undefined;

export const text: Shape = (value, path) => (typeof value === "string" ? undefined : wrong(value, path, "a string"));

/** Missing and `null` are fine; anything else must fit `shape`. */
export const optional =
  (shape: Shape): Shape =>
  (value, path) =>
    value === undefined || value === null ? undefined : shape(value, path);

export const listOf =
  (item: Shape): Shape =>
  (value, path) => {
    if (!Array.isArray(value)) return wrong(value, path, "a list");
    for (const [index, entry] of value.entries()) {
      const problem = item(entry, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };

/** An object whose listed fields fit their shapes; other fields are not looked at. */
export const objectWith =
  (fields: Readonly<Record<string, Shape>>): Shape =>
  (value, path) => {
    if (!isRecord(value)) return wrong(value, path, "an object");
    for (const [key, shape] of Object.entries(fields)) {
      const problem = shape(value[key], below(path, key));
      if (problem) return problem;
    }
    return undefined;
  };

/** An object used as a map (tags): every value fits `shape`. */
export const recordOf =
  (shape: Shape): Shape =>
  (value, path) => {
    if (!isRecord(value)) return wrong(value, path, "an object");
    for (const [key, entry] of Object.entries(value)) {
      const problem = shape(entry, below(path, key));
      if (problem) return problem;
    }
    return undefined;
  };

/** One page of an ARM list: `{ value: [...], nextLink? }`. */
export const listPage = (item: Shape): Shape => objectWith({ value: listOf(item), nextLink: optional(text) });
