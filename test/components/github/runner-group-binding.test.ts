/** The runner group binding provider against the local emulator. */
import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../components/github/client";
import { makeGitHubProvider } from "../../../components/github/provider";
import { type GitHubEmulator } from "../../support/github-emulator";
import { useGitHubEmulator } from "../../support/use-github-emulator";

const TOKEN = "ghp_runnerGroupsTestToken00001";
const NO_GROUPS = "ghp_configurationsOnlyToken0002";
const ENTERPRISE_TOKEN = "ghp_enterpriseOwnerClassic0003";
let emulator!: GitHubEmulator;
let configurationId: string;
let otherConfigurationId: string;
let enterpriseConfigurationId: string;
let otherEnterpriseConfigurationId: string;
const provider = makeGitHubProvider((props) =>
  createGitHubClient({ token: props.token, apiUrl: props.apiUrl, sleep: () => Promise.resolve() }),
);
const groupsPath = "/orgs/my-org/actions/runner-groups";

useGitHubEmulator(
  {
    tokens: {
      [TOKEN]: ["org:network-configurations", "org:runner-groups"],
      [NO_GROUPS]: ["org:network-configurations"],
      [ENTERPRISE_TOKEN]: ["enterprise:network-configurations", "enterprise:runner-groups"],
    },
    organizations: { "my-org": 4201 },
    enterprises: { acme: 9901 },
  },
  async (started) => {
    emulator = started;
    const create = async (name: string, scope = "organization", slug = "my-org", token = TOKEN) =>
      (
        await provider.create({
          kind: "networkConfiguration",
          scope,
          slug,
          apiUrl: emulator.url,
          name,
          computeService: "actions",
          gitHubId: `SETTINGS-${name}`,
          failoverEnabled: false,
          token,
        })
      ).id;
    configurationId = await create("azure-private");
    otherConfigurationId = await create("other");
    enterpriseConfigurationId = await create("enterprise-private", "enterprise", "acme", ENTERPRISE_TOKEN);
    otherEnterpriseConfigurationId = await create("enterprise-other", "enterprise", "acme", ENTERPRISE_TOKEN);
  },
);

/** A binding's inputs as the engine hands them over after the provider's check, which must find nothing wrong. */
async function checkedInputs(owner: Record<string, unknown>, extra: Record<string, unknown>) {
  const checked = await provider.check({}, { kind: "runnerGroupBinding", ...owner, apiUrl: emulator.url, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs as Record<string, unknown>;
}

const inputs = (extra: Record<string, unknown>) =>
  checkedInputs({ organization: "my-org", networkConfigurationId: configurationId, token: TOKEN }, extra);
const enterpriseInputs = (extra: Record<string, unknown>) =>
  checkedInputs({ enterprise: "acme", networkConfigurationId: enterpriseConfigurationId, token: ENTERPRISE_TOKEN }, extra);

describe("attaching to an existing group", () => {
  it("by name: patches network_configuration_id, follows a change of configuration, detaches on delete", async () => {
    const group = emulator.addRunnerGroup("my-org", "larger-runners");
    const created = await provider.create(await inputs({ runnerGroupName: "larger-runners" }));
    expect(created).toEqual({
      id: String(group.id),
      outs: {
        kind: "runnerGroupBinding",
        organization: "my-org",
        apiUrl: emulator.url,
        networkConfigurationId: configurationId,
        attachedNetworkConfigurationId: configurationId,
        runnerGroupName: "larger-runners",
        createIfMissing: false,
        token: TOKEN,
        groupId: group.id,
        groupName: "larger-runners",
        createdGroup: false,
      },
    });
    expect(group.network_configuration_id).toBe(configurationId);

    const moved = await inputs({ runnerGroupName: "larger-runners", networkConfigurationId: otherConfigurationId });
    expect(await provider.diff(created.id, created.outs, moved)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, moved);
    expect(group.network_configuration_id).toBe(otherConfigurationId);

    await provider.delete(created.id, updated.outs);
    expect(group.network_configuration_id).toBeUndefined();
    expect(emulator.runnerGroups("my-org").map((g) => g.name)).toEqual(["Default", "larger-runners"]);
    expect(emulator.requests.map((r) => [r.method, r.path + (r.query ? `?${r.query}` : ""), r.body])).toEqual([
      ["GET", `${groupsPath}?per_page=100&page=1`, undefined],
      ["PATCH", `${groupsPath}/${group.id}`, { name: "larger-runners", network_configuration_id: configurationId }],
      ["PATCH", `${groupsPath}/${group.id}`, { name: "larger-runners", network_configuration_id: otherConfigurationId }],
      ["GET", `${groupsPath}/${group.id}`, undefined],
      ["PATCH", `${groupsPath}/${group.id}`, { name: "larger-runners", network_configuration_id: null }],
    ]);
  });

  it("by id (as @pulumi/github gives it, a string): reads the group, and leaves a configuration someone else attached meanwhile", async () => {
    const group = emulator.addRunnerGroup("my-org", "by-id");
    const created = await provider.create(await inputs({ runnerGroupId: String(group.id) }));
    expect(created.outs).toMatchObject({ runnerGroupId: group.id, groupId: group.id, groupName: "by-id", createdGroup: false });
    group.network_configuration_id = otherConfigurationId;
    const refreshed = await provider.read(created.id, created.outs);
    expect(refreshed.props).toMatchObject({
      networkConfigurationId: configurationId,
      attachedNetworkConfigurationId: otherConfigurationId,
    });
    expect(await provider.diff(created.id, refreshed.props, await inputs({ runnerGroupId: group.id }))).toEqual({
      changes: true,
      replaces: [],
    });
    await provider.delete(created.id, refreshed.props);
    expect(group.network_configuration_id).toBe(otherConfigurationId);
  });

  it("a missing group without create: true says how to fix it", async () => {
    await expect(provider.create(await inputs({ runnerGroupName: "nope" }))).rejects.toThrow(
      'attach network configuration failed: organization "my-org" has no runner group "nope". Check the name or id, or set create: true (createIfMissing) to create it.',
    );
  });

  it("a token without the runner groups permission is told which one it needs", async () => {
    await expect(provider.create(await inputs({ runnerGroupName: "larger-runners", token: NO_GROUPS }))).rejects.toThrow(
      'list runner groups failed: the token is not allowed to do this in organization "my-org" (403: Resource not accessible by personal access token). Organization runner groups need a fine-grained token or GitHub App with the organization permission "Self-hosted runners" (read and write), or a classic token with admin:org.',
    );
  });
});

describe("creating the group", () => {
  it("creates it with visibility and repositories, renames and re-scopes it in place, deletes it on destroy", async () => {
    const desired = await inputs({
      runnerGroupName: "private-net",
      createIfMissing: true,
      visibility: "selected",
      selectedRepositoryIds: [32, 91],
    });
    const created = await provider.create(desired);
    const group = emulator.runnerGroups("my-org").find((g) => g.name === "private-net")!;
    expect(group).toEqual({
      id: Number(created.id),
      name: "private-net",
      visibility: "selected",
      default: false,
      allows_public_repositories: false,
      selected_repository_ids: [32, 91],
      network_configuration_id: configurationId,
    });
    expect(created.outs).toMatchObject({ createdGroup: true, visibility: "selected", allowsPublicRepositories: false });

    const renamed = { ...desired, runnerGroupName: "private-network", visibility: "private", selectedRepositoryIds: undefined };
    delete renamed.selectedRepositoryIds;
    await expect(provider.diff(created.id, created.outs, renamed)).rejects.toThrow(
      'runner group "private-net": selectedRepositoryIds is set only when the group is created (the update request has no such field). Change repository access in GitHub, or manage the group with @pulumi/github\'s ActionsRunnerGroup and bind it by id.',
    );
    const sameRepositories = { ...desired, runnerGroupName: "private-network", visibility: "all" };
    expect(await provider.diff(created.id, created.outs, sameRepositories)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, sameRepositories);
    expect(group).toMatchObject({ name: "private-network", visibility: "all", network_configuration_id: configurationId });

    await provider.delete(created.id, updated.outs);
    expect(emulator.runnerGroups("my-org").some((g) => g.id === group.id)).toBe(false);
    expect(emulator.requests.filter((r) => r.method !== "GET").map((r) => [r.method, r.path, r.body])).toEqual([
      [
        "POST",
        groupsPath,
        { name: "private-net", visibility: "selected", selected_repository_ids: [32, 91], network_configuration_id: configurationId },
      ],
      [
        "PATCH",
        `${groupsPath}/${group.id}`,
        { name: "private-network", visibility: "all", allows_public_repositories: false, network_configuration_id: configurationId },
      ],
      ["DELETE", `${groupsPath}/${group.id}`, undefined],
    ]);
  });

  it("a setting removed from the config goes back to GitHub's default, and then shows no change", async () => {
    const desired = await inputs({ runnerGroupName: "closed", createIfMissing: true, visibility: "private" });
    const created = await provider.create(desired);
    const withoutVisibility = { ...desired };
    delete withoutVisibility.visibility;
    expect(await provider.diff(created.id, created.outs, withoutVisibility)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, withoutVisibility);
    expect(emulator.runnerGroups("my-org").find((g) => g.name === "closed")).toMatchObject({ visibility: "all" });
    expect(updated.outs).toMatchObject({ visibility: "all", allowsPublicRepositories: false });
    expect(await provider.diff(created.id, updated.outs, withoutVisibility)).toEqual({ changes: false, replaces: [] });
  });

  it("a group created with GitHub's defaults shows no change on the next preview", async () => {
    const desired = await inputs({ runnerGroupName: "defaults", createIfMissing: true });
    const created = await provider.create(desired);
    expect(created.outs).toMatchObject({ createdGroup: true, visibility: "all", allowsPublicRepositories: false });
    expect(await provider.diff(created.id, created.outs, desired)).toEqual({ changes: false, replaces: [] });
    expect(await provider.diff(created.id, created.outs, { ...desired, allowsPublicRepositories: true })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("restricts it to workflows: sends the restriction on create and when it changes, and shows a change made in the UI", async () => {
    const deploy = "octo-org/app/.github/workflows/deploy.yaml@main";
    const release = "octo-org/app/.github/workflows/release.yml@refs/tags/v1";
    const desired = await inputs({
      runnerGroupName: "deployments",
      createIfMissing: true,
      restrictedToWorkflows: true,
      selectedWorkflows: [deploy],
    });
    const created = await provider.create(desired);
    const group = emulator.runnerGroups("my-org").find((g) => g.name === "deployments")!;
    expect(group).toMatchObject({ restricted_to_workflows: true, selected_workflows: [deploy], network_configuration_id: configurationId });
    expect(created.outs).toMatchObject({ createdGroup: true, restrictedToWorkflows: true, selectedWorkflows: [deploy] });
    expect(await provider.diff(created.id, created.outs, desired)).toEqual({ changes: false, replaces: [] });

    const more = { ...desired, selectedWorkflows: [deploy, release] };
    expect(await provider.diff(created.id, created.outs, more)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, more);
    expect(updated.outs).toMatchObject({ restrictedToWorkflows: true, selectedWorkflows: [deploy, release] });

    // An admin lifts the restriction in GitHub: refresh reads it, and the next up puts it back.
    group.restricted_to_workflows = false;
    const refreshed = await provider.read(created.id, updated.outs);
    expect(refreshed.props).toMatchObject({ restrictedToWorkflows: false, selectedWorkflows: [deploy, release] });
    expect(await provider.diff(created.id, refreshed.props, more)).toEqual({ changes: true, replaces: [] });
    const restored = await provider.update(created.id, refreshed.props, more);

    // Leaving both out means GitHub's defaults: the restriction is lifted and the list cleared.
    const unrestricted = await inputs({ runnerGroupName: "deployments", createIfMissing: true });
    expect(await provider.diff(created.id, restored.outs, unrestricted)).toEqual({ changes: true, replaces: [] });
    const lifted = await provider.update(created.id, restored.outs, unrestricted);
    expect(lifted.outs).toMatchObject({ restrictedToWorkflows: false, selectedWorkflows: [] });
    expect(await provider.diff(created.id, lifted.outs, unrestricted)).toEqual({ changes: false, replaces: [] });

    const path = `${groupsPath}/${group.id}`;
    // Every update of a created group states its settings, GitHub's defaults where the config has none.
    const bothWorkflows = {
      name: "deployments",
      visibility: "all",
      allows_public_repositories: false,
      restricted_to_workflows: true,
      selected_workflows: [deploy, release],
      network_configuration_id: configurationId,
    };
    expect(emulator.requests.filter((r) => r.method !== "GET").map((r) => [r.method, r.path, r.body])).toEqual([
      [
        "POST",
        groupsPath,
        { name: "deployments", restricted_to_workflows: true, selected_workflows: [deploy], network_configuration_id: configurationId },
      ],
      // The change, then the same restriction put back after the UI lifted it.
      ["PATCH", path, bothWorkflows],
      ["PATCH", path, bothWorkflows],
      [
        "PATCH",
        path,
        {
          name: "deployments",
          visibility: "all",
          allows_public_repositories: false,
          restricted_to_workflows: false,
          selected_workflows: [],
          network_configuration_id: configurationId,
        },
      ],
    ]);
    expect(emulator.violations).toEqual([]);
  });

  it("a group deleted in the UI disappears on refresh", async () => {
    const created = await provider.create(await inputs({ runnerGroupName: "short-lived", createIfMissing: true }));
    emulator.runnerGroups("my-org").splice(
      emulator.runnerGroups("my-org").findIndex((g) => g.name === "short-lived"),
      1,
    );
    expect(await provider.read(created.id, created.outs)).toEqual({ id: "", props: {} });
  });

  it("attaching to another group, or another organization, is a new binding", async () => {
    const created = await provider.create(await inputs({ runnerGroupName: "first", createIfMissing: true }));
    const attached = emulator.addRunnerGroup("my-org", "attached");
    const bound = await provider.create(await inputs({ runnerGroupName: "attached" }));
    expect(await provider.diff(bound.id, bound.outs, await inputs({ runnerGroupName: "second" }))).toEqual({
      changes: true,
      replaces: ["runnerGroupName"],
    });
    expect(
      await provider.diff(
        created.id,
        created.outs,
        await inputs({ runnerGroupName: "first", createIfMissing: true, organization: "other-org" }),
      ),
    ).toEqual({ changes: true, replaces: ["organization"] });
    await provider.delete(created.id, created.outs);
    await provider.delete(bound.id, bound.outs);
    expect(attached.network_configuration_id).toBeUndefined();
  });
});

it("check refuses contradictory inputs with the property and what is allowed", async () => {
  const { failures } = await provider.check(
    {},
    {
      kind: "runnerGroupBinding",
      organization: "my-org",
      networkConfigurationId: "",
      runnerGroupId: 4,
      createIfMissing: true,
      visibility: "public",
      selectedRepositoryIds: [1],
      token: TOKEN,
    },
  );
  expect(failures).toEqual([
    { property: "networkConfigurationId", reason: "required: the id of the network configuration to attach" },
    { property: "createIfMissing", reason: "applies to runnerGroupName only: a group is created by name" },
    { property: "visibility", reason: '"public" is not allowed; allowed: all, selected, private' },
    { property: "selectedRepositoryIds", reason: 'applies only with visibility "selected"' },
  ]);
});

it("check refuses workflow restrictions GitHub would not take, each workflow by its index", async () => {
  const check = async (extra: Record<string, unknown>) =>
    (
      await provider.check(
        {},
        { kind: "runnerGroupBinding", organization: "my-org", networkConfigurationId: "NC", runnerGroupName: "g", token: TOKEN, ...extra },
      )
    ).failures;
  const form = "use owner/repo/.github/workflows/file.yml@ref (a branch, tag or SHA after '@')";
  expect(
    await check({
      createIfMissing: true,
      restrictedToWorkflows: true,
      selectedWorkflows: ["o/r/.github/workflows/ok.yml@main", "o/r/.github/workflows/no-ref.yml", "o/r/deploy.yml@main"],
    }),
  ).toEqual([
    { property: "selectedWorkflows[1]", reason: `"o/r/.github/workflows/no-ref.yml" is not allowed; ${form}` },
    { property: "selectedWorkflows[2]", reason: `"o/r/deploy.yml@main" is not allowed; ${form}` },
  ]);
  expect(
    await check({ createIfMissing: true, restrictedToWorkflows: "yes", selectedWorkflows: "o/r/.github/workflows/a.yml@main" }),
  ).toEqual([
    { property: "restrictedToWorkflows", reason: "must be true or false" },
    { property: "selectedWorkflows", reason: "must be a list of owner/repo/.github/workflows/file.yml@ref" },
  ]);
  expect(await check({ restrictedToWorkflows: true, selectedWorkflows: ["o/r/.github/workflows/a.yml@main"] })).toEqual([
    { property: "restrictedToWorkflows", reason: "applies only with createIfMissing: true (settings of a group this binding creates)" },
    { property: "selectedWorkflows", reason: "applies only with createIfMissing: true (settings of a group this binding creates)" },
  ]);
  expect(await check({ createIfMissing: true, selectedWorkflows: ["o/r/.github/workflows/a.yml@main"] })).toEqual([
    { property: "selectedWorkflows", reason: "applies only with restrictedToWorkflows: true" },
  ]);
});

describe("enterprise runner groups: the same binding, at /enterprises/{enterprise}/actions/runner-groups", () => {
  const enterpriseGroups = "/enterprises/acme/actions/runner-groups";

  it("binds an existing group by name, moves it to another configuration, and detaches it on delete", async () => {
    const group = emulator.addEnterpriseRunnerGroup("acme", "enterprise-runners");
    const created = await provider.create(await enterpriseInputs({ runnerGroupName: "enterprise-runners" }));
    expect(created).toEqual({
      id: String(group.id),
      outs: {
        kind: "runnerGroupBinding",
        enterprise: "acme",
        apiUrl: emulator.url,
        networkConfigurationId: enterpriseConfigurationId,
        attachedNetworkConfigurationId: enterpriseConfigurationId,
        runnerGroupName: "enterprise-runners",
        createIfMissing: false,
        token: ENTERPRISE_TOKEN,
        groupId: group.id,
        groupName: "enterprise-runners",
        createdGroup: false,
      },
    });
    const moved = await enterpriseInputs({ runnerGroupName: "enterprise-runners", networkConfigurationId: otherEnterpriseConfigurationId });
    expect(await provider.diff(created.id, created.outs, moved)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, moved);
    expect(group.network_configuration_id).toBe(otherEnterpriseConfigurationId);
    await provider.delete(created.id, updated.outs);
    expect(group.network_configuration_id).toBeUndefined();
    expect(emulator.enterpriseRunnerGroups("acme").map((g) => g.name)).toEqual(["Default", "enterprise-runners"]);
    expect(emulator.runnerGroups("my-org").some((g) => g.name === "enterprise-runners")).toBe(false);
    expect(emulator.requests.map((r) => [r.method, r.path + (r.query ? `?${r.query}` : ""), r.body])).toEqual([
      ["GET", `${enterpriseGroups}?per_page=100&page=1`, undefined],
      ["PATCH", `${enterpriseGroups}/${group.id}`, { name: "enterprise-runners", network_configuration_id: enterpriseConfigurationId }],
      [
        "PATCH",
        `${enterpriseGroups}/${group.id}`,
        { name: "enterprise-runners", network_configuration_id: otherEnterpriseConfigurationId },
      ],
      ["GET", `${enterpriseGroups}/${group.id}`, undefined],
      ["PATCH", `${enterpriseGroups}/${group.id}`, { name: "enterprise-runners", network_configuration_id: null }],
    ]);
  });

  it("creates a group for selected organizations, updates it in place, refuses a new organization list, and deletes it", async () => {
    const deploy = "octo-org/app/.github/workflows/deploy.yml@main";
    const desired = await enterpriseInputs({
      runnerGroupName: "org-shared",
      createIfMissing: true,
      visibility: "selected",
      selectedOrganizationIds: [4201, 4202],
      restrictedToWorkflows: true,
      selectedWorkflows: [deploy],
    });
    const created = await provider.create(desired);
    const group = emulator.enterpriseRunnerGroups("acme").find((g) => g.name === "org-shared")!;
    expect(group).toEqual({
      id: Number(created.id),
      name: "org-shared",
      visibility: "selected",
      default: false,
      allows_public_repositories: false,
      selected_organization_ids: [4201, 4202],
      restricted_to_workflows: true,
      selected_workflows: [deploy],
      network_configuration_id: enterpriseConfigurationId,
    });
    expect(created.outs).toMatchObject({
      createdGroup: true,
      visibility: "selected",
      restrictedToWorkflows: true,
      selectedWorkflows: [deploy],
    });
    expect(await provider.diff(created.id, created.outs, desired)).toEqual({ changes: false, replaces: [] });

    await expect(provider.diff(created.id, created.outs, { ...desired, selectedOrganizationIds: [4201] })).rejects.toThrow(
      'runner group "org-shared": selectedOrganizationIds is set only when the group is created (the update request has no such field). Change organization access in GitHub, or manage the group with @pulumi/github\'s EnterpriseActionsRunnerGroup and bind it by id.',
    );
    const renamed = { ...desired, runnerGroupName: "shared-runners", visibility: "all" };
    expect(await provider.diff(created.id, created.outs, renamed)).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update(created.id, created.outs, renamed);
    expect(updated.outs).toMatchObject({ groupName: "shared-runners", visibility: "all", createdGroup: true });
    await provider.delete(created.id, updated.outs);
    expect(emulator.enterpriseRunnerGroups("acme").some((g) => g.id === group.id)).toBe(false);
    expect(emulator.requests.filter((r) => r.method !== "GET").map((r) => [r.method, r.path, r.body])).toEqual([
      [
        "POST",
        enterpriseGroups,
        {
          name: "org-shared",
          visibility: "selected",
          selected_organization_ids: [4201, 4202],
          restricted_to_workflows: true,
          selected_workflows: [deploy],
          network_configuration_id: enterpriseConfigurationId,
        },
      ],
      [
        "PATCH",
        `${enterpriseGroups}/${group.id}`,
        {
          name: "shared-runners",
          visibility: "all",
          allows_public_repositories: false,
          network_configuration_id: enterpriseConfigurationId,
        },
      ],
      ["DELETE", `${enterpriseGroups}/${group.id}`, undefined],
    ]);
  });

  it("a deleted enterprise configuration leaves its groups without one", async () => {
    const group = emulator.addEnterpriseRunnerGroup("acme", "loses-it");
    const extra = await provider.create({
      kind: "networkConfiguration",
      scope: "enterprise",
      slug: "acme",
      apiUrl: emulator.url,
      name: "short-lived",
      computeService: "actions",
      gitHubId: "SETTINGS-short-lived",
      failoverEnabled: false,
      token: ENTERPRISE_TOKEN,
    });
    group.network_configuration_id = extra.id;
    await provider.delete(extra.id, extra.outs);
    expect(group.network_configuration_id).toBeUndefined();
  });

  it("an organization's token is told that enterprise runner groups need a classic enterprise token", async () => {
    await expect(provider.create(await enterpriseInputs({ runnerGroupName: "enterprise-runners", token: TOKEN }))).rejects.toThrow(
      'list runner groups failed: the token is not allowed to do this in enterprise "acme" (403: Resource not accessible by personal access token). Enterprise runner groups need a classic personal access token with the manage_runners:enterprise scope (or admin:enterprise) from an enterprise owner; GitHub Apps and fine-grained tokens cannot use the enterprise endpoints.',
    );
  });

  it("moving a created group from an organization to an enterprise is a new binding, access list and all", async () => {
    const created = await provider.create(
      await inputs({ runnerGroupName: "first-home", createIfMissing: true, visibility: "selected", selectedRepositoryIds: [32] }),
    );
    const asEnterprise = await enterpriseInputs({
      runnerGroupName: "first-home",
      createIfMissing: true,
      visibility: "selected",
      selectedOrganizationIds: [4201],
    });
    // The access lists differ too, which an update could not change; a replacement creates the new group with its own.
    expect(await provider.diff(created.id, created.outs, asEnterprise)).toEqual({
      changes: true,
      replaces: ["organization", "enterprise"],
    });
    const moved = await provider.create(asEnterprise);
    await provider.delete(created.id, created.outs);
    expect(emulator.runnerGroups("my-org").some((g) => g.name === "first-home")).toBe(false);
    expect(emulator.enterpriseRunnerGroups("acme").find((g) => g.name === "first-home")).toMatchObject({
      selected_organization_ids: [4201],
      network_configuration_id: enterpriseConfigurationId,
    });
    await provider.delete(moved.id, moved.outs);
  });

  it("check refuses what an enterprise group cannot take, and an owner given twice or not at all", async () => {
    const failures = async (extra: Record<string, unknown>) =>
      (await provider.check({}, { kind: "runnerGroupBinding", networkConfigurationId: "NC", runnerGroupName: "g", token: TOKEN, ...extra }))
        .failures;
    expect(
      await failures({
        enterprise: "acme",
        createIfMissing: true,
        visibility: "private",
        selectedRepositoryIds: [1],
        selectedOrganizationIds: [0],
      }),
    ).toEqual([
      {
        property: "selectedRepositoryIds",
        reason:
          "applies to organization runner groups only (scope organization); an enterprise runner group is shared with organizations: use selectedOrganizationIds",
      },
      { property: "visibility", reason: '"private" is not allowed for an enterprise runner group; allowed: all, selected' },
      { property: "selectedOrganizationIds", reason: "must be a list of numeric organization ids" },
    ]);
    expect(await failures({ organization: "my-org", enterprise: "acme" })).toEqual([
      { property: "enterprise", reason: "give exactly one of organization and enterprise: a runner group belongs to one of them" },
    ]);
    expect(await failures({})).toEqual([
      {
        property: "organization",
        reason: "required: the organization login (or enterprise: the enterprise slug) that owns the runner group",
      },
    ]);
    expect(await failures({ enterprise: "-acme" })).toEqual([
      {
        property: "enterprise",
        reason: "\"-acme\" is not allowed; use an organization login or enterprise slug (letters, digits and '-')",
      },
    ]);
  });
});
