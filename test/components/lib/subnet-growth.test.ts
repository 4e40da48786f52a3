/**
 * A network whose subnet is deployed: the deployed prefix is kept while it holds the runners, and
 * every change Azure refuses for a subnet in use is refused with the key, both prefixes and the
 * way to grow.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateComponentArgs, type RunnerNetworkDesign } from "../../../components/lib/network-design";
import { prefixLengthFor, runnerCapacity } from "../../../components/lib/sizing";
import { fitDeployedSubnet, growthProcedure, type GrowthAudience } from "../../../components/lib/subnet-growth";

const BASE = { location: "eastus", businessId: "12345678", addressSpace: "10.40.0.0/16" };
const COMPONENT: GrowthAudience = { kind: "component" };
const STACK: GrowthAudience = { kind: "stack", switchBy: "primaryNetwork" };
const at = (key: string) => `networks[0].${key}`;

function designOf(args: Record<string, unknown>): RunnerNetworkDesign {
  const validated = validateComponentArgs({ ...BASE, ...args });
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
  return validated.value;
}

function fit(args: Record<string, unknown>, deployed: string | undefined, audience: GrowthAudience = STACK) {
  return fitDeployedSubnet(designOf(args), args, deployed, at, audience);
}

describe("a network whose subnet is deployed keeps it while it holds the runners", () => {
  it.each([
    // args, deployed prefix, expected subnet, capacity, NAT public IPs
    [{ maxConcurrentRunners: 100 }, undefined, "10.40.0.0/24", 193, 1],
    [{ maxConcurrentRunners: 100 }, "10.40.0.0/24", "10.40.0.0/24", 193, 1],
    [{ maxConcurrentRunners: 150 }, "10.40.0.0/24", "10.40.0.0/24", 193, 1],
    [{ maxConcurrentRunners: 193 }, "10.40.0.0/24", "10.40.0.0/24", 193, 1],
    // Fewer runners than the deployed subnet was sized for: the larger subnet stays, with its NAT IPs.
    [{ maxConcurrentRunners: 100 }, "10.40.0.0/23", "10.40.0.0/23", 390, 1],
    [{ maxConcurrentRunners: 100 }, "10.40.0.0/21", "10.40.0.0/21", 1571, 4],
    [{ maxConcurrentRunners: 100, natGatewayPublicIpCount: 2 }, "10.40.0.0/21", "10.40.0.0/21", 1571, 2],
    [{ maxConcurrentRunners: 100, egress: "none" }, "10.40.0.0/21", "10.40.0.0/21", 1571, 0],
    // Not where this package would have put it, but deployed and big enough: kept.
    [{ maxConcurrentRunners: 20 }, "10.40.7.0/24", "10.40.7.0/24", 193, 1],
    // An explicit prefix equal to the deployed one.
    [{ subnetPrefix: "10.40.8.0/24", maxConcurrentRunners: 100 }, "10.40.8.0/24", "10.40.8.0/24", 193, 1],
    // What the state holds but this package never writes is left to Azure.
    [{ maxConcurrentRunners: 100 }, "fd00::/64", "10.40.0.0/24", 193, 1],
    [{ maxConcurrentRunners: 100 }, "not a prefix", "10.40.0.0/24", 193, 1],
  ])("%j with %s deployed: %s, %d runners, %d NAT IPs", (args, deployed, subnet, capacity, natIps) => {
    const fitted = fit(args, deployed);
    expect(fitted.issues).toEqual([]);
    expect(fitted.design).toEqual({
      ...designOf(args),
      subnetPrefix: subnet,
      runnerCapacity: capacity,
      natGatewayPublicIpCount: natIps,
    });
  });
});

describe("a change Azure refuses for a subnet in use", () => {
  const stackSteps = (need: string) =>
    `add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET)${need}, set github.networkConfiguration.primaryNetwork to it, pulumi up, then remove this network and pulumi up again (README "Growing a deployed network")`;

  it("more runners than the deployed subnet holds: names maxConcurrentRunners, both prefixes and the steps", () => {
    expect(fit({ maxConcurrentRunners: 300 }, "10.40.0.0/24")).toEqual({
      issues: [
        {
          path: "networks[0].maxConcurrentRunners",
          message: `300 needs 395 addresses (ceil(1.3 x 300) + 5 reserved), a /23 or larger, but the deployed subnet 10.40.0.0/24 holds 193 runners and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To grow, ${stackSteps(" and maxConcurrentRunners 300")}; or keep maxConcurrentRunners at most 193`,
        },
      ],
    });
  });

  it("an explicit subnetPrefix other than the deployed one, larger or elsewhere", () => {
    for (const given of ["10.40.0.0/23", "10.40.1.0/24"]) {
      expect(fit({ subnetPrefix: given }, "10.40.0.0/24")).toEqual({
        issues: [
          {
            path: "networks[0].subnetPrefix",
            message: `${given} is not the deployed subnet 10.40.0.0/24, and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To move or resize it, ${stackSteps("")}; or set subnetPrefix back to 10.40.0.0/24`,
          },
        ],
      });
    }
  });

  it("an address space that no longer holds the deployed subnet", () => {
    expect(fit({ addressSpace: "10.50.0.0/16", maxConcurrentRunners: 100 }, "10.40.0.0/24")).toEqual({
      issues: [
        {
          path: "networks[0].addressSpace",
          message: `10.50.0.0/16 does not hold the deployed subnet 10.40.0.0/24, and Azure cannot change the address range of a subnet in use (its networkSettings holds it). To move the network, ${stackSteps("")}; or give an addressSpace that holds 10.40.0.0/24`,
        },
      ],
    });
  });

  it.each<[GrowthAudience, string]>([
    [
      { kind: "stack", switchBy: "failoverRole" },
      'add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET) and maxConcurrentRunners 300, give it role failover and this network role primary, pulumi up, then remove this network and pulumi up again (README "Growing a deployed network")',
    ],
    [
      { kind: "stack", switchBy: "byHand" },
      `add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET) and maxConcurrentRunners 300, put its gitHubId in the GitHub network configuration in place of this network's, pulumi up, then remove this network and pulumi up again (README "Growing a deployed network")`,
    ],
    [
      COMPONENT,
      'add a second GitHubRunnerNetwork whose subnet does not overlap this one and maxConcurrentRunners 300, point your GitHub network configuration at its gitHubId, pulumi up, then remove this component and pulumi up again (README "Growing a deployed network")',
    ],
  ])("the steps for %j", (audience, steps) => {
    expect(growthProcedure(audience, " and maxConcurrentRunners 300")).toBe(steps);
    const [issue] = fit({ maxConcurrentRunners: 300 }, "10.40.0.0/24", audience).issues;
    expect(issue.message).toContain(`To grow, ${steps}; or keep`);
  });

  it("keys without the stack's prefix for the component", () => {
    const fitted = fitDeployedSubnet(designOf({ maxConcurrentRunners: 300 }), {}, "10.40.0.0/24", (key) => key, COMPONENT);
    expect(fitted.issues.map((issue) => issue.path)).toEqual(["maxConcurrentRunners"]);
  });
});

describe("on any runner count and deployed subnet size", () => {
  it("keeps the deployed subnet exactly when it holds the runners, else names maxConcurrentRunners and both sizes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 16, max: 29 }), (runners, deployedLength) => {
        const deployed = `10.40.0.0/${deployedLength}`;
        const fitted = fit({ maxConcurrentRunners: runners }, deployed);
        const holds = runnerCapacity(deployedLength) >= runners;
        if (holds) {
          expect(fitted.issues).toEqual([]);
          expect([fitted.design?.subnetPrefix, fitted.design?.runnerCapacity]).toEqual([deployed, runnerCapacity(deployedLength)]);
        } else {
          expect(fitted.design).toBeUndefined();
          expect(fitted.issues.map((issue) => issue.path)).toEqual(["networks[0].maxConcurrentRunners"]);
          expect(fitted.issues[0].message).toContain(
            `a /${prefixLengthFor(runners)} or larger, but the deployed subnet ${deployed} holds ${runnerCapacity(deployedLength)} runners`,
          );
        }
      }),
    );
  });
});
