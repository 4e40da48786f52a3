/**
 * The one shape of "a problem with an input", and its one text form. Every check (schemas, the
 * network design, stack and GitHub config, NSG rule planning, dynamic resource inputs, policy
 * config) reports `Problem`s; every message that lists them is made here.
 */
import { redactSecrets } from "./redact";

/** A refused input: where it is and what is wrong with it, saying what is allowed. */
export interface Problem {
  /** Key path from the root of what was checked, e.g. `networks[1].subnetPrefix`. */
  path: string;
  message: string;
}

/** One indented `path: message` line per problem. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `  ${problem.path}: ${problem.message}`).join("\n");
}

/** A heading line, then the problems, one per line. */
export function problemReport(heading: string, problems: readonly Problem[]): string {
  return `${heading}\n${formatProblems(problems)}`;
}

/** The message a resource or component raises for bad arguments, before anything is registered. */
export function invalidArgumentsMessage(kind: string, name: string, problems: readonly Problem[]): string {
  return problemReport(`${kind} "${name}" has invalid arguments:`, problems);
}

/** Reports problems found below `prefix` with their full path (`prefix.key`, `prefix[0]`). */
export function underPath(prefix: string, problems: readonly Problem[]): Problem[] {
  if (prefix === "") return [...problems];
  return problems.map((problem) => ({
    ...problem,
    path: problem.path.startsWith("[") ? `${prefix}${problem.path}` : `${prefix}.${problem.path}`,
  }));
}

/** How much of a user's value a message echoes; longer values are cut, with their length said. */
export const ECHO_LIMIT = 80;

/**
 * A user's value as a message echoes it: JSON text (so quotes and control characters are visible),
 * numbers JSON cannot write (NaN, Infinity) by name, anything shaped like a secret (a token, a
 * private key pasted into the wrong key) redacted, and anything longer than ECHO_LIMIT cut.
 */
export function quoted(value: unknown): string {
  const text = redactSecrets(typeof value === "number" && !Number.isFinite(value) ? String(value) : jsonText(value));
  return text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}… (${text.length} characters)`;
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    // Cycles and BigInts: say what it is rather than fail while reporting a problem.
    return typeof value === "bigint" ? `${value}n` : `a ${typeof value}`;
  }
}
