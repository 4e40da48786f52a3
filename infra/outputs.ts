/**
 * What each stack output means: the one source of the README's output reference
 * (scripts/generate-config-reference.ts) and checked against the outputs the stack really
 * exports (test/infra/stack.test.ts).
 */
import type { NetworkOutputs } from "./stack";

/** `networks.<name>.<key>`. */
export const NETWORK_OUTPUT_DOCS: { readonly [K in keyof NetworkOutputs]-?: string } = {
  role: "`primary` or `failover`.",
  location: "The network's Azure region, in canonical form (`eastus`).",
  gitHubId: "The `GitHubId` tag Azure sets on the networkSettings resource: what a network configuration in GitHub takes.",
  networkSettingsId: "ARM ID of the `GitHub.Network/networkSettings` resource.",
  subnetId: "ARM ID of the delegated runner subnet.",
  virtualNetworkId: "ARM ID of the VNET (new or existing).",
  networkSecurityGroupId: "ARM ID of the runner subnet's NSG.",
  resourceGroupName: "The resource group holding the network's resources.",
  egressPublicIpAddresses: "The NAT gateway's static public IPs, for allow-lists elsewhere; empty for other egress modes.",
  runnerCapacity: "Concurrent runners the subnet holds with GitHub's 30 % buffer kept free.",
};

/** `gitHub.<key>`. */
export const GITHUB_OUTPUT_DOCS = {
  scope: "`organization` or `enterprise`.",
  slug: "The organization login or enterprise slug.",
  businessId: "The GraphQL `databaseId` every networkSettings resource carries (given, or looked up from `slug`).",
  networkConfiguration:
    "When the stack manages it: `id`, `name`, `primaryNetwork`, `failoverNetwork` (if any), `failoverEnabled` and `runnerGroups` (their names, or `id N`).",
} as const;

/** Top-level outputs. */
export const STACK_OUTPUT_DOCS = {
  networks: "One entry per configured network, by name (keys below).",
  nextSteps: "What to do next in GitHub, in its own menu terms; with a managed network configuration, what `pulumi up` does for you.",
  gitHub: "The GitHub side (keys below).",
} as const;
