/**
 * What every command shares: the exit codes of the public contract, the error a user can fix,
 * and the process state a command may read (passed in, so nothing below the entry reads
 * `process.env` or the working directory itself).
 */

/** Exit codes of every command (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** plan: a mandatory policy is violated. */
  policyViolation: 1,
  /** doctor: at least one check failed. */
  checkFailed: 1,
  /** endpoints check: GitHub's /meta differs from the snapshot. */
  drift: 1,
  /** Something the user can fix: invalid config, a bad flag, a missing or unreadable file, a --program that fails. */
  invalidInput: 2,
  /**
   * A bug in this package. 70 is EX_SOFTWARE in sysexits.h ("internal software error"): apart
   * from 1 and 2, which CI reads as verdicts, clear of 126-127 (the shell's "cannot run", "not
   * found") and 128+N (killed by signal N), and not 255, Pulumi's code for any failure.
   */
  internal: 70,
} as const;

/** A mistake the user can fix (a bad value, a missing or unreadable file): one line on stderr, exit 2, no stack trace. */
export class InputError extends Error {}

/** Flag parsing errors from `node:util` parseArgs (unknown option, missing value): user mistakes too. */
export function isParseArgsError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/** The process state a command reads: the environment and the working directory, as the user ran it. */
export interface CommandContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Takes an error nothing handled, or passes it (or another) on to the handler below. */
export type UnhandledErrorHandler = (error: unknown, next: (error: unknown) => void) => void;
const unhandledErrorHandlers: UnhandledErrorHandler[] = [];

function routeUnhandledError(error: unknown, below = unhandledErrorHandlers.length): void {
  const handler = unhandledErrorHandlers[below - 1];
  if (handler) handler(error, (passed) => routeUnhandledError(passed, below - 1));
}

/**
 * Takes the errors no code handles (promise rejections nobody awaits, exceptions thrown from
 * callbacks), which Node would end the process with as exit code 1, a verdict here. The newest
 * handler gets them first and may pass them on with `next`: the plan takes those of a user's
 * program as the program's failures, and main.ts, the first handler, reports the rest.
 */
export function onUnhandledError(handler: UnhandledErrorHandler): void {
  if (unhandledErrorHandlers.length === 0) {
    const listener = (error: unknown) => routeUnhandledError(error);
    process.on("uncaughtException", listener);
    process.on("unhandledRejection", listener);
  }
  unhandledErrorHandlers.push(handler);
}
