/**
 * How this package's dynamic resources find their code inside Pulumi's provider process.
 *
 * Pulumi serializes a dynamic resource's provider into text (kept in the state and run by the
 * `pulumi-nodejs` provider process, whose working directory is the Pulumi project). Serializing
 * real provider code breaks once the package is installed: every module the code captures is
 * re-required by its file path inside `node_modules`, which the package's `exports` map does not
 * allow. So each dynamic resource carries a proxy instead: methods whose serialized text holds two
 * strings, this package's public entry point and a provider name, and which `require` that entry
 * from the project when they run. Files can then move inside the package without breaking any
 * state, as long as the entry keeps exporting `providers` under the same names.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The public entry point (package.json `exports`) that holds the providers' code. */
export const DYNAMIC_PROVIDERS_ENTRY = "azure-github-runner-network/dynamic-providers";

/** Names the state refers to: never rename one (add a new name and keep the old one instead). */
export const DYNAMIC_PROVIDER_NAMES = ["providerRegistration", "github"] as const;
export type DynamicProviderName = (typeof DYNAMIC_PROVIDER_NAMES)[number];

/** A provider with every method, as the entry point exports them. */
export type CompleteProvider = Required<Omit<dynamic.ResourceProvider, "configure">>;

/** Where a proxy's code comes from: read by the offline plan, which checks it instead of serializing. */
export interface ProxyTarget {
  entry: string;
  name: DynamicProviderName;
}

/** Property that carries a proxy's target; plain data, so it serializes with the proxy. */
export const PROXY_TARGET_KEY = "azureGitHubRunnerNetworkTarget";

export type ProviderProxy = CompleteProvider & { readonly [PROXY_TARGET_KEY]: ProxyTarget };

/**
 * The proxy for one provider. Only `entry` and `name` are captured. The entry is resolved as a
 * module in the project directory (the process's working directory) would resolve it: from the
 * project's node_modules and its parents, or, in a checkout of this package, as a self-reference.
 */
export function dynamicProviderProxy(name: DynamicProviderName, entry: string = DYNAMIC_PROVIDERS_ENTRY): ProviderProxy {
  const target = (): CompleteProvider => {
    let loaded: { providers?: Partial<Record<string, CompleteProvider>> };
    try {
      // Looked up when it runs: a module-level import would be captured into the serialized text.
      const { createRequire } = process.getBuiltinModule("node:module");
      loaded = createRequire(`${process.cwd()}/package.json`)(entry) as typeof loaded;
    } catch (error) {
      throw new Error(
        `cannot load ${entry} from ${process.cwd()}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}. ` +
          "Install azure-github-runner-network in this Pulumi project (npm install) and run pulumi from the project directory.",
        { cause: error },
      );
    }
    const provider = loaded.providers?.[name];
    if (!provider)
      throw new Error(`${entry} has no dynamic provider "${name}"; this state was written by a version that had it: install that version`);
    return provider;
  };
  return {
    [PROXY_TARGET_KEY]: { entry, name },
    // async, so a missing entry point is a rejected operation like any provider error.
    check: async (olds, news) => target().check(olds, news),
    diff: async (id, olds, news) => target().diff(id, olds, news),
    create: async (inputs) => target().create(inputs),
    read: async (id, props) => target().read(id, props),
    update: async (id, olds, news) => target().update(id, olds, news),
    delete: async (id, props) => target().delete(id, props),
  };
}

/** The proxy target of a provider object, if it is one of this package's proxies (from any copy of it). */
export function proxyTargetOf(provider: unknown): ProxyTarget | undefined {
  const target = (provider as Record<string, unknown> | undefined)?.[PROXY_TARGET_KEY] as Partial<ProxyTarget> | undefined;
  return typeof target?.entry === "string" && DYNAMIC_PROVIDER_NAMES.includes(target.name as DynamicProviderName)
    ? (target as ProxyTarget)
    : undefined;
}
