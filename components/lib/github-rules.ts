/**
 * GitHub's own rules, written once: the API URL and version, owner scopes and slugs, the network
 * configuration name, runner group visibilities, workflow references and the runner group
 * binding's input checks.
 * Used by the stack config checks (github-config.ts) and by components/github (requests and
 * dynamic providers), which import them from here.
 *
 * Pure and dependency-free on purpose: the dynamic providers run these checks inside Pulumi's
 * provider process (no Pulumi, no zod, no I/O here).
 */
import { isLoopbackUrl } from "./loopback";
import { quoted, type Problem } from "./problems";
import { redactSecrets } from "./redact";

export const GITHUB_API_URL = "https://api.github.com";
/**
 * REST API version sent as `X-GitHub-Api-Version` (docs.github.com, "API Versions"); the meta
 * schema in shared/reference (cli/endpoints.ts) has the same.
 */
export const GITHUB_API_VERSION = "2022-11-28";

export const OWNER_SCOPES = ["organization", "enterprise"] as const;
export type OwnerScope = (typeof OWNER_SCOPES)[number];

/** Runner group visibilities the organization create/update bodies allow. */
export const RUNNER_GROUP_VISIBILITIES = ["all", "selected", "private"] as const;
export type RunnerGroupVisibility = (typeof RUNNER_GROUP_VISIBILITIES)[number];
/**
 * Enterprise runner groups: all organizations or the selected ones; no `private` (GitHub's
 * Enterprise Cloud description, descriptions/ghec/ghec.2022-11-28.yaml, POST and PATCH
 * /enterprises/{enterprise}/actions/runner-groups).
 */
export const ENTERPRISE_RUNNER_GROUP_VISIBILITIES = ["all", "selected"] as const satisfies readonly RunnerGroupVisibility[];

/** Value Pulumi passes for inputs that are not known yet (preview); checks skip them. */
export const UNKNOWN_INPUT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether an input is one Pulumi does not know yet. */
export const isUnknownInput = (value: unknown) => value === UNKNOWN_INPUT;

// ---- validation -------------------------------------------------------------------------------

/** Name rule from the `name` description of the create/update bodies: 1-100 of a-z A-Z 0-9 . - _ */
export const CONFIGURATION_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** GitHub logins and enterprise slugs: letters, digits and single hyphens inside. */
export const OWNER_SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?$/;

/**
 * A workflow a runner group may run (`selected_workflows`): `owner/repo/.github/workflows/file.yml@ref`.
 * Owner: a GitHub login (1-39 letters, digits and single hyphens inside); repository: 1-100 of
 * letters, digits, '.', '-' and '_', not "." or ".."; a file directly under .github/workflows
 * (GitHub reads no subfolders) ending .yml or .yaml; a ref, tag or SHA after '@' (GitHub requires one).
 */
export const WORKFLOW_REFERENCE =
  /^(?<owner>[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})\/(?<repo>[A-Za-z0-9._-]{1,100})\/\.github\/workflows\/[^/@\s]+\.ya?ml@\S+$/;

export function workflowReferenceProblem(workflow: unknown): string | undefined {
  const allowed = "use owner/repo/.github/workflows/file.yml@ref (a branch, tag or SHA after '@')";
  if (typeof workflow !== "string") return `must be a string; ${allowed}`;
  const repo = WORKFLOW_REFERENCE.exec(workflow)?.groups?.repo;
  if (repo !== undefined && repo !== "." && repo !== "..") return undefined;
  return `${quoted(workflow)} is not allowed; ${allowed}`;
}

export function configurationNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "required; 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'";
  if (CONFIGURATION_NAME.test(name)) return undefined;
  return `${quoted(name)} is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`;
}

export function ownerSlugProblem(slug: unknown): string | undefined {
  if (typeof slug === "string" && OWNER_SLUG.test(slug)) return undefined;
  return `${typeof slug === "string" ? quoted(slug) : "a non-string"} is not allowed; use an organization login or enterprise slug (letters, digits and '-')`;
}

export function scopeProblem(scope: unknown): string | undefined {
  return (OWNER_SCOPES as readonly unknown[]).includes(scope)
    ? undefined
    : `${quoted(scope)} is not allowed; allowed: ${OWNER_SCOPES.join(", ")}`;
}

/**
 * The REST base URL: api.github.com, or `https://api.<subdomain>.ghe.com` for GHE.com. Plain http
 * only to this machine (a local emulator). The URL is echoed with its user-info (and anything
 * else shaped like a secret) redacted.
 */
export function apiUrlProblem(apiUrl: unknown): string | undefined {
  const allowed = `allowed: ${GITHUB_API_URL}, https://api.<subdomain>.ghe.com or another https URL (http only to localhost)`;
  if (typeof apiUrl !== "string") return `must be a URL; ${allowed}`;
  const shown = quoted(redactSecrets(apiUrl));
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return `${shown} is not a URL; ${allowed}`;
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackUrl(url))) {
    return url.search || url.hash || url.username || url.password
      ? `${shown} must not carry credentials, a query or a fragment; ${allowed}`
      : undefined;
  }
  return `${shown} is not allowed; ${allowed}`;
}

const isPositiveInteger = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value > 0;

/** How the group selector keys are called where the problems are reported (the stack config says name, id, create). */
export interface GroupKeyNames {
  runnerGroupName: string;
  runnerGroupId: string;
  createIfMissing: string;
}

const ARGUMENT_NAMES: GroupKeyNames = {
  runnerGroupName: "runnerGroupName",
  runnerGroupId: "runnerGroupId",
  createIfMissing: "createIfMissing",
};

/** The settings only a group the binding creates takes, and the owner each belongs to (undefined: both). */
const CREATED_GROUP_SETTINGS: Record<string, OwnerScope | undefined> = {
  visibility: undefined,
  selectedRepositoryIds: "organization",
  selectedOrganizationIds: "enterprise",
  allowsPublicRepositories: undefined,
  restrictedToWorkflows: undefined,
  selectedWorkflows: undefined,
};

/** Why a setting of one owner's runner groups is refused for the other's. */
const OTHER_OWNERS_SETTING: Record<OwnerScope, string> = {
  organization:
    "applies to organization runner groups only (scope organization); an enterprise runner group is shared with organizations: use selectedOrganizationIds",
  enterprise:
    "applies to enterprise runner groups only (scope enterprise); an organization runner group is shared with repositories: use selectedRepositoryIds",
};

/**
 * A runner group binding's inputs: the owner (`organization` or `enterprise`, exactly one), the
 * configuration, the group (by name or id) and the settings of a group it creates, which differ
 * by owner: repositories for an organization's group, organizations for an enterprise's.
 */
export function runnerGroupBindingInputProblems(inputs: Record<string, unknown>, names: GroupKeyNames = ARGUMENT_NAMES): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string | undefined) => message && problems.push({ path, message });
  const given = (key: string) => inputs[key] !== undefined && !isUnknownInput(inputs[key]);
  const scope: OwnerScope | undefined =
    inputs.enterprise !== undefined ? "enterprise" : inputs.organization !== undefined ? "organization" : undefined;
  if (inputs.organization !== undefined && inputs.enterprise !== undefined)
    add("enterprise", "give exactly one of organization and enterprise: a runner group belongs to one of them");
  else if (scope === undefined)
    add("organization", "required: the organization login (or enterprise: the enterprise slug) that owns the runner group");
  else if (!isUnknownInput(inputs[scope])) add(scope, ownerSlugProblem(inputs[scope]));
  if (given("apiUrl")) add("apiUrl", apiUrlProblem(inputs.apiUrl));
  if (
    !isUnknownInput(inputs.networkConfigurationId) &&
    (typeof inputs.networkConfigurationId !== "string" || inputs.networkConfigurationId === "")
  ) {
    add("networkConfigurationId", "required: the id of the network configuration to attach");
  }
  const byName = inputs.runnerGroupName !== undefined;
  const byId = inputs.runnerGroupId !== undefined;
  if (byName === byId)
    add(byName ? names.runnerGroupId : names.runnerGroupName, `give exactly one of ${names.runnerGroupName} and ${names.runnerGroupId}`);
  if (
    given("runnerGroupName") &&
    (typeof inputs.runnerGroupName !== "string" ||
      inputs.runnerGroupName.trim() === "" ||
      inputs.runnerGroupName.trim() !== inputs.runnerGroupName)
  ) {
    add(names.runnerGroupName, "must be a non-empty name without leading or trailing spaces");
  }
  if (given("runnerGroupId") && !isPositiveInteger(inputs.runnerGroupId))
    add(names.runnerGroupId, `${quoted(inputs.runnerGroupId)} is not allowed; use the group's numeric id`);
  if (given("createIfMissing") && typeof inputs.createIfMissing !== "boolean") add(names.createIfMissing, "must be true or false");
  if (inputs.createIfMissing === true && byId)
    add(names.createIfMissing, `applies to ${names.runnerGroupName} only: a group is created by name`);
  const creating = inputs.createIfMissing === true;
  for (const [key, owner] of Object.entries(CREATED_GROUP_SETTINGS)) {
    if (!given(key)) continue;
    if (owner !== undefined && scope !== undefined && owner !== scope) add(key, OTHER_OWNERS_SETTING[owner]);
    else if (!creating) add(key, `applies only with ${names.createIfMissing}: true (settings of a group this binding creates)`);
  }
  const visibilities: readonly string[] = scope === "enterprise" ? ENTERPRISE_RUNNER_GROUP_VISIBILITIES : RUNNER_GROUP_VISIBILITIES;
  if (given("visibility") && !visibilities.includes(inputs.visibility as string)) {
    const whose = scope === "enterprise" ? " for an enterprise runner group" : "";
    add("visibility", `${quoted(inputs.visibility)} is not allowed${whose}; allowed: ${visibilities.join(", ")}`);
  }
  for (const [key, what] of [
    ["selectedRepositoryIds", "repository"],
    ["selectedOrganizationIds", "organization"],
  ] as const) {
    if (!given(key) || (scope !== undefined && CREATED_GROUP_SETTINGS[key] !== scope)) continue;
    const ids = inputs[key];
    if (!Array.isArray(ids) || !ids.every(isPositiveInteger)) add(key, `must be a list of numeric ${what} ids`);
    else if (inputs.visibility !== "selected") add(key, 'applies only with visibility "selected"');
  }
  if (given("allowsPublicRepositories") && typeof inputs.allowsPublicRepositories !== "boolean")
    add("allowsPublicRepositories", "must be true or false");
  if (given("restrictedToWorkflows") && typeof inputs.restrictedToWorkflows !== "boolean")
    add("restrictedToWorkflows", "must be true or false");
  if (given("selectedWorkflows")) problems.push(...selectedWorkflowsProblems(inputs.selectedWorkflows, inputs.restrictedToWorkflows));
  return problems;
}

function selectedWorkflowsProblems(workflows: unknown, restricted: unknown): Problem[] {
  if (!Array.isArray(workflows))
    return [{ path: "selectedWorkflows", message: "must be a list of owner/repo/.github/workflows/file.yml@ref" }];
  const problems: Problem[] = [];
  workflows.forEach((workflow: unknown, index) => {
    const message =
      workflowReferenceProblem(workflow) ?? (workflows.indexOf(workflow) < index ? "listed twice; list each workflow once" : undefined);
    if (message) problems.push({ path: `selectedWorkflows[${index}]`, message });
  });
  // GitHub ignores the list unless the group is restricted to workflows.
  if (restricted !== true && !isUnknownInput(restricted))
    problems.push({ path: "selectedWorkflows", message: "applies only with restrictedToWorkflows: true" });
  return problems;
}
