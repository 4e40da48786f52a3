/**
 * Binding of a network configuration to an organization or enterprise runner group
 * (`network_configuration_id` on the group): the operations behind the dynamic provider
 * (provider.ts). Dependency-free, see provider.ts for why.
 *
 * Request bodies: ../shared/reference/openapi-org-runner-groups-network_configuration_id.yaml
 * (POST and PATCH `/orgs/{org}/actions/runner-groups[/{id}]`) and GitHub's Enterprise Cloud
 * description for `/enterprises/{enterprise}/actions/runner-groups[/{id}]` (see api.ts). The two
 * APIs agree on everything this binding does except who a created group serves: repositories
 * (`selected_repository_ids`) for an organization, organizations (`selected_organization_ids`) for
 * an enterprise, each set at creation only; and an enterprise group is never `private`. Listing,
 * reading and deleting a group (`GET .../runner-groups[/{id}]`, `DELETE .../{id}`) carry no body.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  createRunnerGroupBody,
  normalizeApiUrl,
  parseRunnerGroup,
  parseRunnerGroupList,
  runnerGroupPath,
  runnerGroupsPath,
  updateRunnerGroupBody,
  type Owner,
  type RunnerGroupState,
  type RunnerGroupVisibility,
} from "./api";
import { runnerGroupBindingInputProblems } from "../lib/github-rules";
export { runnerGroupBindingInputProblems, type GroupKeyNames } from "../lib/github-rules";
import type { GitHubClient } from "./client";
import { gitHubApiError, type CallContext } from "./errors";
import { connectToGitHub, operationsFor, type Connect, type ResourceOperations, type SignIn } from "./provider-support";

/** Inputs as the provider stores them (after `check`); signed in with a token or as a GitHub App (SignIn). */
export interface RunnerGroupBindingInputs extends SignIn {
  /** The owner of the group: an organization login... */
  organization?: string;
  /** ...or an enterprise slug (exactly one of the two). */
  enterprise?: string;
  apiUrl: string;
  networkConfigurationId: string;
  /** The group, by name... */
  runnerGroupName?: string;
  /** ...or by id (exactly one of the two). */
  runnerGroupId?: number;
  /** Create the group (by name) when the organization has none of that name. */
  createIfMissing: boolean;
  /** Settings of a group this binding creates. */
  visibility?: RunnerGroupVisibility;
  /** Organization groups only. */
  selectedRepositoryIds?: number[];
  /** Enterprise groups only. */
  selectedOrganizationIds?: number[];
  allowsPublicRepositories?: boolean;
  /** Only `selectedWorkflows` may use a group this binding creates (`owner/repo/.github/workflows/file.yml@ref`). */
  restrictedToWorkflows?: boolean;
  selectedWorkflows?: string[];
}

export interface RunnerGroupBindingOutputs extends RunnerGroupBindingInputs {
  /** The configuration the group has now, as GitHub reports it (differs from networkConfigurationId after a change in the UI). */
  attachedNetworkConfigurationId: string;
  /** The bound group's id and current name. */
  groupId: number;
  groupName: string;
  /** True when this binding created the group (and deletes it again). */
  createdGroup: boolean;
}

/** Fills defaults; a group id given as digits (e.g. `@pulumi/github`'s string ids) becomes a number. */
export function normalizeRunnerGroupBindingInputs(news: Record<string, unknown>): Record<string, unknown> {
  const id = news.runnerGroupId;
  return {
    ...news,
    apiUrl: typeof news.apiUrl === "string" ? normalizeApiUrl(news.apiUrl) : (news.apiUrl ?? normalizeApiUrl(undefined)),
    createIfMissing: news.createIfMissing ?? false,
    ...(typeof id === "string" && /^\d+$/.test(id) ? { runnerGroupId: Number(id) } : {}),
  };
}

/** Whose group it is; the inputs' check makes sure exactly one of organization and enterprise is given. */
export function runnerGroupOwner(props: Pick<RunnerGroupBindingInputs, "organization" | "enterprise">): Owner {
  return props.enterprise !== undefined
    ? { scope: "enterprise", slug: props.enterprise }
    : { scope: "organization", slug: props.organization! };
}

const context = (props: RunnerGroupBindingInputs, operation: string): CallContext => ({
  operation,
  endpoint: "runner-groups",
  owner: runnerGroupOwner(props),
});
const groupLabel = (props: RunnerGroupBindingInputs) =>
  props.runnerGroupName !== undefined ? `runner group "${props.runnerGroupName}"` : `runner group ${props.runnerGroupId}`;

async function getGroup(client: GitHubClient, props: RunnerGroupBindingInputs, id: number): Promise<RunnerGroupState | undefined> {
  const answer = await client.rest("GET", runnerGroupPath(runnerGroupOwner(props), id), context(props, `read runner group ${id}`), {
    accept: [200, 404],
  });
  return answer.status === 404 ? undefined : parseRunnerGroup(answer.body);
}

async function findGroup(client: GitHubClient, props: RunnerGroupBindingInputs): Promise<RunnerGroupState | undefined> {
  if (props.runnerGroupId !== undefined) return getGroup(client, props, props.runnerGroupId);
  // Bounded: 100 pages of 100 groups.
  for (let page = 1; page <= 100; page++) {
    const answer = await client.rest(
      "GET",
      `${runnerGroupsPath(runnerGroupOwner(props))}?per_page=100&page=${page}`,
      context(props, "list runner groups"),
    );
    const groups = parseRunnerGroupList(answer.body);
    const match =
      groups.find((g) => g.name === props.runnerGroupName) ??
      groups.find((g) => g.name.toLowerCase() === props.runnerGroupName!.toLowerCase());
    if (match || groups.length < 100) return match;
  }
  return undefined;
}

function outputsOf(props: RunnerGroupBindingInputs, group: RunnerGroupState, createdGroup: boolean): RunnerGroupBindingOutputs {
  return {
    ...props,
    // What GitHub reports, so a change made in the UI shows as a diff; networkConfigurationId stays ours.
    attachedNetworkConfigurationId: group.networkConfigurationId ?? "",
    ...(createdGroup
      ? {
          visibility: group.visibility as RunnerGroupVisibility,
          allowsPublicRepositories: group.allowsPublicRepositories,
          restrictedToWorkflows: group.restrictedToWorkflows,
          selectedWorkflows: group.selectedWorkflows,
        }
      : {}),
    groupId: group.id,
    groupName: group.name,
    createdGroup,
  };
}

export async function createRunnerGroupBinding(
  client: GitHubClient,
  props: RunnerGroupBindingInputs,
): Promise<{ id: string; outs: RunnerGroupBindingOutputs }> {
  const existing = await findGroup(client, props);
  if (existing) {
    const answer = await client.rest(
      "PATCH",
      runnerGroupPath(runnerGroupOwner(props), existing.id),
      context(props, `attach network configuration to ${groupLabel(props)}`),
      {
        body: updateRunnerGroupBody(existing.name, props.networkConfigurationId),
      },
    );
    const group = parseRunnerGroup(answer.body);
    return { id: String(group.id), outs: outputsOf(props, group, false) };
  }
  if (!props.createIfMissing) {
    const owner = runnerGroupOwner(props);
    throw gitHubApiError(
      "not-found",
      404,
      `attach network configuration failed: ${owner.scope} "${owner.slug}" has no ${groupLabel(props)}. Check the name or id, or set create: true (createIfMissing) to create it.`,
    );
  }
  const answer = await client.rest("POST", runnerGroupsPath(runnerGroupOwner(props)), context(props, `create ${groupLabel(props)}`), {
    body: createRunnerGroupBody(
      {
        name: props.runnerGroupName!,
        visibility: props.visibility,
        selectedRepositoryIds: props.selectedRepositoryIds,
        selectedOrganizationIds: props.selectedOrganizationIds,
        allowsPublicRepositories: props.allowsPublicRepositories,
        restrictedToWorkflows: props.restrictedToWorkflows,
        selectedWorkflows: props.selectedWorkflows,
      },
      props.networkConfigurationId,
    ),
  });
  const group = parseRunnerGroup(answer.body);
  return { id: String(group.id), outs: outputsOf(props, group, true) };
}

export async function readRunnerGroupBinding(
  client: GitHubClient,
  props: RunnerGroupBindingOutputs,
): Promise<RunnerGroupBindingOutputs | undefined> {
  const group = await getGroup(client, props, props.groupId);
  return group ? outputsOf(props, group, props.createdGroup) : undefined;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** What the group holds according to the last create, update or refresh. */
const observedConfiguration = (olds: RunnerGroupBindingOutputs) => olds.attachedNetworkConfigurationId ?? olds.networkConfigurationId;

/** Who a created group serves: set at creation only (the update requests have no such field). */
const ACCESS_LISTS = ["selectedRepositoryIds", "selectedOrganizationIds"] as const;

/** The access list of a created group that would change, if any. */
function accessListChange(olds: RunnerGroupBindingOutputs, news: Record<string, unknown>): (typeof ACCESS_LISTS)[number] | undefined {
  return olds.createdGroup ? ACCESS_LISTS.find((key) => !sameJson(olds[key], news[key])) : undefined;
}

/**
 * A workflow restriction with GitHub's defaults filled in (not restricted, no workflows). The list
 * counts only when the group is restricted (GitHub ignores it otherwise), and in any order.
 */
function workflowRestriction(props: { restrictedToWorkflows?: unknown; selectedWorkflows?: unknown }) {
  const restricted = props.restrictedToWorkflows === true;
  const workflows = restricted && Array.isArray(props.selectedWorkflows) ? (props.selectedWorkflows as unknown[]).map(String).sort() : [];
  return { restricted, workflows };
}

/** Whether a group this binding created should get another workflow restriction (settings of an existing group are not ours). */
function workflowRestrictionChange(olds: RunnerGroupBindingOutputs, news: object): boolean {
  return olds.createdGroup && !sameJson(workflowRestriction(olds), workflowRestriction(news));
}

function refuseAccessListChange(olds: RunnerGroupBindingOutputs, key: (typeof ACCESS_LISTS)[number]): never {
  const [access, resource] =
    key === "selectedRepositoryIds" ? ["repository", "ActionsRunnerGroup"] : ["organization", "EnterpriseActionsRunnerGroup"];
  throw gitHubApiError(
    "invalid",
    undefined,
    `runner group "${olds.groupName}": ${key} is set only when the group is created (the update request has no such field). Change ${access} access in GitHub, or manage the group with @pulumi/github's ${resource} and bind it by id.`,
  );
}

export async function updateRunnerGroupBinding(
  client: GitHubClient,
  olds: RunnerGroupBindingOutputs,
  news: RunnerGroupBindingInputs,
): Promise<RunnerGroupBindingOutputs> {
  const accessList = accessListChange(olds, news as unknown as Record<string, unknown>);
  if (accessList) refuseAccessListChange(olds, accessList);
  const keys = ["runnerGroupName", ...(olds.createdGroup ? ["visibility", "allowsPublicRepositories"] : [])] as const;
  const workflowsChanged = workflowRestrictionChange(olds, news);
  // A created group's settings left out mean GitHub's defaults, as in the diff: sent as such, so a
  // setting removed from the config is undone in GitHub rather than shown as a change forever.
  const desired: Record<string, unknown> = olds.createdGroup ? { ...CREATED_GROUP_DEFAULTS, ...definedOnly({ ...news }) } : { ...news };
  const unchanged =
    !workflowsChanged &&
    observedConfiguration(olds) === news.networkConfigurationId &&
    keys.every((key) => sameJson(olds[key as keyof RunnerGroupBindingOutputs], desired[key]));
  // Nothing to send (operationsFor stores a new sign-in).
  if (unchanged) return { ...olds, createIfMissing: news.createIfMissing };
  const name = olds.createdGroup && news.runnerGroupName !== undefined ? news.runnerGroupName : olds.groupName;
  // The restriction is sent whole when it changed, defaults included, so that lifting it clears it.
  const workflows = workflowsChanged
    ? { restrictedToWorkflows: news.restrictedToWorkflows ?? false, selectedWorkflows: news.selectedWorkflows ?? [] }
    : {};
  const settings = olds.createdGroup
    ? {
        visibility: desired.visibility as RunnerGroupVisibility,
        allowsPublicRepositories: desired.allowsPublicRepositories as boolean,
        ...workflows,
      }
    : {};
  const answer = await client.rest(
    "PATCH",
    runnerGroupPath(runnerGroupOwner(news), olds.groupId),
    context(news, `update ${groupLabel(news)}`),
    {
      body: updateRunnerGroupBody(name, news.networkConfigurationId, settings),
    },
  );
  return outputsOf(news, parseRunnerGroup(answer.body), olds.createdGroup);
}

/**
 * Deletes a group this binding created; otherwise detaches the configuration, unless someone
 * attached another one meanwhile (that one is left alone).
 */
export async function deleteRunnerGroupBinding(client: GitHubClient, props: RunnerGroupBindingOutputs): Promise<void> {
  if (props.createdGroup) {
    await client.rest(
      "DELETE",
      runnerGroupPath(runnerGroupOwner(props), props.groupId),
      context(props, `delete runner group "${props.groupName}"`),
      { accept: [204, 200, 404] },
    );
    return;
  }
  const group = await getGroup(client, props, props.groupId);
  if (!group || group.networkConfigurationId !== props.networkConfigurationId) return;
  await client.rest(
    "PATCH",
    runnerGroupPath(runnerGroupOwner(props), group.id),
    context(props, `detach network configuration from runner group "${group.name}"`),
    {
      body: updateRunnerGroupBody(group.name, null),
      accept: [200, 404],
    },
  );
}

/** GitHub's defaults for a new runner group (visibility all, no public repositories). */
const CREATED_GROUP_DEFAULTS = { visibility: "all", allowsPublicRepositories: false } as const;

const definedOnly = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/**
 * Another owner, API or group means another binding; renaming a group we created is an update. A
 * created group's access list cannot be updated, so its change is refused unless the binding is
 * replaced anyway (then the new binding creates its group with the new list).
 */
export function diffRunnerGroupBinding(olds: RunnerGroupBindingOutputs, news: Record<string, unknown>): dynamic.DiffResult {
  const previous: Record<string, unknown> = { ...olds, networkConfigurationId: observedConfiguration(olds) };
  // A created group's settings left out mean GitHub's defaults, which its outputs report.
  const desired: Record<string, unknown> = olds.createdGroup ? { ...CREATED_GROUP_DEFAULTS, ...definedOnly(news) } : news;
  const changed = (key: string) => !sameJson(previous[key], desired[key]);
  const replaces = ["organization", "enterprise", "apiUrl", "runnerGroupId", ...(olds.createdGroup ? [] : ["runnerGroupName"])].filter(
    changed,
  );
  const accessList = replaces.length === 0 ? accessListChange(olds, news) : undefined;
  if (accessList) refuseAccessListChange(olds, accessList);
  const updates = [
    "networkConfigurationId",
    "runnerGroupName",
    "createIfMissing",
    "visibility",
    "allowsPublicRepositories",
    "selectedRepositoryIds",
    "selectedOrganizationIds",
  ].filter(changed);
  return { changes: replaces.length > 0 || updates.length > 0 || workflowRestrictionChange(olds, news), replaces };
}

export function runnerGroupBindingOperations(connect: Connect = connectToGitHub): ResourceOperations {
  return operationsFor<RunnerGroupBindingInputs, RunnerGroupBindingOutputs>(
    {
      normalize: normalizeRunnerGroupBindingInputs,
      problems: (inputs) => runnerGroupBindingInputProblems(inputs),
      diff: diffRunnerGroupBinding,
      create: createRunnerGroupBinding,
      // An import passes only inputs: the id names the group.
      read: (client, id, props) =>
        readRunnerGroupBinding(client, { ...props, groupId: props.groupId ?? Number(id), createdGroup: props.createdGroup ?? false }),
      update: (client, _id, olds, news) => updateRunnerGroupBinding(client, olds, news),
      delete: (client, _id, props) => deleteRunnerGroupBinding(client, props),
    },
    connect,
  );
}
