/**
 * CRUD of a GitHub hosted compute network configuration: the operations behind the dynamic
 * provider (provider.ts). Dependency-free, see provider.ts for why.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  apiUrlProblem,
  configurationNameProblem,
  COMPUTE_SERVICE,
  createNetworkConfigurationBody,
  networkConfigurationPath,
  networkConfigurationsPath,
  networkSettingsPath,
  normalizeApiUrl,
  ownerSlugProblem,
  parseNetworkConfiguration,
  parseNetworkConfigurationList,
  parseNetworkSettings,
  scopeProblem,
  isUnknownInput,
  updateNetworkConfigurationBody,
  type NetworkConfigurationSpec,
  type NetworkConfigurationState,
  type NetworkSettingsState,
  type Owner,
  type OwnerScope,
} from "./api";
import type { GitHubClient } from "./client";
import { gitHubApiError, isGitHubApiError, type CallContext, type GitHubApiError } from "./errors";
import { connectToGitHub, operationsFor, type Connect, type ResourceOperations, type SignIn } from "./provider-support";
import { ENTERPRISE_CONFIGURATIONS_NEED_A_TOKEN } from "../lib/github-app";
import type { Problem } from "../lib/problems";

/** Inputs as the provider stores them (after `check`); signed in with a token or as a GitHub App (SignIn). */
export interface NetworkConfigurationInputs extends SignIn {
  scope: OwnerScope;
  slug: string;
  apiUrl: string;
  name: string;
  computeService: typeof COMPUTE_SERVICE;
  /** The primary networkSettings resource's `GitHubId`. */
  gitHubId: string;
  /** The failover networkSettings resource's `GitHubId`, if any. */
  failoverGitHubId?: string;
  failoverEnabled: boolean;
  /** A name for the network `gitHubId` comes from (the stack gives the network's name), if given. */
  gitHubIdSource?: string;
  /** The same for `failoverGitHubId`. */
  failoverGitHubIdSource?: string;
}

export interface NetworkConfigurationOutputs extends NetworkConfigurationInputs {
  createdOn: string | null;
}

const isPlainString = (value: unknown): value is string => typeof value === "string";

/** Problems with the inputs; values not known yet are skipped. Shared by the resource constructor and `check`. */
export function networkConfigurationInputProblems(inputs: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string | undefined) => message && problems.push({ path, message });
  const known = (key: string) => inputs[key] !== undefined && !isUnknownInput(inputs[key]);
  if (!isUnknownInput(inputs.scope)) add("scope", scopeProblem(inputs.scope));
  if (!isUnknownInput(inputs.slug)) add("slug", ownerSlugProblem(inputs.slug));
  if (known("apiUrl")) add("apiUrl", apiUrlProblem(inputs.apiUrl));
  if (!isUnknownInput(inputs.name)) add("name", configurationNameProblem(inputs.name));
  if (known("computeService") && inputs.computeService !== COMPUTE_SERVICE)
    add("computeService", `${JSON.stringify(inputs.computeService)} is not allowed; allowed: ${COMPUTE_SERVICE}`);
  if (!isUnknownInput(inputs.gitHubId) && !isPlainString(inputs.gitHubId))
    add("gitHubId", "required: the GitHubId tag of the primary networkSettings resource");
  if (known("failoverGitHubId")) {
    if (!isPlainString(inputs.failoverGitHubId) || inputs.failoverGitHubId === "")
      add("failoverGitHubId", "must be the GitHubId tag of the failover networkSettings resource");
    else if (inputs.failoverGitHubId === inputs.gitHubId)
      add("failoverGitHubId", "must differ from gitHubId: the failover network is a second networkSettings resource");
  }
  if (known("failoverEnabled") && typeof inputs.failoverEnabled !== "boolean") add("failoverEnabled", "must be true or false");
  for (const key of ["gitHubIdSource", "failoverGitHubIdSource"])
    if (known(key) && (!isPlainString(inputs[key]) || inputs[key] === ""))
      add(key, "must be a name for the network its GitHubId comes from, such as its GitHubRunnerNetwork's name");
  if (inputs.failoverEnabled === true && inputs.failoverGitHubId === undefined)
    add("failoverEnabled", "true needs failoverGitHubId: there is no failover network to switch to");
  if (inputs.scope === "enterprise" && inputs.app !== undefined) add("app", ENTERPRISE_CONFIGURATIONS_NEED_A_TOKEN);
  return problems;
}

export function ownerOf(props: { scope: OwnerScope; slug: string }): Owner {
  return { scope: props.scope, slug: props.slug };
}

/** Each GitHubId with the key that names the network it comes from. */
const SOURCES = [
  ["gitHubId", "gitHubIdSource"],
  ["failoverGitHubId", "failoverGitHubIdSource"],
] as const;
const SOURCE_KEYS = SOURCES.map(([, source]) => source);

/** `outputs` with the sources `props` gives, and none it does not. */
function withSourcesOf(outputs: NetworkConfigurationOutputs, props: NetworkConfigurationInputs): NetworkConfigurationOutputs {
  const result = { ...outputs };
  for (const key of SOURCE_KEYS) {
    if (props[key] === undefined) delete result[key];
    else result[key] = props[key];
  }
  return result;
}

function specOf(props: NetworkConfigurationInputs): NetworkConfigurationSpec {
  return { name: props.name, gitHubId: props.gitHubId, failoverGitHubId: props.failoverGitHubId, failoverEnabled: props.failoverEnabled };
}

function outputsOf(props: NetworkConfigurationInputs, state: NetworkConfigurationState): NetworkConfigurationOutputs {
  const outputs: NetworkConfigurationOutputs = {
    scope: props.scope,
    slug: props.slug,
    apiUrl: props.apiUrl,
    name: state.name,
    // GitHub may leave compute_service out; then we keep what we asked for.
    computeService: (state.computeService ?? props.computeService) as typeof COMPUTE_SERVICE,
    gitHubId: state.gitHubId,
    failoverEnabled: state.failoverEnabled,
    createdOn: state.createdOn,
  };
  if (state.failoverGitHubId !== undefined) outputs.failoverGitHubId = state.failoverGitHubId;
  return withSourcesOf(outputs, props);
}

const ownerContext = (owner: Owner, operation: string): CallContext => ({ operation, endpoint: "network-configurations", owner });
const context = (props: NetworkConfigurationInputs, operation: string): CallContext => ownerContext(ownerOf(props), operation);

/** Keys whose change means another owner or API: a new configuration (the old one goes first, it holds the networkSettings). */
const REPLACE_KEYS = ["scope", "slug", "apiUrl"] as const;
const UPDATE_KEYS = ["name", "computeService", "gitHubId", "failoverGitHubId", "failoverEnabled"] as const;

/**
 * A networkSettings resource belongs to at most one configuration, and ours are replaced
 * delete-first. When a GitHubId is not known yet, either its networkSettings is being replaced,
 * and the configuration must let go first, so it is replaced too; or it comes from another
 * resource than before (a new network it moves to), which the source keys tell, and it is patched
 * in place, as a known new GitHubId is. Without both sources (a stack deployed before they
 * existed, a caller that gives none) an unknown GitHubId is taken as a replacement. A source that
 * changes between two given values is recorded by an update that sends nothing.
 */
export function diffNetworkConfiguration(olds: Partial<NetworkConfigurationOutputs>, news: Record<string, unknown>): dynamic.DiffResult {
  const old = olds as Record<string, unknown>;
  const changed = (key: string) => JSON.stringify(old[key]) !== JSON.stringify(news[key]);
  const replaces: string[] = REPLACE_KEYS.filter(changed);
  const movedSources = SOURCE_KEYS.filter((key) => isPlainString(old[key]) && isPlainString(news[key]) && changed(key));
  for (const [key, source] of SOURCES) if (isUnknownInput(news[key]) && !movedSources.includes(source)) replaces.push(key);
  const updates = [...UPDATE_KEYS.filter(changed), ...movedSources];
  return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
}

async function findByName(client: GitHubClient, props: NetworkConfigurationInputs): Promise<NetworkConfigurationState | undefined> {
  // Bounded: 100 pages of 100 is far beyond any real organization.
  for (let page = 1; page <= 100; page++) {
    const answer = await client.rest(
      "GET",
      `${networkConfigurationsPath(ownerOf(props))}?per_page=100&page=${page}`,
      context(props, "list network configurations"),
    );
    const list = parseNetworkConfigurationList(answer.body);
    const match = list.find((c) => c.name.toLowerCase() === props.name.toLowerCase());
    if (match || list.length < 100) return match;
  }
  return undefined;
}

/** A network settings resource as GitHub sees it, by its GitHubId; undefined when GitHub does not know it (404). */
export async function readNetworkSettings(client: GitHubClient, owner: Owner, gitHubId: string): Promise<NetworkSettingsState | undefined> {
  const answer = await client.rest("GET", networkSettingsPath(owner, gitHubId), ownerContext(owner, `read network settings ${gitHubId}`), {
    accept: [200, 404],
  });
  return answer.status === 404 ? undefined : parseNetworkSettings(answer.body);
}

/** The name of a network configuration; undefined when GitHub no longer has it (404). */
export async function readConfigurationName(client: GitHubClient, owner: Owner, id: string): Promise<string | undefined> {
  const answer = await client.rest("GET", networkConfigurationPath(owner, id), ownerContext(owner, `read network configuration ${id}`), {
    accept: [200, 404],
  });
  return answer.status === 200 ? parseNetworkConfiguration(answer.body).name : undefined;
}

/** The configuration, other than `ownId`, that GitHub says uses one of these network settings resources. */
async function configurationUsing(
  client: GitHubClient,
  props: NetworkConfigurationInputs,
  gitHubIds: readonly string[],
  ownId: string | undefined,
): Promise<{ gitHubId: string; id: string; name?: string } | undefined> {
  const owner = ownerOf(props);
  for (const gitHubId of gitHubIds) {
    const id = (await readNetworkSettings(client, owner, gitHubId))?.networkConfigurationId;
    if (id === undefined || id === ownId) continue;
    return { gitHubId, id, name: await readConfigurationName(client, owner, id) };
  }
  return undefined;
}

/**
 * GitHub's refusal of a network settings resource another configuration uses, with that
 * configuration named (from the network settings GET); when it cannot be found, where to look.
 */
async function settingsInUseError(
  client: GitHubClient,
  props: NetworkConfigurationInputs,
  error: GitHubApiError,
  ownId: string | undefined,
): Promise<GitHubApiError> {
  const ids = [props.gitHubId, ...(props.failoverGitHubId === undefined ? [] : [props.failoverGitHubId])];
  const user = await configurationUsing(client, props, ids, ownId).catch(() => undefined);
  const where = `${props.scope} "${props.slug}"`;
  const hint = user
    ? ` Network settings ${user.gitHubId} is used by network configuration ${user.name === undefined ? "" : `"${user.name}" `}(id ${user.id}) in ${where}: remove it from that configuration or delete that configuration in GitHub, or adopt it here with the resource option import: "${user.id}".`
    : ` GitHub did not say which configuration uses it: look in ${where}'s Settings > Hosted compute networking.`;
  return gitHubApiError("settings-in-use", error.status, `${error.message}${hint}`);
}

export async function createNetworkConfiguration(
  client: GitHubClient,
  props: NetworkConfigurationInputs,
): Promise<{ id: string; outs: NetworkConfigurationOutputs }> {
  if (!props.gitHubId)
    throw gitHubApiError(
      "invalid",
      undefined,
      `create network configuration "${props.name}" failed: the primary networkSettings resource has no GitHubId tag yet; GitHub's service writes it when the resource is created.`,
    );
  try {
    const answer = await client.rest(
      "POST",
      networkConfigurationsPath(ownerOf(props)),
      context(props, `create network configuration "${props.name}"`),
      { body: createNetworkConfigurationBody(specOf(props)) },
    );
    const state = parseNetworkConfiguration(answer.body);
    return { id: state.id, outs: outputsOf(props, state) };
  } catch (error) {
    if (isGitHubApiError(error, "settings-in-use")) throw await settingsInUseError(client, props, error, undefined);
    if (!isGitHubApiError(error, "name-taken")) throw error;
    // Name the existing configuration, so adopting it is one step.
    const existing = await findByName(client, props).catch(() => undefined);
    const adopt = existing
      ? ` It has id ${existing.id}: adopt it with the resource option import: "${existing.id}", or delete it in GitHub.`
      : "";
    throw gitHubApiError("name-taken", error.status, `${error.message}${adopt}`);
  }
}

/** The configuration as GitHub has it now; `undefined` when it was deleted outside Pulumi. */
export async function readNetworkConfiguration(
  client: GitHubClient,
  id: string,
  props: NetworkConfigurationInputs,
): Promise<NetworkConfigurationOutputs | undefined> {
  const answer = await client.rest(
    "GET",
    networkConfigurationPath(ownerOf(props), id),
    context(props, `read network configuration ${id}`),
    { accept: [200, 404] },
  );
  return answer.status === 404 ? undefined : outputsOf(props, parseNetworkConfiguration(answer.body));
}

export async function updateNetworkConfiguration(
  client: GitHubClient,
  id: string,
  olds: NetworkConfigurationOutputs,
  news: NetworkConfigurationInputs,
): Promise<NetworkConfigurationOutputs> {
  // Only the sign-in or a source changed (operationsFor stores the sign-in): nothing to send.
  if (UPDATE_KEYS.every((key) => JSON.stringify(olds[key]) === JSON.stringify(news[key]))) return withSourcesOf(olds, news);
  const answer = await client
    .rest("PATCH", networkConfigurationPath(ownerOf(news), id), context(news, `update network configuration "${news.name}" (${id})`), {
      body: updateNetworkConfigurationBody(specOf(news)),
      accept: [200, 404],
    })
    .catch(async (error: unknown) => {
      throw isGitHubApiError(error, "settings-in-use") ? await settingsInUseError(client, news, error, id) : error;
    });
  if (answer.status === 404) {
    throw gitHubApiError(
      "not-found",
      404,
      `update network configuration "${news.name}" failed: ${id} no longer exists in ${news.scope} "${news.slug}" (deleted outside Pulumi). Run pulumi refresh, then pulumi up to create it again.`,
    );
  }
  return outputsOf(news, parseNetworkConfiguration(answer.body));
}

/** Deletes the configuration; one that is already gone counts as deleted. */
export async function deleteNetworkConfiguration(client: GitHubClient, id: string, props: NetworkConfigurationInputs): Promise<void> {
  await client.rest(
    "DELETE",
    networkConfigurationPath(ownerOf(props), id),
    context(props, `delete network configuration "${props.name}" (${id})`),
    { accept: [204, 200, 404] },
  );
}

/** Fills defaults so state always holds every field. */
export function normalizeNetworkConfigurationInputs(news: Record<string, unknown>): Record<string, unknown> {
  return {
    ...news,
    apiUrl: isPlainString(news.apiUrl) ? normalizeApiUrl(news.apiUrl) : (news.apiUrl ?? normalizeApiUrl(undefined)),
    computeService: news.computeService ?? COMPUTE_SERVICE,
    failoverEnabled: news.failoverEnabled ?? false,
  };
}

/** The dynamic provider operations for network configurations; `connect` is replaceable for tests. */
export function networkConfigurationOperations(connect: Connect = connectToGitHub): ResourceOperations {
  return operationsFor<NetworkConfigurationInputs, NetworkConfigurationOutputs>(
    {
      normalize: normalizeNetworkConfigurationInputs,
      problems: networkConfigurationInputProblems,
      diff: diffNetworkConfiguration,
      create: createNetworkConfiguration,
      read: readNetworkConfiguration,
      update: updateNetworkConfiguration,
      delete: deleteNetworkConfiguration,
    },
    connect,
  );
}
