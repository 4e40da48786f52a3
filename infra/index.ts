/** Pulumi program: `pulumi up` in the project root runs this (Pulumi.yaml `main: infra/`). */
import * as pulumi from "@pulumi/pulumi";
import { deployStack, readStackConfig } from "./stack";

const stack = deployStack(readStackConfig(pulumi.runtime.allConfig()));

export const networks = stack.networks;
export const nextSteps = stack.nextSteps;
