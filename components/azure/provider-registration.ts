/**
 * `ProviderRegistration`: a Pulumi dynamic resource that makes sure resource provider namespaces
 * (by default GitHub.Network and Microsoft.Network) are registered in a subscription before
 * resources that need them are created, and that never unregisters anything. Registration is per
 * subscription: create one and share it (the `providerRegistration` argument of
 * GitHubRunnerNetwork) when several networks use the same subscription.
 *
 * The resource carries a proxy (../dynamic-proxy.ts); its code is registration-provider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicProviderProxy } from "../dynamic-proxy";
import { REQUIRED_PROVIDER_NAMESPACES } from "./arm-resources";
import {
  DEFAULT_REGISTRATION_POLL_SECONDS,
  DEFAULT_REGISTRATION_TIMEOUT_SECONDS,
  registrationSettingsProblems,
} from "./registration-settings";

/** Module, and type name, of the resource: `pulumi-nodejs:dynamic/azure-github-runner-network:ProviderRegistration`. */
export const PROVIDER_REGISTRATION_MODULE = "azure-github-runner-network";
export const PROVIDER_REGISTRATION_TYPE = `pulumi-nodejs:dynamic/${PROVIDER_REGISTRATION_MODULE}:ProviderRegistration`;

/** One object, so Pulumi serializes it once per program. */
const registrationProxy = dynamicProviderProxy("providerRegistration");

export interface ProviderRegistrationArgs {
  /** Subscription to register in; the component passes the Azure provider's own. */
  subscriptionId: pulumi.Input<string>;
  /** Default: GitHub.Network and Microsoft.Network. */
  namespaces?: string[];
  /** Regions of the networks that wait for it: creation fails when ARM does not offer networkSettings in one. */
  locations?: pulumi.Input<string>[];
  /** How long to wait for `Registered`. Default 900 (15 minutes). */
  timeoutSeconds?: number;
  /** Pause between state checks. Default 10. */
  pollIntervalSeconds?: number;
}

/**
 * Registers resource provider namespaces in a subscription if needed and waits until they are
 * `Registered`; deleting it leaves the registration in place.
 */
export class ProviderRegistration extends pulumi.dynamic.Resource {
  /** State per namespace after create or refresh, e.g. `{ "GitHub.Network": "Registered" }`. */
  public readonly registrationStates!: pulumi.Output<Record<string, string>>;
  /** Namespaces this resource registered (the others already were). */
  public readonly registeredNow!: pulumi.Output<string[]>;
  /** Regions (canonical names) where ARM offers GitHub.Network/networkSettings. */
  public readonly networkSettingsLocations!: pulumi.Output<string[]>;

  constructor(name: string, args: ProviderRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    const settings = {
      namespaces: args.namespaces ?? [...REQUIRED_PROVIDER_NAMESPACES],
      timeoutSeconds: args.timeoutSeconds ?? DEFAULT_REGISTRATION_TIMEOUT_SECONDS,
      pollIntervalSeconds: args.pollIntervalSeconds ?? DEFAULT_REGISTRATION_POLL_SECONDS,
    };
    const problems = registrationSettingsProblems(settings);
    if (problems.length)
      throw new pulumi.RunError(`ProviderRegistration "${name}" has invalid arguments:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    super(
      registrationProxy,
      name,
      {
        subscriptionId: args.subscriptionId,
        ...settings,
        ...(args.locations === undefined ? {} : { locations: args.locations }),
        registrationStates: undefined,
        registeredNow: undefined,
        networkSettingsLocations: undefined,
      },
      opts,
      PROVIDER_REGISTRATION_MODULE,
      "ProviderRegistration",
    );
  }
}
