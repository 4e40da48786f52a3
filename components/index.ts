/** azure-github-runner-network: Pulumi components for GitHub-hosted runners on a private Azure network. */
export {
  GitHubRunnerNetwork,
  GITHUB_RUNNER_NETWORK_TYPE,
  NETWORK_SETTINGS,
  SUBNET_DELEGATION_SERVICE,
  type GitHubRunnerNetworkArgs,
  type GitHubRunnerNetworkOptions,
  type ExistingVirtualNetworkArgs,
} from "./github-runner-network";
export type { ExtraSecurityRule, OutboundMode, PlannedSecurityRule } from "./lib/nsg-rules";
export type { EgressMode } from "./lib/network-schema";
export type { Problem } from "./lib/problems";
/** @deprecated Renamed `Problem` in 0.2.0. */
export type { Problem as ValidationIssue } from "./lib/problems";
export { validateComponentArgs, type RunnerNetworkDesign } from "./lib/network-design";
export { validateStackConfig } from "./lib/stack-config";
export { SUPPORTED_REGIONS, RUNNER_PLATFORMS, regionTable, type RegionTable, type RunnerPlatform } from "./lib/regions";
export { GHECOM_GEOGRAPHIES, GHECOM_GEOGRAPHY_FACTS, type DataResidency, type GheComGeography } from "./lib/ghecom";
export { ENDPOINT_CATALOG, DOMAIN_LEVELS, catalogFromMeta, diffCatalogs, type DomainLevel, type EndpointCatalog } from "./lib/catalog";
export { checkSecurityRules, planSecurityRules, type RuleLimitProblem } from "./lib/nsg-rules";
export { evaluateFlow, AZURE_DEFAULT_RULES, type Flow, type FlowDecision, type EvaluationContext } from "./lib/nsg-evaluator";
export { summarizeReachability, type ReachabilityCheck } from "./lib/reachability";
export { planFirewallRules, domainCovered, type FirewallRuleCollectionGroupPlan } from "./lib/firewall-rules";
export { addressesNeeded, prefixLengthFor, runnerCapacity } from "./lib/sizing";
export { ProviderRegistration, PROVIDER_REGISTRATION_TYPE, type ProviderRegistrationArgs } from "./azure/provider-registration";
export {
  GitHubNetworkConfiguration,
  GitHubRunnerGroupBinding,
  NETWORK_CONFIGURATION_TYPE,
  RUNNER_GROUP_BINDING_TYPE,
  isGitHubApiError,
  createGitHubClient,
  lookUpBusinessId,
  resolveBusinessId,
  type GitHubNetworkConfigurationArgs,
  type GitHubRunnerGroupBindingArgs,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubApiError,
  type GitHubErrorKind,
  type OwnerScope,
  type RunnerGroupVisibility,
} from "./github";
