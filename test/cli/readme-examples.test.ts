/** The stack configs README shows as examples plan offline as they stand (in process: one plan per file). */
import { describe, expect, it } from "vitest";
import { planExample } from "../support/readme-examples";

describe("README's landing-zone example", async () => {
  const outcome = await planExample("landing-zone");
  const resources = outcome.report.resources;
  const named = (name: string) => resources.find((r) => r.name === name)!;

  it("writes both rule collection groups in the hub's subscription, one after the other", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:azure-native")!;
    expect([provider.name, provider.inputs.subscriptionId]).toEqual([
      "firewall-policy-subscription-22222222-2222-2222-2222-222222222222",
      "22222222-2222-2222-2222-222222222222",
    ]);
    expect([named("spoke-east-firewall-rules").provider, named("spoke-central-firewall-rules").provider]).toEqual([
      provider.urn,
      provider.urn,
    ]);
    expect(named("spoke-central-firewall-rules").dependencies).toContain(named("spoke-east-firewall-rules").urn);
  });

  it("peers each spoke with the hub, gives it the hub's DNS and links the zone", () => {
    expect(named("spoke-east-to-hub").inputs.remoteVirtualNetwork).toEqual({
      id: "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet",
    });
    expect(named("spoke-central-vnet").inputs.dhcpOptions).toEqual({ dnsServers: ["10.0.0.4"] });
    expect(named("spoke-east-dns-link-1").inputs.privateZoneName).toBe("privatelink.blob.core.windows.net");
    expect(outcome.report.policy.violations).toEqual([]);
  });
});
