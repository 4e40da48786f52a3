#!/usr/bin/env node
/**
 * azure-github-runner-network CLI.
 *   plan [--config FILE] [--program PATH] [--policy-config FILE] [--json]
 *                                   evaluate a stack offline and run the policy pack over it
 *                                   (exit 0 ok, 1 mandatory policy violation, 2 invalid config)
 *   endpoints show|check|update     the endpoint catalog and its drift against GitHub's meta endpoint (cli/endpoints.ts)
 *   doctor [--config FILE] [--subscription ID] [--deployed] [--json]
 *                                   check the Azure subscription against the stack config (cli/doctor.ts)
 */
import { parseArgs } from "node:util";
import { doctorCommand } from "./doctor";
import { ENDPOINTS_USAGE, runEndpointsCommand } from "./endpoints";
import { ConfigFileError, loadPolicyConfigFile, planStack } from "./plan";
import { renderPlan } from "./render";

const USAGE = `usage: azure-github-runner-network <command> [options]

commands:
  plan [--config FILE] [--json]   evaluate the stack offline, with no engine, cloud or credentials,
                                  and run the policy pack over it (FILE defaults to Pulumi.example.yaml)
       [--program PATH]           plan another Pulumi program (a folder with Pulumi.yaml, or a file)
                                  instead of this package's stack; FILE is then optional
       [--policy-config FILE]     policy levels and settings, as pulumi --policy-pack-config takes them
${ENDPOINTS_USAGE}  doctor [--config FILE] [--subscription ID] [--deployed] [--json]
                                  check the Azure subscription against the stack config before pulumi up:
                                  sign-in, provider registration, regions, roles, address overlaps, subnet;
                                  --deployed also reads back networkSettings (GitHubId, delegation, NSG).
                                  ID defaults to AZURE_SUBSCRIPTION_ID; exit 1 when a check fails
`;

/** Exit codes of the public contract. */
export const EXIT = { ok: 0, policyViolation: 1, invalidInput: 2 } as const;

async function plan(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      json: { type: "boolean", default: false },
      program: { type: "string" },
      "policy-config": { type: "string" },
    },
    strict: true,
  });
  const policyConfig = values["policy-config"] === undefined ? undefined : loadPolicyConfigFile(values["policy-config"]);
  const outcome = await planStack(values.config, { program: values.program, policyConfig });
  if (outcome.kind === "invalid") {
    process.stderr.write(`${outcome.configFile}: invalid config, nothing was planned\n${outcome.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}\n`);
    return EXIT.invalidInput;
  }
  const { report } = outcome;
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderPlan(report, outcome.recorded, outcome.configFile)}\n`);
  return report.policy.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.policyViolation : EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `<command> --help` is answered here, once for every command.
  if (command !== undefined && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  try {
    switch (command) {
      case "plan":
        return await plan(rest);
      case "endpoints":
        return await runEndpointsCommand(rest);
      case "doctor":
        return await doctorCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? EXIT.invalidInput : EXIT.ok;
      default:
        process.stderr.write(`unknown command "${command}"\n${USAGE}`);
        return EXIT.invalidInput;
    }
  } catch (error) {
    // User mistakes (bad flags, unreadable config) get one line, not a stack trace.
    if (error instanceof ConfigFileError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${(error as Error).message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
