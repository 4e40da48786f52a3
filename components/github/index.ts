/** GitHub side of private networking: network configurations, runner group bindings, businessId lookup. */
export { GitHubNetworkConfiguration, NETWORK_CONFIGURATION_TYPE, type GitHubNetworkConfigurationArgs } from "./network-configuration";
export { GitHubRunnerGroupBinding, RUNNER_GROUP_BINDING_TYPE, type GitHubRunnerGroupBindingArgs } from "./runner-group-binding";
export {
  GITHUB_API_URL,
  GITHUB_API_VERSION,
  OWNER_SCOPES,
  RUNNER_GROUP_VISIBILITIES,
  type Owner,
  type OwnerScope,
  type RunnerGroupVisibility,
} from "./api";
export { createGitHubClient, type GitHubClient, type GitHubClientOptions, type RetryPolicy } from "./client";
export { gitHubApiError, isGitHubApiError, type GitHubApiError, type GitHubErrorKind } from "./errors";
export { lookUpBusinessId, resolveBusinessId } from "./business-id";
