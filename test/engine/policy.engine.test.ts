/**
 * The policy pack under the real engine against a program it must stop: raw azure-native
 * resources with a delegated runner subnet that has no NSG. Its preview fails on the mandatory
 * policy, named in the engine's output.
 */
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ArmEmulator } from "../support/arm-emulator";
import { REPO, policyPackAnalyzer } from "./engine-run";
import { engineWorkspace, type EngineWorkspace } from "./support";
import { join } from "node:path";

const SUBSCRIPTION = "3f2e1d0c-9b8a-4765-8432-10fedcba9876";
let arm: ArmEmulator;
let workspace: EngineWorkspace;

beforeAll(async () => {
  arm = await ArmEmulator.start({
    token: "arm-policy-engine-token",
    subscriptions: { [SUBSCRIPTION]: { displayName: "policy", state: "Enabled", tenantId: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" } },
  });
  workspace = await engineWorkspace({
    projectName: "raw-runners",
    program: () => {
      const group = new resources.ResourceGroup("rg", { location: "eastus" });
      const vnet = new network.VirtualNetwork("vnet", {
        resourceGroupName: group.name,
        location: "eastus",
        addressSpace: { addressPrefixes: ["10.70.0.0/16"] },
      });
      new network.Subnet("runners", {
        resourceGroupName: group.name,
        virtualNetworkName: vnet.name,
        addressPrefix: "10.70.1.0/24",
        delegations: [{ name: "github", serviceName: "GitHub.Network/networkSettings" }],
      });
      return Promise.resolve({});
    },
    extraEnv: arm.clientEnvironment(),
    config: { "azure-native:subscriptionId": SUBSCRIPTION },
  });
}, 900_000);

afterAll(async () => {
  await workspace?.dispose();
  await arm?.stop();
});

it("fails the preview of a delegated subnet without an NSG on the mandatory policy, and names it", async () => {
  let output = "";
  const preview = workspace.stack.preview({
    policyPacks: [policyPackAnalyzer(join(REPO, "policy-pack"), workspace.stateDir)],
    onOutput: (text) => (output += text),
    color: "never",
  });
  await expect(preview).rejects.toThrow();
  expect(output).toContain("runner-subnet-nsg-and-delegation");
  expect(output).toMatch(/\[mandatory\]/);
  expect(output).toContain("subnet runners is delegated to GitHub.Network/networkSettings but has no network security group");
  expect(arm.log()).toEqual([]);
});
