import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runOffline } from "../support/offline";

describe("the stack program with invalid config", () => {
  it("stops with every problem listed and registers nothing but the stack", async () => {
    const config = {
      "azure-github-runner-network:github": JSON.stringify({ businessId: "12", scope: "organization", slug: "o" }),
      "azure-github-runner-network:networks": JSON.stringify([
        { name: "a", location: "eastus" },
        { name: "a", location: "nowhere", maxConcurrentRunners: 5 },
      ]),
    };
    let failure: unknown;
    const run = await runOffline(async () => {
      try {
        return { ...(await import("../../infra/index")) };
      } catch (error) {
        failure = error;
        return {};
      }
    }, config);
    expect(pulumi.RunError.isInstance(failure as Error)).toBe(true);
    expect((failure as Error).message.split("\n")).toEqual([
      "invalid stack config (azure-github-runner-network):",
      "  networks[0].maxConcurrentRunners: give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix",
      '  networks[1].name: "a" is already used by networks[0]; names must be unique',
      expect.stringMatching(/^ {2}networks\[1\]\.location: "nowhere" is not a region GitHub supports/),
    ]);
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
