/** What the two GitHub resource classes share: argument checks before registration and options. */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_INPUT } from "./api";
import { invalidArgumentsMessage, type Problem } from "../lib/problems";

const isDeferred = (value: unknown) => pulumi.Output.isInstance(value) || value instanceof Promise;

/**
 * Values not known yet (outputs, promises) are checked by the provider's `check` once resolved;
 * so are those inside an argument object (`app`).
 */
export function knownValuesOf(args: object): Record<string, unknown> {
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    known[key] = isDeferred(value)
      ? UNKNOWN_INPUT
      : typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as object).map(([inner, v]) => [inner, isDeferred(v) ? UNKNOWN_INPUT : v]))
        : value;
  }
  return known;
}

/** Refuses bad arguments before anything is registered; one line per problem, no stack trace. */
export function refuseProblems(resource: string, name: string, problems: Problem[]): void {
  if (problems.length === 0) return;
  throw new pulumi.RunError(invalidArgumentsMessage(resource, name, problems));
}

/** The token is a secret input and a secret output: state holds it encrypted only. */
export function withSecretToken(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const secrets = new Set([...(opts?.additionalSecretOutputs ?? []), "token"]);
  return { ...opts, additionalSecretOutputs: [...secrets] };
}

/** A GitHub App installation to sign in as (README, "GitHub App sign-in"). */
export interface GitHubAppArgs {
  /** The app's client ID (`Iv…`, which GitHub recommends) or its numeric App ID. */
  appId: pulumi.Input<string | number>;
  /** The numeric id of the app's installation on the organization. */
  installationId: pulumi.Input<string | number>;
  /** The app's private key (the PEM file); kept as a secret in inputs and state. */
  privateKey: pulumi.Input<string>;
}

/** How a GitHub resource reaches GitHub: with `token` or as a GitHub App (`app`), not both. */
export interface GitHubConnectionArgs {
  /** GitHub token; kept as a secret in inputs and state. See README for the scopes. */
  token?: pulumi.Input<string>;
  /**
   * Sign in as a GitHub App installation instead of a token: every operation (create, refresh,
   * destroy, any time later) mints its own short-lived installation token; state keeps the app,
   * its key as a secret, and no token.
   */
  app?: GitHubAppArgs;
  /** REST base URL; default https://api.github.com, GHE.com: https://api.<subdomain>.ghe.com. */
  apiUrl?: string;
}

/** The sign-in inputs a resource registers: the app with its key as a secret, or the token as a secret. */
export function signInInputs(args: GitHubConnectionArgs): Record<string, unknown> {
  if (args.app === undefined) return { token: pulumi.secret(args.token) };
  const { appId, installationId, privateKey } = args.app;
  return { app: { appId, installationId, privateKey: pulumi.secret(privateKey) } };
}
