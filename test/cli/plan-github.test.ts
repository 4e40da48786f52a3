/** The offline plan CLI with a GitHub network configuration: shown as planned, no token read, nothing sent. */
import { describe, expect, it } from "vitest";
import { lfsBlockedWarning, runCli, writeStackFile } from "../support/cli";

const ENV_TOKEN = "ghp_environmentTokenNotForPlans1";
const stackFile = (github: string, extra = "") =>
  writeStackFile(`config:
  azure-github-runner-network:github:
${github}
  azure-github-runner-network:networks:
    - { name: east, location: eastus, addressSpace: 10.40.0.0/16, maxConcurrentRunners: 100 }
    - { name: west, location: westus2, addressSpace: 10.41.0.0/16, maxConcurrentRunners: 100, role: failover }
${extra}`);

const managed = stackFile(
  `    businessId: "4201"
    scope: organization
    slug: my-org
    networkConfiguration:
      name: private-east
      failoverEnabled: true
      runnerGroups: [{ name: larger, create: true, visibility: selected, selectedRepositoryIds: [32] }, { id: 7 }]`,
  "  azure-github-runner-network:githubToken:\n    secure: AAABAKsomeEncryptedValue\n",
);

describe("npm run plan with github.networkConfiguration", () => {
  it.concurrent("shows the configuration with its primary and failover networks and groups, reading no token", async () => {
    const result = await runCli(["plan", "--config", managed], { env: { GITHUB_TOKEN: ENV_TOKEN } });
    expect(result.stderr).toBe(lfsBlockedWarning("east", "west"));
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const start = lines.indexOf(
      'GitHub network configuration "private-east" in organization "my-org" (pulumi up sends it to GitHub; the offline plan sends nothing)',
    );
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 4)).toEqual([
      '  Primary        network "east" (eastus)',
      '  Failover       network "west" (westus2), on: switched by hand, takes about 15 minutes, runners may run on both networks meanwhile',
      '  Runner groups  "larger" (created if missing, visibility selected), id 7',
    ]);
    expect(lines).toContain("  gitHub.networkConfiguration.primaryNetwork = east");
    expect(lines).toContain("  gitHub.networkConfiguration.failoverNetwork = west");
    expect(result.stdout).not.toContain(ENV_TOKEN);
  });

  it.concurrent("JSON: the resources as planned, token only as a marker, byte-identical across runs", async () => {
    const [first, second] = await Promise.all([
      runCli(["plan", "--json", "--config", managed], { env: { GITHUB_TOKEN: ENV_TOKEN } }),
      runCli(["plan", "--json", "--config", managed]),
    ]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).not.toContain(ENV_TOKEN);
    const report = JSON.parse(first.stdout) as {
      resources: { type: string; name: string; inputs: Record<string, unknown> }[];
      outputs: Record<string, unknown>;
    };
    const configuration = report.resources.find((r) => r.name === "github-network-configuration")!;
    expect(configuration.type).toBe("pulumi-nodejs:dynamic/azure-github-runner-network:GitHubNetworkConfiguration");
    expect(configuration.inputs).toMatchObject({
      scope: "organization",
      slug: "my-org",
      name: "private-east",
      failoverEnabled: true,
      token: "[secret]",
    });
    expect(report.resources.filter((r) => r.type.endsWith(":GitHubRunnerGroupBinding")).map((r) => r.name)).toEqual([
      "github-runner-group-larger",
      "github-runner-group-id-7",
    ]);
    expect(report.outputs.gitHub).toEqual({
      scope: "organization",
      slug: "my-org",
      businessId: "4201",
      networkConfiguration: {
        id: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
        name: "private-east",
        primaryNetwork: "east",
        failoverNetwork: "west",
        failoverEnabled: true,
        runnerGroups: ["larger", "id 7"],
      },
    });
  });

  it.concurrent("an enterprise stack binds enterprise runner groups: created for selected organizations, or by id", async () => {
    const enterprise = stackFile(
      `    businessId: "9901"
    scope: enterprise
    slug: acme
    networkConfiguration:
      name: private-east
      runnerGroups: [{ name: larger, create: true, visibility: selected, selectedOrganizationIds: [4201] }, { id: 3 }]`,
    );
    const result = await runCli(["plan", "--json", "--config", enterprise]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
    const bindings = report.resources.filter((r) => r.type.endsWith(":GitHubRunnerGroupBinding"));
    const configuration = report.resources.find((r) => r.name === "github-network-configuration")!;
    expect(configuration.inputs).toMatchObject({ scope: "enterprise", slug: "acme" });
    expect(bindings.map((r) => [r.name, r.inputs])).toEqual([
      [
        "github-runner-group-larger",
        {
          kind: "runnerGroupBinding",
          enterprise: "acme",
          apiUrl: "https://api.github.com",
          networkConfigurationId: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
          runnerGroupName: "larger",
          createIfMissing: true,
          visibility: "selected",
          selectedOrganizationIds: [4201],
          token: "[secret]",
        },
      ],
      [
        "github-runner-group-id-3",
        {
          kind: "runnerGroupBinding",
          enterprise: "acme",
          apiUrl: "https://api.github.com",
          networkConfigurationId: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
          runnerGroupId: 3,
          createIfMissing: false,
          token: "[secret]",
        },
      ],
    ]);
  });

  it.concurrent.each([
    [
      "businessId left out (offline, nothing can look it up)",
      "    scope: organization\n    slug: my-org",
      "github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)",
    ],
    [
      "an organization's repository list on an enterprise runner group",
      '    businessId: "9901"\n    scope: enterprise\n    slug: acme\n    networkConfiguration:\n      name: ent\n      runnerGroups: [{ name: g, create: true, visibility: selected, selectedRepositoryIds: [32] }]',
      "github.networkConfiguration.runnerGroups[0].selectedRepositoryIds: applies to organization runner groups only (scope organization)",
    ],
  ])("%s: exit 2 with the key path", async (_name, github, expected) => {
    const result = await runCli(["plan", "--config", stackFile(github)], { env: { GITHUB_TOKEN: ENV_TOKEN } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n").some((line) => line.startsWith(`  ${expected}`))).toBe(true);
  });
});
