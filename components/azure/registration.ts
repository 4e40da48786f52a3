/**
 * Resource provider registration, without Pulumi: register what is missing, wait until ARM says
 * `Registered`, and read back where `GitHub.Network/networkSettings` is offered. The dynamic
 * resource in provider-registration.ts loads this module inside the Pulumi provider process.
 *
 * Registration is per subscription and asynchronous (learn.microsoft.com, "Azure resource
 * providers and types"): the register call returns at once with `Registering`, and the state
 * must be polled. It needs the `<namespace>/register/action` permission, which Contributor and
 * Owner include. GitHub's setup starts with `az provider register --namespace GitHub.Network`
 * (docs.github.com, "Configuring private networking for GitHub-hosted runners").
 *
 * Only the provider process loads this module (and with it the ARM client and Azure's HTTP
 * pipeline); the resource's arguments are checked with registration-settings.ts.
 */
import { NETWORK_SETTINGS } from "../lib/resource-types";
import { canonicalRegion } from "../lib/regions";
import { ArmClient, ArmError, type ArmClientOptions } from "./arm-client";
import { getProvider, registerProvider, type ResourceProvider } from "./arm-resources";
import { registrationSettingsProblems } from "./registration-settings";

/** What the registration resource is asked to ensure (its Pulumi inputs, minus the provider). */
export interface RegistrationRequest {
  subscriptionId: string;
  namespaces: string[];
  /** Creation fails if ARM does not offer networkSettings in one of these regions. */
  locations?: string[];
  timeoutSeconds: number;
  pollIntervalSeconds: number;
}

/** What it reports (its Pulumi outputs). Holds no secret. */
export interface RegistrationOutcome extends RegistrationRequest {
  /** State per namespace as ARM last reported it. */
  registrationStates: Record<string, string>;
  /** Namespaces this run asked ARM to register (the others were registered already). */
  registeredNow: string[];
  /** Canonical region names where ARM offers GitHub.Network/networkSettings; empty if unknown. */
  networkSettingsLocations: string[];
}

export interface RegistrationClock {
  sleep(ms: number): Promise<void>;
  now(): number;
}

export type ProgressSink = (message: string) => void;

const isRegistered = (state: string | undefined) => state?.toLowerCase() === "registered";

/** Regions ARM lists for networkSettings, canonical ("East US" becomes "eastus"), sorted. */
export function networkSettingsLocations(provider: ResourceProvider | undefined): string[] {
  const type = provider?.resourceTypes?.find((t) => t.resourceType.toLowerCase() === NETWORK_SETTINGS.type.toLowerCase());
  return [...new Set((type?.locations ?? []).map(canonicalRegion))].sort();
}

export function registrationId(subscriptionId: string, namespaces: readonly string[]): string {
  return `/subscriptions/${subscriptionId}/providers/${[...namespaces].sort().join("+")}/registration`;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistrationError";
  }
}

/** Registers each namespace that is not registered, then waits until all are. */
export async function ensureProvidersRegistered(
  client: ArmClient,
  request: RegistrationRequest,
  clock: RegistrationClock,
  progress: ProgressSink,
): Promise<RegistrationOutcome> {
  const started = clock.now();
  const deadline = started + request.timeoutSeconds * 1000;
  const states: Record<string, string> = {};
  const registeredNow: string[] = [];
  let gitHubProvider: ResourceProvider | undefined;

  for (const namespace of request.namespaces) {
    let provider = await getProvider(client, request.subscriptionId, namespace);
    if (!isRegistered(provider.registrationState) && provider.registrationState?.toLowerCase() !== "registering") {
      progress(`${namespace} is ${provider.registrationState} in subscription ${request.subscriptionId}; registering it`);
      try {
        provider = (await registerProvider(client, request.subscriptionId, namespace)) ?? provider;
      } catch (error) {
        if (error instanceof ArmError && error.status === 403) {
          throw new RegistrationError(
            `cannot register ${namespace} in subscription ${request.subscriptionId}: ${error.code}: ${error.armMessage}\n` +
              "  Registering needs the register action, which Contributor and Owner include. Ask an admin to run " +
              `\`az provider register --namespace ${namespace}\`, then set registerResourceProvider: false.`,
          );
        }
        throw error;
      }
      registeredNow.push(namespace);
    }
    while (!isRegistered(provider.registrationState)) {
      const elapsed = clock.now() - started;
      if (clock.now() >= deadline) {
        throw new RegistrationError(
          `${namespace} is still ${provider.registrationState} in subscription ${request.subscriptionId} after ${formatDuration(elapsed)} ` +
            `(timeout ${formatDuration(request.timeoutSeconds * 1000)}). Registration goes on in Azure: run pulumi up again later, ` +
            `or check it with \`az provider show --namespace ${namespace} --query registrationState\`.`,
        );
      }
      const wait = Math.min(request.pollIntervalSeconds * 1000, deadline - clock.now());
      progress(
        `waiting for ${namespace} to be Registered: ${provider.registrationState} after ${formatDuration(elapsed)} of ${formatDuration(request.timeoutSeconds * 1000)}; next check in ${formatDuration(wait)}`,
      );
      await clock.sleep(wait);
      provider = await getProvider(client, request.subscriptionId, namespace);
    }
    states[namespace] = provider.registrationState;
    if (namespace.toLowerCase() === NETWORK_SETTINGS.namespace.toLowerCase()) gitHubProvider = provider;
  }

  const locations = networkSettingsLocations(gitHubProvider);
  const missing =
    locations.length === 0
      ? []
      : [...new Set((request.locations ?? []).map(canonicalRegion))].filter((location) => !locations.includes(location));
  if (missing.length) {
    throw new RegistrationError(
      `ARM does not offer ${NETWORK_SETTINGS.namespace}/${NETWORK_SETTINGS.type} in ${missing.join(", ")} for subscription ${request.subscriptionId}; ` +
        `it does in: ${locations.join(", ")}. Choose one of those for ${missing.length === 1 ? "this network" : "these networks"}.`,
    );
  }
  if (registeredNow.length) progress(`${registeredNow.join(" and ")} registered after ${formatDuration(clock.now() - started)}`);
  return { ...request, registrationStates: states, registeredNow, networkSettingsLocations: locations };
}

/** Reads the current states without registering anything (used by refresh). */
export async function readRegistrationStates(
  client: ArmClient,
  request: RegistrationRequest,
): Promise<Pick<RegistrationOutcome, "registrationStates" | "networkSettingsLocations">> {
  const states: Record<string, string> = {};
  let locations: string[] = [];
  for (const namespace of request.namespaces) {
    const provider = await getProvider(client, request.subscriptionId, namespace);
    states[namespace] = provider.registrationState;
    if (namespace.toLowerCase() === NETWORK_SETTINGS.namespace.toLowerCase()) locations = networkSettingsLocations(provider);
  }
  return { registrationStates: states, networkSettingsLocations: locations };
}

/** The request from the resource's inputs, which also carry Pulumi's own `__provider` key. */
export function registrationRequestFrom(inputs: Record<string, unknown>): RegistrationRequest {
  const request: RegistrationRequest = {
    subscriptionId: typeof inputs.subscriptionId === "string" ? inputs.subscriptionId : "",
    namespaces: Array.isArray(inputs.namespaces) ? inputs.namespaces.map(String) : [],
    // State written before 0.2.0 holds a single `location`.
    ...(Array.isArray(inputs.locations)
      ? { locations: inputs.locations.map(String) }
      : typeof inputs.location === "string"
        ? { locations: [inputs.location] }
        : {}),
    timeoutSeconds: Number(inputs.timeoutSeconds),
    pollIntervalSeconds: Number(inputs.pollIntervalSeconds),
  };
  const problems = registrationSettingsProblems(request);
  if (!/^[0-9a-fA-F-]{36}$/.test(request.subscriptionId))
    problems.unshift(`subscriptionId: ${JSON.stringify(request.subscriptionId)} is not a subscription id (a GUID)`);
  if (problems.length) throw new RegistrationError(`invalid provider registration inputs:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return request;
}

const realClock: RegistrationClock = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now: () => Date.now() };

/** Progress reaches the Pulumi CLI as diagnostics: the engine shows what a provider writes to stderr. */
const stderrProgress: ProgressSink = (message) => process.stderr.write(`provider registration: ${message}\n`);

export interface RegistrationDependencies {
  client?: ArmClientOptions;
  clock?: RegistrationClock;
  progress?: ProgressSink;
}

/** Entry point of the dynamic provider's create and update. */
export async function provisionRegistration(
  request: RegistrationRequest,
  dependencies: RegistrationDependencies = {},
): Promise<{ id: string; outs: RegistrationOutcome }> {
  const clock = dependencies.clock ?? realClock;
  const client = new ArmClient({ sleep: (ms) => clock.sleep(ms), now: () => clock.now(), ...dependencies.client });
  const outs = await ensureProvidersRegistered(client, request, clock, dependencies.progress ?? stderrProgress);
  return { id: registrationId(request.subscriptionId, request.namespaces), outs };
}

/** Entry point of the dynamic provider's read (refresh). */
export async function refreshRegistration(
  id: string,
  previous: RegistrationOutcome,
  dependencies: RegistrationDependencies = {},
): Promise<{ id: string; props: RegistrationOutcome }> {
  const client = new ArmClient(dependencies.client);
  const current = await readRegistrationStates(client, previous);
  return { id, props: { ...previous, ...current } };
}
