/** A hub firewall policy in the stack's own subscription: no provider of its own (one process per stack run). */
import { describe, expect, it } from "vitest";
import { HUB, landingZoneConfig, stackProgram } from "../support/landing-zone";
import { runOffline } from "../support/offline";

describe("a hub policy in the stack's own subscription", async () => {
  const run = await runOffline(stackProgram, landingZoneConfig(HUB));

  it("needs no provider of its own", () => {
    expect(run.resources.filter((r) => r.type === "pulumi:providers:azure-native")).toEqual([]);
    expect(run.byName("b-firewall-rules").provider).toBeUndefined();
  });
});
