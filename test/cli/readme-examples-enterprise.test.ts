/** README's enterprise stack config plans offline as it stands (in process: one plan per file). */
import { describe, expect, it } from "vitest";
import { planExample } from "../support/readme-examples";

describe("README's enterprise example", async () => {
  const { report } = await planExample("enterprise");
  const named = (name: string) => report.resources.find((r) => r.name === name)!;

  it("plans an enterprise network configuration over both networks", () => {
    expect(named("github-network-configuration").dependencies).toEqual(
      [named("failover-network-settings").urn, named("primary-network-settings").urn].sort(),
    );
    expect(named("github-network-configuration").inputs).toMatchObject({
      scope: "enterprise",
      slug: "octo-enterprise",
      name: "enterprise-private-network",
    });
  });

  it("binds the enterprise's runner groups: one created for selected organizations, the Default by id", () => {
    const configurationUrn = named("github-network-configuration").urn;
    const created = named("github-runner-group-enterprise-larger-runners");
    const byId = named("github-runner-group-id-1");
    expect(created.inputs).toEqual({
      kind: "runnerGroupBinding",
      enterprise: "octo-enterprise",
      apiUrl: "https://api.github.com",
      networkConfigurationId: expect.stringMatching(/^offline-plan-[0-9a-f]{12}$/),
      runnerGroupName: "enterprise-larger-runners",
      createIfMissing: true,
      visibility: "selected",
      selectedOrganizationIds: [4201, 4202],
      restrictedToWorkflows: true,
      selectedWorkflows: ["octo-org/app/.github/workflows/deploy.yml@main"],
      token: "[secret]",
    });
    expect(byId.inputs).toMatchObject({ enterprise: "octo-enterprise", runnerGroupId: 1, createIfMissing: false });
    expect([created.dependencies, byId.dependencies]).toEqual([[configurationUrn], [configurationUrn]]);
    expect(report.policy.violations).toEqual([]);
  });
});
