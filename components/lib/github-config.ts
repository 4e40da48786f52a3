/**
 * The stack config's github section: owner, API URL, the network configuration and its runner
 * groups, and what they must agree with across networks. The rules themselves are GitHub's
 * (github-rules.ts), shared with components/github's dynamic providers.
 */
import { z } from "zod";
import {
  apiUrlProblem,
  configurationNameProblem,
  ENTERPRISE_RUNNER_GROUP_VISIBILITIES,
  OWNER_SCOPES,
  OWNER_SLUG,
  RUNNER_GROUP_VISIBILITIES,
  runnerGroupBindingInputProblems,
  UNKNOWN_INPUT,
} from "./github-rules";
import { appIdProblem, installationIdProblem, PRIVATE_KEY_SET_COMMAND } from "./github-app";
import { businessIdSchema, dataResidencySchema } from "./network-schema";
import { gheComApiUrl } from "./ghecom";
import { isLoopbackUrlText } from "./loopback";
import { checkedBy, describe, oneOf, strictObject } from "./schema-helpers";
import { quoted, underPath, type Problem } from "./problems";

const inCode = (value: string) => `\`${value}\``;

/** A runner group of the organization or enterprise to attach the network configuration to (see GitHubRunnerGroupBinding). */
const runnerGroupEntrySchema = strictObject({
  name: z
    .string(describe("the runner group's name"))
    .optional()
    .meta({ required: "`name` or `id`", description: "The runner group's name." }),
  id: z
    .number(describe("the runner group's numeric id"))
    .optional()
    .meta({ required: "`name` or `id`", description: "The numeric id of an existing group: attached, detached on destroy." }),
  create: z.boolean(describe("true (create the group when missing) or false")).optional().meta({
    default: "`false`",
    allowed: "`true` only with `name`",
    description: "Create the group when missing (then it is this stack's: destroy deletes it).",
  }),
  visibility: oneOf(RUNNER_GROUP_VISIBILITIES)
    .optional()
    .meta({
      allowed: `with \`create: true\` only; scope \`enterprise\`: ${ENTERPRISE_RUNNER_GROUP_VISIBILITIES.map(inCode).join(" or ")}`,
      description: "The visibility of a created group; updated in place.",
    }),
  selectedRepositoryIds: z
    .array(z.number(describe("a numeric repository id")), describe("a list of numeric repository ids"))
    .optional()
    .meta({
      allowed: "with `create: true` and `visibility: selected` only; scope `organization` only",
      description: "The repositories a created organization group serves; set at creation only.",
    }),
  selectedOrganizationIds: z
    .array(z.number(describe("a numeric organization id")), describe("a list of numeric organization ids"))
    .optional()
    .meta({
      allowed: "with `create: true` and `visibility: selected` only; scope `enterprise` only",
      description: "The organizations (by id) a created enterprise group serves; set at creation only.",
    }),
  allowsPublicRepositories: z
    .boolean(describe("true or false"))
    .optional()
    .meta({ allowed: "with `create: true` only", description: "Whether a created group serves public repositories; updated in place." }),
  restrictedToWorkflows: z.boolean(describe("true (only the selectedWorkflows may use the group) or false")).optional().meta({
    default: "`false`",
    allowed: "with `create: true` only",
    description: "Whether a created group runs only the workflows in `selectedWorkflows`; updated in place.",
  }),
  selectedWorkflows: z
    .array(z.string(describe("owner/repo/.github/workflows/file.yml@ref")), describe("a list of owner/repo/.github/workflows/file.yml@ref"))
    .optional()
    .meta({
      allowed: "with `create: true` and `restrictedToWorkflows: true` only; each `owner/repo/.github/workflows/file.yml@ref`",
      description: "The workflows a created group may run (a branch, tag or SHA after `@`); updated in place.",
    }),
});

/** The GitHub network configuration this stack manages (GitHubNetworkConfiguration). */
const networkConfigurationSchema = strictObject({
  name: checkedBy("1-100 of a-z, A-Z, 0-9, '.', '-' and '_'", configurationNameProblem).meta({
    allowed: "1–100 of `a-z A-Z 0-9 . - _` (GitHub's rule)",
    description: "The network configuration's name in GitHub; renaming is an in-place update.",
  }),
  primaryNetwork: z.string(describe("the name of a network with role primary")).optional().meta({
    default: "the one network with role `primary`",
    allowed: "a network with role `primary`",
    description: "The configuration's network; needed only when several networks have role `primary`.",
  }),
  failoverEnabled: z.boolean(describe("true (runners use the failover network) or false")).optional().meta({
    default: "`false`",
    allowed: "`true` needs a `role: failover` network",
    description: "Route runners through the failover network; see [Failover](#failover).",
  }),
  runnerGroups: z.array(runnerGroupEntrySchema, describe("a list of runner groups, each with name or id")).optional().meta({
    default: "none",
    allowed:
      "`{ name }` or `{ id }` of a group of `slug` (organization or enterprise groups, by `scope`); `create`, `visibility`, `selectedRepositoryIds` (organization) or `selectedOrganizationIds` (enterprise), `allowsPublicRepositories`, `restrictedToWorkflows`, `selectedWorkflows` only with `create: true` (by name)",
    description: "Runner groups to attach the configuration to; see [Runner groups](#runner-groups).",
  }),
});

/** A GitHub App id in the config: a number, or text (digits as an environment variable gives them, or a client ID). */
const appNumber = (problem: (value: unknown) => string | undefined) =>
  z
    .union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? "required" : problem(issue.input)) })
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    });

/** Signing in as a GitHub App installation (README, "GitHub App sign-in"); each key may come from the environment instead. */
const gitHubAppSchema = strictObject({
  appId: appNumber(appIdProblem).optional().meta({
    type: "client ID, or number or digits",
    required: "yes, or `GITHUB_APP_ID`",
    description: "The GitHub App's client ID (`Iv…`, which GitHub recommends) or its numeric App ID (both on its settings page).",
  }),
  installationId: appNumber(installationIdProblem).optional().meta({
    type: "number or digits",
    required: "yes, or `GITHUB_APP_INSTALLATION_ID`",
    description: "The id of the app's installation on the organization (the end of the installation's settings URL).",
  }),
  // Never echoed in messages: it is a credential.
  privateKey: z
    .string({
      error: (issue) => (issue.input === undefined ? "required" : `must be the PEM text, set as a secret: ${PRIVATE_KEY_SET_COMMAND}`),
    })
    .optional()
    .meta({
      required: "to change GitHub: here or `GITHUB_APP_PRIVATE_KEY`",
      allowed: `a Pulumi secret (\`${PRIVATE_KEY_SET_COMMAND}\`); a plain-text value is refused`,
      description: "The app's private key, the PEM file from its settings.",
    }),
});

export const gitHubConfigSchema = strictObject({
  // Required unless a GitHub token or app can look it up from slug (see validateStackConfig).
  businessId: businessIdSchema.optional().meta({
    type: "string (digits) or number",
    required: "yes, unless a `githubToken` or `github.app` can look it up from `slug`",
    allowed: "digits only",
    description: "The GraphQL databaseId of the organization or enterprise; see [businessId lookup](#businessid-lookup).",
  }),
  scope: oneOf(OWNER_SCOPES).meta({ description: "Whether `slug` names an organization or an enterprise." }),
  slug: z
    .string(describe("your organization login or enterprise slug"))
    .regex(OWNER_SLUG, "must be letters, digits and '-' (an organization login or enterprise slug)")
    .meta({ allowed: "letters, digits and `-`", description: "The organization login or enterprise slug." }),
  dataResidency: dataResidencySchema.optional().meta({
    default: "none (github.com)",
    description:
      "A GHE.com enterprise (data residency): regions, NSG ranges, firewall hosts and the API URL become GHE.com's; see [GHE.com](#ghecom-data-residency).",
  }),
  apiUrl: checkedBy("the GitHub API URL", apiUrlProblem).optional().meta({
    default: "`https://api.github.com`; with `dataResidency`, `https://api.SUBDOMAIN.ghe.com`",
    allowed: "https URL (http only to localhost, for emulators); GHE.com: `https://api.SUBDOMAIN.ghe.com`",
    description: "The GitHub API URL.",
  }),
  networkConfiguration: networkConfigurationSchema.optional().meta({
    default: "none",
    description:
      "The GitHub network configuration this stack manages; see [GitHub](#github-network-configuration-runner-groups-and-failover).",
  }),
  app: gitHubAppSchema.optional().meta({
    default: "none (`githubToken`, or the `GITHUB_APP_*` environment variables)",
    allowed: "not with `githubToken`",
    description: "Sign in as a GitHub App installation instead of a token; see [GitHub App sign-in](#github-app-sign-in).",
  }),
});

export type GitHubConfig = z.output<typeof gitHubConfigSchema>;
export type RunnerGroupEntry = NonNullable<NonNullable<GitHubConfig["networkConfiguration"]>["runnerGroups"]>[number];

/** A `runnerGroups` entry as the runner group binding's arguments (the stack config's short key names mapped). */
export function runnerGroupBindingArgs(group: RunnerGroupEntry) {
  return {
    runnerGroupName: group.name,
    runnerGroupId: group.id,
    createIfMissing: group.create,
    visibility: group.visibility,
    selectedRepositoryIds: group.selectedRepositoryIds,
    selectedOrganizationIds: group.selectedOrganizationIds,
    allowsPublicRepositories: group.allowsPublicRepositories,
    restrictedToWorkflows: group.restrictedToWorkflows,
    selectedWorkflows: group.selectedWorkflows,
  };
}

/** The API URL the stack talks to: the given one, the GHE.com enterprise's, or github.com's (undefined). */
export function effectiveApiUrl(github: Pick<GitHubConfig, "apiUrl" | "dataResidency">): string | undefined {
  return github.apiUrl ?? (github.dataResidency ? gheComApiUrl(github.dataResidency) : undefined);
}

/** With dataResidency, an apiUrl must be the enterprise's own (or a local emulator). */
export function dataResidencyProblems(github: GitHubConfig): Problem[] {
  const residency = github.dataResidency;
  if (!residency || github.apiUrl === undefined || isLoopbackUrlText(github.apiUrl)) return [];
  const expected = gheComApiUrl(residency);
  if (github.apiUrl.replace(/\/+$/, "").toLowerCase() === expected) return [];
  return [
    {
      path: "github.apiUrl",
      message: `${quoted(github.apiUrl)} is not the API of ${residency.subdomain}.ghe.com; allowed: ${expected} (the default with dataResidency; leave apiUrl out), or an http://localhost URL for an emulator`,
    },
  ];
}

/**
 * What github.networkConfiguration must agree with: the networks (one primary, the failover) and
 * the scope (its runner groups are the organization's or the enterprise's, with their own settings).
 */
export function networkConfigurationProblems(github: GitHubConfig, rawNetworks: unknown[]): Problem[] {
  const settings = github.networkConfiguration;
  if (!settings) return [];
  const at = (key: string) => `github.networkConfiguration.${key}`;
  const issues: Problem[] = [];
  const entries = rawNetworks.map((raw) => raw as { name?: unknown; role?: unknown } | null);
  const primaries = entries.filter((n) => n?.role !== "failover" && typeof n?.name === "string").map((n) => n!.name as string);
  if (settings.primaryNetwork !== undefined && !primaries.includes(settings.primaryNetwork)) {
    issues.push({
      path: at("primaryNetwork"),
      message: `${quoted(settings.primaryNetwork)} is not a network with role primary; allowed: ${primaries.join(", ")}`,
    });
  } else if (settings.primaryNetwork === undefined && primaries.length > 1) {
    issues.push({
      path: at("primaryNetwork"),
      message: `required: ${primaries.length} networks have role primary and a configuration takes one; allowed: ${primaries.join(", ")}`,
    });
  }
  if (settings.failoverEnabled === true && !entries.some((n) => n?.role === "failover")) {
    issues.push({ path: at("failoverEnabled"), message: "true needs a network with role failover to switch to" });
  }
  const groups = settings.runnerGroups ?? [];
  const seen = new Map<string, number>();
  groups.forEach((group, index) => {
    const problems = runnerGroupBindingInputProblems(
      { [github.scope]: UNKNOWN_INPUT, networkConfigurationId: UNKNOWN_INPUT, ...runnerGroupBindingArgs(group) },
      { runnerGroupName: "name", runnerGroupId: "id", createIfMissing: "create" },
    );
    issues.push(...underPath(at(`runnerGroups[${index}]`), problems));
    const key = group.name !== undefined ? `name:${group.name.toLowerCase()}` : `id:${group.id}`;
    const previous = seen.get(key);
    if (previous !== undefined)
      issues.push({
        path: at(`runnerGroups[${index}]`),
        message: `names the same group as runnerGroups[${previous}]; list each group once`,
      });
    else seen.set(key, index);
  });
  return issues;
}
