/**
 * What the operations of each GitHub resource share: how they sign in and reach GitHub, and how
 * they become a dynamic provider.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CompleteProvider } from "../dynamic-proxy";
import { isUnknownInput } from "./api";
import { createGitHubClient, type GitHubClient } from "./client";
import { gitHubAppProblems, normalizeGitHubApp, type GitHubAppCredentials } from "../lib/github-app";
import { underPath, type Problem } from "../lib/problems";

/**
 * How a resource signs in: a token, or a GitHub App whose installation tokens are minted for each
 * operation (then state holds the app, its key as a secret, and no token). Neither (an empty
 * token) is a preview without credentials.
 */
export interface SignIn {
  token?: string;
  app?: GitHubAppCredentials;
}

/** Makes a client from a resource's own sign-in (secret) and API URL. */
export type Connect = (props: SignIn & { apiUrl: string }) => GitHubClient;

export const connectToGitHub: Connect = (props) => createGitHubClient({ token: props.token, app: props.app, apiUrl: props.apiUrl });

/** Problems with `token` and `app`: one of them at most, and an app with all its keys. Shared by the resource constructors and `check`. */
export function signInProblems(inputs: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const { token, app } = inputs;
  if (token !== undefined && !isUnknownInput(token) && typeof token !== "string")
    problems.push({ path: "token", message: "must be a string (a GitHub token)" });
  if (app === undefined) return problems;
  if (token !== undefined && token !== "")
    problems.push({ path: "app", message: "give token or app, not both: app signs in as a GitHub App, token with a token" });
  problems.push(...underPath("app", gitHubAppProblems(app, isUnknownInput)));
  return problems;
}

/** Whether these props carry credentials; an empty token (a preview without one) does not. */
const hasSignIn = (props: SignIn) => props.app !== undefined || Boolean(props.token);

/** The sign-in keys as state keeps them: the app with ids as digits and no token key, or the token. */
function signInOf(props: Record<string, unknown>): SignIn {
  const app = props.app as GitHubAppCredentials | undefined;
  if (app === undefined) return { token: (props.token as string | undefined) ?? "" };
  // Values that fail the checks are kept as they are: check reports them.
  return { app: gitHubAppProblems(app).length ? app : normalizeGitHubApp(app) };
}

/** `props` with the sign-in of `from` in place of its own. */
function withSignInOf<T extends object>(from: Record<string, unknown>, props: T): T {
  const { token: _token, app: _app, ...rest } = props as T & SignIn;
  return { ...rest, ...signInOf(from) } as T;
}

/** A new token or app is stored without calling GitHub; none given (a preview without credentials) is no change. */
function signInChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (!hasSignIn(news)) return false;
  return JSON.stringify(signInOf(olds)) !== JSON.stringify(signInOf(news));
}

/** A dynamic provider's operations, every one present. */
export type ResourceOperations = CompleteProvider;

/** One resource's logic over GitHub; `operationsFor` turns it into a provider's operations. */
export interface ResourceLogic<Inputs extends SignIn & { apiUrl: string }, Outputs extends Inputs> {
  /** Fills defaults, so state always holds every field (the sign-in keys are filled in for every resource). */
  normalize(news: Record<string, unknown>): Record<string, unknown>;
  /** Problems with the resource's own inputs (sign-in problems are added for every resource). */
  problems(inputs: Record<string, unknown>): Problem[];
  /** The diff of the resource's own inputs (a new token or app is an update for every resource). */
  diff(olds: Outputs, news: Record<string, unknown>): dynamic.DiffResult;
  create(client: GitHubClient, inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
  /** `undefined` when the resource is gone (deleted outside Pulumi). */
  read(client: GitHubClient, id: string, props: Outputs): Promise<Outputs | undefined>;
  update(client: GitHubClient, id: string, olds: Outputs, news: Inputs): Promise<Outputs>;
  delete(client: GitHubClient, id: string, props: Outputs): Promise<void>;
}

export function operationsFor<Inputs extends SignIn & { apiUrl: string }, Outputs extends Inputs>(
  logic: ResourceLogic<Inputs, Outputs>,
  connect: Connect,
): ResourceOperations {
  return {
    // Synchronous logic; run inside a promise so a throw reaches Pulumi as a rejection, as from any operation.
    check: (_olds, news: Record<string, unknown>) =>
      Promise.resolve().then(() => {
        const inputs = withSignInOf(news, logic.normalize(news));
        // Pulumi's check failure names the property and gives the reason.
        const problems = [...signInProblems(news), ...logic.problems(inputs)];
        return { inputs, failures: problems.map(({ path, message }) => ({ property: path, reason: message })) };
      }),
    diff: (_id, olds: Outputs, news: Record<string, unknown>) =>
      Promise.resolve().then(() => {
        const diff = logic.diff(olds, news);
        return !diff.changes && signInChanged(olds as Record<string, unknown>, news) ? { ...diff, changes: true } : diff;
      }),
    async create(inputs: Inputs) {
      const { id, outs } = await logic.create(connect(inputs), inputs);
      return { id, outs: withSignInOf(inputs as Record<string, unknown>, outs) };
    },
    async read(id, props: Outputs) {
      const outputs = await logic.read(connect(props), id, props);
      // An empty id tells the engine the resource no longer exists.
      return outputs ? { id, props: withSignInOf(props as Record<string, unknown>, outputs) } : { id: "", props: {} };
    },
    async update(id, olds: Outputs, news: Inputs) {
      // No credentials this time (a preview without them) keeps the stored ones.
      const desired = hasSignIn(news) ? news : withSignInOf(olds as Record<string, unknown>, news);
      const outs = await logic.update(connect(desired), id, olds, desired);
      return { outs: withSignInOf(desired as Record<string, unknown>, outs) };
    },
    async delete(id, props: Outputs) {
      await logic.delete(connect(props), id, props);
    },
  };
}
