/**
 * The one dynamic provider behind both GitHub resources; each resource's `kind` input picks its
 * operations.
 *
 * Pulumi serializes a dynamic provider by value into the state, and serializing costs about a
 * second each time: one shared provider object keeps `pulumi preview` and the offline plan fast
 * (Pulumi caches the serialization per provider object). The code it reaches is only this
 * folder's dependency-free modules, components/lib/retry-after.ts and the global `fetch`, so the serialized provider runs in the
 * provider process whatever its working directory, and no machine path lands in the state. The
 * token never appears in the closure: it arrives as a secret input on each call.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { networkConfigurationOperations } from "./network-configuration-provider";
import { connectToGitHub, type Connect, type ResourceOperations } from "./provider-support";
import { runnerGroupBindingOperations } from "./runner-group-binding-provider";

export const RESOURCE_KINDS = ["networkConfiguration", "runnerGroupBinding"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function makeGitHubProvider(connect: Connect = connectToGitHub): dynamic.ResourceProvider {
  const operations: Record<ResourceKind, ResourceOperations> = {
    networkConfiguration: networkConfigurationOperations(connect),
    runnerGroupBinding: runnerGroupBindingOperations(connect),
  };
  const of = (props: { kind?: unknown } | undefined): ResourceOperations => {
    const found = operations[props?.kind as ResourceKind];
    if (!found) throw new Error(`unknown GitHub resource kind ${JSON.stringify(props?.kind)}; expected one of ${RESOURCE_KINDS.join(", ")}`);
    return found;
  };
  // Outputs keep `kind`, so read and delete (which see only outputs) find their operations.
  return {
    check: async (olds, news) => {
      const result = await of(news).check(olds, news);
      return { ...result, inputs: { ...result.inputs, kind: news.kind } };
    },
    diff: (id, olds, news) => of(news).diff(id, olds, news),
    create: async (inputs) => {
      const result = await of(inputs).create(inputs);
      return { ...result, outs: { ...result.outs, kind: inputs.kind } };
    },
    read: async (id, props) => {
      const result = await of(props).read(id, props);
      return result.id ? { ...result, props: { ...result.props, kind: props?.kind } } : result;
    },
    update: async (id, olds, news) => {
      const result = await of(news).update(id, olds, news);
      return { ...result, outs: { ...result.outs, kind: news.kind } };
    },
    delete: (id, props) => of(props).delete(id, props),
  };
}

export const gitHubProvider = makeGitHubProvider();
