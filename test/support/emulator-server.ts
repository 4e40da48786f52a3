/**
 * The local emulators as a process of their own, for a Pulumi program or the CLI run by hand
 * against them:
 *
 *   node --import tsx test/support/emulator-server.ts [--port N] [--github-org LOGIN=ID]...
 *
 * Starts on 127.0.0.1 the ARM emulator (a free port unless `--port N`) with one empty
 * subscription in which GitHub.Network reads NotRegistered until a register call (then
 * Registered), and the GitHub emulator (a free port) with one organization, `my-org` with
 * databaseId 12345678 unless `--github-org` names others, and one token, new at each start, that
 * may do everything the emulator knows. Prints ONE line of JSON with what a client needs, and
 * serves until SIGTERM or SIGINT. Each emulator is one entry of `EMULATORS`; their fields merge
 * into that line. test/support/sandbox.ts starts the same entries in its own process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ArmEmulator, EMULATOR_STATE_PATH, emptySubscriptionState, emulatedAccessToken } from "./arm-emulator";
import { GitHubEmulator, type Permission } from "./github-emulator";

export interface ServerOptions {
  /** Port of the ARM emulator; 0 takes a free one. */
  armPort: number;
  /** The GitHub emulator's organizations, login -> databaseId; default DEFAULT_GITHUB_ORGANIZATIONS. */
  githubOrganizations?: Record<string, number>;
}

/** The organization of Pulumi.example.yaml (`slug` and `businessId`), so the example stack runs as it is. */
export const DEFAULT_GITHUB_ORGANIZATIONS: Readonly<Record<string, number>> = { "my-org": 12345678 };

/** How to call the options readServerOption knows, for usage messages. */
export const SERVER_USAGE = "[--port N] [--github-org LOGIN=ID]...";

export interface RunningEmulator {
  /** Fields of the line printed at start. */
  info: Record<string, string>;
  /** The environment a client of this package needs to use it. */
  env: Record<string, string>;
  /** Where it answers, by name: its API and its state dump. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

async function startArm(options: ServerOptions): Promise<RunningEmulator> {
  const subscriptionId = randomUUID();
  const tenantId = randomUUID();
  const token = emulatedAccessToken({ tenantId, objectId: randomUUID(), clientId: randomUUID() });
  const arm = await ArmEmulator.start({
    ...emptySubscriptionState({ token, subscriptionId, tenantId, gitHubNetwork: "NotRegistered" }),
    port: options.armPort,
  });
  const environment = arm.clientEnvironment();
  return {
    info: {
      armUrl: arm.url,
      token,
      identityEndpoint: environment.IDENTITY_ENDPOINT,
      identityHeader: environment.IDENTITY_HEADER,
      subscriptionId,
      tenantId,
    },
    // The stand-in azure-native plugin takes the subscription from ARM_SUBSCRIPTION_ID when the stack sets none.
    env: { ...environment, ARM_SUBSCRIPTION_ID: subscriptionId },
    urls: { armApi: arm.url, armState: `${arm.url}${EMULATOR_STATE_PATH}` },
    stop: () => arm.stop(),
  };
}

/** Every permission the GitHub emulator knows: a Record, so tsc fails here when one is added there. */
const ALL_PERMISSIONS: Record<Permission, true> = {
  "org:network-configurations": true,
  "enterprise:network-configurations": true,
  "org:runner-groups": true,
  "enterprise:runner-groups": true,
  "read:org": true,
  "read:enterprise": true,
};

async function startGitHub(options: ServerOptions): Promise<RunningEmulator> {
  // Shaped like a classic personal access token, so nothing downstream mistakes it for a missing one.
  const token = `ghp_sandbox${randomBytes(15).toString("hex")}`;
  const github = await GitHubEmulator.start({
    tokens: { [token]: Object.keys(ALL_PERMISSIONS) as Permission[] },
    organizations: { ...(options.githubOrganizations ?? DEFAULT_GITHUB_ORGANIZATIONS) },
  });
  return {
    info: { githubUrl: github.url, githubToken: token },
    env: { GITHUB_TOKEN: token },
    urls: { githubApi: github.url, githubState: `${github.url}${EMULATOR_STATE_PATH}` },
    stop: () => github.stop(),
  };
}

const EMULATORS: ((options: ServerOptions) => Promise<RunningEmulator>)[] = [startArm, startGitHub];

/** Starts every emulator; when one fails, the others are stopped again before the error is thrown. */
export async function startEmulators(options: ServerOptions): Promise<RunningEmulator[]> {
  const started = await Promise.allSettled(EMULATORS.map((start) => start(options)));
  const running = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(running.map((emulator) => emulator.stop()));
    throw failure.reason;
  }
  return running;
}

/**
 * Reads the option at `args[i]` into `options` when it is one of the emulators' (`--port N`,
 * `--github-org LOGIN=ID`, which may repeat and replaces the default organization); returns how
 * many arguments it took, 0 when `args[i]` is not one of them.
 */
export function readServerOption(args: readonly string[], i: number, options: ServerOptions): number {
  const value = args[i + 1] ?? "";
  if (args[i] === "--port" && /^\d+$/.test(value) && Number(value) < 65536) {
    options.armPort = Number(value);
    return 2;
  }
  // A GitHub login (at most 39 of alphanumerics and hyphens) and a positive databaseId.
  const organization = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})=([1-9]\d*)$/.exec(value);
  if (args[i] === "--github-org" && organization && Number.isSafeInteger(Number(organization[2]))) {
    options.githubOrganizations = { ...options.githubOrganizations, [organization[1]]: Number(organization[2]) };
    return 2;
  }
  return 0;
}

function parseOptions(args: readonly string[]): ServerOptions {
  const options: ServerOptions = { armPort: 0 };
  for (let i = 0; i < args.length;) {
    const taken = readServerOption(args, i, options);
    if (taken === 0)
      throw new Error(`usage: node --import tsx test/support/emulator-server.ts ${SERVER_USAGE}; unexpected ${JSON.stringify(args[i])}`);
    i += taken;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const running = await startEmulators(options);
  process.stdout.write(`${JSON.stringify(Object.assign({}, ...running.map((emulator) => emulator.info)))}\n`);
  const stop = async () => {
    await Promise.all(running.map((emulator) => emulator.stop()));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

// Only as a process of its own: sandbox.ts and tests import the entries.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`emulator-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
