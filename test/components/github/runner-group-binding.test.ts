/** The runner group binding provider against the local emulator. */
import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../components/github/client";
import { makeGitHubProvider } from "../../../components/github/provider";
import { type GitHubEmulator } from "../../support/github-emulator";
import { useGitHubEmulator } from "../../support/use-github-emulator";

const TOKEN = "ghp_runnerGroupsTestToken00001";
const NO_GROUPS = "ghp_configurationsOnlyToken0002";
let emulator!: GitHubEmulator;
let configurationId: string;
let otherConfigurationId: string;
const provider = makeGitHubProvider((props) =>
  createGitHubClient({ token: props.token, apiUrl: props.apiUrl, sleep: () => Promise.resolve() }),
);
const groupsPath = "/orgs/my-org/actions/runner-groups";

useGitHubEmulator(
  {
    tokens: { [TOKEN]: ["org:network-configurations", "org:runner-groups"], [NO_GROUPS]: ["org:network-configurations"] },
    organizations: { "my-org": 4201 },
  },
  async (started) => {
    emulator = started;
    const create = async (name: string) =>
      (
        await provider.create({
          kind: "networkConfiguration",
          scope: "organization",
          slug: "my-org",
          apiUrl: emulator.url,
          name,
          computeService: "actions",
          gitHubId: `SETTINGS-${name}`,
          failoverEnabled: false,
          token: TOKEN,
        })
      ).id;
    configurationId = await create("azure-private");
    otherConfigurationId = await create("other");
  },
);

async function inputs(extra: Record<string, unknown>) {
  const checked = await provider.check(
    {},
    {
      kind: "runnerGroupBinding",
      organization: "my-org",
      apiUrl: emulator.url,
      networkConfigurationId: configurationId,
      token: TOKEN,
      ...extra,
    },
  );
  expect(checked.failures).toEqual([]);
  return checked.inputs as Record<string, unknown>;
}

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
