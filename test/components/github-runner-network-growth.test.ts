/**
 * The component against a stack whose saved state already holds its subnet (Pulumi's mocks answer
 * the engine's state read): the deployed prefix is kept while it holds the runners, and a change
 * Azure would refuse stops the component before any child is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runProgram, startOfflineEngine } from "../../cli/offline-engine";
import type { SavedResource } from "../../components/pulumi-internals";
import { SUB, runOffline } from "../support/offline";

const load = () => import("../../components/github-runner-network");
const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

const COMPONENT = "azure-github-runner-network:index:GitHubRunnerNetwork";
const subnetUrn = (component: string, parentTypes = "") =>
  `urn:pulumi:unit::test::${parentTypes}${COMPONENT}$azure-native:network:Subnet::${component}-subnet`;
/** What the engine reads for a subnet azure-native deployed: ARM's answer, flattened. */
const savedSubnet = (addressPrefix: string): SavedResource => ({
  type: "azure-native:network:Subnet",
  outputs: { addressPrefix, name: "east-subnet3f9a0c1d", provisioningState: "Succeeded" },
});
/** A resource of the program that takes a component output as its input. */
class Consumer extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("test:index:Consumer", name, props);
  }
}

const ARGS = { location: "eastus", businessId: "12345678", addressSpace: "10.40.0.0/16" };

describe("a deployed subnet larger than maxConcurrentRunners needs", async () => {
  const { GitHubRunnerNetwork } = await load();
  let component!: InstanceType<typeof GitHubRunnerNetwork>;
  const run = await runOffline(
    () => {
      component = new GitHubRunnerNetwork("east", { ...ARGS, maxConcurrentRunners: 100 });
      // As a network configuration takes it.
      new Consumer("consumer", { gitHubId: component.gitHubId });
      return {};
    },
    {},
    undefined,
    { [subnetUrn("east")]: savedSubnet("10.40.0.0/21") },
  );

  it("keeps the deployed prefix, its capacity and its NAT public IPs, as the component's inputs say", () => {
    expect(run.byName("east-subnet").inputs.addressPrefix).toBe("10.40.0.0/21");
    expect(run.byName("east").inputs).toEqual({
      location: "eastus",
      runnerPlatforms: ["x64"],
      addressSpace: "10.40.0.0/16",
      subnetPrefix: "10.40.0.0/21",
      maxConcurrentRunners: 100,
      runnerCapacity: 1571,
      egress: "natGateway",
      outbound: "restricted",
      natGatewayPublicIpCount: 4,
    });
    expect(run.resources.filter((r) => r.type === "azure-native:network:PublicIPAddress").map((r) => r.name)).toEqual([
      "east-egress-ip-1",
      "east-egress-ip-2",
      "east-egress-ip-3",
      "east-egress-ip-4",
    ]);
  });

  it("registers every child after the state is read, parented to the component", () => {
    expect(
      run.resources
        .filter((r) => r.parent === run.byName("east").urn)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "east-egress-ip-1",
      "east-egress-ip-2",
      "east-egress-ip-3",
      "east-egress-ip-4",
      "east-nat",
      "east-network-settings",
      "east-nsg",
      "east-provider-registration",
      "east-rg",
      "east-subnet",
      "east-vnet",
    ]);
  });

  it("gives its outputs with their dependencies, so what uses gitHubId is deleted before the networkSettings", async () => {
    expect(await resolved(component.runnerCapacity)).toBe(1571);
    expect(await resolved(component.subnetId)).toBe(
      `${SUB}/resourceGroups/east-rg/providers/Microsoft.Network/virtualNetworks/east-vnet/subnets/east-subnet`,
    );
    expect(run.byName("consumer").dependencies).toContain(run.byName("east-network-settings").urn);
  });
});

describe("more runners than the deployed subnet holds", async () => {
  const { GitHubRunnerNetwork } = await load();
  const engine = await startOfflineEngine({
    project: "test",
    stack: "unit",
    savedResources: { [subnetUrn("east")]: savedSubnet("10.40.0.0/24") },
  });
  const failure = await runProgram(engine, () => {
    new GitHubRunnerNetwork("east", { ...ARGS, maxConcurrentRunners: 300 });
    return Promise.resolve({});
  }).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  await engine.settle().catch(() => undefined);

  it("fails the program with the component's key, both prefixes and the way to grow, and no stack trace", () => {
    expect(failure?.message.split("\n")).toEqual([
      "the program failed as pulumi preview would fail it:",
      '  GitHubRunnerNetwork "east" would change a deployed runner subnet, which Azure refuses for a subnet in use; nothing was changed:',
      '  maxConcurrentRunners: 300 needs 395 addresses (ceil(1.3 x 300) + 5 reserved), a /23 or larger, but the deployed subnet 10.40.0.0/24 holds 193 runners and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To grow, add a second GitHubRunnerNetwork whose subnet does not overlap this one and maxConcurrentRunners 300, point your GitHub network configuration at its gitHubId, pulumi up, then remove this component and pulumi up again (README "Growing a deployed network"); or keep maxConcurrentRunners at most 193',
    ]);
  });

  it("registers neither the component nor any child", () => {
    expect(engine.resources().map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("the deployed prefix given by the caller, and a component under a parent", async () => {
  const { GitHubRunnerNetwork } = await load();
  let given!: InstanceType<typeof GitHubRunnerNetwork>;
  let rulesAtOnce: unknown;
  const run = await runOffline(
    () => {
      given = new GitHubRunnerNetwork(
        "given",
        {
          ...ARGS,
          maxConcurrentRunners: 100,
          egress: "firewall",
          firewallPrivateIp: "10.0.1.4",
          firewallPolicyId: `${SUB}/resourceGroups/hub-rg/providers/Microsoft.Network/firewallPolicies/hub-policy`,
        },
        // The state says otherwise: the caller's reading wins, and nothing waits for a read.
        { deployedSubnetPrefix: "10.40.0.0/23" },
      );
      rulesAtOnce = given.firewallRules();
      const parent = new pulumi.ComponentResource("my:index:Platform", "platform");
      new GitHubRunnerNetwork("nested", { ...ARGS, addressSpace: "10.41.0.0/16", maxConcurrentRunners: 100 }, { parent });
      return {};
    },
    {},
    undefined,
    {
      [subnetUrn("given")]: savedSubnet("10.40.0.0/22"),
      // Pulumi's mock monitor puts the root stack's type into its children's URNs (the engine does not).
      [subnetUrn("nested", "pulumi:pulumi:Stack$my:index:Platform$")]: savedSubnet("10.41.0.0/22"),
    },
  );

  it("builds at once from the caller's prefix: the rule collection group exists right after the constructor", async () => {
    expect(run.byName("given-subnet").inputs.addressPrefix).toBe("10.40.0.0/23");
    expect(rulesAtOnce).toBe(given.firewallRules());
    expect(await resolved((rulesAtOnce as pulumi.Resource).urn)).toBe(run.byName("given-firewall-rules").urn);
  });

  it("finds the subnet of a component under a parent by its full URN", () => {
    expect(run.byName("nested-subnet").inputs.addressPrefix).toBe("10.41.0.0/22");
  });
});
