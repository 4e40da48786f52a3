/**
 * The stand-in azure-native plugin under the real Pulumi engine, with a raw azure-native program
 * (no component): a resource group, a VNET, an NSG, a delegated subnet and a generic
 * GitHub.Network/networkSettings resource against the ARM emulator. Proves what the component
 * relies on: ARM-shaped ids, no perpetual diff (GitHub's tag included), in-place updates, ARM's
 * refusals reaching the user, and a teardown that frees the subnet before deleting it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { ArmEmulator, ArmResource } from "../support/arm-emulator";
import { armEngineWorkspace, engineFailure, type EngineWorkspace } from "./support";

const SUBSCRIPTION = "5f0e6d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f";
const TENANT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const OBJECT_ID = "6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f";
const CLIENT_ID = "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a";
const LOCATION = "eastus";
const BUSINESS_ID = "12345678";

/** What the next operation's program declares; the tests change it between operations. */
const scenario = { httpsPort: "443", subnetPrefix: "10.40.0.0/24", businessId: BUSINESS_ID };

const program = () => {
  const group = new resources.ResourceGroup("runners-rg", { location: LOCATION });
  const vnet = new network.VirtualNetwork("runners-vnet", {
    resourceGroupName: group.name,
    location: LOCATION,
    addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
  });
  const nsg = new network.NetworkSecurityGroup("runners-nsg", {
    resourceGroupName: group.name,
    location: LOCATION,
    securityRules: [
      {
        name: "allow-https-out",
        priority: 200,
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: "Internet",
        destinationPortRange: scenario.httpsPort,
      },
      {
        name: "deny-all-in",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
    ],
  });
  const subnet = new network.Subnet("runners-subnet", {
    resourceGroupName: group.name,
    virtualNetworkName: vnet.name,
    addressPrefix: scenario.subnetPrefix,
    delegations: [{ name: "github-network-settings", serviceName: "GitHub.Network/networkSettings" }],
    networkSecurityGroup: { id: nsg.id },
    defaultOutboundAccess: false,
  });
  const settings = new resources.Resource(
    "runners-network-settings",
    {
      resourceGroupName: group.name,
      resourceProviderNamespace: "GitHub.Network",
      parentResourcePath: "",
      resourceType: "networkSettings",
      apiVersion: "2024-04-02",
      location: LOCATION,
      properties: { businessId: scenario.businessId, subnetId: subnet.id },
      tags: { owner: "platform-team" },
    },
    // As the component: GitHub's tag is not ours; a new businessId is a new resource, old one first.
    { ignoreChanges: ["tags.GitHubId"], replaceOnChanges: ["properties.businessId"], deleteBeforeReplace: true },
  );
  const client = authorization.getClientConfigOutput();
  return Promise.resolve({
    resourceGroupName: group.name,
    vnetId: vnet.id,
    nsgId: nsg.id,
    subnetId: subnet.id,
    networkSettingsId: settings.id,
    gitHubId: settings.tags.apply((tags) => tags?.GitHubId ?? ""),
    client: pulumi.all([client.subscriptionId, client.tenantId, client.clientId, client.objectId]),
  });
};

let arm: ArmEmulator;
let workspace: EngineWorkspace;
const engineOutput: string[] = [];
const operation = { onOutput: (text: string) => void engineOutput.push(text), color: "never" as const };

beforeAll(async () => {
  // Long-running operations end on their first poll (the rules are what this suite is about), and
  // the subscription comes from the provider's config: ARM_SUBSCRIPTION_ID is deliberately unset.
  ({ arm, workspace } = await armEngineWorkspace({
    projectName: "azure-native-stand-in",
    program,
    subscriptionId: SUBSCRIPTION,
    identity: { tenantId: TENANT, objectId: OBJECT_ID, clientId: CLIENT_ID },
  }));
}, 120_000);

afterAll(async () => {
  await workspace?.dispose();
  await arm?.stop();
});

const SUB = `/subscriptions/${SUBSCRIPTION}`;
const one = (type: string): ArmResource => {
  const found = arm.resourcesOfType(type);
  expect(found.length).toBe(1);
  return found[0];
};

describe("the stand-in azure-native plugin under the real engine", () => {
  let outputs: Record<string, unknown> = {};

  it("creates the resources with ARM's ids, and the stack outputs name them", async () => {
    const up = await workspace.stack.up(operation);
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    outputs = Object.fromEntries(Object.entries(up.outputs).map(([key, { value }]) => [key, value]));

    const group = String(outputs.resourceGroupName);
    expect(group).toMatch(/^runners-rg[0-9a-f]{8}$/);
    const vnet = one("Microsoft.Network/virtualNetworks");
    const nsg = one("Microsoft.Network/networkSecurityGroups");
    const subnet = one("Microsoft.Network/virtualNetworks/subnets");
    const settings = one("GitHub.Network/networkSettings");
    expect(vnet.name).toMatch(/^runners-vnet[0-9a-f]{8}$/);
    expect(vnet.id).toBe(`${SUB}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnet.name}`);
    expect(nsg.id).toBe(`${SUB}/resourceGroups/${group}/providers/Microsoft.Network/networkSecurityGroups/${nsg.name}`);
    expect(subnet.id).toBe(`${vnet.id}/subnets/${subnet.name}`);
    expect(settings.id).toBe(`${SUB}/resourceGroups/${group}/providers/GitHub.Network/networkSettings/${settings.name}`);
    expect(settings.name).toMatch(/^runners-network-settings[0-9a-f]{8}$/);
    expect({
      vnetId: outputs.vnetId,
      nsgId: outputs.nsgId,
      subnetId: outputs.subnetId,
      networkSettingsId: outputs.networkSettingsId,
    }).toEqual({
      vnetId: vnet.id,
      nsgId: nsg.id,
      subnetId: subnet.id,
      networkSettingsId: settings.id,
    });
    expect(arm.resource(`${SUB}/resourceGroups/${group}`)).toMatchObject({
      name: group,
      location: LOCATION,
      properties: { provisioningState: "Succeeded" },
    });

    // The inputs reached ARM in its shape, and the service's answers came back.
    expect(settings.properties).toEqual({ businessId: BUSINESS_ID, subnetId: subnet.id, provisioningState: "Succeeded" });
    expect(settings.tags).toEqual({ owner: "platform-team", GitHubId: outputs.gitHubId });
    expect(outputs.gitHubId).toMatch(/^[0-9A-F]{32}$/);
    expect(subnet.properties).toMatchObject({
      addressPrefix: "10.40.0.0/24",
      networkSecurityGroup: { id: nsg.id },
      defaultOutboundAccess: false,
      delegations: [
        { name: "github-network-settings", properties: { serviceName: "GitHub.Network/networkSettings", provisioningState: "Succeeded" } },
      ],
      serviceAssociationLinks: [{ properties: { linkedResourceType: "GitHub.Network/networkSettings", link: settings.id } }],
    });
    expect(outputs.client).toEqual([SUBSCRIPTION, TENANT, CLIENT_ID, OBJECT_ID]);
    expect(arm.log().filter((entry) => entry.outcome !== "ok")).toEqual([]);

    // The state as azure-native keeps it: the inputs (with the autoname), ARM's answer flattened, the inputs again as a secret.
    const exported = (await workspace.stack.exportStack()).deployment as {
      resources: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
    };
    const vnetState = exported.resources.find((resource) => resource.type === "azure-native:network:VirtualNetwork")!;
    expect(vnetState.inputs).toEqual({
      resourceGroupName: group,
      location: LOCATION,
      addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
      virtualNetworkName: vnet.name,
      enableDdosProtection: false,
      enableVmProtection: false,
    });
    const { __inputs: keptInputs, ...vnetOutputs } = vnetState.outputs;
    // The export shows secrets decrypted.
    expect(keptInputs).toEqual({ [specialSigKey]: specialSecretSig, plaintext: expect.any(String) });
    expect(JSON.parse((keptInputs as { plaintext: string }).plaintext)).toEqual(vnetState.inputs);
    expect(vnetOutputs).toEqual({
      name: vnet.name,
      type: "Microsoft.Network/virtualNetworks",
      location: LOCATION,
      etag: vnet.etag,
      addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
      enableDdosProtection: false,
      enableVmProtection: false,
      resourceGuid: vnet.properties!.resourceGuid,
      provisioningState: "Succeeded",
      subnets: [],
      azureApiVersion: "2024-05-01",
    });
  });

  it("previews no change right after: GitHub's tag and ARM's added fields are no diff", async () => {
    const preview = await workspace.stack.preview(operation);
    expect(preview.changeSummary).toEqual({ same: 6 });
  });

  it("changes an NSG rule in place", async () => {
    scenario.httpsPort = "8443";
    const writesBefore = arm.log().length;
    const up = await workspace.stack.up(operation);
    expect(up.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    const rules = (
      one("Microsoft.Network/networkSecurityGroups").properties as {
        securityRules: { name: string; properties: { destinationPortRange: string } }[];
      }
    ).securityRules;
    expect(rules.map((rule) => [rule.name, rule.properties.destinationPortRange])).toEqual([
      ["allow-https-out", "8443"],
      ["deny-all-in", "*"],
    ]);
    expect(
      arm
        .log()
        .slice(writesBefore)
        .map((entry) => [entry.method, entry.type, entry.outcome]),
    ).toEqual([["PUT", "Microsoft.Network/networkSecurityGroups", "ok"]]);
  });

  it("fails an up that moves the linked subnet, with ARM's code, and changes nothing", async () => {
    scenario.subnetPrefix = "10.40.1.0/24";
    const writesBefore = arm.log().length;
    const failure = await workspace.stack.up(operation).then(
      () => "the up succeeded",
      (error: unknown) => engineFailure(error),
    );
    expect(failure).toContain("InUseSubnetCannotBeUpdated");
    expect(failure).toContain("(HTTP 400, PUT /subscriptions/");
    const subnet = one("Microsoft.Network/virtualNetworks/subnets");
    expect(arm.log().slice(writesBefore)).toEqual([
      expect.objectContaining({ method: "PUT", id: subnet.id, outcome: "refused", status: 400, code: "InUseSubnetCannotBeUpdated" }),
    ]);
    expect(subnet.properties).toMatchObject({ addressPrefix: "10.40.0.0/24" });
    scenario.subnetPrefix = "10.40.0.0/24";
  });

  it("refreshes to no change, and drops a networkSettings deleted outside Pulumi, which up then creates again", async () => {
    expect((await workspace.stack.refresh(operation)).summary.resourceChanges).toEqual({ same: 6 });
    const gone = one("GitHub.Network/networkSettings");
    const headers = { authorization: `Bearer ${arm.state.token}` };
    let deleting = await fetch(`${arm.url}${gone.id}?api-version=2024-04-02`, { method: "DELETE", headers });
    while (deleting.status === 202) deleting = await fetch(deleting.headers.get("location")!, { headers });
    expect(deleting.status).toBe(204);
    expect((await workspace.stack.refresh(operation)).summary.resourceChanges).toEqual({ same: 5, delete: 1 });
    const up = await workspace.stack.up(operation);
    expect(up.summary.resourceChanges).toEqual({ same: 5, create: 1 });
    expect(one("GitHub.Network/networkSettings").id).toBe(up.outputs.networkSettingsId.value);
  });

  it("replaces the networkSettings when businessId changes, the old one first, and the subnet follows the link", async () => {
    scenario.businessId = "87654321";
    const before = one("GitHub.Network/networkSettings");
    const writesBefore = arm.log().length;
    const up = await workspace.stack.up(operation);
    expect(up.summary.resourceChanges).toEqual({ same: 5, replace: 1 });
    const after = one("GitHub.Network/networkSettings");
    // A replacement gets a new autoname (the engine checks the inputs again without the old ones).
    expect(after.name).toMatch(/^runners-network-settings[0-9a-f]{8}$/);
    expect(after.name).not.toBe(before.name);
    expect(
      arm
        .log()
        .slice(writesBefore)
        .map((entry) => [entry.method, entry.id, entry.outcome]),
    ).toEqual([
      ["DELETE", before.id, "ok"],
      ["PUT", after.id, "ok"],
    ]);
    expect(after.properties).toMatchObject({ businessId: "87654321" });
    expect(after.tags!.GitHubId).not.toBe(before.tags!.GitHubId);
    expect(up.outputs.gitHubId.value).toBe(after.tags!.GitHubId);
    expect(
      (
        one("Microsoft.Network/virtualNetworks/subnets").properties as { serviceAssociationLinks: { properties: { link: string } }[] }
      ).serviceAssociationLinks.map((link) => link.properties.link),
    ).toEqual([after.id]);
  });

  it("destroys everything, the networkSettings (and its link) before the subnet", async () => {
    const settingsId = one("GitHub.Network/networkSettings").id;
    const destroyedFrom = arm.log().length;
    const destroy = await workspace.stack.destroy(operation);
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    const deletes = arm.log().slice(destroyedFrom);
    expect(deletes.every((entry) => entry.method === "DELETE")).toBe(true);
    expect(deletes.every((entry) => entry.outcome === "ok")).toBe(true);
    const deleted = deletes.map((entry) => entry.id);
    // The VNET and the NSG do not depend on each other: the engine may take them in either order.
    expect([...deleted.slice(0, 2), [...deleted.slice(2, 4)].sort(), deleted[4]]).toEqual([
      settingsId,
      outputs.subnetId,
      [String(outputs.nsgId), String(outputs.vnetId)].sort(),
      `${SUB}/resourceGroups/${String(outputs.resourceGroupName)}`,
    ]);
    expect(deleted.length).toBe(5);
    expect(arm.snapshot().resources).toEqual([]);
  });
});

// Shown when a step fails: what the engine printed.
afterAll(() => {
  if (process.env.ENGINE_TEST_VERBOSE) process.stderr.write(engineOutput.join(""));
});
