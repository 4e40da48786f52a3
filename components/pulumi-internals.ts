/**
 * Every use of Pulumi's non-public internals, behind small named functions. The rule: this file
 * (with its SDK-free halves: components/pulumi-internals-wire.ts, values recognised on the wire,
 * and components/pulumi-internals-loading.ts, which SDK modules load when) is the only one in the repository
 * that imports `@pulumi/pulumi/runtime/*` subpaths or reads runtime members missing from the SDK's
 * type declarations; everything else imports from here. These internals are not covered by
 * semver, so package.json pins @pulumi/pulumi to the exact version they were checked against
 * (3.270.0), and test/components/pulumi-internals.test.ts fails when one of them changes shape. When
 * upgrading the SDK: bump the pin, run that test, and update the "checked against" notes below.
 *
 * This module adds nothing to what @pulumi/pulumi loads: the two runtime subpaths below are
 * loaded by @pulumi/pulumi itself. The closure serializer (which loads TypeScript) is required only
 * when it is replaced, so this module is never what pulls it in; the SDK's runtime index loads it
 * as it loads, unless components/pulumi-internals-loading.ts put a stand-in first (the plan does).
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, isRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";

export { isUnknownValueError, SECRET_SIGNATURE } from "./pulumi-internals-wire";

/** The version of @pulumi/pulumi the internals here were checked against (package.json pins it). */
export const CHECKED_PULUMI_VERSION = "3.270.0";

/** A serialized property map as the resource monitor sends and receives it (a protobuf Struct). */
export type RpcStruct = Parameters<typeof deserializeProperties>[0];

/** The accessors of the monitor's RegisterResourceRequest that the offline engine reads. */
export interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getObject(): RpcStruct;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getProtect(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
  /** "<provider URN>::<provider ID>" for an explicit provider, "" for the default one. */
  getProvider(): string;
}

/** The accessors of the monitor's RegisterResourceResponse that the offline engine reads. */
export interface RegisterResourceResponse {
  getUrn(): string;
  getObject(): RpcStruct;
}

/** Pulumi's closure serializer, as @pulumi/pulumi/dynamic calls it for a provider. */
export type SerializeFunction = (func: () => unknown, args?: unknown) => Promise<unknown>;

/** Turns a monitor Struct into plain values (secrets wrapped); needed to record registrations; checked against @pulumi/pulumi 3.270.0. */
export const deserializeRpcProperties: (struct: RpcStruct) => Record<string, unknown> = deserializeProperties;

/** Whether a deserialized value is a wrapped secret; needed to mask secrets in a plan; checked against @pulumi/pulumi 3.270.0. */
export const isRpcSecretValue: (value: unknown) => boolean = isRpcSecret;

/**
 * The resource monitor client (the mock monitor under setMocks); needed to intercept and detect
 * mocks; checked against @pulumi/pulumi 3.270.0.
 */
export function monitorOf(): unknown {
  return settings.getMonitor();
}

/** Whether Pulumi's runtime mocks stand in for the engine (the mock monitor carries `mocks`); checked against @pulumi/pulumi 3.270.0. */
export function runningUnderMocks(): boolean {
  return (monitorOf() as { mocks?: unknown } | undefined)?.mocks !== undefined;
}

/**
 * Calls `onRegistered` with every successful registration's request and response, before the
 * runtime sees the response; needed because the public SDK has no hook that sees a registration's
 * options and the mock's answer; checked against @pulumi/pulumi 3.270.0. Call after setMocks.
 */
export function interceptRegistrations(onRegistered: (request: RegisterResourceRequest, response: RegisterResourceResponse) => void): void {
  type Callback = (err: unknown, res?: RegisterResourceResponse) => void;
  const monitor = monitorOf() as { registerResource: (req: RegisterResourceRequest, callback: Callback) => Promise<void> } | undefined;
  if (!monitor) throw new Error("interceptRegistrations: Pulumi's runtime has no resource monitor yet (call it after setMocks)");
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    original(req, (err, response) => {
      if (!err && response) onRegistered(req, response);
      callback(err, response);
    });
}

/**
 * Makes Pulumi's promise tracking skip the stack trace it formats for every promise it tracks
 * (`debuggablePromise` in runtime/debuggable.js), which only PULUMI_DEBUG_PROMISE_LEAKS ever prints;
 * the leak check itself is kept. Needed because the formatting was about a tenth of the offline
 * plan's time at 23 networks; callers look the export up on each call, so replacing it is enough;
 * left alone when PULUMI_DEBUG_PROMISE_LEAKS is set; checked against @pulumi/pulumi 3.270.0.
 */
export function skipPromiseStackTraces(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- undeclared in the SDK's types, and its export is replaced in place
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: TrackPromise & { withoutStack?: true } };
  if (debuggable.debuggablePromise.withoutStack) return;
  const track = debuggable.debuggablePromise;
  debuggable.debuggablePromise = Object.assign(
    <T>(promise: Promise<T>, context: unknown): Promise<T> => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return track(promise, context);
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
    { withoutStack: true as const },
  );
}

type TrackPromise = <T>(promise: Promise<T>, context: unknown) => Promise<T>;

/**
 * Replaces the `serializeFunction` export of Pulumi's closure serializer with `wrap(real)`;
 * needed because @pulumi/pulumi/dynamic looks the serializer up on each use and offers no other
 * seam; required lazily, since it loads TypeScript; checked against @pulumi/pulumi 3.270.0.
 */
export function replaceClosureSerializer(wrap: (serializeForReal: SerializeFunction) => SerializeFunction): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous, and its export is replaced in place
  const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: SerializeFunction };
  closure.serializeFunction = wrap(closure.serializeFunction);
}

/** A resource of the stack's saved state: its type and outputs (what the provider last answered). */
export interface SavedResource {
  type: string;
  outputs: Record<string, unknown>;
}

/** The engine's builtin function that reads a named stack's saved resources. */
export const READ_STACK_RESOURCE_OUTPUTS = "pulumi:pulumi:readStackResourceOutputs";

/**
 * Every resource of this stack's last saved state (what the running preview or update started
 * from), by URN: the engine's builtin function `pulumi:pulumi:readStackResourceOutputs`, which
 * answers from the backend's snapshot of the named stack and which no SDK wraps; checked against
 * the Pulumi CLI 3.276.0 the engine suite runs, with a file backend. Under mocks, the mocks' `call`
 * answers it; an answer without `outputs` is an empty state.
 */
export async function readSavedResources(): Promise<Map<string, SavedResource>> {
  const org = organization();
  const stackName = org === undefined ? pulumi.getStack() : `${org}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const answer = (await pulumi.runtime.invoke(READ_STACK_RESOURCE_OUTPUTS, { stackName })) as { outputs?: unknown } | undefined;
  const saved = new Map<string, SavedResource>();
  const byUrn = answer?.outputs;
  if (typeof byUrn !== "object" || byUrn === null) return saved;
  for (const [urn, entry] of Object.entries(byUrn as Record<string, unknown>)) {
    const { type, outputs } = (entry ?? {}) as { type?: unknown; outputs?: unknown };
    if (typeof type === "string" && typeof outputs === "object" && outputs !== null)
      saved.set(urn, { type, outputs: outputs as Record<string, unknown> });
  }
  return saved;
}

/**
 * A RunError whose message reaches the user as written. Pulumi's serializer prefixes the message
 * of an error it meets in an input or output (`error serializing property "x": ...`) and rethrows
 * the same object, so an error that every output of a component carries would be told under the
 * name of whichever property was serialized first; checked against @pulumi/pulumi 3.270.0. Writes
 * to this one's message are ignored, and Pulumi still reports it once (it dedupes by identity).
 */
export function runErrorAsWritten(message: string): pulumi.RunError {
  const error = new pulumi.RunError(message);
  Object.defineProperty(error, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
  return error;
}

/** The stack's organization; Pulumi's mocks have none unless the test gives one. */
function organization(): string | undefined {
  try {
    return pulumi.getOrganization();
  } catch {
    return undefined;
  }
}

/**
 * Settles outstanding RPCs (`settings.waitForRPCs`, in the runtime's JavaScript but not its
 * declarations); checked against @pulumi/pulumi 3.270.0.
 */
export function waitForOutstandingRpcs(): Promise<void> {
  return (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/**
 * Whether Pulumi holds a config value as a secret (`runtime.isConfigSecret`, internal and
 * undeclared); when the runtime lacks it, true, so nothing is refused; checked against @pulumi/pulumi 3.270.0.
 */
export function isConfigSecret(key: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  return check ? check(key) : true;
}
