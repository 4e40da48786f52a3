/** What the operations of each GitHub resource share: how they reach GitHub and how they become a dynamic provider. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CompleteProvider } from "../dynamic-proxy";
import { createGitHubClient, type GitHubClient } from "./client";
import type { Problem } from "../lib/problems";

/** Makes a client from a resource's own (secret) token and API URL. */
export type Connect = (props: { token: string; apiUrl: string }) => GitHubClient;

export const connectToGitHub: Connect = (props) => createGitHubClient({ token: props.token, apiUrl: props.apiUrl });

/** A dynamic provider's operations, every one present. */
export type ResourceOperations = CompleteProvider;

/** One resource's logic over GitHub; `operationsFor` turns it into a provider's operations. */
export interface ResourceLogic<Inputs extends { token: string; apiUrl: string }, Outputs extends Inputs> {
  /** Fills defaults, so state always holds every field. */
  normalize(news: Record<string, unknown>): Record<string, unknown>;
  problems(inputs: Record<string, unknown>): Problem[];
  diff(olds: Outputs, news: Record<string, unknown>): dynamic.DiffResult;
  create(client: GitHubClient, inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
  /** `undefined` when the resource is gone (deleted outside Pulumi). */
  read(client: GitHubClient, id: string, props: Outputs): Promise<Outputs | undefined>;
  update(client: GitHubClient, id: string, olds: Outputs, news: Inputs): Promise<Outputs>;
  delete(client: GitHubClient, id: string, props: Outputs): Promise<void>;
}

export function operationsFor<Inputs extends { token: string; apiUrl: string }, Outputs extends Inputs>(
  logic: ResourceLogic<Inputs, Outputs>,
  connect: Connect,
): ResourceOperations {
  return {
    // Synchronous logic; run inside a promise so a throw reaches Pulumi as a rejection, as from any operation.
    check: (_olds, news: Record<string, unknown>) =>
      Promise.resolve().then(() => {
        const inputs = logic.normalize(news);
        // Pulumi's check failure names the property and gives the reason.
        return { inputs, failures: logic.problems(inputs).map(({ path, message }) => ({ property: path, reason: message })) };
      }),
    diff: (_id, olds: Outputs, news: Record<string, unknown>) => Promise.resolve().then(() => logic.diff(olds, news)),
    async create(inputs: Inputs) {
      return logic.create(connect(inputs), inputs);
    },
    async read(id, props: Outputs) {
      const outputs = await logic.read(connect(props), id, props);
      // An empty id tells the engine the resource no longer exists.
      return outputs ? { id, props: outputs } : { id: "", props: {} };
    },
    async update(id, olds: Outputs, news: Inputs) {
      // An empty token (a preview without one) keeps the stored token.
      const desired = news.token ? news : { ...news, token: olds.token };
      return { outs: await logic.update(connect(desired), id, olds, desired) };
    },
    async delete(id, props: Outputs) {
      await logic.delete(connect(props), id, props);
    },
  };
}
