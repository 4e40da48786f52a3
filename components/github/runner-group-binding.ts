import * as pulumi from "@pulumi/pulumi";
import { normalizeApiUrl, type RunnerGroupVisibility } from "./api";
import { gitHubProviderProxy } from "./provider";
import { signInProblems } from "./provider-support";
import { knownValuesOf, refuseProblems, signInInputs, withSecretToken, type GitHubConnectionArgs } from "./resource-support";
import { runnerGroupBindingInputProblems } from "./runner-group-binding-provider";
import { DYNAMIC_MODULE, RUNNER_GROUP_BINDING_TYPE_NAME } from "./types";

export { RUNNER_GROUP_BINDING_TYPE } from "./types";

export interface GitHubRunnerGroupBindingArgs extends GitHubConnectionArgs {
  /** The organization login whose runner group it is (exactly one of organization and enterprise). */
  organization?: string;
  /** The enterprise slug whose runner group it is: attach an enterprise network configuration to it. */
  enterprise?: string;
  /** The configuration to attach, e.g. a GitHubNetworkConfiguration's `id`. */
  networkConfigurationId: pulumi.Input<string>;
  /** The group by name (exactly one of runnerGroupName and runnerGroupId). */
  runnerGroupName?: string;
  /** The group by id, e.g. `@pulumi/github` ActionsRunnerGroup's `id`. */
  runnerGroupId?: pulumi.Input<number | string>;
  /** Create the group when the organization has none of that name; the binding then owns it and deletes it on destroy. */
  createIfMissing?: boolean;
  /** For a group this binding creates: `all` (GitHub's default), `selected` or (organizations only) `private`. */
  visibility?: RunnerGroupVisibility;
  /** For a created organization group with visibility `selected`: the repositories it serves; set at creation only. */
  selectedRepositoryIds?: number[];
  /** For a created enterprise group with visibility `selected`: the organizations (by id) it serves; set at creation only. */
  selectedOrganizationIds?: number[];
  /** For a created group: whether public repositories may use it (GitHub's default false). */
  allowsPublicRepositories?: boolean;
  /** For a created group: only the `selectedWorkflows` may use it (GitHub's default false); updated in place. */
  restrictedToWorkflows?: boolean;
  /**
   * For a created group with `restrictedToWorkflows: true`: the workflows that may use it, each
   * `owner/repo/.github/workflows/file.yml@ref` (a branch, tag or SHA after `@`); updated in place.
   */
  selectedWorkflows?: string[];
}

/** Ids from other providers often arrive as digit strings; GitHub's API takes numbers. */
function numericGroupId(id: unknown): unknown {
  return typeof id === "string" && /^\d+$/.test(id) ? Number(id) : id;
}

/**
 * Attaches a network configuration to an organization or enterprise runner group (its
 * `network_configuration_id`), optionally creating the group. Destroying it detaches the
 * configuration (or deletes a group it created). Depend on it (e.g. use its `groupId`) from larger
 * runners, so they go before it.
 */
export class GitHubRunnerGroupBinding extends pulumi.dynamic.Resource {
  declare readonly organization: pulumi.Output<string | undefined>;
  declare readonly enterprise: pulumi.Output<string | undefined>;
  declare readonly networkConfigurationId: pulumi.Output<string>;
  /** The bound group's id. */
  declare readonly groupId: pulumi.Output<number>;
  declare readonly groupName: pulumi.Output<string>;
  /** True when this binding created the group. */
  declare readonly createdGroup: pulumi.Output<boolean>;

  constructor(name: string, args: GitHubRunnerGroupBindingArgs, opts?: pulumi.CustomResourceOptions) {
    const known = knownValuesOf(args);
    known.runnerGroupId = numericGroupId(known.runnerGroupId);
    refuseProblems("GitHubRunnerGroupBinding", name, [...signInProblems(known), ...runnerGroupBindingInputProblems(known)]);
    super(
      gitHubProviderProxy,
      name,
      {
        kind: "runnerGroupBinding",
        organization: args.organization,
        enterprise: args.enterprise,
        apiUrl: normalizeApiUrl(args.apiUrl),
        networkConfigurationId: args.networkConfigurationId,
        runnerGroupName: args.runnerGroupName,
        runnerGroupId: args.runnerGroupId === undefined ? undefined : pulumi.output(args.runnerGroupId).apply(numericGroupId),
        createIfMissing: args.createIfMissing ?? false,
        visibility: args.visibility,
        selectedRepositoryIds: args.selectedRepositoryIds,
        selectedOrganizationIds: args.selectedOrganizationIds,
        allowsPublicRepositories: args.allowsPublicRepositories,
        restrictedToWorkflows: args.restrictedToWorkflows,
        selectedWorkflows: args.selectedWorkflows,
        ...signInInputs(args),
        groupId: undefined,
        groupName: undefined,
        createdGroup: undefined,
      },
      withSecretToken(opts),
      DYNAMIC_MODULE,
      RUNNER_GROUP_BINDING_TYPE_NAME,
    );
  }
}
