/**
 * The stack config's github section: owner, API URL, the network configuration and its runner
 * groups, and what they must agree with across networks. The rules themselves are GitHub's
 * (github-rules.ts), shared with components/github's dynamic providers.
 */
import { z } from "zod";
import { apiUrlProblem, configurationNameProblem, OWNER_SCOPES, OWNER_SLUG, RUNNER_GROUP_VISIBILITIES, runnerGroupBindingInputProblems, UNKNOWN_INPUT } from "./github-rules";
import { businessIdSchema } from "./network-schema";
import { checkedBy, describe, oneOf, strictObject, type ValidationIssue } from "./schema-helpers";

/** An organization runner group to attach the network configuration to (see GitHubRunnerGroupBinding). */
const runnerGroupEntrySchema = strictObject({
  name: z.string(describe("the runner group's name")).optional(),
  id: z.number(describe("the runner group's numeric id")).optional(),
  create: z.boolean(describe("true (create the group when missing) or false")).optional(),
  visibility: oneOf(RUNNER_GROUP_VISIBILITIES).optional(),
  selectedRepositoryIds: z.array(z.number(describe("a numeric repository id")), describe("a list of numeric repository ids")).optional(),
  allowsPublicRepositories: z.boolean(describe("true or false")).optional(),
});

/** The GitHub network configuration this stack manages (GitHubNetworkConfiguration). */
const networkConfigurationSchema = strictObject({
  name: checkedBy("1-100 of a-z, A-Z, 0-9, '.', '-' and '_'", configurationNameProblem),
  primaryNetwork: z.string(describe("the name of a network with role primary")).optional(),
  failoverEnabled: z.boolean(describe("true (runners use the failover network) or false")).optional(),
  runnerGroups: z.array(runnerGroupEntrySchema, describe("a list of runner groups, each with name or id")).optional(),
});

export const gitHubConfigSchema = strictObject({
    // Required unless a GitHub token can look it up from slug (see validateStackConfig).
    businessId: businessIdSchema.optional(),
    scope: oneOf(OWNER_SCOPES),
    slug: z.string(describe("your organization login or enterprise slug")).regex(OWNER_SLUG, "must be letters, digits and '-' (an organization login or enterprise slug)"),
    apiUrl: checkedBy("the GitHub API URL", apiUrlProblem).optional(),
    networkConfiguration: networkConfigurationSchema.optional(),
});

export type GitHubConfig = z.output<typeof gitHubConfigSchema>;

/**
 * What github.networkConfiguration must agree with: the networks (one primary, the failover) and
 * the scope (runner groups are attached at organization level only).
 */
export function networkConfigurationProblems(github: GitHubConfig, rawNetworks: unknown[]): ValidationIssue[] {
  const settings = github.networkConfiguration;
  if (!settings) return [];
  const at = (key: string) => `github.networkConfiguration.${key}`;
  const issues: ValidationIssue[] = [];
  const entries = rawNetworks.map((raw) => raw as { name?: unknown; role?: unknown } | null);
  const primaries = entries.filter((n) => n?.role !== "failover" && typeof n?.name === "string").map((n) => n!.name as string);
  if (settings.primaryNetwork !== undefined && !primaries.includes(settings.primaryNetwork)) {
    issues.push({ path: at("primaryNetwork"), message: `"${settings.primaryNetwork}" is not a network with role primary; allowed: ${primaries.join(", ")}` });
  } else if (settings.primaryNetwork === undefined && primaries.length > 1) {
    issues.push({ path: at("primaryNetwork"), message: `required: ${primaries.length} networks have role primary and a configuration takes one; allowed: ${primaries.join(", ")}` });
  }
  if (settings.failoverEnabled === true && !entries.some((n) => n?.role === "failover")) {
    issues.push({ path: at("failoverEnabled"), message: "true needs a network with role failover to switch to" });
  }
  const groups = settings.runnerGroups ?? [];
  if (groups.length && github.scope === "enterprise") {
    issues.push({
      path: at("runnerGroups"),
      message: "applies to scope organization only: GitHub's API description documents network_configuration_id on organization runner groups, not enterprise ones; attach an enterprise configuration to enterprise runner groups in GitHub (Enterprise settings > Actions > Runner groups)",
    });
    return issues;
  }
  const seen = new Map<string, number>();
  groups.forEach((group, index) => {
    const problems = runnerGroupBindingInputProblems(
      { organization: UNKNOWN_INPUT, networkConfigurationId: UNKNOWN_INPUT, runnerGroupName: group.name, runnerGroupId: group.id, createIfMissing: group.create, visibility: group.visibility, selectedRepositoryIds: group.selectedRepositoryIds, allowsPublicRepositories: group.allowsPublicRepositories },
      { runnerGroupName: "name", runnerGroupId: "id", createIfMissing: "create" },
    );
    for (const problem of problems) issues.push({ path: at(`runnerGroups[${index}].${problem.property}`), message: problem.reason });
    const key = group.name !== undefined ? `name:${group.name.toLowerCase()}` : `id:${group.id}`;
    const previous = seen.get(key);
    if (previous !== undefined) issues.push({ path: at(`runnerGroups[${index}]`), message: `names the same group as runnerGroups[${previous}]; list each group once` });
    else seen.set(key, index);
  });
  return issues;
}
