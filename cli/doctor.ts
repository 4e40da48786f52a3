/**
 * `doctor`: checks a subscription against the stack config before (and after) `pulumi up`:
 * sign-in and subscription, resource provider registration, regions, roles, address-space
 * overlaps, an existing VNET's subnet range and NICs, networkSettings already holding the subnet,
 * and with `--deployed` the deployed networkSettings, its GitHubId, delegation and NSG, and GitHub's
 * view of it (known to GitHub, the configuration using it, GitHub's subnet and region).
 *
 * Reads only; the judgements are pure functions in cli/doctor-checks.ts.
 */
import { testArmEndpoint } from "../components/azure/arm-endpoint";
import { parseArgs } from "node:util";
import type { TokenCredential } from "@azure/identity";
import { ArmClient, ArmError, type ArmClientOptions } from "../components/azure/arm-client";
import { REQUIRED_PROVIDER_NAMESPACES, getProvider, type ResourceProvider } from "../components/azure/arm-resources";
import {
  getRoleDefinition,
  getSubnet,
  getSubscription,
  getVirtualNetwork,
  listNetworkSettings,
  listRoleAssignmentsFor,
  listVirtualNetworks,
  networkSettingsForSubnet,
  type NetworkSettings,
  type VirtualNetwork,
} from "./doctor-arm";
import { readGitHubSettingsView } from "./doctor-github";
import { createGitHubClient, type GitHubClient } from "../components/github/client";
import { isGitHubApiError } from "../components/github/errors";
import {
  addressSpaceCheck,
  deployedSettingsCheck,
  deployedSubnetCheck,
  doctorExitCode,
  existingVnetCheck,
  gitHubViewChecks,
  gitHubViewFailedCheck,
  gitHubViewNotReadCheck,
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
  type GitHubSide,
  type NamedRoleAssignment,
  type TokenClaims,
} from "./doctor-checks";
import { networkSettingsLocations } from "../components/azure/registration";
import { NETWORK_SETTINGS } from "../components/lib/resource-types";
import { problemReport, type Problem } from "../components/lib/problems";
import { redactSecrets } from "../components/lib/redact";
import { validateStackConfig, type ValidatedStackConfig } from "../components/lib/stack-config";
import { readStackConfig } from "../infra/config";
import { resolveGitHubApp } from "../components/lib/github-app";
import { EXIT, InputError, type CommandContext } from "./command";
import { SECRET_MARKER } from "./secret-marker";
import { findProject, findStackFile, loadStackConfigFile, ownProject } from "./stack-file";

/**
 * doctor decrypts no stack secrets, so it signs in to GitHub from the environment only: GITHUB_TOKEN,
 * else a GitHub App from GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY.
 */
export function gitHubClientFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  apiUrl: string | undefined,
  options: { sleep?: (ms: number) => Promise<void> } = {},
): GitHubClient | undefined {
  if (env.GITHUB_TOKEN) return createGitHubClient({ token: env.GITHUB_TOKEN, apiUrl, ...options });
  const app = resolveGitHubApp({ env });
  return app.kind === "app" ? createGitHubClient({ app: app.app, apiUrl, ...options }) : undefined;
}

export const DOCTOR_USAGE = `usage: azure-github-runner-network doctor [options]

Checks the Azure subscription against the stack config before pulumi up, reading only: sign-in,
provider registration, regions, roles, address overlaps, an existing VNET's subnet; --deployed
also reads back networkSettings (GitHubId, delegation, NSG) and, with GITHUB_TOKEN (or
GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY) set, GitHub's view of each
(known to GitHub, the network configuration using it, subnet and region).

options:
  --config FILE          the stack config file (Pulumi.<stack>.yaml)
  --stack NAME           the stack: its Pulumi.NAME.yaml beside the project's Pulumi.yaml
  --subscription ID      the subscription to check; default: the stack file's
                         azure-native:subscriptionId, else AZURE_SUBSCRIPTION_ID
  --deployed             also check what pulumi up deployed
  --json                 print the report as one JSON document
  -h, --help             print this help

The stack file is found as plan finds it: --config; else Pulumi.NAME.yaml for --stack, else for
PULUMI_STACK; else the only Pulumi.<stack>.yaml beside the nearest Pulumi.yaml at or above the
current directory; else Pulumi.example.yaml there.

exit codes: ${EXIT.ok} no check failed; ${EXIT.checkFailed} a check failed; ${EXIT.invalidInput} invalid config or usage (such as no subscription);
  ${EXIT.internal} internal error
`;

export interface DoctorOptions {
  configFile: string;
  /** The project the stack file belongs to (its keys without a namespace are the project's); default: this package's. */
  project?: string;
  /** From `--subscription`; wins over the stack file's `azure-native:subscriptionId`. */
  subscriptionId?: string;
  /** `AZURE_SUBSCRIPTION_ID`, used when neither `subscriptionId` nor the stack file names one. */
  environmentSubscriptionId?: string;
  /** Also read back what `pulumi up` deployed. */
  deployed?: boolean;
  /** Default: `DefaultAzureCredential`. */
  credential?: TokenCredential;
  /** ARM endpoint; tests point it at a local emulator. */
  baseUrl?: string;
  /** Retry and timing knobs (tests make sleeping instant). */
  client?: Omit<ArmClientOptions, "credential" | "baseUrl">;
  /**
   * A GitHub client for the stack's API URL, for GitHub's view with --deployed; undefined (or no
   * function) when no GitHub credentials are at hand, which the report says.
   */
  connectGitHub?: (apiUrl: string | undefined) => GitHubClient | undefined;
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
  | { kind: "invalid"; configFile: string; issues: Problem[] }
  | { kind: "usage"; message: string };

const SUBSCRIPTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A check that could not be made because ARM refused or failed; reported as a failure. */
function unreachable(check: string, error: unknown): CheckResult {
  if (!(error instanceof ArmError)) throw error;
  return {
    check,
    status: "fail",
    detail: `could not check: ${error.status ? `${error.status} ` : ""}${error.code}: ${error.armMessage}`,
    fix: error.hint,
  };
}

type Network = ValidatedStackConfig["networks"][number];

/** The stack config key the azure-native provider deploys to; doctor checks the same subscription. */
const SUBSCRIPTION_CONFIG_KEY = "azure-native:subscriptionId";

/**
 * The subscription to check, or what is wrong with it (naming where it came from):
 * `--subscription`, else the stack file's `azure-native:subscriptionId`, else
 * `AZURE_SUBSCRIPTION_ID`. The stack file wins over the environment as it does for the
 * azure-native provider (its config beats ARM_SUBSCRIPTION_ID): the file names where this stack
 * deploys, the environment only where the shell last pointed.
 */
function chooseSubscription(options: DoctorOptions, config: Record<string, string>): { id: string } | { problem: string } {
  const candidates = [
    { id: options.subscriptionId, from: "--subscription" },
    { id: config[SUBSCRIPTION_CONFIG_KEY], from: `${SUBSCRIPTION_CONFIG_KEY} in ${options.configFile}` },
    { id: options.environmentSubscriptionId, from: "AZURE_SUBSCRIPTION_ID" },
  ];
  const chosen = candidates.find((c) => c.id?.trim());
  if (!chosen) {
    return {
      problem: `doctor needs the subscription to check: pass --subscription <id>, set ${SUBSCRIPTION_CONFIG_KEY} in the stack file or set AZURE_SUBSCRIPTION_ID (az account show --query id -o tsv prints yours)`,
    };
  }
  const id = chosen.id!.trim();
  if (id === SECRET_MARKER) return { problem: `${chosen.from} is a secret, which doctor cannot decrypt offline; pass --subscription <id>` };
  if (!SUBSCRIPTION_ID.test(id))
    return { problem: `${chosen.from} "${id}" is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000` };
  return { id };
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorOutcome> {
  const { config } = loadStackConfigFile(options.configFile, options.project ?? ownProject().name);
  const validated = validateStackConfig(readStackConfig(config));
  if (!validated.ok) return { kind: "invalid", configFile: options.configFile, issues: validated.issues };
  const subscription = chooseSubscription(options, config);
  if ("problem" in subscription) return { kind: "usage", message: subscription.problem };
  const subscriptionId = subscription.id;

  const client = new ArmClient({ ...options.client, credential: options.credential, baseUrl: options.baseUrl });
  // Identity: only the token's claims leave this block, and no check's text may hold the token.
  let token: string | undefined;
  let signIn: CheckResult | undefined;
  try {
    token = await client.accessToken();
  } catch (error) {
    signIn = unreachable("identity", error);
  }
  const checks = (
    token === undefined
      ? [signIn!]
      : await runChecks(client, subscriptionId, validated.value, options.deployed ?? false, tokenClaims(token), options.connectGitHub)
  ).map((check) => redactedCheck(check, [token]));
  const count = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  return {
    kind: "checked",
    report: {
      configFile: options.configFile,
      subscriptionId,
      deployed: options.deployed ?? false,
      checks,
      summary: { ok: count("ok"), warn: count("warn"), fail: count("fail") },
      exitCode: doctorExitCode(checks),
    },
  };
}

/**
 * A check as it is reported: what ARM's answers put into it (names, messages) redacted, so a
 * server that quotes the token back cannot get it printed.
 */
function redactedCheck(check: CheckResult, secrets: readonly (string | undefined)[]): CheckResult {
  const redacted = (text: string) => redactSecrets(text, secrets);
  return {
    ...check,
    check: redacted(check.check),
    detail: redacted(check.detail),
    ...(check.fix === undefined ? {} : { fix: redacted(check.fix) }),
  };
}

async function runChecks(
  client: ArmClient,
  subscriptionId: string,
  config: ValidatedStackConfig,
  deployed: boolean,
  claims: TokenClaims | undefined,
  connectGitHub: DoctorOptions["connectGitHub"],
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [identityCheck(claims)];
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
  if (deployed) checks.push(...(await deployedChecks(client, subscriptionId, config, connectGitHub?.(config.github.apiUrl))));
  return checks;
}

async function roleCheck(client: ArmClient, subscriptionId: string, principalId: string): Promise<CheckResult> {
  try {
    const assignments = await listRoleAssignmentsFor(client, subscriptionId, principalId);
    const names = new Map<string, string>();
    for (const id of new Set(assignments.map((a) => a.properties.roleDefinitionId))) {
      names.set(id, (await getRoleDefinition(client, id)).properties.roleName);
    }
    const named: NamedRoleAssignment[] = assignments.map((a) => ({
      roleName: names.get(a.properties.roleDefinitionId) ?? "unknown",
      scope: a.properties.scope,
    }));
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
      results.push(
        networkSettingsOnSubnetCheck(
          network.name,
          network.design.location,
          subnet,
          await boundNetworkSettings(client, subscriptionId, subnet.id),
          businessId,
        ),
      );
    } catch (error) {
      results.push(unreachable(check, error));
    }
  }
  return results;
}

async function deployedChecks(
  client: ArmClient,
  subscriptionId: string,
  config: ValidatedStackConfig,
  gitHub: GitHubClient | undefined,
): Promise<CheckResult[]> {
  const { networks } = config;
  const { businessId, scope, slug } = config.github;
  const side: GitHubSide = { scope, slug, managedConfiguration: config.github.networkConfiguration?.name };
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
    const gitHubId = found[0].tags?.[NETWORK_SETTINGS.gitHubIdTag];
    if (gitHub && gitHubId) results.push(...(await gitHubView(gitHub, network.name, found[0], gitHubId, side)));
  }
  if (!gitHub) results.push(gitHubViewNotReadCheck(side));
  return results;
}

/** GitHub's view of one deployed networkSettings; a failed read is a failed check that says why. */
async function gitHubView(
  gitHub: GitHubClient,
  network: string,
  settings: NetworkSettings,
  gitHubId: string,
  side: GitHubSide,
): Promise<CheckResult[]> {
  try {
    return gitHubViewChecks(network, settings, await readGitHubSettingsView(gitHub, side, gitHubId), side);
  } catch (error) {
    if (isGitHubApiError(error)) {
      return [gitHubViewFailedCheck(network, error.message, ["unauthorized", "forbidden", "not-found"].includes(error.kind))];
    }
    // An answer of another shape (the parsers' errors name it), never a stack trace.
    if (error instanceof Error) return [gitHubViewFailedCheck(network, error.message, false)];
    throw error;
  }
}

export function renderDoctorReport(report: DoctorReport): string {
  const { ok, warn, fail } = report.summary;
  return [
    `doctor: ${report.configFile} against subscription ${report.subscriptionId}${report.deployed ? " (with --deployed)" : ""}`,
    renderChecks(report.checks),
    `${ok} ok, ${warn} warn, ${fail} fail`,
  ].join("\n");
}

/** `doctor [options]`; exit codes in DOCTOR_USAGE (a failed check is 1). */
export async function doctorCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      stack: { type: "string" },
      subscription: { type: "string" },
      deployed: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const endpoint = testArmEndpoint(context.env);
  if (endpoint.problem) throw new InputError(endpoint.problem);
  const project = findProject(context.cwd);
  const configFile = findStackFile({ configFile: values.config, stack: values.stack, project, context });
  const outcome = await runDoctor({
    configFile,
    project: project?.name,
    subscriptionId: values.subscription,
    environmentSubscriptionId: context.env.AZURE_SUBSCRIPTION_ID,
    deployed: values.deployed,
    baseUrl: endpoint.baseUrl,
    connectGitHub: (apiUrl) => gitHubClientFromEnvironment(context.env, apiUrl),
  });
  if (outcome.kind === "invalid") {
    process.stderr.write(`${problemReport(`${outcome.configFile}: invalid config, nothing was checked`, outcome.issues)}\n`);
    return EXIT.invalidInput;
  }
  if (outcome.kind === "usage") throw new InputError(outcome.message);
  process.stdout.write(values.json ? `${JSON.stringify(outcome.report, null, 2)}\n` : `${renderDoctorReport(outcome.report)}\n`);
  return outcome.report.exitCode;
}
