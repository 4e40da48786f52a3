/**
 * Type tokens of the GitHub resources: Pulumi's dynamic package, with this package's module name
 * like its other dynamic resources. Free of Pulumi, so renderers and mocks can import them.
 */
export const DYNAMIC_MODULE = "azure-github-runner-network";
export const NETWORK_CONFIGURATION_TYPE_NAME = "GitHubNetworkConfiguration";
export const RUNNER_GROUP_BINDING_TYPE_NAME = "GitHubRunnerGroupBinding";
export const NETWORK_CONFIGURATION_TYPE = `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${NETWORK_CONFIGURATION_TYPE_NAME}`;
export const RUNNER_GROUP_BINDING_TYPE = `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${RUNNER_GROUP_BINDING_TYPE_NAME}`;
