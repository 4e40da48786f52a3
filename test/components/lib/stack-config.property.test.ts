/**
 * The stack config check on any value at all: it never throws, and every problem it reports has a
 * key path and a readable message. Inputs are arbitrary JSON-like values, and valid configs with
 * fields swapped for arbitrary values (the hostile-user case: wrong types, huge numbers and
 * strings, __proto__ and constructor keys, NaN and Infinity).
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ECHO_LIMIT } from "../../../components/lib/problems";
import { validateStackConfig } from "../../../components/lib/stack-config";

const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", " ", "a.b", "[0]");
const hostileLeaf = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e30,
    -1,
    0,
    2 ** 53,
    0.5,
    null,
    true,
    "",
    " ",
    "x".repeat(5000),
    "10.0.0.0/8",
    "*",
    "Storage",
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, hostileLeaf, fc.array(tie("value"), { maxLength: 4 }), tie("object")),
  object: fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 12 })), tie("value"), { maxKeys: 4 }),
})).value;

const validNetwork = { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 };
const validConfig = {
  github: {
    businessId: "12345678",
    scope: "organization",
    slug: "my-org",
    networkConfiguration: { name: "runners", runnerGroups: [{ name: "g", create: true }] },
  },
  networks: [
    validNetwork,
    {
      ...validNetwork,
      name: "failover",
      role: "failover",
      addressSpace: "10.41.0.0/16",
      extraSecurityRules: [{ name: "r", direction: "Outbound", access: "Allow" }],
    },
  ],
  tags: { owner: "platform" },
};

/** Every leaf path of a value, as key lists. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => leafPaths(item, [...prefix, index]))];
  if (typeof value === "object" && value !== null)
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]))];
  return [prefix];
}
const PATHS = leafPaths(validConfig);

/** A copy of `value` with the thing at `path` replaced (or a key added beside it). */
function replaced(value: unknown, path: (string | number)[], replacement: unknown, asSibling: string | undefined): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return replacement;
  if (typeof copy !== "object" || copy === null) return copy;
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    // An earlier change replaced a parent with a leaf: nothing left to change here.
    if (typeof at[key] !== "object" || at[key] === null) return copy;
    at = at[key] as Record<string | number, unknown>;
  }
  // YAML and JSON give arrays no named keys, so only objects get a sibling.
  if (asSibling === undefined || Array.isArray(at)) at[path[path.length - 1]] = replacement;
  else Object.defineProperty(at, asSibling, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

const mutatedConfig = fc
  .array(fc.tuple(fc.constantFrom(...PATHS), hostileValue, fc.option(hostileKey, { nil: undefined })), { minLength: 1, maxLength: 3 })
  .map((changes) =>
    changes.reduce<unknown>((config, [path, replacement, sibling]) => replaced(config, path, replacement, sibling), validConfig),
  );

function checkOutcome(config: unknown): void {
  const before = Object.keys(Object.prototype).length;
  const result = validateStackConfig(config);
  expect(Object.keys(Object.prototype).length).toBe(before);
  if (result.ok) {
    expect(result.value.networks.length).toBeGreaterThan(0);
    return;
  }
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.path.length).toBeGreaterThan(0);
    expect(issue.message).not.toMatch(/\/-\d|undefined|\[object Object\]/);
    // Region and key lists are long; an echoed value is at most ECHO_LIMIT characters plus its length note.
    expect(issue.message.length).toBeLessThan(1200 + ECHO_LIMIT);
  }
}

describe("validateStackConfig on any input", () => {
  it("answers arbitrary values with problems by key path, never an exception", () => {
    fc.assert(fc.property(hostileValue, checkOutcome), { numRuns: 300 });
  });

  it("answers valid configs with fields swapped for hostile values the same way", () => {
    fc.assert(fc.property(mutatedConfig, checkOutcome), { numRuns: 500 });
  });

  it("accepts the unmutated config the mutations start from", () => {
    expect(validateStackConfig(validConfig).ok).toBe(true);
  });
});
