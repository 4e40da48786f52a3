/** Pulumi program: `pulumi up` in the project root runs this (Pulumi.yaml `main: infra/`). */
import * as pulumi from "@pulumi/pulumi";
import { deployStackWithGitHub, gitHubAccessFromEnvironment, readStackConfig, runningUnderMocks } from "./stack";

const allConfig = pulumi.runtime.allConfig();
// Under mocks (the offline plan) no token is read and GitHub is never called.
const access = runningUnderMocks() ? { offline: true } : gitHubAccessFromEnvironment(allConfig, process.env);
const stack = deployStackWithGitHub(readStackConfig(allConfig), access);

/** A stack output from the deployment; handled here so one failure is reported once, not per output. */
function output<T>(pick: (deployed: Awaited<typeof stack>) => T): Promise<T> {
  const value = stack.then(pick);
  value.catch(() => undefined);
  return value;
}

export const networks = output((s) => s.networks);
export const nextSteps = output((s) => s.nextSteps);
/** Scope, slug and businessId (looked up when it was left out), and the managed network configuration if any. */
export const gitHub = output((s) => s.gitHub);
