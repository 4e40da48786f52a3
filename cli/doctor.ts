/**
 * `doctor`: checks a subscription against the stack config before (and after) `pulumi up`:
 * sign-in and subscription, resource provider registration, regions, roles, address-space
 * overlaps, an existing VNET's subnet range and NICs, networkSettings already holding the subnet,
 * and with `--deployed` the deployed networkSettings, its GitHubId, delegation and NSG.
 *
 * Reads only; the judgements are pure functions in components/azure/doctor-checks.ts.
 */
import { parseArgs } from "node:util";
import type { TokenCredential } from "@azure/identity";
import { ArmClient, ArmError, type ArmClientOptions } from "../components/azure/arm-client";
import {
  REQUIRED_PROVIDER_NAMESPACES,
  getProvider,
  getRoleDefinition,
  getSubnet,
  getSubscription,
  getVirtualNetwork,
  listNetworkSettings,
  listRoleAssignmentsFor,
  listVirtualNetworks,
  networkSettingsForSubnet,
  type NetworkSettings,
  type ResourceProvider,
  type VirtualNetwork,
} from "../components/azure/arm-resources";
import {
  addressSpaceCheck,
  deployedSettingsCheck,
  deployedSubnetCheck,
  doctorExitCode,
  existingVnetCheck,
  identityCheck,
  isOwnNetworkSettings,
  networkSettingsOnSubnetCheck,
  nicCheck,
  providerCheck,
  renderChecks,
  regionCheck,
  regionListCheck,
  rolesCheck,
  subnetRangeCheck,
  subnetsInRange,
  subscriptionCheck,
  tokenClaims,
  type CheckResult,
  type NamedRoleAssignment,
} from "../components/azure/doctor-checks";
import { networkSettingsLocations } from "../components/azure/registration";
import { NETWORK_SETTINGS } from "../components/lib/resource-types";
import { validateStackConfig, type ValidatedStackConfig, type ValidationIssue } from "../components/lib/validation";
import { readStackConfig } from "../infra/config";
import { loadStackConfigFile, projectName, projectRoot } from "./plan";

export interface DoctorOptions {
  configFile: string;
  /** From `--subscription`, else `AZURE_SUBSCRIPTION_ID`. */
  subscriptionId?: string;
  /** Also read back what `pulumi up` deployed. */
  deployed?: boolean;
  /** Default: `DefaultAzureCredential`. */
  credential?: TokenCredential;
  /** ARM endpoint; tests point it at a local emulator. */
  baseUrl?: string;
  /** Retry and timing knobs (tests make sleeping instant). */
  client?: Omit<ArmClientOptions, "credential" | "baseUrl">;
}

export interface DoctorReport {
  configFile: string;
  subscriptionId: string;
  deployed: boolean;
  checks: CheckResult[];
  summary: { ok: number; warn: number; fail: number };
  exitCode: 0 | 1;
}

export type DoctorOutcome =
  | { kind: "checked"; report: DoctorReport }
  | { kind: "invalid"; configFile: string; issues: ValidationIssue[] }
  | { kind: "usage"; message: string };

const SUBSCRIPTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A check that could not be made because ARM refused or failed; reported as a failure. */
function unreachable(check: string, error: unknown): CheckResult {
  if (!(error instanceof ArmError)) throw error;
  return { check, status: "fail", detail: `could not check: ${error.status ? `${error.status} ` : ""}${error.code}: ${error.armMessage}`, fix: error.hint };
}

type Network = ValidatedStackConfig["networks"][number];

export async function runDoctor(options: DoctorOptions): Promise<DoctorOutcome> {
  const { stack: _stack, config } = loadStackConfigFile(options.configFile, projectName(projectRoot()));
  const validated = validateStackConfig(readStackConfig(config));
  if (!validated.ok) return { kind: "invalid", configFile: options.configFile, issues: validated.issues };
  const subscriptionId = options.subscriptionId?.trim();
  if (!subscriptionId) {
    return { kind: "usage", message: "doctor needs the subscription to check: pass --subscription <id> or set AZURE_SUBSCRIPTION_ID (az account show --query id -o tsv prints yours)" };
  }
  if (!SUBSCRIPTION_ID.test(subscriptionId)) return { kind: "usage", message: `--subscription "${subscriptionId}" is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000` };

  const client = new ArmClient({ ...options.client, credential: options.credential, baseUrl: options.baseUrl });
  const checks = await runChecks(client, subscriptionId, validated.value, options.deployed ?? false);
  const count = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  return {
    kind: "checked",
    report: { configFile: options.configFile, subscriptionId, deployed: options.deployed ?? false, checks, summary: { ok: count("ok"), warn: count("warn"), fail: count("fail") }, exitCode: doctorExitCode(checks) },
  };
}

async function runChecks(client: ArmClient, subscriptionId: string, config: ValidatedStackConfig, deployed: boolean): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  // Identity: only the token's claims leave this block.
  let claims: ReturnType<typeof tokenClaims>;
  try {
    claims = tokenClaims(await client.accessToken());
  } catch (error) {
    return [unreachable("identity", error)];
  }
  checks.push(identityCheck(claims));
  try {
    checks.push(subscriptionCheck(await getSubscription(client, subscriptionId), claims));
  } catch (error) {
    // Nothing else can be read without the subscription.
    return [...checks, unreachable("subscription", error)];
  }

  const networks = config.networks;
  const pulumiRegisters = networks.some((n) => n.registerResourceProvider !== false);
  let gitHubProvider: ResourceProvider | undefined;
  for (const namespace of REQUIRED_PROVIDER_NAMESPACES) {
    try {
      const provider = await getProvider(client, subscriptionId, namespace);
      if (namespace === NETWORK_SETTINGS.namespace) gitHubProvider = provider;
      checks.push(providerCheck(namespace, provider.registrationState, pulumiRegisters));
    } catch (error) {
      checks.push(unreachable(`provider ${namespace}`, error));
    }
  }
  if (gitHubProvider) {
    const offered = networkSettingsLocations(gitHubProvider);
    checks.push(regionListCheck(offered));
    for (const network of networks) checks.push(regionCheck(network.name, network.design.location, offered));
  }

  if (claims?.objectId) checks.push(await roleCheck(client, subscriptionId, claims.objectId));

  const newVnetNetworks = networks.filter((n) => n.design.addressSpace !== undefined);
  if (newVnetNetworks.length) {
    try {
      const vnets = await listVirtualNetworks(client, subscriptionId);
      for (const network of newVnetNetworks) {
        const elsewhere = networks.filter((n) => n !== network).map((n) => n.design.addressSpace ?? n.design.subnetPrefix);
        checks.push(addressSpaceCheck(network.name, network.design.location, network.design.addressSpace!, vnets, elsewhere));
      }
    } catch (error) {
      checks.push(unreachable("address spaces", error));
    }
  }
  for (const network of networks.filter((n) => n.existingVirtualNetwork !== undefined)) {
    checks.push(...(await existingVnetChecks(client, subscriptionId, network, config.github.businessId)));
  }
  if (deployed) checks.push(...(await deployedChecks(client, subscriptionId, networks, config.github.businessId)));
  return checks;
}

async function roleCheck(client: ArmClient, subscriptionId: string, principalId: string): Promise<CheckResult> {
  try {
    const assignments = await listRoleAssignmentsFor(client, subscriptionId, principalId);
    const names = new Map<string, string>();
    for (const id of new Set(assignments.map((a) => a.properties.roleDefinitionId))) {
      names.set(id, (await getRoleDefinition(client, id)).properties.roleName);
    }
    const named: NamedRoleAssignment[] = assignments.map((a) => ({ roleName: names.get(a.properties.roleDefinitionId) ?? "unknown", scope: a.properties.scope }));
    return rolesCheck(named, subscriptionId, principalId);
  } catch (error) {
    return unreachable("roles", error);
  }
}

/** networkSettings bound to a subnet; none can exist while GitHub.Network is not registered. */
async function boundNetworkSettings(client: ArmClient, subscriptionId: string, subnetId: string): Promise<NetworkSettings[]> {
  try {
    return await networkSettingsForSubnet(client, subscriptionId, subnetId);
  } catch (error) {
    if (error instanceof ArmError && error.code === "MissingSubscriptionRegistration") return [];
    throw error;
  }
}

async function existingVnetChecks(client: ArmClient, subscriptionId: string, network: Network, businessId: string): Promise<CheckResult[]> {
  const ref = network.existingVirtualNetwork as { name: string; resourceGroupName: string };
  const subnetPrefix = network.design.subnetPrefix;
  let vnet: VirtualNetwork | undefined;
  try {
    vnet = await getVirtualNetwork(client, subscriptionId, ref.resourceGroupName, ref.name);
  } catch (error) {
    return [unreachable(`vnet ${network.name}`, error)];
  }
  const results = [existingVnetCheck(network.name, ref, vnet, network.design.location)];
  if (!vnet) return results;
  results.push(subnetRangeCheck(network.name, vnet, subnetPrefix), nicCheck(network.name, vnet, subnetPrefix));
  const targets = subnetsInRange(vnet, subnetPrefix);
  const check = `network settings on subnet ${network.name}`;
  if (!targets.length) {
    results.push({ check, status: "ok", detail: `no subnet uses ${subnetPrefix} yet, so no networkSettings can hold it` });
  }
  for (const subnet of targets) {
    try {
      results.push(networkSettingsOnSubnetCheck(network.name, network.design.location, subnet, await boundNetworkSettings(client, subscriptionId, subnet.id), businessId));
    } catch (error) {
      results.push(unreachable(check, error));
    }
  }
  return results;
}

async function deployedChecks(client: ArmClient, subscriptionId: string, networks: readonly Network[], businessId: string): Promise<CheckResult[]> {
  let all: NetworkSettings[];
  try {
    all = await listNetworkSettings(client, subscriptionId);
  } catch (error) {
    if (!(error instanceof ArmError && error.code === "MissingSubscriptionRegistration")) return [unreachable("deployed", error)];
    all = [];
  }
  const results: CheckResult[] = [];
  for (const network of networks) {
    const found = all.filter((s) => isOwnNetworkSettings(s, network.name, network.design.location));
    results.push(deployedSettingsCheck(network.name, found, businessId));
    if (found.length !== 1) continue;
    const subnetId = found[0].properties?.subnetId;
    try {
      results.push(deployedSubnetCheck(network.name, subnetId ? await getSubnet(client, subnetId) : undefined, subnetId));
    } catch (error) {
      results.push(unreachable(`deployed subnet ${network.name}`, error));
    }
  }
  return results;
}

/**
 * Test harness only: points the CLI at a local ARM emulator. Honoured for loopback addresses
 * only, so the sign-in token can never be sent anywhere but this machine.
 */
export const TEST_ARM_ENDPOINT_VARIABLE = "AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT";

export function testArmEndpoint(env: NodeJS.ProcessEnv): { baseUrl?: string; problem?: string } {
  const value = env[TEST_ARM_ENDPOINT_VARIABLE];
  if (!value) return {};
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
  return loopback ? { baseUrl: url!.origin } : { problem: `${TEST_ARM_ENDPOINT_VARIABLE} is for tests against a local emulator and must be http://127.0.0.1:<port>; unset it` };
}

export function renderDoctorReport(report: DoctorReport): string {
  const { ok, warn, fail } = report.summary;
  return [
    `doctor: ${report.configFile} against subscription ${report.subscriptionId}${report.deployed ? " (with --deployed)" : ""}`,
    renderChecks(report.checks),
    `${ok} ok, ${warn} warn, ${fail} fail`,
  ].join("\n");
}

/** Exit codes: 0 no check failed, 1 a check failed, 2 invalid config or usage. */
export async function doctorCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string", default: "Pulumi.example.yaml" },
      subscription: { type: "string" },
      deployed: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const endpoint = testArmEndpoint(env);
  if (endpoint.problem) {
    process.stderr.write(`${endpoint.problem}\n`);
    return 2;
  }
  const outcome = await runDoctor({
    configFile: values.config!,
    subscriptionId: values.subscription ?? env.AZURE_SUBSCRIPTION_ID,
    deployed: values.deployed,
    baseUrl: endpoint.baseUrl,
  });
  if (outcome.kind === "invalid") {
    process.stderr.write(`${outcome.configFile}: invalid config, nothing was checked\n${outcome.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}\n`);
    return 2;
  }
  if (outcome.kind === "usage") {
    process.stderr.write(`${outcome.message}\n`);
    return 2;
  }
  process.stdout.write(values.json ? `${JSON.stringify(outcome.report, null, 2)}\n` : `${renderDoctorReport(outcome.report)}\n`);
  return outcome.report.exitCode;
}
