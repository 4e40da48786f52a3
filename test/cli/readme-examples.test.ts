/**
 * The stack configs README shows as examples plan offline as they stand (in process: one plan per
 * file; more through the CLI).
 */
import { describe, expect, it } from "vitest";
import { runCli, writeStackFile } from "../support/cli";
import { planExample, readmeExample } from "../support/readme-examples";

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
    // The hub side and the zone link live in the hub's subscription, through one provider for it.
    const hubSubscription = named("spoke-east-subscription-22222222-2222-2222-2222-222222222222");
    expect(hubSubscription.inputs.subscriptionId).toBe("22222222-2222-2222-2222-222222222222");
    expect([named("spoke-east-from-hub").provider, named("spoke-east-dns-link-1").provider]).toEqual([
      hubSubscription.urn,
      hubSubscription.urn,
    ]);
    expect(named("spoke-east-from-hub").inputs).toMatchObject({
      resourceGroupName: "hub-rg",
      virtualNetworkName: "hub-vnet",
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
    });
    expect(resources.some((r) => r.name === "spoke-central-from-hub")).toBe(false);
    expect(outcome.report.policy.violations).toEqual([]);
  });
});

describe("README's two steps for growing a deployed network", () => {
  type Plan = {
    resources: { name: string; inputs: Record<string, unknown> }[];
    outputs: { networks: Record<string, { gitHubId: string }> };
  };
  const plan = async (name: string, flags: string[] = ["--json"]) => {
    const result = await runCli(["plan", "--config", writeStackFile(readmeExample(name)), ...flags]);
    expect([result.code, result.stderr.split("\n").filter((line) => line.startsWith("error"))]).toEqual([0, []]);
    return result.stdout;
  };
  const subnets = (report: Plan) => report.resources.filter((r) => r.name.endsWith("-subnet")).map((r) => [r.name, r.inputs.addressPrefix]);
  const configurationNetwork = (report: Plan) => report.resources.find((r) => r.name === "github-network-configuration")!.inputs.gitHubId;

  it("step 1: the deployed network as it was, a new one for 300 runners, and the configuration on the new one", async () => {
    const report = JSON.parse(await plan("growing-step-1")) as Plan;
    expect(subnets(report)).toEqual([
      ["primary-subnet", "10.40.0.0/24"],
      ["primary-v2-subnet", "10.42.0.0/23"],
    ]);
    expect(configurationNetwork(report)).toBe(report.outputs.networks["primary-v2"].gitHubId);
  });

  it("step 2: the new network only, still the configuration's, and the plan says it read no state", async () => {
    const report = JSON.parse(await plan("growing-step-2")) as Plan;
    expect(subnets(report)).toEqual([["primary-v2-subnet", "10.42.0.0/23"]]);
    expect(configurationNetwork(report)).toBe(report.outputs.networks["primary-v2"].gitHubId);
    expect((await plan("growing-step-2", [])).split("\n").slice(3, 6)).toEqual([
      "Subnets are planned as not deployed (no stack state is read). Under the engine a deployed subnet",
      "keeps its prefix while it holds maxConcurrentRunners, and a change Azure refuses for a subnet in use",
      'stops the preview before anything is changed (README "Growing a deployed network").',
    ]);
  });
});
