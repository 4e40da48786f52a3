/** Stack config for the GitHub side: every bad value refused with its key path and what is allowed. */
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../../components/lib/stack-config";

const primary = { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 };
const second = { name: "second", location: "eastus2", addressSpace: "10.42.0.0/16", maxConcurrentRunners: 100 };
const failover = { name: "failover", location: "westus2", addressSpace: "10.41.0.0/16", maxConcurrentRunners: 100, role: "failover" };
const github = { businessId: "12345678", scope: "organization", slug: "my-org" };
const withConfiguration = (
  networkConfiguration: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  networks: unknown[] = [primary, failover],
) => ({
  github: { ...github, networkConfiguration, ...extra },
  networks,
});
const deploy = "octo-org/octo-repo/.github/workflows/deploy.yaml@main";
const workflowForm = "use owner/repo/.github/workflows/file.yml@ref (a branch, tag or SHA after '@')";
const issuesOf = (config: unknown) => {
  const result = validateStackConfig(config);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe("github.networkConfiguration and friends", () => {
  it.each([
    [
      "a name GitHub refuses",
      withConfiguration({ name: "azure private" }),
      [`github.networkConfiguration.name: "azure private" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`],
    ],
    [
      "a name over 100 characters",
      withConfiguration({ name: "n".repeat(101) }),
      [
        `github.networkConfiguration.name: "${"n".repeat(79)}… (103 characters) is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'`,
      ],
    ],
    ["no name", withConfiguration({}), ["github.networkConfiguration.name: required; 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'"]],
    [
      "an unknown key",
      withConfiguration({ name: "ok", failover: true }),
      ["github.networkConfiguration.failover: unknown key; allowed: name, primaryNetwork, failoverEnabled, runnerGroups"],
    ],
    [
      "primaryNetwork naming the failover network",
      withConfiguration({ name: "ok", primaryNetwork: "failover" }),
      ['github.networkConfiguration.primaryNetwork: "failover" is not a network with role primary; allowed: primary'],
    ],
    [
      "two primary networks and no primaryNetwork",
      withConfiguration({ name: "ok" }, {}, [primary, second]),
      [
        "github.networkConfiguration.primaryNetwork: required: 2 networks have role primary and a configuration takes one; allowed: primary, second",
      ],
    ],
    [
      "failoverEnabled without a failover network",
      withConfiguration({ name: "ok", failoverEnabled: true }, {}, [primary]),
      ["github.networkConfiguration.failoverEnabled: true needs a network with role failover to switch to"],
    ],
    [
      "failoverEnabled not a boolean",
      withConfiguration({ name: "ok", failoverEnabled: "yes" }),
      ['github.networkConfiguration.failoverEnabled: "yes" is not allowed; true (runners use the failover network) or false'],
    ],
    [
      "an organization's repository list on an enterprise group",
      withConfiguration(
        { name: "ok", runnerGroups: [{ name: "g", create: true, visibility: "selected", selectedRepositoryIds: [32] }] },
        { scope: "enterprise", slug: "acme" },
      ),
      [
        "github.networkConfiguration.runnerGroups[0].selectedRepositoryIds: applies to organization runner groups only (scope organization); an enterprise runner group is shared with organizations: use selectedOrganizationIds",
      ],
    ],
    [
      "an enterprise's organization list on an organization group",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", create: true, visibility: "selected", selectedOrganizationIds: [7] }] }),
      [
        "github.networkConfiguration.runnerGroups[0].selectedOrganizationIds: applies to enterprise runner groups only (scope enterprise); an organization runner group is shared with repositories: use selectedRepositoryIds",
      ],
    ],
    [
      "a private enterprise group, and organizations without visibility selected or create",
      withConfiguration(
        {
          name: "ok",
          runnerGroups: [
            { name: "g", create: true, visibility: "private" },
            { name: "h", create: true, selectedOrganizationIds: [7] },
            { name: "i", selectedOrganizationIds: [7] },
          ],
        },
        { scope: "enterprise", slug: "acme" },
      ),
      [
        'github.networkConfiguration.runnerGroups[0].visibility: "private" is not allowed for an enterprise runner group; allowed: all, selected',
        'github.networkConfiguration.runnerGroups[1].selectedOrganizationIds: applies only with visibility "selected"',
        "github.networkConfiguration.runnerGroups[2].selectedOrganizationIds: applies only with create: true (settings of a group this binding creates)",
        'github.networkConfiguration.runnerGroups[2].selectedOrganizationIds: applies only with visibility "selected"',
      ],
    ],
    [
      "organization ids that are not numbers",
      withConfiguration(
        { name: "ok", runnerGroups: [{ name: "g", create: true, visibility: "selected", selectedOrganizationIds: ["my-org"] }] },
        { scope: "enterprise", slug: "acme" },
      ),
      ['github.networkConfiguration.runnerGroups[0].selectedOrganizationIds[0]: "my-org" is not allowed; a numeric organization id'],
    ],
    [
      "a group with name and id",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", id: 3 }] }),
      ["github.networkConfiguration.runnerGroups[0].id: give exactly one of name and id"],
    ],
    [
      "a group with neither",
      withConfiguration({ name: "ok", runnerGroups: [{}] }),
      ["github.networkConfiguration.runnerGroups[0].name: give exactly one of name and id"],
    ],
    [
      "create with an id",
      withConfiguration({ name: "ok", runnerGroups: [{ id: 3, create: true }] }),
      ["github.networkConfiguration.runnerGroups[0].create: applies to name only: a group is created by name"],
    ],
    [
      "visibility without create",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", visibility: "all" }] }),
      ["github.networkConfiguration.runnerGroups[0].visibility: applies only with create: true (settings of a group this binding creates)"],
    ],
    [
      "an unknown visibility",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", create: true, visibility: "public" }] }),
      ['github.networkConfiguration.runnerGroups[0].visibility: "public" is not allowed; allowed: all, selected, private'],
    ],
    [
      "a workflow restriction without create",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", restrictedToWorkflows: true, selectedWorkflows: [deploy] }] }),
      [
        "github.networkConfiguration.runnerGroups[0].restrictedToWorkflows: applies only with create: true (settings of a group this binding creates)",
        "github.networkConfiguration.runnerGroups[0].selectedWorkflows: applies only with create: true (settings of a group this binding creates)",
      ],
    ],
    [
      "workflows without restrictedToWorkflows: true",
      withConfiguration({
        name: "ok",
        runnerGroups: [{ name: "g", create: true, restrictedToWorkflows: false, selectedWorkflows: [deploy] }],
      }),
      ["github.networkConfiguration.runnerGroups[0].selectedWorkflows: applies only with restrictedToWorkflows: true"],
    ],
    [
      "workflows GitHub would not take, each by its index",
      withConfiguration({
        name: "ok",
        runnerGroups: [
          { name: "g", create: true, restrictedToWorkflows: true, selectedWorkflows: [deploy, "octo-org/deploy.yml@main"] },
          {
            name: "h",
            create: true,
            restrictedToWorkflows: true,
            selectedWorkflows: ["o/r/.github/workflows/ci.yml", "o/r/.github/workflows/nested/ci.yaml@main", deploy, deploy],
          },
        ],
      }),
      [
        `github.networkConfiguration.runnerGroups[0].selectedWorkflows[1]: "octo-org/deploy.yml@main" is not allowed; ${workflowForm}`,
        `github.networkConfiguration.runnerGroups[1].selectedWorkflows[0]: "o/r/.github/workflows/ci.yml" is not allowed; ${workflowForm}`,
        `github.networkConfiguration.runnerGroups[1].selectedWorkflows[1]: "o/r/.github/workflows/nested/ci.yaml@main" is not allowed; ${workflowForm}`,
        "github.networkConfiguration.runnerGroups[1].selectedWorkflows[3]: listed twice; list each workflow once",
      ],
    ],
    [
      "restrictedToWorkflows not a boolean",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", create: true, restrictedToWorkflows: "yes" }] }),
      [
        'github.networkConfiguration.runnerGroups[0].restrictedToWorkflows: "yes" is not allowed; true (only the selectedWorkflows may use the group) or false',
      ],
    ],
    [
      "selectedWorkflows not a list",
      withConfiguration({
        name: "ok",
        runnerGroups: [{ name: "g", create: true, restrictedToWorkflows: true, selectedWorkflows: deploy }],
      }),
      [
        `github.networkConfiguration.runnerGroups[0].selectedWorkflows: "${deploy}" is not allowed; a list of owner/repo/.github/workflows/file.yml@ref`,
      ],
    ],
    [
      "repositories without visibility selected",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "g", create: true, selectedRepositoryIds: [1] }] }),
      ['github.networkConfiguration.runnerGroups[0].selectedRepositoryIds: applies only with visibility "selected"'],
    ],
    [
      "a non-integer group id",
      withConfiguration({ name: "ok", runnerGroups: [{ id: 2.5 }] }),
      ["github.networkConfiguration.runnerGroups[0].id: 2.5 is not allowed; use the group's numeric id"],
    ],
    [
      "the same group twice",
      withConfiguration({ name: "ok", runnerGroups: [{ name: "Larger" }, { name: "larger" }] }),
      ["github.networkConfiguration.runnerGroups[1]: names the same group as runnerGroups[0]; list each group once"],
    ],
    [
      "an http API URL off this machine",
      withConfiguration({ name: "ok" }, { apiUrl: "http://api.example.com" }),
      [
        'github.apiUrl: "http://api.example.com" is not allowed; allowed: https://api.github.com, https://api.<subdomain>.ghe.com or another https URL (http only to localhost)',
      ],
    ],
    [
      "an API URL with credentials",
      withConfiguration({ name: "ok" }, { apiUrl: "https://user:pw@api.github.com" }),
      [
        'github.apiUrl: "https://[redacted]@api.github.com" must not carry credentials, a query or a fragment; allowed: https://api.github.com, https://api.<subdomain>.ghe.com or another https URL (http only to localhost)',
      ],
    ],
  ])("%s", (_name, config, expected) => {
    expect(issuesOf(config)).toEqual(expected);
  });

  it("a githubToken that is not a string is refused without echoing it", () => {
    const issues = issuesOf({ github, networks: [primary], githubToken: { value: "ghp_structuredSecret" } });
    expect(issues).toEqual([
      "githubToken: must be a string: set it with pulumi config set --secret azure-github-runner-network:githubToken",
    ]);
  });

  it("accepts a full configuration: GHE.com API, failover on, groups by name (created) and by id", () => {
    const result = validateStackConfig(
      withConfiguration(
        {
          name: "azure-private",
          failoverEnabled: true,
          runnerGroups: [
            { name: "larger", create: true, visibility: "selected", selectedRepositoryIds: [32, 91], allowsPublicRepositories: false },
            { id: 4 },
            { name: "deployments", create: true, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
          ],
        },
        { apiUrl: "https://api.octocorp.ghe.com" },
      ),
    );
    expect(result.ok && result.value.github).toEqual({
      ...github,
      apiUrl: "https://api.octocorp.ghe.com",
      networkConfiguration: {
        name: "azure-private",
        failoverEnabled: true,
        runnerGroups: [
          { name: "larger", create: true, visibility: "selected", selectedRepositoryIds: [32, 91], allowsPublicRepositories: false },
          { id: 4 },
          { name: "deployments", create: true, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
        ],
      },
    });
  });

  it("accepts enterprise runner groups: created for selected organizations, restricted to workflows, and by id", () => {
    const groups = [
      { name: "larger", create: true, visibility: "selected", selectedOrganizationIds: [4201, 4202], allowsPublicRepositories: false },
      { name: "deployments", create: true, restrictedToWorkflows: true, selectedWorkflows: [deploy] },
      { id: 3 },
    ];
    const result = validateStackConfig(
      withConfiguration({ name: "azure-private", runnerGroups: groups }, { scope: "enterprise", slug: "acme", businessId: "9901" }),
    );
    expect(result.ok && result.value.github).toEqual({
      businessId: "9901",
      scope: "enterprise",
      slug: "acme",
      networkConfiguration: { name: "azure-private", runnerGroups: groups },
    });
  });

  it.each([
    ["with a token at hand", { businessIdLookup: true }, []],
    [
      "without one",
      { businessIdLookup: false },
      ["github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)"],
    ],
  ])("businessId may be left out only %s", (_name, options, expected) => {
    const result = validateStackConfig({ github: { scope: "organization", slug: "my-org" }, networks: [primary] }, options);
    expect(result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(expected);
  });
});
