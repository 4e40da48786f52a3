/**
 * The local emulators as a process of their own, for a Pulumi program or the CLI run by hand
 * against them:
 *
 *   node --import tsx test/support/emulator-server.ts [--port N]
 *
 * Starts the ARM emulator on 127.0.0.1 (a free port unless `--port N`) with one empty
 * subscription in which GitHub.Network reads NotRegistered until a register call (then
 * Registered), prints ONE line of JSON with what a client needs, and serves until SIGTERM or
 * SIGINT. Each emulator is one entry of `EMULATORS`; their fields merge into that line.
 */
import { randomUUID } from "node:crypto";
import { ArmEmulator, emptySubscriptionState, emulatedAccessToken } from "./arm-emulator";

interface ServerOptions {
  /** Port of the ARM emulator; 0 takes a free one. */
  armPort: number;
}

interface RunningEmulator {
  /** Fields of the line printed at start. */
  info: Record<string, string>;
  stop(): Promise<void>;
}

async function startArm(options: ServerOptions): Promise<RunningEmulator> {
  const subscriptionId = randomUUID();
  const tenantId = randomUUID();
  const token = emulatedAccessToken({ tenantId, objectId: randomUUID(), clientId: randomUUID() });
  const arm = await ArmEmulator.start({ ...emptySubscriptionState({ token, subscriptionId, tenantId, gitHubNetwork: "NotRegistered" }), port: options.armPort });
  const environment = arm.clientEnvironment();
  return {
    info: { armUrl: arm.url, token, identityEndpoint: environment.IDENTITY_ENDPOINT, identityHeader: environment.IDENTITY_HEADER, subscriptionId, tenantId },
    stop: () => arm.stop(),
  };
}

const EMULATORS: ((options: ServerOptions) => Promise<RunningEmulator>)[] = [startArm];

function parseOptions(args: readonly string[]): ServerOptions {
  const options: ServerOptions = { armPort: 0 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port" && /^\d+$/.test(args[i + 1] ?? "") && Number(args[i + 1]) < 65536) {
      options.armPort = Number(args[++i]);
      continue;
    }
    throw new Error(`usage: node --import tsx test/support/emulator-server.ts [--port N]; unexpected ${JSON.stringify(args[i])}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const running = await Promise.all(EMULATORS.map((start) => start(options)));
  process.stdout.write(`${JSON.stringify(Object.assign({}, ...running.map((emulator) => emulator.info)))}\n`);
  const stop = async () => {
    await Promise.all(running.map((emulator) => emulator.stop()));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
