/** Runs a program under the Azure mocks and returns what it registered and exported. */
import { runProgram, startOfflineEngine, type FlatConfig, type RecordedResource } from "../../cli/offline-engine";
import type { SavedResource } from "../../components/pulumi-internals";

/** `savedResources`: the stack's saved state as the engine would read it (none by default, as in a plan). */
export async function runOffline(
  program: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  config: FlatConfig = {},
  projectDir?: string,
  savedResources?: Record<string, SavedResource>,
) {
  const engine = await startOfflineEngine({ project: "test", stack: "unit", config, projectDir, savedResources });
  const outputs = await runProgram(engine, async () => program());
  await engine.settle();
  const resources = engine.resources();
  const byName = (name: string): RecordedResource => {
    const found = resources.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; have ${resources.map((r) => r.name).join(", ")}`);
    return found;
  };
  return { outputs, resources, byName };
}

export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";

/** azure-native sends these with every subnet unless told otherwise. */
export const SUBNET_SDK_DEFAULTS = { privateEndpointNetworkPolicies: "Disabled", privateLinkServiceNetworkPolicies: "Enabled" };
