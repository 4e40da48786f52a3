/**
 * Runs a Pulumi program with no engine, cloud or credentials: Pulumi's runtime mocks stand in for
 * both, answering like Azure would (ARM-shaped IDs, `GitHubId` on networkSettings), and every
 * registration is recorded with its parent, dependencies and resource options.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_MARKER } from "./secret-marker";
import { proxyTargetOf } from "../components/dynamic-proxy";
import {
  deserializeRpcProperties,
  interceptRegistrations,
  isRpcSecretValue,
  READ_STACK_RESOURCE_OUTPUTS,
  replaceClosureSerializer,
  type SavedResource,
  skipPromiseStackTraces,
  waitForOutstandingRpcs,
} from "../components/pulumi-internals";
import { NETWORK_CONFIGURATION_TYPE, RUNNER_GROUP_BINDING_TYPE } from "../components/github/types";

export const PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const PLACEHOLDER_TENANT = "11111111-1111-1111-1111-111111111111";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  inputs: Record<string, unknown>;
  dependencies: string[];
  /** The URN of the explicit provider resource the resource is managed through, when it has one. */
  provider?: string;
  /** Options that change how the engine diffs or replaces the resource, when set. */
  options: {
    deleteBeforeReplace?: boolean;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    protect?: boolean;
    additionalSecretOutputs?: string[];
  };
  /** What the mock answered: the state a deploy would report (IDs are placeholders). */
  outputs: Record<string, unknown>;
}

/** Resource types whose ARM path segment is not the lower-camel plural of the token's type name. */
const ARM_PATHS: Record<string, { provider: string; collection: string; nameKey: string; parentKeys?: [string, string][] }> = {
  "azure-native:network:VirtualNetwork": { provider: "Microsoft.Network", collection: "virtualNetworks", nameKey: "virtualNetworkName" },
  "azure-native:network:Subnet": {
    provider: "Microsoft.Network",
    collection: "subnets",
    nameKey: "subnetName",
    parentKeys: [["virtualNetworks", "virtualNetworkName"]],
  },
  "azure-native:network:NetworkSecurityGroup": {
    provider: "Microsoft.Network",
    collection: "networkSecurityGroups",
    nameKey: "networkSecurityGroupName",
  },
  "azure-native:network:PublicIPAddress": {
    provider: "Microsoft.Network",
    collection: "publicIPAddresses",
    nameKey: "publicIpAddressName",
  },
  "azure-native:network:NatGateway": { provider: "Microsoft.Network", collection: "natGateways", nameKey: "natGatewayName" },
  "azure-native:network:RouteTable": { provider: "Microsoft.Network", collection: "routeTables", nameKey: "routeTableName" },
  "azure-native:network:FirewallPolicyRuleCollectionGroup": {
    provider: "Microsoft.Network",
    collection: "ruleCollectionGroups",
    nameKey: "ruleCollectionGroupName",
    parentKeys: [["firewallPolicies", "firewallPolicyName"]],
  },
};

function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** The ARM ID Azure would give the resource, with a placeholder subscription. */
export function placeholderArmId(type: string, name: string, inputs: Record<string, unknown>): string {
  const str = (key: string) => (typeof inputs[key] === "string" ? inputs[key] : undefined);
  const subscription = `/subscriptions/${PLACEHOLDER_SUBSCRIPTION}`;
  if (type === "azure-native:resources:ResourceGroup") return `${subscription}/resourceGroups/${str("resourceGroupName") ?? name}`;
  const group = `${subscription}/resourceGroups/${str("resourceGroupName") ?? "unknown-group"}`;
  if (type === "azure-native:resources:Resource") {
    const parentPath = str("parentResourcePath") ? `/${str("parentResourcePath")}` : "";
    return `${group}/providers/${str("resourceProviderNamespace")}${parentPath}/${str("resourceType")}/${str("resourceName") ?? name}`;
  }
  const known = ARM_PATHS[type];
  if (known) {
    const parents = (known.parentKeys ?? []).map(([collection, key]) => `/${collection}/${str(key)}`).join("");
    return `${group}/providers/${known.provider}${parents}/${known.collection}/${str(known.nameKey) ?? name}`;
  }
  // Other azure-native types: Microsoft.<Module>/<typeName>s, which fits most of them.
  const [, module = "unknown", typeName = "resource"] = type.split(":");
  const provider = `Microsoft.${module.charAt(0).toUpperCase()}${module.slice(1)}`;
  return `${group}/providers/${provider}/${typeName.charAt(0).toLowerCase()}${typeName.slice(1)}s/${name}`;
}

/**
 * Mocks that answer like Azure; deterministic, so two plans of one config are identical. The
 * stack's saved state is `savedResources`: none in a plan, so every runner subnet is planned as
 * new, which the plan says (render.ts); tests give some.
 */
export const azureMocks = (savedResources: Record<string, SavedResource> = {}): pulumi.runtime.Mocks => ({
  newResource(args) {
    const { type, name } = args;
    const inputs = args.inputs as Record<string, unknown>;
    if (!args.custom) return { id: "", state: inputs };
    // GitHub network configuration and runner group bindings: a recognisable stand-in id, like GitHubId's.
    if (type === NETWORK_CONFIGURATION_TYPE || type === RUNNER_GROUP_BINDING_TYPE)
      return { id: `offline-plan-${shortHash(`${type}::${name}`, 12)}`, state: inputs };
    if (!type.startsWith("azure-native:")) return { id: `${name}-id`, state: inputs };
    const id = placeholderArmId(type, name, inputs);
    const azureName = id.split("/").pop()!;
    const state: Record<string, unknown> = { ...inputs, id, name: azureName };
    if (type === "azure-native:network:PublicIPAddress") {
      // TEST-NET-3 (RFC 5737): clearly not a real address; the real one is known after deploy.
      state.ipAddress = `203.0.113.${(parseInt(shortHash(id, 4), 16) % 254) + 1}`;
    }
    if (type === "azure-native:resources:Resource" && inputs.resourceProviderNamespace === "GitHub.Network") {
      // The service writes GitHubId; the plan's stand-in is recognisably not a real one.
      state.tags = { ...(inputs.tags as object | undefined), GitHubId: `offline-plan-${shortHash(id, 12)}` };
    }
    return { id, state };
  },
  call(args) {
    if (args.token === READ_STACK_RESOURCE_OUTPUTS)
      return { name: (args.inputs as { stackName?: string }).stackName, outputs: savedResources };
    if (args.token === "azure-native:authorization:getClientConfig") {
      return { subscriptionId: PLACEHOLDER_SUBSCRIPTION, tenantId: PLACEHOLDER_TENANT, clientId: "offline-plan", objectId: "offline-plan" };
    }
    return {};
  },
});

/** Stands in for the serialized text of this package's own dynamic providers (Pulumi's `__provider` input). */
export const OFFLINE_DYNAMIC_PROVIDER = "(dynamic provider proxy: serialized by pulumi up, checked by the offline plan)";

/** A dynamic provider Pulumi could not run from the project: the plan fails as the preview would. */
export class DynamicProviderError extends Error {}

/**
 * Dynamic resources carry their provider's code, serialized so the engine can run it, and a
 * provider Pulumi cannot serialize fails the run: so every provider goes through Pulumi's real
 * serializer, except this package's own proxies (components/dynamic-proxy.ts), whose text is two
 * strings and always serializes (the consumer test proves it from an installed package). For
 * those, what can fail is the provider process loading the package's entry point from the
 * project, which is checked here instead; that keeps TypeScript's parser, which the serializer
 * loads, out of the plans of this package's stack. Pulumi's dynamic module looks the serializer
 * up on each use, so replacing the export is enough.
 */
function checkDynamicProviders(projectDir: string): void {
  const fromProject = createRequire(join(projectDir, "package.json"));
  replaceClosureSerializer((serializeForReal) => async (func, args) => {
    const target = proxyTargetOf(func());
    if (!target) return serializeForReal(func, args);
    try {
      fromProject.resolve(target.entry);
    } catch {
      throw new DynamicProviderError(
        `Pulumi's provider process could not load ${target.entry} from ${projectDir}: install azure-github-runner-network in that project (npm install), then plan again`,
      );
    }
    return { text: OFFLINE_DYNAMIC_PROVIDER, exportName: "handler", containsSecrets: false };
  });
}

/** Pulumi stack config in its flat form: `namespace:key` to text (structured values as JSON). */
export type FlatConfig = Record<string, string>;

/**
 * Points Pulumi's runtime at the Azure mocks and starts recording registrations. Call once per
 * process, before the program's modules are imported.
 */
export async function startOfflineEngine(options: {
  project: string;
  stack: string;
  config?: FlatConfig;
  preview?: boolean;
  projectDir?: string;
  /** The stack's saved resources by URN, as the engine would read them (the plan has none: tests give some). */
  savedResources?: Record<string, SavedResource>;
}) {
  pulumi.runtime.setAllConfig(options.config ?? {});
  await pulumi.runtime.setMocks(azureMocks(options.savedResources), options.project, options.stack, options.preview ?? true);
  checkDynamicProviders(options.projectDir ?? process.cwd());
  skipPromiseStackTraces();
  const recorded: RecordedResource[] = [];
  const creationOrder = new Map<string, number>();
  interceptRegistrations((req, response) => {
    const deleteBeforeReplace = req.getDeletebeforereplace();
    const ignoreChanges = req.getIgnorechangesList();
    const replaceOnChanges = req.getReplaceonchangesList();
    // A provider reference is "<provider URN>::<provider ID>".
    const provider = req.getProvider().replace(/::[^:]*$/, "");
    recorded.push({
      urn: response.getUrn(),
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent() || null,
      inputs: withoutProviderCode(maskSecrets(deserializeRpcProperties(req.getObject()))),
      dependencies: [...req.getDependenciesList()].sort(),
      ...(provider ? { provider } : {}),
      options: {
        ...(deleteBeforeReplace ? { deleteBeforeReplace } : {}),
        ...(ignoreChanges.length ? { ignoreChanges } : {}),
        ...(replaceOnChanges.length ? { replaceOnChanges } : {}),
        ...(req.getProtect() ? { protect: true } : {}),
        ...(req.getAdditionalsecretoutputsList().length ? { additionalSecretOutputs: req.getAdditionalsecretoutputsList() } : {}),
      },
      outputs: maskSecrets(deserializeRpcProperties(response.getObject())),
    });
  });
  return {
    /** Registrations so far, in the order the program created them (not the order inputs resolved). */
    resources: () => {
      const rank = (r: RecordedResource) => creationOrder.get(`${r.type}::${r.name}`) ?? -1;
      return [...recorded].sort((a, b) => rank(a) - rank(b));
    },
    /** Call inside the program (runProgram does): notes each resource as its constructor runs. */
    noteCreation: () =>
      pulumi.runtime.registerStackTransformation((args) => {
        creationOrder.set(`${args.type}::${args.name}`, creationOrder.size);
        return undefined;
      }),
    /** Waits for every outstanding registration to finish. */
    settle: () => waitForOutstandingRpcs(),
  };
}

/** Secret values (a GitHub token) show as a marker: a plan is printed and may be shared. */
function maskSecrets(properties: Record<string, unknown>): Record<string, unknown> {
  // Pulumi's deserializer lifts secretness to the top-level property.
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, isRpcSecretValue(value) ? SECRET_MARKER : value]));
}

/** A dynamic resource's inputs without the provider's code, which is plumbing, not configuration. */
function withoutProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  if (!("__provider" in inputs)) return inputs;
  const { __provider: _code, ...rest } = inputs;
  return rest;
}

/** A program that failed the way Pulumi's own program runner would report it (an unhandled rejection). */
export class ProgramFailure extends Error {}

/**
 * Runs `program` as the root stack and returns its outputs with every output value resolved.
 * Failures of resource registration (an input that would not serialize, a provider that cannot
 * be serialized) surface in Pulumi's runtime as unhandled rejections, which Pulumi's program
 * runner turns into a failed run: so they fail the plan too.
 */
export async function runProgram(
  engine: { noteCreation: () => void },
  program: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const failures: unknown[] = [];
  const collect = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", collect);
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
      engine.noteCreation();
      return program();
    });
    await waitForOutstandingRpcs();
    // Rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length) {
      const messages = [...new Set(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))))];
      throw new ProgramFailure(
        `the program failed as pulumi preview would fail it:\n${messages.map((message) => `  ${message}`).join("\n")}`,
      );
    }
    return outputs ?? {};
  } finally {
    process.off("unhandledRejection", collect);
  }
}
