/** Type tokens and ARM names the component, the plan and the policy pack must agree on. */

export const GITHUB_RUNNER_NETWORK_TYPE = "azure-github-runner-network:index:GitHubRunnerNetwork";

/** The ARM type GitHub's service registers; azure-native has no first-class resource for it. */
export const NETWORK_SETTINGS = {
  namespace: "GitHub.Network",
  type: "networkSettings",
  apiVersion: "2024-04-02",
  /** Tag the service writes on the resource: the ID a GitHub admin pastes into a network configuration. */
  gitHubIdTag: "GitHubId",
} as const;

/** The delegation that lets GitHub place runner NICs in the subnet. */
export const SUBNET_DELEGATION_SERVICE = `${NETWORK_SETTINGS.namespace}/${NETWORK_SETTINGS.type}`;
