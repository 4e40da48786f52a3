/**
 * A deployed runner subnet keeps its address range. Its networkSettings puts a service association
 * link on it (docs.github.com, "Deleting a subnet"; reference databaseid-queries-and-subnet-
 * deletion.md), and Azure refuses to change the range of a subnet in use (ARM answers
 * `InUseSubnetCannotBeUpdated`). So a network whose subnet is deployed keeps the deployed prefix
 * while it holds the runners, and a change it cannot absorb is refused before anything is
 * registered, with the way to grow: a second network, then the old one removed (README "Growing a
 * deployed network").
 */
import { containsCidr, formatCidr, parseCidr, tryParseCidr } from "./cidr";
import { natGatewayIpCount, type RunnerNetworkDesign } from "./network-design";
import { addressesNeeded, prefixLengthFor, runnerCapacity } from "./sizing";
import type { Problem } from "./problems";

export const GROWING_README_SECTION = 'README "Growing a deployed network"';

/**
 * Who the procedure is told to, and how its GitHub network configuration is switched to the new
 * network: the stack's own configuration (`primaryNetwork`, or the failover role), one kept in
 * GitHub by hand, or a program using the component.
 */
export type GrowthAudience = { kind: "stack"; switchBy: "primaryNetwork" | "failoverRole" | "byHand" } | { kind: "component" };

/** What the user gave that decides the subnet (the design holds what was derived from it). */
export interface SubnetArgs {
  subnetPrefix?: string;
  natGatewayPublicIpCount?: number;
}

const SWITCH_STEP = {
  primaryNetwork: "set github.networkConfiguration.primaryNetwork to it",
  failoverRole: "give it role failover and this network role primary",
  byHand: "put its gitHubId in the GitHub network configuration in place of this network's",
} as const;

/** The safe procedure, in one sentence for a message; `need` says what the new network must hold. */
export function growthProcedure(audience: GrowthAudience, need: string): string {
  if (audience.kind === "component")
    return `add a second GitHubRunnerNetwork whose subnet does not overlap this one${need}, point your GitHub network configuration at its gitHubId, pulumi up, then remove this component and pulumi up again (${GROWING_README_SECTION})`;
  return `add a second network whose subnet does not overlap this one (another addressSpace, or another free subnetPrefix in the existing VNET)${need}, ${SWITCH_STEP[audience.switchBy]}, pulumi up, then remove this network and pulumi up again (${GROWING_README_SECTION})`;
}

/** The heading of a refusal by `what` (a component, the stack config), before its problems. */
export function deployedSubnetConflictHeading(what: string): string {
  return `${what} would change a deployed runner subnet, which Azure refuses for a subnet in use; nothing was changed:`;
}

const IN_USE = "Azure cannot change the address range of a subnet in use (its networkSettings holds it)";

/**
 * The design of a network whose subnet may be deployed with `deployedPrefix` (undefined: not
 * deployed): the deployed prefix when it holds the runners, so nothing changes in place; problems
 * (by key path through `at`) when the arguments would change it.
 */
export function fitDeployedSubnet(
  design: RunnerNetworkDesign,
  args: SubnetArgs,
  deployedPrefix: string | undefined,
  at: (key: string) => string,
  audience: GrowthAudience,
): { design?: RunnerNetworkDesign; issues: Problem[] } {
  // The state holds what ARM answered; anything else was not written by this component.
  const deployed = deployedPrefix === undefined ? undefined : tryParseCidr(deployedPrefix);
  if (!deployed || deployed.family !== 4 || formatCidr(deployed) === design.subnetPrefix) return { design, issues: [] };
  const current = formatCidr(deployed);
  const problem = (key: string, message: string) => ({ issues: [{ path: at(key), message }] });

  if (args.subnetPrefix !== undefined)
    return problem(
      "subnetPrefix",
      `${args.subnetPrefix} is not the deployed subnet ${current}, and ${IN_USE}. To move or resize it, ${growthProcedure(audience, "")}; or set subnetPrefix back to ${current}`,
    );
  if (design.addressSpace !== undefined && !containsCidr(parseCidr(design.addressSpace), deployed))
    return problem(
      "addressSpace",
      `${design.addressSpace} does not hold the deployed subnet ${current}, and ${IN_USE}. To move the network, ${growthProcedure(audience, "")}; or give an addressSpace that holds ${current}`,
    );
  const runners = design.maxConcurrentRunners!;
  const capacity = runnerCapacity(deployed.prefixLength);
  if (capacity < runners)
    return problem(
      "maxConcurrentRunners",
      `${runners} needs ${addressesNeeded(runners)} addresses (ceil(1.3 x ${runners}) + 5 reserved), a /${prefixLengthFor(runners)} or larger, but the deployed subnet ${current} holds ${capacity} runners and ${IN_USE}. To grow, ${growthProcedure(audience, ` and maxConcurrentRunners ${runners}`)}; or keep maxConcurrentRunners at most ${capacity}`,
    );
  return {
    design: {
      ...design,
      subnetPrefix: current,
      runnerCapacity: capacity,
      natGatewayPublicIpCount: natGatewayIpCount(design.egress, args.natGatewayPublicIpCount, capacity),
    },
    issues: [],
  };
}
