/** What the two GitHub resource classes share: argument checks before registration and options. */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_INPUT } from "./api";
import { invalidArgumentsMessage, type Problem } from "../lib/problems";

/** Values not known yet (outputs, promises) are checked by the provider's `check` once resolved. */
export function knownValuesOf(args: object): Record<string, unknown> {
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    known[key] = pulumi.Output.isInstance(value) || value instanceof Promise ? UNKNOWN_INPUT : value;
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

/** How a GitHub resource reaches GitHub. */
export interface GitHubConnectionArgs {
  /** GitHub token; kept as a secret in inputs and state. See README for the scopes. */
  token: pulumi.Input<string>;
  /** REST base URL; default https://api.github.com, GHE.com: https://api.<subdomain>.ghe.com. */
  apiUrl?: string;
}
