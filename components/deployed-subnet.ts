/**
 * The address prefix a runner subnet has in the stack's saved state. The state is where the
 * deployed subnet is known from: azure-native gives it a random name suffix, so Azure cannot be
 * asked for it by name, and the state is what the engine diffs the new subnet against. One read
 * per program run, shared by every network (ARCHITECTURE.md, "Growing a deployed network").
 */
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_RUNNER_NETWORK_TYPE } from "./lib/resource-types";
import { monitorOf, readSavedResources, type SavedResource } from "./pulumi-internals";

export const SUBNET_TYPE = "azure-native:network:Subnet";

/** The child name of a GitHubRunnerNetwork's subnet. */
export const subnetChildName = (component: string) => `${component}-subnet`;

/** The saved state by the runtime that reads it (a new runtime, as each test's mocks make, reads again). */
const reads = new WeakMap<object, Promise<ReadonlyMap<string, SavedResource>>>();

function savedState(): Promise<ReadonlyMap<string, SavedResource>> {
  const monitor = monitorOf() as object | undefined;
  const cached = monitor && reads.get(monitor);
  if (cached) return cached;
  const read = readSavedResources().catch((error: unknown) => {
    // Without the state every subnet is planned as new; Azure still refuses a change to one in use.
    void pulumi.log.warn(
      `could not read the stack's saved state (${error instanceof Error ? error.message : String(error)}): runner subnets are planned as new; a change to a deployed one's address range is refused by Azure at update time`,
    );
    return new Map<string, SavedResource>();
  });
  if (monitor) reads.set(monitor, read);
  return read;
}

/** The URN the subnet of the GitHubRunnerNetwork `component` has, with the component under `parent`. */
export function runnerSubnetUrn(component: string, parent?: pulumi.Resource): Promise<string> {
  const urn = pulumi.createUrn(subnetChildName(component), SUBNET_TYPE, pulumi.createUrn(component, GITHUB_RUNNER_NETWORK_TYPE, parent));
  return new Promise((resolve) => urn.apply(resolve));
}

/** The saved address prefix of the subnet with this URN; undefined when the state holds no such subnet. */
export async function savedSubnetPrefix(urn: string): Promise<string | undefined> {
  const saved = (await savedState()).get(urn);
  const prefix = saved?.type === SUBNET_TYPE ? saved.outputs.addressPrefix : undefined;
  return typeof prefix === "string" ? prefix : undefined;
}
