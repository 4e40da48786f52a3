/**
 * The stack against a saved state that already holds its subnets (Pulumi's mocks answer the
 * engine's state read): a deployed subnet keeps its prefix while it holds the runners, and every
 * change Azure would refuse is reported at once, by key path, before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runProgram, startOfflineEngine, type RecordedResource } from "../../cli/offline-engine";
import type { SavedResource } from "../../components/pulumi-internals";

const load = () => import("../../infra/stack");
const subnetUrn = (network: string) =>
  `urn:pulumi:unit::test::azure-github-runner-network:index:GitHubRunnerNetwork$azure-native:network:Subnet::${network}-subnet`;
const savedSubnet = (addressPrefix: string): SavedResource => ({ type: "azure-native:network:Subnet", outputs: { addressPrefix } });
const GITHUB = { businessId: "4201", scope: "organization", slug: "my-org" };
const STEPS_END = 'pulumi up, then remove this network and pulumi up again (README "Growing a deployed network")';
const SECOND_NETWORK =
  "add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET)";
const IN_USE = "Azure cannot change the address range of a subnet in use (its networkSettings holds it)";

async function deploy(config: unknown, saved: Record<string, SavedResource>) {
  const { deployStackWithGitHub } = await load();
  const engine = await startOfflineEngine({ project: "test", stack: "unit", savedResources: saved });
  let failure: Error | undefined;
  await runProgram(engine, async () => {
    try {
      return await deployStackWithGitHub(config, { offline: true });
    } catch (error) {
      failure = error as Error;
      return {};
    }
  });
  await engine.settle();
  const resources = engine.resources();
  return { failure, resources, byName: (name: string) => resources.find((r) => r.name === name) as RecordedResource };
}

describe("networks whose deployed subnets cannot take the new config", async () => {
  const run = await deploy(
    {
      github: { ...GITHUB, networkConfiguration: { name: "azure-private", primaryNetwork: "primary" } },
      networks: [
        { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 300 },
        { name: "failover", location: "westus2", addressSpace: "10.41.0.0/16", subnetPrefix: "10.41.4.0/24", role: "failover" },
        { name: "spare", location: "eastus", addressSpace: "10.42.0.0/16", maxConcurrentRunners: 50 },
      ],
    },
    {
      [subnetUrn("primary")]: savedSubnet("10.40.0.0/24"),
      [subnetUrn("failover")]: savedSubnet("10.41.0.0/24"),
      [subnetUrn("spare")]: savedSubnet("10.42.0.0/24"),
    },
  );

  it("stops with every change, by key path, with both prefixes and the steps for each network's role", () => {
    expect(pulumi.RunError.isInstance(run.failure!)).toBe(true);
    expect(run.failure?.message.split("\n")).toEqual([
      "the stack config (azure-github-runner-network) would change a deployed runner subnet, which Azure refuses for a subnet in use; nothing was changed:",
      `  networks[0].maxConcurrentRunners: 300 needs 395 addresses (ceil(1.3 x 300) + 5 reserved), a /23 or larger, but the deployed subnet 10.40.0.0/24 holds 193 runners and ${IN_USE}. To grow, ${SECOND_NETWORK} and maxConcurrentRunners 300, set github.networkConfiguration.primaryNetwork to it, ${STEPS_END}; or keep maxConcurrentRunners at most 193`,
      `  networks[1].subnetPrefix: 10.41.4.0/24 is not the deployed subnet 10.41.0.0/24, and ${IN_USE}. To move or resize it, ${SECOND_NETWORK}, give it role failover and this network role primary, ${STEPS_END}; or set subnetPrefix back to 10.41.0.0/24`,
    ]);
  });

  it("registers nothing but the stack", () => {
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("a network configuration kept in GitHub by hand", async () => {
  const run = await deploy(
    { github: GITHUB, networks: [{ name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 300 }] },
    { [subnetUrn("primary")]: savedSubnet("10.40.0.0/24") },
  );

  it("says to put the new network's gitHubId into it", () => {
    expect(run.failure?.message).toContain(
      `To grow, ${SECOND_NETWORK} and maxConcurrentRunners 300, put its gitHubId in the GitHub network configuration in place of this network's, ${STEPS_END}`,
    );
  });
});

describe("a deployed subnet that still holds the runners", async () => {
  const run = await deploy(
    {
      github: GITHUB,
      networks: [
        { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 },
        { name: "new", location: "eastus", addressSpace: "10.42.0.0/16", maxConcurrentRunners: 100 },
      ],
    },
    { [subnetUrn("primary")]: savedSubnet("10.40.0.0/23") },
  );

  it("keeps its prefix and capacity; a network not deployed yet gets the derived one", () => {
    expect(run.failure).toBeUndefined();
    expect(["primary", "new"].map((name) => run.byName(`${name}-subnet`).inputs.addressPrefix)).toEqual(["10.40.0.0/23", "10.42.0.0/24"]);
    expect(["primary", "new"].map((name) => run.byName(name).inputs.runnerCapacity)).toEqual([390, 193]);
  });
});
