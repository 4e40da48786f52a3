/**
 * The one shape of "a problem with an input", and its one text form. Every check (schemas, the
 * network design, stack and GitHub config, NSG rule planning, dynamic resource inputs, policy
 * config) reports `Problem`s; every message that lists them is made here.
 */

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
