import * as pulumi from "@pulumi/pulumi";
import { COMPUTE_SERVICE, normalizeApiUrl, type OwnerScope } from "./api";
import { networkConfigurationInputProblems } from "./network-configuration-provider";
import { gitHubProviderProxy } from "./provider";
import { signInProblems } from "./provider-support";
import { knownValuesOf, refuseProblems, signInInputs, withSecretToken, type GitHubConnectionArgs } from "./resource-support";
import { DYNAMIC_MODULE, NETWORK_CONFIGURATION_TYPE_NAME } from "./types";

export { NETWORK_CONFIGURATION_TYPE } from "./types";

export interface GitHubNetworkConfigurationArgs extends GitHubConnectionArgs {
  /**
   * `organization` (`/orgs/{org}/settings/network-configurations`) or `enterprise`
   * (`/enterprises/{enterprise}/network-configurations`).
   */
  scope: OwnerScope;
  /** Organization login or enterprise slug. Changing scope, slug or apiUrl replaces the configuration. */
  slug: string;
  /** 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'. */
  name: string;
  /** The primary network: the `gitHubId` output of a GitHubRunnerNetwork (its networkSettings `GitHubId` tag). */
  gitHubId: pulumi.Input<string>;
  /** An optional failover network (a second networkSettings resource, usually in another region). */
  failoverGitHubId?: pulumi.Input<string>;
  /**
   * A name for the network `gitHubId` comes from, such as its GitHubRunnerNetwork's name. Optional.
   * With it, a preview that moves the configuration to another network, whose networkSettings is
   * still to be created, shows an update in place, as `pulumi up` does it; without it, a
   * `gitHubId` not known yet is previewed as a replacement (right when the same network's
   * networkSettings is being replaced).
   */
  gitHubIdSource?: pulumi.Input<string>;
  /** The same for `failoverGitHubId`. */
  failoverGitHubIdSource?: pulumi.Input<string>;
  /** Route runners through the failover network; switched by hand, takes about 15 minutes. Default false. */
  failoverEnabled?: pulumi.Input<boolean>;
  /** Only `actions` (GitHub-hosted runners). */
  computeService?: typeof COMPUTE_SERVICE;
}

/**
 * A GitHub hosted compute network configuration that points GitHub-hosted runners at one or two
 * Azure networkSettings resources. Changes made in GitHub's UI show after `pulumi refresh`; adopt
 * an existing configuration with the resource option `import: "<configuration id>"`.
 */
export class GitHubNetworkConfiguration extends pulumi.dynamic.Resource {
  declare readonly scope: pulumi.Output<OwnerScope>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly apiUrl: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly computeService: pulumi.Output<string>;
  declare readonly gitHubId: pulumi.Output<string>;
  declare readonly failoverGitHubId: pulumi.Output<string | undefined>;
  declare readonly failoverEnabled: pulumi.Output<boolean>;
  /** When GitHub created the configuration (ISO 8601). */
  declare readonly createdOn: pulumi.Output<string | null>;

  constructor(name: string, args: GitHubNetworkConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    const known = knownValuesOf(args);
    refuseProblems("GitHubNetworkConfiguration", name, [...signInProblems(known), ...networkConfigurationInputProblems(known)]);
    super(
      gitHubProviderProxy,
      name,
      {
        kind: "networkConfiguration",
        scope: args.scope,
        slug: args.slug,
        apiUrl: normalizeApiUrl(args.apiUrl),
        name: args.name,
        computeService: args.computeService ?? COMPUTE_SERVICE,
        gitHubId: args.gitHubId,
        failoverGitHubId: args.failoverGitHubId,
        failoverEnabled: args.failoverEnabled ?? false,
        gitHubIdSource: args.gitHubIdSource,
        failoverGitHubIdSource: args.failoverGitHubIdSource,
        ...signInInputs(args),
        createdOn: undefined,
      },
      withSecretToken(opts),
      DYNAMIC_MODULE,
      NETWORK_CONFIGURATION_TYPE_NAME,
    );
  }
}
