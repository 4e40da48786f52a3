/**
 * The network configuration provider against the local emulator, at organization and enterprise
 * level: create, read, update in place, drift, delete, import, and the errors that name the fix.
 */
import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../components/github/client";
import { makeGitHubProvider } from "../../../components/github/provider";
import { type GitHubEmulator, type OwnerKind } from "../../support/github-emulator";
import { useGitHubEmulator } from "../../support/use-github-emulator";

const TOKEN = "ghp_networkConfigurationsTest01";
const ORG_ONLY = "ghp_organizationOnlyToken000002";
const PRIMARY = "220F78DACB92BBFBC5E6F22DE1CCF52309D";
const FAILOVER = "330A11DACB92BBFBC5E6F22DE1CCF52300F";
let emulator!: GitHubEmulator;
useGitHubEmulator(
  {
    tokens: {
      [TOKEN]: ["org:network-configurations", "enterprise:network-configurations"],
      [ORG_ONLY]: ["org:network-configurations"],
    },
    organizations: { "my-org": 4201 },
    enterprises: { acme: 9901 },
  },
  (started) => {
    emulator = started;
  },
);

const sleeps: number[] = [];
const provider = makeGitHubProvider((props) =>
  createGitHubClient({ token: props.token, apiUrl: props.apiUrl, sleep: (ms) => Promise.resolve(void sleeps.push(ms)) }),
);

/** Inputs as the resource class sends them, passed through the provider's check like the engine does. */
async function inputs(scope: OwnerKind, slug: string, extra: Record<string, unknown> = {}) {
  const news = {
    kind: "networkConfiguration",
    scope,
    slug,
    apiUrl: emulator.url,
    name: "azure-private",
    gitHubId: PRIMARY,
    token: TOKEN,
    ...extra,
  };
  const checked = await provider.check({}, news);
  expect(checked.failures).toEqual([]);
  return checked.inputs as Record<string, unknown>;
}

describe.each([
  ["organization", "my-org", "/orgs/my-org/settings/network-configurations"],
  ["enterprise", "acme", "/enterprises/acme/network-configurations"],
] as const)("%s %s", (scope, slug, path) => {
  it("goes through create, read, in-place updates (failover on and off) and delete", async () => {
    const created = await provider.create(await inputs(scope, slug));
    const id = created.id;
    expect(id).toMatch(/^NC[0-9A-F]+$/);
    expect(created.outs).toEqual({
      kind: "networkConfiguration",
      scope,
      slug,
      apiUrl: emulator.url,
      name: "azure-private",
      computeService: "actions",
      gitHubId: PRIMARY,
      failoverEnabled: false,
      token: TOKEN,
      createdOn: expect.stringMatching(/^2026-08-22T10:00:\d\dZ$/),
    });
    expect(emulator.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", path, { name: "azure-private", compute_service: "actions", network_settings_ids: [PRIMARY] }],
    ]);

    const read = await provider.read(id, created.outs);
    expect(read).toEqual({ id, props: created.outs });

    // Add the failover network, switched on.
    const withFailover = await inputs(scope, slug, { name: "azure-private-2", failoverGitHubId: FAILOVER, failoverEnabled: true });
    expect(await provider.diff(id, created.outs, withFailover)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await provider.update(id, created.outs, withFailover);
    expect(updated.outs).toMatchObject({ name: "azure-private-2", gitHubId: PRIMARY, failoverGitHubId: FAILOVER, failoverEnabled: true });

    // Switch back to the primary network.
    const switchedBack = await provider.update(id, updated.outs, { ...withFailover, failoverEnabled: false });
    expect(switchedBack.outs).toMatchObject({ failoverGitHubId: FAILOVER, failoverEnabled: false });

    // Remove the failover network.
    const withoutFailover = await inputs(scope, slug, { name: "azure-private-2" });
    const removed = await provider.update(id, switchedBack.outs, withoutFailover);
    expect(removed.outs).toMatchObject({ failoverEnabled: false });
    expect(removed.outs).not.toHaveProperty("failoverGitHubId");

    await provider.delete(id, removed.outs);
    expect(await provider.read(id, removed.outs)).toEqual({ id: "", props: {} });
    expect(emulator.configurations(scope, slug)).toEqual([]);
    expect(emulator.requests.slice(1).map((r) => [r.method, r.path, r.body])).toEqual([
      ["GET", `${path}/${id}`, undefined],
      [
        "PATCH",
        `${path}/${id}`,
        {
          name: "azure-private-2",
          compute_service: "actions",
          network_settings_ids: [PRIMARY],
          failover_network_settings_ids: [FAILOVER],
          failover_network_enabled: true,
        },
      ],
      [
        "PATCH",
        `${path}/${id}`,
        {
          name: "azure-private-2",
          compute_service: "actions",
          network_settings_ids: [PRIMARY],
          failover_network_settings_ids: [FAILOVER],
          failover_network_enabled: false,
        },
      ],
      [
        "PATCH",
        `${path}/${id}`,
        {
          name: "azure-private-2",
          compute_service: "actions",
          network_settings_ids: [PRIMARY],
          failover_network_settings_ids: [],
          failover_network_enabled: false,
        },
      ],
      ["DELETE", `${path}/${id}`, undefined],
      ["GET", `${path}/${id}`, undefined],
    ]);
  });

  it("creates with the failover network in the first request", async () => {
    const created = await provider.create(await inputs(scope, slug, { name: "with-failover", failoverGitHubId: FAILOVER }));
    expect(emulator.requests.map((r) => r.body)).toEqual([
      {
        name: "with-failover",
        compute_service: "actions",
        network_settings_ids: [PRIMARY],
        failover_network_settings_ids: [FAILOVER],
        failover_network_enabled: false,
      },
    ]);
    await provider.delete(created.id, created.outs);
  });
});

describe("drift: changes made in GitHub's UI", () => {
  it("a changed configuration shows as a diff, and the update puts it back", async () => {
    const desired = await inputs("organization", "my-org", { failoverGitHubId: FAILOVER });
    const created = await provider.create(desired);
    const record = emulator.configurations("organization", "my-org").find((c) => c.id === created.id)!;
    Object.assign(record, { name: "renamed-in-ui", failover_network_enabled: true });

    const refreshed = await provider.read(created.id, created.outs);
    expect(refreshed.props).toMatchObject({ name: "renamed-in-ui", failoverEnabled: true, failoverGitHubId: FAILOVER });
    expect(await provider.diff(created.id, refreshed.props, desired)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await provider.update(created.id, refreshed.props, desired);
    expect(record).toMatchObject({ name: "azure-private", failover_network_enabled: false });
    await provider.delete(created.id, created.outs);
  });

  it("a configuration deleted in the UI disappears on refresh, and an update says how to recreate it", async () => {
    const desired = await inputs("organization", "my-org");
    const created = await provider.create(desired);
    emulator.configurations("organization", "my-org").length = 0;
    expect(await provider.read(created.id, created.outs)).toEqual({ id: "", props: {} });
    await expect(provider.update(created.id, created.outs, { ...desired, name: "other" })).rejects.toThrow(
      `update network configuration "other" failed: ${created.id} no longer exists in organization "my-org" (deleted outside Pulumi). Run pulumi refresh, then pulumi up to create it again.`,
    );
    // Deleting what is already gone succeeds.
    await expect(provider.delete(created.id, created.outs)).resolves.toBeUndefined();
  });
});

describe("import and token rotation", () => {
  it("imports an existing configuration by id: read with the program's inputs yields state with no diff", async () => {
    const existing = await provider.create(await inputs("enterprise", "acme", { name: "made-by-hand", failoverGitHubId: FAILOVER }));
    emulator.requests.length = 0;
    const desired = await inputs("enterprise", "acme", { name: "made-by-hand", failoverGitHubId: FAILOVER });
    const imported = await provider.read(existing.id, desired);
    expect(imported.id).toBe(existing.id);
    expect(await provider.diff(existing.id, imported.props, desired)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(emulator.calls()).toEqual([`GET /enterprises/acme/network-configurations/${existing.id}`]);
    await provider.delete(existing.id, imported.props);
  });

  it("a new token alone is stored without calling GitHub; an empty one (preview without a token) is no change", async () => {
    const created = await provider.create(await inputs("organization", "my-org"));
    emulator.requests.length = 0;
    const rotated = { ...(await inputs("organization", "my-org")), token: ORG_ONLY };
    expect(await provider.diff(created.id, created.outs, rotated)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await provider.update(created.id, created.outs, rotated)).outs).toEqual({ ...created.outs, token: ORG_ONLY });
    expect(await provider.diff(created.id, created.outs, { ...rotated, token: "" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(emulator.requests).toEqual([]);
    await provider.delete(created.id, created.outs);
  });

  it("keeps the network its GitHubId comes from in state; a new name for it alone is stored without calling GitHub", async () => {
    const created = await provider.create({ ...(await inputs("organization", "my-org")), gitHubIdSource: "primary" });
    expect(created.outs.gitHubIdSource).toBe("primary");
    emulator.requests.length = 0;
    const renamed = { ...(await inputs("organization", "my-org")), gitHubIdSource: "primary-renamed" };
    expect(await provider.diff(created.id, created.outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await provider.update(created.id, created.outs, renamed)).outs).toEqual({ ...created.outs, gitHubIdSource: "primary-renamed" });
    expect(emulator.requests).toEqual([]);
    const read = await provider.read(created.id, renamed);
    expect(read.props.gitHubIdSource).toBe("primary-renamed");
    await provider.delete(created.id, created.outs);
  });
});

describe("errors that name the fix", () => {
  it("422 name taken names the existing configuration's id for import", async () => {
    const first = await provider.create(await inputs("organization", "my-org", { name: "taken" }));
    const error = await provider.create(await inputs("organization", "my-org", { name: "TAKEN" })).catch((e: Error) => e);
    expect(error).toMatchObject({
      kind: "name-taken",
      message: `create network configuration "TAKEN" failed: the name is already taken in organization "my-org" (422: Validation Failed; name already_exists). Choose another name, or adopt the existing one with the resource option import. It has id ${first.id}: adopt it with the resource option import: "${first.id}", or delete it in GitHub.`,
    });
    expect(emulator.configurations("organization", "my-org").map((c) => c.name)).toEqual(["taken"]);
    await provider.delete(first.id, first.outs);
  });

  it("403 at enterprise level with an organization-only token names the classic admin:enterprise token", async () => {
    await expect(provider.create(await inputs("enterprise", "acme", { token: ORG_ONLY }))).rejects.toMatchObject({
      kind: "forbidden",
      message:
        'create network configuration "azure-private" failed: the token is not allowed to do this in enterprise "acme" (403: Resource not accessible by personal access token). Enterprise network configurations need a classic personal access token with the admin:enterprise scope from an enterprise owner; GitHub Apps and fine-grained tokens cannot use the enterprise endpoints.',
    });
  });

  it("networkSettings made with another level's businessId: says to set github.businessId", async () => {
    emulator.networkSettingsBelongTo("WRONG-LEVEL-SETTINGS", "enterprise", "acme");
    await expect(provider.create(await inputs("organization", "my-org", { gitHubId: "WRONG-LEVEL-SETTINGS" }))).rejects.toMatchObject({
      kind: "wrong-business-level",
      message: expect.stringMatching(
        /\(422: A private network cannot be established .*\)\. It was created with the businessId of another level or organization; networkSettings used by organization "my-org" need that organization's databaseId\. Set github\.businessId to it \(or omit it to look it up from github\.slug\); this replaces the networkSettings resource\.$/,
      ),
    });
  });

  it.each([
    ["organization", "my-org"],
    ["enterprise", "acme"],
  ] as const)("422 for network settings another %s configuration uses names that configuration", async (scope, slug) => {
    const settings = "USED-ELSEWHERE-SETTINGS";
    const older = await provider.create(await inputs(scope, slug, { name: "older-config", gitHubId: settings }));
    emulator.addNetworkSettings(scope, slug, {
      id: settings,
      name: "primary-network-settings",
      subnet_id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/runners",
      region: "eastus",
    });
    emulator.requests.length = 0;
    const error = await provider.create(await inputs(scope, slug, { name: "newer-config", gitHubId: settings })).catch((e: Error) => e);
    expect(error).toMatchObject({
      kind: "settings-in-use",
      message: `create network configuration "newer-config" failed: another network configuration already uses the network settings resource (422: Validation Failed; network_settings_ids invalid Network settings ${settings} is already in use by another network configuration.). A network settings resource belongs to one configuration at a time. Network settings ${settings} is used by network configuration "older-config" (id ${older.id}) in ${scope} "${slug}": remove it from that configuration or delete that configuration in GitHub, or adopt it here with the resource option import: "${older.id}".`,
    });
    const base = scope === "organization" ? `/orgs/${slug}/settings` : `/enterprises/${slug}`;
    expect(emulator.calls()).toEqual([
      `POST ${base}/network-configurations`,
      `GET ${base}/network-settings/${settings}`,
      `GET ${base}/network-configurations/${older.id}`,
    ]);
    await provider.delete(older.id, older.outs);
  });

  it("an update onto network settings another configuration uses names it; GitHub's silence gets where to look", async () => {
    const mine = await provider.create(await inputs("organization", "my-org", { name: "mine", gitHubId: "MINE-SETTINGS" }));
    const theirs = await provider.create(await inputs("organization", "my-org", { name: "theirs", gitHubId: "THEIRS-SETTINGS" }));
    emulator.addNetworkSettings("organization", "my-org", {
      id: "THEIRS-SETTINGS",
      name: "theirs",
      subnet_id: "/s/runners",
      region: "westus2",
    });
    const moved = await inputs("organization", "my-org", { name: "mine", gitHubId: "THEIRS-SETTINGS" });
    await expect(provider.update(mine.id, mine.outs, moved)).rejects.toMatchObject({
      kind: "settings-in-use",
      message: expect.stringMatching(
        new RegExp(
          `^update network configuration "mine" \\(${mine.id}\\) failed: .* Network settings THEIRS-SETTINGS is used by network configuration "theirs" \\(id ${theirs.id}\\) in organization "my-org": .*"${theirs.id}"\\.$`,
        ),
      ),
    });
    // As the failover network, and with GitHub answering 404 for both network settings: the message says where to look.
    const failover = await inputs("organization", "my-org", {
      name: "mine",
      gitHubId: "MINE-SETTINGS",
      failoverGitHubId: "THEIRS-SETTINGS",
    });
    const notFound = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
    emulator.script("GET", /\/network-settings\//, notFound, notFound);
    await expect(provider.update(mine.id, mine.outs, failover)).rejects.toMatchObject({
      kind: "settings-in-use",
      message: expect.stringMatching(
        /failover_network_settings_ids invalid .*\. GitHub did not say which configuration uses it: look in organization "my-org"'s Settings > Hosted compute networking\.$/,
      ),
    });
    expect(emulator.configurations("organization", "my-org").find((c) => c.id === mine.id)?.network_settings_ids).toEqual([
      "MINE-SETTINGS",
    ]);
    await provider.delete(theirs.id, theirs.outs);
    await provider.delete(mine.id, mine.outs);
  });

  it("a rate limit during create is waited out and creates exactly one configuration", async () => {
    sleeps.length = 0;
    emulator.script("POST", /network-configurations$/, {
      status: 429,
      headers: { "retry-after": "2" },
      body: { message: "secondary rate limit" },
    });
    const created = await provider.create(await inputs("organization", "my-org", { name: "after-limit" }));
    expect(sleeps).toEqual([2000]);
    expect(emulator.configurations("organization", "my-org").map((c) => c.name)).toEqual(["after-limit"]);
    await provider.delete(created.id, created.outs);
  });

  it("check refuses bad inputs with the property and what is allowed", async () => {
    const { failures } = await provider.check(
      {},
      {
        kind: "networkConfiguration",
        scope: "org",
        slug: "my org",
        name: "bad name!",
        gitHubId: PRIMARY,
        failoverGitHubId: PRIMARY,
        failoverEnabled: true,
        gitHubIdSource: 42,
        failoverGitHubIdSource: "",
        token: TOKEN,
      },
    );
    const sourceReason = "must be a name for the network its GitHubId comes from, such as its GitHubRunnerNetwork's name";
    expect(failures).toEqual([
      { property: "scope", reason: '"org" is not allowed; allowed: organization, enterprise' },
      { property: "slug", reason: `"my org" is not allowed; use an organization login or enterprise slug (letters, digits and '-')` },
      { property: "name", reason: `"bad name!" is not allowed; use 1-100 of a-z, A-Z, 0-9, '.', '-' and '_'` },
      { property: "failoverGitHubId", reason: "must differ from gitHubId: the failover network is a second networkSettings resource" },
      { property: "gitHubIdSource", reason: sourceReason },
      { property: "failoverGitHubIdSource", reason: sourceReason },
    ]);
  });
});

describe("the emulator itself", () => {
  it("records a violation for a body the API description does not allow", async () => {
    const response = await fetch(`${emulator.url}/orgs/my-org/settings/network-configurations`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "test",
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "x", network_settings_id: PRIMARY }),
    });
    expect(response.status).toBe(422);
    expect(emulator.violations).toHaveLength(1);
    expect(emulator.violations[0]).toMatch(
      /^POST \/orgs\/my-org\/settings\/network-configurations: request body fails POST organization network-configuration schema: .*"missingProperty":"network_settings_ids"/,
    );
    emulator.violations.length = 0;
  });

  it.each([
    ["organization", "my-org", "/orgs/my-org/settings/network-settings"],
    ["enterprise", "acme", "/enterprises/acme/network-settings"],
  ] as const)(
    "answers the %s network settings GET as GitHub describes it: unknown 404, else with the configuration using it",
    async (scope, slug, path) => {
      const get = async (id: string, token = TOKEN) => {
        const response = await fetch(`${emulator.url}${path}/${id}`, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/vnd.github+json",
            "x-github-api-version": "2022-11-28",
            "user-agent": "test",
          },
        });
        return [response.status, await response.json()];
      };
      expect(await get("NOT-KNOWN")).toEqual([404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }]);
      const settings = {
        id: "KNOWN-SETTINGS",
        name: "east-network-settings",
        subnet_id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/runners",
        region: "eastus",
      };
      emulator.addNetworkSettings(scope, slug, settings);
      expect(await get("KNOWN-SETTINGS")).toEqual([200, settings]);
      const configuration = await provider.create(
        await inputs(scope, slug, { name: "uses-it-as-failover", failoverGitHubId: "KNOWN-SETTINGS" }),
      );
      expect(await get("KNOWN-SETTINGS")).toEqual([200, { ...settings, network_configuration_id: configuration.id }]);
      if (scope === "enterprise") expect((await get("KNOWN-SETTINGS", ORG_ONLY))[0]).toBe(403);
      await provider.delete(configuration.id, configuration.outs);
    },
  );
});
