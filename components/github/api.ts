/**
 * GitHub REST and GraphQL requests for hosted compute network configurations and network settings,
 * organization and enterprise runner groups and the `databaseId` lookup: paths, bodies, validation
 * and response parsing.
 *
 * Pure and dependency-free on purpose: Pulumi serializes the dynamic providers by value, and this
 * module travels with them into the provider process (no Pulumi, no zod, no I/O here).
 *
 * Request fields come from GitHub's OpenAPI description, copies in ../shared/reference:
 * - openapi-org-network-configurations-paths.yaml: POST/PATCH `/orgs/{org}/settings/network-configurations[/{id}]`
 *   request bodies `name`, `compute_service`, `network_settings_ids` (exactly one on create),
 *   `failover_network_settings_ids` (0-1), `failover_network_enabled`.
 * - openapi-enterprise-network-configurations-paths.yaml: the same fields under `/enterprises/{enterprise}/network-configurations`.
 * - openapi-network-configuration-and-network-settings-schemas.yaml: the `network-configuration` and
 *   `network-settings` responses; the network settings GETs are in both paths files.
 * - openapi-org-runner-groups-network_configuration_id.yaml: runner group POST/PATCH with `network_configuration_id`
 *   (nullable on PATCH) and the `runner-groups-org` response.
 * - Enterprise runner groups: GitHub's Enterprise Cloud description (descriptions/ghec/ghec.2022-11-28.yaml),
 *   POST/PATCH `/enterprises/{enterprise}/actions/runner-groups[/{id}]` with `selected_organization_ids`
 *   (create only), visibility `all` or `selected`, and `network_configuration_id` as for organizations;
 *   transcribed in test/support/github-api/enterprise-runner-groups-*.json.
 * - databaseid-queries-and-subnet-deletion.md: GraphQL `organization(login:)` / `enterprise(slug:)` `databaseId`.
 */

import { GITHUB_API_URL, type OwnerScope, type RunnerGroupVisibility } from "../lib/github-rules";

// The rules (URL, version, scopes, slugs, names, visibilities, workflow references) live in ../lib/github-rules.
export {
  GITHUB_API_URL,
  GITHUB_API_VERSION,
  OWNER_SCOPES,
  RUNNER_GROUP_VISIBILITIES,
  UNKNOWN_INPUT,
  apiUrlProblem,
  isUnknownInput,
  configurationNameProblem,
  ownerSlugProblem,
  scopeProblem,
  workflowReferenceProblem,
  type OwnerScope,
  type RunnerGroupVisibility,
} from "../lib/github-rules";

/** The organization or enterprise that owns a network configuration. */
export interface Owner {
  scope: OwnerScope;
  /** Organization login or enterprise slug. */
  slug: string;
}

/** The only compute service this product configures (the API also knows `none`). */
export const COMPUTE_SERVICE = "actions";

// ---- URLs -------------------------------------------------------------------------------------

/** Base URL without a trailing slash, so paths join cleanly. */
export function normalizeApiUrl(apiUrl: string | undefined): string {
  return (apiUrl ?? GITHUB_API_URL).replace(/\/+$/, "");
}

/** GitHub.com and GHE.com serve GraphQL at `<api>/graphql`. */
export function graphqlUrl(apiUrl: string | undefined): string {
  return `${normalizeApiUrl(apiUrl)}/graphql`;
}

// ---- network configurations -------------------------------------------------------------------

export function networkConfigurationsPath(owner: Owner): string {
  const slug = encodeURIComponent(owner.slug);
  return owner.scope === "enterprise" ? `/enterprises/${slug}/network-configurations` : `/orgs/${slug}/settings/network-configurations`;
}

export function networkConfigurationPath(owner: Owner, id: string): string {
  return `${networkConfigurationsPath(owner)}/${encodeURIComponent(id)}`;
}

/** What we ask GitHub to hold. `gitHubId` is the networkSettings resource's `GitHubId` tag. */
export interface NetworkConfigurationSpec {
  name: string;
  gitHubId: string;
  failoverGitHubId?: string;
  failoverEnabled: boolean;
}

/** What GitHub reports back. */
export interface NetworkConfigurationState extends NetworkConfigurationSpec {
  id: string;
  computeService?: string;
  createdOn: string | null;
}

export interface NetworkConfigurationBody {
  name: string;
  compute_service: typeof COMPUTE_SERVICE;
  network_settings_ids: string[];
  failover_network_settings_ids?: string[];
  failover_network_enabled?: boolean;
}

/** POST body: failover fields only when there is a failover network. */
export function createNetworkConfigurationBody(spec: NetworkConfigurationSpec): NetworkConfigurationBody {
  const body: NetworkConfigurationBody = { name: spec.name, compute_service: COMPUTE_SERVICE, network_settings_ids: [spec.gitHubId] };
  if (spec.failoverGitHubId !== undefined) {
    body.failover_network_settings_ids = [spec.failoverGitHubId];
    body.failover_network_enabled = spec.failoverEnabled;
  }
  return body;
}

/**
 * PATCH body: the whole desired state. An empty `failover_network_settings_ids` (minItems 0 on
 * PATCH) removes a failover network; the API description does not say so in words, see README.
 */
export function updateNetworkConfigurationBody(spec: NetworkConfigurationSpec): Required<NetworkConfigurationBody> {
  return {
    name: spec.name,
    compute_service: COMPUTE_SERVICE,
    network_settings_ids: [spec.gitHubId],
    failover_network_settings_ids: spec.failoverGitHubId === undefined ? [] : [spec.failoverGitHubId],
    failover_network_enabled: spec.failoverGitHubId === undefined ? false : spec.failoverEnabled,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;

/** Parses a `network-configuration` response; throws on a shape we do not understand. */
export function parseNetworkConfiguration(body: unknown): NetworkConfigurationState {
  if (!isObject(body) || typeof body.id !== "string" || typeof body.name !== "string") {
    throw new Error("GitHub answered with something that is not a network configuration (no id or name)");
  }
  const primary = stringList(body.network_settings_ids) ?? [];
  const failover = stringList(body.failover_network_settings_ids) ?? [];
  return {
    id: body.id,
    name: body.name,
    computeService: typeof body.compute_service === "string" ? body.compute_service : undefined,
    gitHubId: primary[0] ?? "",
    failoverGitHubId: failover[0],
    failoverEnabled: body.failover_network_enabled === true,
    createdOn: typeof body.created_on === "string" ? body.created_on : null,
  };
}

/** The configurations in one page of the list endpoint. */
export function parseNetworkConfigurationList(body: unknown): NetworkConfigurationState[] {
  if (!isObject(body) || !Array.isArray(body.network_configurations)) {
    throw new Error("GitHub answered the list of network configurations with an unexpected shape");
  }
  return body.network_configurations.map(parseNetworkConfiguration);
}

// ---- network settings as GitHub sees them -------------------------------------------------------

/** `GET` a network settings resource by its id (the Azure resource's `GitHubId` tag). */
export function networkSettingsPath(owner: Owner, id: string): string {
  const slug = encodeURIComponent(owner.slug);
  const settings = owner.scope === "enterprise" ? `/enterprises/${slug}/network-settings` : `/orgs/${slug}/settings/network-settings`;
  return `${settings}/${encodeURIComponent(id)}`;
}

/** What GitHub knows of a network settings resource. */
export interface NetworkSettingsState {
  id: string;
  name: string;
  subnetId: string;
  region: string;
  /** The configuration using it; undefined when none does. */
  networkConfigurationId?: string;
}

/** Parses a `network-settings` response; throws on a shape we do not understand. */
export function parseNetworkSettings(body: unknown): NetworkSettingsState {
  if (
    !isObject(body) ||
    typeof body.id !== "string" ||
    typeof body.name !== "string" ||
    typeof body.subnet_id !== "string" ||
    typeof body.region !== "string"
  ) {
    throw new Error("GitHub answered with something that is not a network settings resource (no id, name, subnet_id or region)");
  }
  return {
    id: body.id,
    name: body.name,
    subnetId: body.subnet_id,
    region: body.region,
    ...(typeof body.network_configuration_id === "string" && body.network_configuration_id !== ""
      ? { networkConfigurationId: body.network_configuration_id }
      : {}),
  };
}

// ---- runner groups (organization and enterprise) ------------------------------------------------

export function runnerGroupsPath(owner: Owner): string {
  const slug = encodeURIComponent(owner.slug);
  return owner.scope === "enterprise" ? `/enterprises/${slug}/actions/runner-groups` : `/orgs/${slug}/actions/runner-groups`;
}

export function runnerGroupPath(owner: Owner, id: number): string {
  return `${runnerGroupsPath(owner)}/${id}`;
}

export interface RunnerGroupState {
  id: number;
  name: string;
  visibility: string;
  allowsPublicRepositories: boolean;
  /** Whether only `selectedWorkflows` may use the group (GitHub's default false). */
  restrictedToWorkflows: boolean;
  selectedWorkflows: string[];
  /** Undefined when no configuration is attached. */
  networkConfigurationId?: string;
}

/** A group's workflow restriction (`selectedWorkflows` counts only when `restrictedToWorkflows`). */
export interface WorkflowRestriction {
  restrictedToWorkflows?: boolean;
  selectedWorkflows?: string[];
}

/** Settings a runner group gets when this product creates it. */
export interface NewRunnerGroup extends WorkflowRestriction {
  name: string;
  visibility?: RunnerGroupVisibility;
  /** Organization groups only. */
  selectedRepositoryIds?: number[];
  /** Enterprise groups only: the organizations (by id) a `selected` group serves. */
  selectedOrganizationIds?: number[];
  allowsPublicRepositories?: boolean;
}

function workflowRestrictionFields(settings: WorkflowRestriction): Record<string, unknown> {
  return {
    ...(settings.restrictedToWorkflows === undefined ? {} : { restricted_to_workflows: settings.restrictedToWorkflows }),
    ...(settings.selectedWorkflows === undefined ? {} : { selected_workflows: settings.selectedWorkflows }),
  };
}

export function createRunnerGroupBody(group: NewRunnerGroup, networkConfigurationId: string): Record<string, unknown> {
  return {
    name: group.name,
    ...(group.visibility === undefined ? {} : { visibility: group.visibility }),
    ...(group.selectedRepositoryIds === undefined ? {} : { selected_repository_ids: group.selectedRepositoryIds }),
    ...(group.selectedOrganizationIds === undefined ? {} : { selected_organization_ids: group.selectedOrganizationIds }),
    ...(group.allowsPublicRepositories === undefined ? {} : { allows_public_repositories: group.allowsPublicRepositories }),
    ...workflowRestrictionFields(group),
    network_configuration_id: networkConfigurationId,
  };
}

/**
 * PATCH body. `name` is required by the schema, so the current name is sent back unchanged;
 * `null` detaches the configuration.
 */
export function updateRunnerGroupBody(
  name: string,
  networkConfigurationId: string | null,
  settings: { visibility?: RunnerGroupVisibility; allowsPublicRepositories?: boolean } & WorkflowRestriction = {},
): Record<string, unknown> {
  return {
    name,
    ...(settings.visibility === undefined ? {} : { visibility: settings.visibility }),
    ...(settings.allowsPublicRepositories === undefined ? {} : { allows_public_repositories: settings.allowsPublicRepositories }),
    ...workflowRestrictionFields(settings),
    network_configuration_id: networkConfigurationId,
  };
}

export function parseRunnerGroup(body: unknown): RunnerGroupState {
  if (!isObject(body) || typeof body.id !== "number" || typeof body.name !== "string") {
    throw new Error("GitHub answered with something that is not a runner group (no id or name)");
  }
  return {
    id: body.id,
    name: body.name,
    visibility: typeof body.visibility === "string" ? body.visibility : "all",
    allowsPublicRepositories: body.allows_public_repositories === true,
    restrictedToWorkflows: body.restricted_to_workflows === true,
    selectedWorkflows: Array.isArray(body.selected_workflows)
      ? body.selected_workflows.filter((workflow): workflow is string => typeof workflow === "string")
      : [],
    networkConfigurationId:
      typeof body.network_configuration_id === "string" && body.network_configuration_id !== "" ? body.network_configuration_id : undefined,
  };
}

/** One page of `GET /orgs/{org}/actions/runner-groups` or its enterprise twin (`{ total_count, runner_groups }`, GitHub REST docs). */
export function parseRunnerGroupList(body: unknown): RunnerGroupState[] {
  if (!isObject(body) || !Array.isArray(body.runner_groups))
    throw new Error("GitHub answered the list of runner groups with an unexpected shape");
  return body.runner_groups.map(parseRunnerGroup);
}

// ---- databaseId lookup (GraphQL) --------------------------------------------------------------

export function databaseIdQuery(owner: Owner): { query: string; variables: Record<string, string> } {
  return owner.scope === "enterprise"
    ? { query: "query($slug: String!) { enterprise(slug: $slug) { slug databaseId } }", variables: { slug: owner.slug } }
    : { query: "query($login: String!) { organization(login: $login) { login databaseId } }", variables: { login: owner.slug } };
}

/** `unexpected`: the answer is not a GraphQL answer at all (neither `data` nor `errors`), so nothing is known about the owner. */
export type DatabaseIdAnswer = { found: true; databaseId: string } | { found: false; reason: string; unexpected?: true };

/** Reads `databaseId` from the GraphQL answer; `null` data (not found, no access) becomes a reason. */
export function parseDatabaseIdAnswer(owner: Owner, body: unknown): DatabaseIdAnswer {
  const field = owner.scope === "enterprise" ? "enterprise" : "organization";
  if (!isObject(body) || !("data" in body || "errors" in body)) {
    const what = isObject(body)
      ? "an object without data or errors"
      : Array.isArray(body)
        ? "a list"
        : body === null || body === undefined
          ? "nothing"
          : `a ${typeof body}`;
    return { found: false, reason: `GitHub's GraphQL endpoint answered with ${what}, not a GraphQL answer`, unexpected: true };
  }
  const data = isObject(body) && isObject(body.data) ? body.data : undefined;
  const node = data && isObject(data[field]) ? data[field] : undefined;
  if (node && (typeof node.databaseId === "number" || typeof node.databaseId === "string")) {
    return { found: true, databaseId: String(node.databaseId) };
  }
  const errors = isObject(body) && Array.isArray(body.errors) ? body.errors : [];
  const messages = errors.map((e) => (isObject(e) && typeof e.message === "string" ? e.message : "")).filter(Boolean);
  return { found: false, reason: messages.length ? messages.join("; ") : `no ${field} "${owner.slug}" is visible to this token` };
}
