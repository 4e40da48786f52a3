/** azure-github-runner-network: Pulumi components for GitHub-hosted runners on a private Azure network. */
export {
  GitHubRunnerNetwork,
  GITHUB_RUNNER_NETWORK_TYPE,
  NETWORK_SETTINGS,
  SUBNET_DELEGATION_SERVICE,
  type GitHubRunnerNetworkArgs,
  type ExistingVirtualNetworkArgs,
} from "./github-runner-network";
export type { ExtraSecurityRule, OutboundMode, PlannedSecurityRule } from "./lib/nsg-rules";
export type { EgressMode, RunnerNetworkDesign, ValidationIssue } from "./lib/validation";
export { validateComponentArgs, validateStackConfig } from "./lib/validation";
export { SUPPORTED_REGIONS, RUNNER_PLATFORMS, type RunnerPlatform } from "./lib/regions";
export { ENDPOINT_CATALOG } from "./lib/catalog";
export { addressesNeeded, prefixLengthFor, runnerCapacity } from "./lib/sizing";
export { ProviderRegistration, PROVIDER_REGISTRATION_TYPE, type ProviderRegistrationArgs } from "./azure/provider-registration";
