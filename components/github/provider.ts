/**
 * The one dynamic provider behind both GitHub resources; each resource's `kind` input picks its
 * operations. Pulumi's provider process loads it through the package's dynamic-providers entry
 * point (see ../dynamic-proxy.ts); the resources carry the proxy `gitHubProviderProxy`. Neither
 * the token nor a GitHub App's key appears in serialized code: they arrive as secret inputs on
 * each call (see provider-support.ts, SignIn).
 */
import { dynamicProviderProxy } from "../dynamic-proxy";
import { networkConfigurationOperations } from "./network-configuration-provider";
import { connectToGitHub, type Connect, type ResourceOperations } from "./provider-support";
import { runnerGroupBindingOperations } from "./runner-group-binding-provider";

export const RESOURCE_KINDS = ["networkConfiguration", "runnerGroupBinding"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A resource's inputs or outputs as Pulumi hands them over; only `kind` is read here. */
type Props = Record<string, unknown>;

export function makeGitHubProvider(connect: Connect = connectToGitHub): ResourceOperations {
  const operations: Record<ResourceKind, ResourceOperations> = {
    networkConfiguration: networkConfigurationOperations(connect),
    runnerGroupBinding: runnerGroupBindingOperations(connect),
  };
  const of = (props: { kind?: unknown } | undefined): ResourceOperations => {
    const found = operations[props?.kind as ResourceKind];
    if (!found)
      throw new Error(`unknown GitHub resource kind ${JSON.stringify(props?.kind)}; expected one of ${RESOURCE_KINDS.join(", ")}`);
    return found;
  };
  // Outputs keep `kind`, so read and delete (which see only outputs) find their operations.
  return {
    check: async (olds: Props, news: Props) => {
      const result = await of(news).check(olds, news);
      return { ...result, inputs: { ...(result.inputs as Props), kind: news.kind } };
    },
    diff: (id: string, olds: Props, news: Props) => of(news).diff(id, olds, news),
    create: async (inputs: Props) => {
      const result = await of(inputs).create(inputs);
      return { ...result, outs: { ...(result.outs as Props), kind: inputs.kind } };
    },
    read: async (id: string, props?: Props) => {
      const result = await of(props).read(id, props);
      return result.id ? { ...result, props: { ...(result.props as Props | undefined), kind: props?.kind } } : result;
    },
    update: async (id: string, olds: Props, news: Props) => {
      const result = await of(news).update(id, olds, news);
      return { ...result, outs: { ...(result.outs as Props | undefined), kind: news.kind } };
    },
    delete: (id: string, props: Props) => of(props).delete(id, props),
  };
}

export const gitHubProvider = makeGitHubProvider();

/** What the GitHub resources carry; one object, so Pulumi serializes it once per program. */
export const gitHubProviderProxy = dynamicProviderProxy("github");
