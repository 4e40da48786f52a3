/**
 * The deployable stack: one GitHubRunnerNetwork per configured network, optionally the GitHub
 * network configuration with its runner groups, and the outputs a GitHub admin needs next.
 * Shared by `pulumi up` (infra/index.ts) and the offline plan.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { ProviderRegistration } from "../components/azure/provider-registration";
import { GitHubRunnerNetwork, otherSubscriptionOf } from "../components/github-runner-network";
import * as azureNative from "@pulumi/azure-native/provider";
import { resolveBusinessId } from "../components/github/business-id";
import { createGitHubClient, type GitHubClient } from "../components/github/client";
import type { SignIn } from "../components/github/provider-support";
import { isGitHubApiError } from "../components/github/errors";
import { GitHubNetworkConfiguration } from "../components/github/network-configuration";
import { GitHubRunnerGroupBinding } from "../components/github/runner-group-binding";
import { isConfigSecret } from "../components/pulumi-internals";
import { validateStackConfig, type ValidatedStackConfigWithLookup } from "../components/lib/stack-config";
import { withDesign } from "../components/lib/network-design";
import { deployedSubnetConflictHeading, fitDeployedSubnet, type GrowthAudience } from "../components/lib/subnet-growth";
import { runnerSubnetUrn, savedSubnetPrefix } from "../components/deployed-subnet";
import { runnerGroupBindingArgs } from "../components/lib/github-config";
import {
  GITHUB_APP_ENVIRONMENT,
  gitHubAppInEnvironment,
  PRIVATE_KEY_SET_COMMAND,
  resolveGitHubApp,
  type GitHubAppCredentials,
} from "../components/lib/github-app";
import { problemReport, type Problem } from "../components/lib/problems";
import { CONFIG_NAMESPACE, GITHUB_TOKEN_KEY, plainTextTokenProblems, readStackConfig } from "./config";

export { CONFIG_NAMESPACE, GITHUB_TOKEN_KEY, readStackConfig } from "./config";
/** Pulumi's runtime mocks (offline plan, tests) stand in for the engine: then GitHub is never called. */
export { runningUnderMocks } from "../components/pulumi-internals";

export class StackConfigError extends pulumi.RunError {
  constructor(
    readonly issues: Problem[],
    heading = `invalid stack config (${CONFIG_NAMESPACE}):`,
  ) {
    super(problemReport(heading, issues));
  }
}

export interface NetworkOutputs {
  role: string;
  location: string;
  gitHubId: pulumi.Output<string>;
  networkSettingsId: pulumi.Output<string>;
  subnetId: pulumi.Output<string>;
  virtualNetworkId: pulumi.Output<string>;
  networkSecurityGroupId: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  egressPublicIpAddresses: pulumi.Output<string[]>;
  runnerCapacity: pulumi.Output<number>;
}

/** What to do with the outputs, in GitHub's own menu terms. */
export function nextStepsText(config: ValidatedStackConfigWithLookup): string {
  if (config.github.networkConfiguration) return managedNextStepsText(config);
  const { scope, slug } = config.github;
  const where =
    scope === "enterprise"
      ? `enterprise "${slug}": Enterprise settings > Settings > Hosted compute networking`
      : `organization "${slug}": Settings > Hosted compute networking`;
  const primary = config.networks.filter((n) => n.role === "primary").map((n) => n.name);
  const failover = config.networks.find((n) => n.role === "failover");
  return [
    `1. In GitHub, ${where}: New network configuration > Azure private network.`,
    `2. Add Azure Virtual Network and paste the gitHubId output of network ${primary.map((n) => `"${n}"`).join(" or ")}.`,
    ...(failover
      ? [`3. Add failover network and paste the gitHubId output of network "${failover.name}"; switch to it by hand when needed.`]
      : []),
    `${failover ? 4 : 3}. Attach the configuration to runner groups; larger runners in those groups then run in these subnets.`,
    "Teardown: delete the network configuration in GitHub first, then pulumi destroy.",
  ].join("\n");
}

/** What the stack knows about GitHub beyond its config: a looked-up businessId and the sign-in. */
export interface GitHubSetup {
  /** Replaces github.businessId (the looked-up value, equal to a given one). */
  businessId?: string;
  /** Given to the network configuration and runner group bindings: the token or the app, its secrets as secrets. */
  signIn: SignIn;
}

export const PROVIDER_REGISTRATION_RESOURCE = "provider-registration";

/**
 * Every network is in the subscription of the stack's Azure provider, and registration is per
 * subscription: one registration, checked against every region that waits for it.
 */
function sharedProviderRegistration(
  config: ValidatedStackConfigWithLookup,
  opts: pulumi.ComponentResourceOptions | undefined,
): ProviderRegistration | undefined {
  const registering = config.networks.filter((network) => network.registerResourceProvider !== false);
  if (registering.length === 0) return undefined;
  const resourceOptions = { parent: opts?.parent };
  return new ProviderRegistration(
    PROVIDER_REGISTRATION_RESOURCE,
    {
      subscriptionId: authorization.getClientConfigOutput(resourceOptions).subscriptionId,
      locations: [...new Set(registering.map((network) => network.design.location))],
    },
    resourceOptions,
  );
}

/**
 * Each network's subnet as the stack's saved state has it, read for all networks before anything
 * is registered: a deployed subnet keeps its prefix while it holds the runners, and every change
 * Azure would refuse for a subnet in use is reported at once, by key path.
 */
async function fitDeployedSubnets(
  config: ValidatedStackConfigWithLookup,
  opts: pulumi.ComponentResourceOptions | undefined,
): Promise<{ config: ValidatedStackConfigWithLookup; deployed: Map<string, string | undefined> }> {
  const prefixes = await Promise.all(config.networks.map(async ({ name }) => savedSubnetPrefix(await runnerSubnetUrn(name, opts?.parent))));
  const deployed = new Map(config.networks.map(({ name }, index) => [name, prefixes[index]]));
  const issues: Problem[] = [];
  const networks = config.networks.map((network, index) => {
    const audience: GrowthAudience = {
      kind: "stack",
      switchBy: !config.github.networkConfiguration ? "byHand" : network.role === "failover" ? "failoverRole" : "primaryNetwork",
    };
    const fitted = fitDeployedSubnet(network.design, network, deployed.get(network.name), (key) => `networks[${index}].${key}`, audience);
    issues.push(...fitted.issues);
    return { ...network, design: fitted.design ?? network.design };
  });
  if (issues.length) throw new StackConfigError(issues, deployedSubnetConflictHeading(`the stack config (${CONFIG_NAMESPACE})`));
  return { config: { ...config, networks }, deployed };
}

function deployValidated(
  config: ValidatedStackConfigWithLookup,
  opts: pulumi.ComponentResourceOptions | undefined,
  gitHub: GitHubSetup,
  deployedSubnets: ReadonlyMap<string, string | undefined>,
) {
  const businessId = gitHub.businessId ?? config.github.businessId!;
  const networks: Record<string, NetworkOutputs> = {};
  const providerRegistration = sharedProviderRegistration(config, opts);
  // A firewall policy takes one rule collection group write at a time: groups on the same policy go one after another.
  const lastGroupOnPolicy = new Map<string, pulumi.Resource>();
  // One provider per hub subscription that holds a policy, shared by every network on it.
  const policyProviders = new Map<string, azureNative.Provider>();
  const policyProvider = (policyId: string) => {
    const subscription = otherSubscriptionOf(policyId);
    if (subscription === undefined) return undefined;
    const provider =
      policyProviders.get(subscription) ??
      new azureNative.Provider(`firewall-policy-subscription-${subscription}`, { subscriptionId: subscription }, { parent: opts?.parent });
    policyProviders.set(subscription, provider);
    return provider;
  };
  for (const { name, role, design, ...entry } of config.networks) {
    const policyId = design.domainRules && typeof entry.firewallPolicyId === "string" ? entry.firewallPolicyId : undefined;
    const policyKey = policyId?.toLowerCase();
    const previousGroup = policyKey === undefined ? undefined : lastGroupOnPolicy.get(policyKey);
    const firewallPolicyProvider = policyId === undefined ? undefined : policyProvider(policyId);
    const component = new GitHubRunnerNetwork(
      name,
      withDesign(
        {
          ...entry,
          location: design.location,
          businessId,
          dataResidency: config.github.dataResidency,
          tags: { ...config.tags, ...entry.tags },
        },
        design,
      ),
      {
        ...opts,
        providerRegistration,
        deployedSubnetPrefix: deployedSubnets.get(name) ?? null,
        ...(firewallPolicyProvider ? { firewallPolicyProvider } : {}),
        ...(previousGroup ? { firewallRulesAfter: [previousGroup] } : {}),
      },
    );
    const group = component.firewallRules();
    if (policyKey !== undefined && group) lastGroupOnPolicy.set(policyKey, group);
    networks[name] = {
      role,
      location: design.location,
      gitHubId: component.gitHubId,
      networkSettingsId: component.networkSettingsId,
      subnetId: component.subnetId,
      virtualNetworkId: component.virtualNetworkId,
      networkSecurityGroupId: component.networkSecurityGroupId,
      resourceGroupName: component.resourceGroupName,
      egressPublicIpAddresses: component.egressPublicIpAddresses,
      runnerCapacity: component.runnerCapacity,
    };
  }
  const { scope, slug } = config.github;
  const managed = config.github.networkConfiguration
    ? { networkConfiguration: deployNetworkConfiguration(config, networks, gitHub.signIn, opts) }
    : {};
  return { networks, nextSteps: nextStepsText(config), gitHub: { scope, slug, businessId, ...managed } };
}

// ---- GitHub: network configuration, runner groups, failover ------------------------------------

export const NETWORK_CONFIGURATION_RESOURCE = "github-network-configuration";

/** Where GitHub calls may go, signed in how. */
export interface GitHubAccess {
  /** The offline plan and tests under mocks: nothing is sent to GitHub and no credential is read. */
  offline: boolean;
  token?: string;
  /** A GitHub App installation: every operation, here and in the resources, mints its own installation token. */
  app?: GitHubAppCredentials;
  /** The app is configured but its private key is not at hand: like a missing token, fine for a preview only. */
  appWithoutKey?: boolean;
  /** Makes the client for the businessId lookup; tests point it at an emulator. */
  connect?: (signIn: SignIn, apiUrl: string | undefined) => GitHubClient;
}

const APP_VARIABLES = Object.values(GITHUB_APP_ENVIRONMENT).join(", ");

/**
 * How the stack signs in to GitHub. The stack config wins over the environment: the secret config
 * githubToken, else github.app (each of its keys, else its GITHUB_APP_* variable), else from the
 * environment alone GITHUB_TOKEN or the GITHUB_APP_* variables; both ways in one place is an
 * error. A githubToken or github.app.privateKey kept in plain text in the stack file is refused:
 * credentials are stored encrypted only. All problems are reported at once.
 */
export function gitHubAccessFromEnvironment(
  allConfig: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
  isSecret: (key: string) => boolean = isConfigSecret,
): GitHubAccess {
  const problems = plainTextTokenProblems(allConfig, (key) => isSecret(key));
  const configuredToken = allConfig[GITHUB_TOKEN_KEY] || undefined;
  const github = readStackConfig(allConfig).github as { app?: unknown } | undefined;
  const configuredApp = typeof github?.app === "object" && github.app !== null ? (github.app as Record<string, unknown>) : undefined;
  let access: GitHubAccess = { offline: false, token: configuredToken };
  // githubToken with github.app is the config validation's to report, with every other config problem.
  if (configuredToken === undefined) {
    if (configuredApp === undefined && env.GITHUB_TOKEN && gitHubAppInEnvironment(env))
      problems.push({
        path: "GITHUB_TOKEN",
        message: `and GitHub App variables (${APP_VARIABLES}) are both set; sign in one way: unset GITHUB_TOKEN to sign in as the app, or the GITHUB_APP_* variables to use the token`,
      });
    const resolved = resolveGitHubApp({ config: configuredApp, env });
    if (resolved.kind === "invalid") problems.push(...resolved.problems);
    else if (resolved.kind === "app") access = { offline: false, app: resolved.app };
    else if (resolved.kind === "no-key") access = { offline: false, appWithoutKey: true };
    else access = { offline: false, token: env.GITHUB_TOKEN || undefined };
  }
  if (problems.length) throw new StackConfigError(problems);
  return access;
}

/**
 * The stack with its GitHub side. Config problems throw at once (nothing registered); the
 * businessId lookup (when a token is at hand) runs before any resource is registered, so a
 * businessId that does not belong to github.slug stops the run first.
 */
export function deployStackWithGitHub(rawConfig: unknown, access: GitHubAccess, opts?: pulumi.ComponentResourceOptions) {
  const signIn: SignIn | undefined = access.offline
    ? undefined
    : access.app
      ? { app: access.app }
      : access.token !== undefined
        ? { token: access.token }
        : undefined;
  const validated = validateStackConfig(rawConfig, { businessIdLookup: signIn !== undefined });
  if (!validated.ok) throw new StackConfigError(validated.issues);
  const config = validated.value;
  // A preview may run without credentials (fork pull requests); changing GitHub may not.
  if (config.github.networkConfiguration && !access.offline && signIn === undefined && !pulumi.runtime.isDryRun()) {
    throw new StackConfigError([
      access.appWithoutKey
        ? {
            path: "github.app.privateKey",
            message: `required to manage github.networkConfiguration: set it with ${PRIVATE_KEY_SET_COMMAND}, or set GITHUB_APP_PRIVATE_KEY`,
          }
        : {
            path: "githubToken",
            message: `required to manage github.networkConfiguration: set it with pulumi config set --secret ${GITHUB_TOKEN_KEY}, or set GITHUB_TOKEN; or sign in as a GitHub App (github.app)`,
          },
    ]);
  }
  const lookup = async (): Promise<string | undefined> => {
    if (signIn === undefined) return config.github.businessId;
    const client = (access.connect ?? ((given, apiUrl) => createGitHubClient({ ...given, apiUrl })))(signIn, config.github.apiUrl);
    try {
      return await resolveBusinessId(client, { scope: config.github.scope, slug: config.github.slug }, config.github.businessId);
    } catch (error) {
      // A user mistake or GitHub's refusal: its message, without a stack trace.
      throw isGitHubApiError(error) ? new pulumi.RunError(error.message) : error;
    }
  };
  return Promise.all([lookup(), fitDeployedSubnets(config, opts)]).then(([businessId, fitted]) =>
    deployValidated(fitted.config, opts, { businessId, signIn: signIn ?? { token: "" } }, fitted.deployed),
  );
}

function primaryNetworkOf(config: ValidatedStackConfigWithLookup): string {
  return config.github.networkConfiguration?.primaryNetwork ?? config.networks.find((n) => n.role === "primary")!.name;
}

const groupLabel = (group: { name?: string; id?: number }) => group.name ?? `id ${group.id}`;

/**
 * The configuration points at the primary network's networkSettings (and the failover one's);
 * each runner group binding points at the configuration. Those data dependencies give the
 * teardown order: bindings, configuration, networkSettings, subnet.
 */
function deployNetworkConfiguration(
  config: ValidatedStackConfigWithLookup,
  networks: Record<string, NetworkOutputs>,
  signIn: SignIn,
  opts?: pulumi.ComponentResourceOptions,
) {
  const settings = config.github.networkConfiguration!;
  const { scope, slug, apiUrl } = config.github;
  const primary = primaryNetworkOf(config);
  const failover = config.networks.find((n) => n.role === "failover")?.name;
  const resourceOptions = opts?.parent ? { parent: opts.parent } : undefined;
  const configuration = new GitHubNetworkConfiguration(
    NETWORK_CONFIGURATION_RESOURCE,
    {
      scope,
      slug,
      apiUrl,
      name: settings.name,
      gitHubId: networks[primary].gitHubId,
      failoverGitHubId: failover === undefined ? undefined : networks[failover].gitHubId,
      // Which network each comes from: a preview of a move to a new network shows an update, as up does it.
      gitHubIdSource: primary,
      failoverGitHubIdSource: failover,
      failoverEnabled: settings.failoverEnabled ?? false,
      ...signIn,
    },
    resourceOptions,
  );
  const runnerGroups = (settings.runnerGroups ?? []).map((group) => {
    new GitHubRunnerGroupBinding(
      `github-runner-group-${group.name ?? `id-${group.id}`}`,
      {
        ...(scope === "enterprise" ? { enterprise: slug } : { organization: slug }),
        apiUrl,
        networkConfigurationId: configuration.id,
        ...runnerGroupBindingArgs(group),
        ...signIn,
      },
      resourceOptions,
    );
    return groupLabel(group);
  });
  return {
    id: configuration.id,
    name: settings.name,
    primaryNetwork: primary,
    ...(failover === undefined ? {} : { failoverNetwork: failover }),
    failoverEnabled: settings.failoverEnabled ?? false,
    runnerGroups,
  };
}

function managedNextStepsText(config: ValidatedStackConfigWithLookup): string {
  const settings = config.github.networkConfiguration!;
  const failover = config.networks.find((n) => n.role === "failover");
  const groups = (settings.runnerGroups ?? []).map((g) => `"${groupLabel(g)}"`);
  return [
    `1. pulumi up creates network configuration "${settings.name}" in ${config.github.scope} "${config.github.slug}" with network "${primaryNetworkOf(config)}"${failover ? ` and failover network "${failover.name}"` : ""}.`,
    groups.length
      ? `2. It is attached to runner group${groups.length === 1 ? "" : "s"} ${groups.join(", ")}; add larger runners there (GitHub: Actions > Runners > New runner, or @pulumi/github ActionsHostedRunner).`
      : "2. Attach it to runner groups (github.networkConfiguration.runnerGroups, or in GitHub); larger runners in those groups then run in these subnets.",
    ...(failover
      ? [
          `3. Failover is ${settings.failoverEnabled ? "on" : "off"}: set github.networkConfiguration.failoverEnabled and pulumi up to switch; it takes about 15 minutes and runners may run on both networks meanwhile.`,
        ]
      : []),
    "Teardown: pulumi destroy removes the runner group bindings, then the configuration, then networkSettings and subnets.",
  ].join("\n");
}
