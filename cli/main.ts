#!/usr/bin/env node
/**
 * azure-github-runner-network CLI: `plan`, `endpoints` and `doctor`, each with its own `--help`.
 * The only place that reads the process's environment and working directory; the commands get
 * them as a CommandContext. Commands are loaded when run, so that a module that fails to load is
 * reported like any internal error, and never with Node's own exit code 1 (a verdict here).
 */
import "./compile-cache";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT, InputError, isParseArgsError, onUnhandledError, type CommandContext } from "./command";

interface Command {
  usage: string;
  run(argv: string[], context: CommandContext): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  plan: async () => {
    const { PLAN_USAGE, planCommand } = await import("./plan");
    return { usage: PLAN_USAGE, run: planCommand };
  },
  endpoints: async () => {
    const { ENDPOINTS_HELP, runEndpointsCommand } = await import("./endpoints");
    return { usage: ENDPOINTS_HELP, run: (argv) => runEndpointsCommand(argv) };
  },
  doctor: async () => {
    const { DOCTOR_USAGE, doctorCommand } = await import("./doctor");
    return { usage: DOCTOR_USAGE, run: doctorCommand };
  },
};

/** The command of that name; own keys only, so "constructor" is no command. */
const commandNamed = (name: string | undefined) => (name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined);

const OVERVIEW = `usage: azure-github-runner-network <command> [options]

commands:
  plan        plan a stack offline (no engine, cloud or credentials) and run the policy pack over it
  endpoints   show the endpoints runners must reach; check and update the catalog against GitHub's /meta
  doctor      check the Azure subscription against the stack config before pulumi up

azure-github-runner-network <command> --help prints a command's options.

exit codes (every command):
  ${EXIT.ok}   ok
  ${EXIT.policyViolation}   the command found a problem: plan a mandatory policy violation, doctor a failed check,
      endpoints check drift
  ${EXIT.invalidInput}   invalid config or usage, a file that cannot be read, a --program that fails
  ${EXIT.internal}  internal error: a bug in this package (AZURE_GITHUB_RUNNER_NETWORK_DEBUG=1 prints the stack trace)
`;

const DEBUG_VARIABLE = "AZURE_GITHUB_RUNNER_NETWORK_DEBUG";

/**
 * Where to report a bug: this package's version and issue tracker, from the package.json above this module
 * (the checkout's, or the installed package's).
 */
function bugReportTarget(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
        bugs?: { url?: string };
      };
      if (manifest.name === "azure-github-runner-network")
        return `${manifest.name} ${manifest.version}${manifest.bugs?.url ? ` (${manifest.bugs.url})` : ""}`;
    } catch {
      // No package.json here, or not ours: look further up.
    }
  }
  return "azure-github-runner-network (version unknown)";
}

/** The report for an error, and the exit code: a user's mistake in one line, anything else as an internal error. */
function describeFailure(error: unknown, env: CommandContext["env"]): { text: string; code: number } {
  const debug = env[DEBUG_VARIABLE] === "1";
  if (error instanceof InputError || isParseArgsError(error)) {
    const cause = error.cause instanceof Error && debug ? `\n${error.cause.stack}` : "";
    return { text: `${error.message}${cause}\n`, code: EXIT.invalidInput };
  }
  // Node appends the chain of requiring files to a missing module's message: a stack trace in all but name.
  const message = error instanceof Error ? error.message.replace(/\nRequire stack:\n[\s\S]*$/, "") : String(error);
  const stack = debug ? `${error instanceof Error ? error.stack : String(error)}\n` : "";
  return {
    text: `internal error: ${message}\nplease report this bug in ${bugReportTarget()} with the command that caused it${debug ? "" : ` (${DEBUG_VARIABLE}=1 prints the stack trace)`}\n${stack}`,
    code: EXIT.internal,
  };
}

async function main(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(OVERVIEW);
    return EXIT.invalidInput;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    // `help <command>` is that command's help.
    const topic = commandNamed(rest[0]);
    process.stdout.write(topic ? (await topic()).usage : OVERVIEW);
    return EXIT.ok;
  }
  const load = commandNamed(name);
  if (!load) {
    process.stderr.write(`unknown command "${name}"\n${OVERVIEW}`);
    return EXIT.invalidInput;
  }
  const command = await load();
  // Answered here for every command (and `endpoints <subcommand> --help`), whatever the other flags.
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage);
    return EXIT.ok;
  }
  return command.run(rest, context);
}

const context: CommandContext = { env: process.env, cwd: process.cwd() };
// The first failure decides the exit code and is the one reported (with the debug variable, each
// distinct one): one failure often rejects many promises, every output that depended on it, and a
// later "done" must not turn it into success.
let failureCode: number | undefined;
const reported = new Set<unknown>();
const fail = (error: unknown) => {
  if (reported.has(error) || (failureCode !== undefined && context.env[DEBUG_VARIABLE] !== "1")) return;
  reported.add(error);
  const { text, code } = describeFailure(error, context.env);
  process.stderr.write(text);
  failureCode ??= code;
  process.exitCode = failureCode;
};
// Errors no code awaits (a callback that throws, a rejection nobody handles) end here too.
onUnhandledError(fail);
main(process.argv.slice(2), context).then((code) => {
  process.exitCode = failureCode ?? code;
}, fail);
