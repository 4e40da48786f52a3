/**
 * Zod helpers shared by the schemas (strict objects that name their keys, enums that list what is
 * allowed, values that may still be deferred), and zod's issues turned into `Problem`s with their
 * key paths (`networks[1].subnetPrefix`).
 */
import { z } from "zod";
import { quoted, type Problem } from "./problems";

/** A Pulumi output or a promise: its value is checked when it resolves, not here. */
export function isDeferred(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { __pulumiOutput?: unknown; then?: unknown };
  return candidate.__pulumiOutput === true || typeof candidate.then === "function";
}

/** Accepts a deferred value as is, and checks a plain one against `schema`. */
export function deferrable<T extends z.ZodType>(schema: T) {
  return z.any().superRefine((value, ctx) => {
    if (isDeferred(value)) return;
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues)
        ctx.addIssue({ ...issue, code: "custom", path: issue.path, message: issue.message, input: value });
    }
  }) as unknown as z.ZodType<z.output<T>>;
}

/** An object that refuses unknown keys and says which keys it knows. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return `unknown key; allowed: ${allowed}`;
      if (issue.code === "invalid_type") return issue.input === undefined ? "required" : `must be an object with keys: ${allowed}`;
      return undefined;
    },
  });
}

export const describe = (what: string) => ({
  error: (issue: { input?: unknown; code?: string }) =>
    issue.input === undefined ? `required; ${what}` : `${quoted(issue.input)} is not allowed; ${what}`,
});

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what = "") {
  return z.enum(values, describe(`${what}allowed: ${values.join(", ")}`));
}

/** Checks a string with one of the pure GitHub rules (github-rules.ts, shared with components/github's dynamic provider). */
export const checkedBy = (what: string, problem: (value: unknown) => string | undefined) =>
  z.string(describe(what)).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** Whether a value is, or directly holds, something not known yet. */
export function holdsDeferred(value: unknown): boolean {
  return isDeferred(value) || (typeof value === "object" && value !== null && Object.values(value).some(isDeferred));
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: Problem[] };

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (!/^[A-Za-z_$][\w$-]*$/.test(String(key))) out += `[${JSON.stringify(String(key))}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function issuesFromZod(error: z.ZodError, prefix: string): Problem[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath(prefix, [...issue.path, key]), message: issue.message }))
      : [{ path: joinPath(prefix, issue.path), message: issue.message }],
  );
}

/**
 * Parses an object, and also each of its fields on its own: the fields that are valid feed the
 * cross-field checks even when another field is not, so one run reports every problem.
 */
export function parseEntry<S extends z.ZodRawShape>(schema: z.ZodObject<S>, raw: unknown, prefix: string) {
  const whole = schema.safeParse(raw);
  const issues = whole.success ? [] : issuesFromZod(whole.error, prefix);
  const fields: Record<string, unknown> = {};
  const invalid = new Set<string>();
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    const result = (fieldSchema as z.ZodType).safeParse(record[key]);
    if (result.success) fields[key] = result.data;
    else invalid.add(key);
  }
  return { data: whole.success ? whole.data : undefined, fields: fields as Partial<z.output<z.ZodObject<S>>>, invalid, issues };
}
