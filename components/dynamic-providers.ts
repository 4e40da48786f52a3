/**
 * The package's dynamic providers, as Pulumi's provider process loads them through the public
 * entry point `azure-github-runner-network/dynamic-providers` (see dynamic-proxy.ts). Only that
 * process imports this module; programs import the resources, which carry proxies.
 */
import { registrationProvider } from "./azure/registration-provider";
import type { CompleteProvider, DynamicProviderName } from "./dynamic-proxy";
import { gitHubProvider } from "./github/provider";

export const providers: Record<DynamicProviderName, CompleteProvider> = {
  providerRegistration: registrationProvider,
  github: gitHubProvider,
};
