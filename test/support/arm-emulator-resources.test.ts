/**
 * The ARM emulator's resources over HTTP, as ARM answers them: CRUD of each emulated type in
 * ARM's shapes, the rules ARM enforces that this package depends on (registration, the GitHubId
 * tag, immutable businessId, the subnet's service association link, address ranges, references,
 * one firewall policy write at a time), long-running operations, the event log and
 * `/_emulator/state`, and the emulator as a standalone process.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { ArmEmulator, EMULATOR_STATE_PATH, emptySubscriptionState, type ArmResource, type EmulatorStartOptions } from "./arm-emulator";

const SUBSCRIPTION = "3c9a1f0e-5b7d-4e2a-9c8b-1d0e2f3a4b5c";
const TENANT = "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b";
const TOKEN = "resources-test-token";
const API = { groups: "2021-04-01", network: "2024-05-01", networkSettings: "2024-04-02" } as const;

const SUB = `/subscriptions/${SUBSCRIPTION}`;
const GROUP = `${SUB}/resourceGroups/rg-runners`;
const networkId = (collection: string, name: string, group = GROUP) => `${group}/providers/Microsoft.Network/${collection}/${name}`;
const VNET = networkId("virtualNetworks", "vnet");
const SUBNET = `${VNET}/subnets/runners`;
const NSG = networkId("networkSecurityGroups", "nsg");
const SETTINGS = `${GROUP}/providers/GitHub.Network/networkSettings/settings`;
const POLICY = networkId("firewallPolicies", "hub-policy");
const GROUP_RULES = `${POLICY}/ruleCollectionGroups/github-runners`;

/** The n-th GUID-shaped value the emulator hands out (etags and resourceGuids count separately). */
const guid = (n: number) => `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const etag = (n: number) => `W/"${guid(n)}"`;
const gitHubIdFor = (n: number, id: string) =>
  createHash("sha256").update(`${n}:${id.toLowerCase()}`).digest("hex").slice(0, 32).toUpperCase();
const armError = (code: string, message: string) => ({ error: { code, message } });

let emulator: ArmEmulator;
afterEach(async () => {
  await emulator?.stop();
});

async function start(overrides: Partial<EmulatorStartOptions> = {}): Promise<ArmEmulator> {
  emulator = await ArmEmulator.start({
    ...emptySubscriptionState({ token: TOKEN, subscriptionId: SUBSCRIPTION, tenantId: TENANT, gitHubNetwork: "Registered" }),
    ...overrides,
  });
  return emulator;
}

/**
 * ARM's JSON as these tests read it: a resource, a list, an operation's status or an error. Each
 * test reads only what that answer has, and asserts it with toEqual or toBe.
 */
interface ArmBody {
  status: string;
  registrationState: string;
  tags: Record<string, string>;
  value: ArmResource[];
  error: { code: string; message: string };
  properties: {
    [key: string]: unknown;
    provisioningState: string;
    ipAddress: string;
    subnets: ArmResource[];
    defaultSecurityRules: ArmResource[];
    serviceAssociationLinks: unknown[];
  };
}

interface Reply {
  status: number;
  body: ArmBody;
  headers: Headers;
}

async function call(
  method: "GET" | "PUT" | "DELETE" | "POST",
  path: string,
  apiVersion: string,
  body?: unknown,
  token = TOKEN,
): Promise<Reply> {
  const response = await fetch(`${emulator.url}${path}?api-version=${apiVersion}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as ArmBody, headers: response.headers };
}

const apiFor = (path: string) =>
  /\/providers\/GitHub\.Network\//i.test(path) ? API.networkSettings : /\/providers\//i.test(path) ? API.network : API.groups;
const get = (path: string) => call("GET", path, apiFor(path));
const put = (path: string, body: unknown) => call("PUT", path, apiFor(path), body);
const del = (path: string) => call("DELETE", path, apiFor(path));

/** Polls the operation an answer started until it ends; gives the last status answer. */
async function settle(reply: Reply): Promise<Reply> {
  const asyncOperation = reply.headers.get("azure-asyncoperation");
  const location = reply.headers.get("location");
  const url = asyncOperation ?? location;
  if (!url) return reply;
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await response.text();
    const status: Reply = { status: response.status, body: (text ? JSON.parse(text) : undefined) as ArmBody, headers: response.headers };
    if (asyncOperation ? status.body.status !== "InProgress" : status.status !== 202) return status;
  }
}

const createGroup = async (path = GROUP, location = "eastus") => settle(await put(path, { location }));
const vnetBody = (prefixes = ["10.40.0.0/16"], extra: Record<string, unknown> = {}) => ({
  location: "eastus",
  properties: { addressSpace: { addressPrefixes: prefixes }, ...extra },
});
const delegatedSubnet = (prefix = "10.40.0.0/24", extra: Record<string, unknown> = {}) => ({
  properties: {
    addressPrefix: prefix,
    delegations: [{ name: "github", properties: { serviceName: "GitHub.Network/networkSettings" } }],
    ...extra,
  },
});
const settingsBody = (properties: Record<string, unknown> = {}, tags: Record<string, string> = { owner: "platform" }) => ({
  location: "eastus",
  tags,
  properties: { businessId: "12345678", subnetId: SUBNET, ...properties },
});

/** A group, a VNET and a delegated subnet; with `settings`, the networkSettings on it too. */
async function runnerNetwork(settings = false): Promise<void> {
  await createGroup();
  expect((await put(VNET, vnetBody())).status).toBe(201);
  expect((await put(SUBNET, delegatedSubnet())).status).toBe(201);
  if (settings) expect((await put(SETTINGS, settingsBody())).status).toBe(201);
}

describe("resource groups", () => {
  it("are created through an asynchronous operation, read, updated, and refused when missing", async () => {
    await start();
    const created = await put(`${SUB}/resourcegroups/rg-runners`, { location: "East US", tags: { owner: "platform" } });
    expect([created.status, created.body, created.headers.get("azure-asyncoperation")]).toEqual([
      201,
      { id: GROUP, name: "rg-runners", location: "eastus", tags: { owner: "platform" }, properties: { provisioningState: "Accepted" } },
      `${emulator.url}/operations/op-1?api-version=${API.groups}`,
    ]);
    expect((await settle(created)).body).toEqual({ id: "op-1", status: "Succeeded" });
    expect(await get(GROUP).then((r) => [r.status, r.body])).toEqual([
      200,
      { id: GROUP, name: "rg-runners", location: "eastus", tags: { owner: "platform" }, properties: { provisioningState: "Succeeded" } },
    ]);
    expect((await put(GROUP, { location: "eastus" })).status).toBe(200);
    expect(await get(`${SUB}/resourceGroups/rg-other`).then((r) => [r.status, r.body])).toEqual([
      404,
      armError("ResourceGroupNotFound", "Resource group 'rg-other' could not be found."),
    ]);
    expect(
      await put(networkId("virtualNetworks", "vnet", `${SUB}/resourceGroups/rg-other`), vnetBody()).then((r) => [r.status, r.body]),
    ).toEqual([404, armError("ResourceGroupNotFound", "Resource group 'rg-other' could not be found.")]);
    expect(await del(`${SUB}/resourceGroups/rg-other`).then((r) => r.status)).toBe(404);
  });

  it("delete what they hold, GitHub's resources first and subnets before their VNET, through a Location operation", async () => {
    await start();
    await runnerNetwork(true);
    const deleting = await del(GROUP);
    expect([deleting.status, deleting.headers.get("location"), deleting.headers.get("retry-after")]).toEqual([
      202,
      `${emulator.url}/operations/op-2?api-version=${API.groups}`,
      "1",
    ]);
    expect((await get(GROUP)).body.properties).toEqual({ provisioningState: "Deleting" });
    expect((await settle(deleting)).status).toBe(204);
    expect((await get(GROUP)).status).toBe(404);
    expect(
      emulator
        .log()
        .filter((entry) => entry.method === "DELETE")
        .map((entry) => entry.id),
    ).toEqual([SETTINGS, SUBNET, VNET, GROUP]);
    expect(emulator.snapshot().resources).toEqual([]);
  });
});

describe("virtual networks", () => {
  it("answer in ARM's shape, keep their resourceGuid, change their etag, and refuse a move or a missing location", async () => {
    await start();
    await createGroup();
    const created = await put(VNET, {
      location: "East US",
      tags: { owner: "platform" },
      properties: { addressSpace: { addressPrefixes: ["10.40.0.0/16"] }, enableDdosProtection: false },
    });
    const expected = {
      id: VNET,
      name: "vnet",
      type: "Microsoft.Network/virtualNetworks",
      location: "eastus",
      tags: { owner: "platform" },
      etag: etag(1),
      properties: {
        addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
        enableDdosProtection: false,
        resourceGuid: guid(1),
        provisioningState: "Succeeded",
        subnets: [],
      },
    };
    expect([created.status, created.body]).toEqual([201, expected]);
    expect((await get(VNET)).body).toEqual(expected);
    const updated = await put(VNET, vnetBody(["10.40.0.0/16", "10.41.0.0/16"]));
    expect([updated.status, updated.body]).toEqual([
      200,
      {
        id: VNET,
        name: "vnet",
        type: "Microsoft.Network/virtualNetworks",
        location: "eastus",
        etag: etag(2),
        properties: {
          addressSpace: { addressPrefixes: ["10.40.0.0/16", "10.41.0.0/16"] },
          resourceGuid: guid(1),
          provisioningState: "Succeeded",
          subnets: [],
        },
      },
    ]);
    expect(await put(VNET, { ...vnetBody(), location: "westus2" }).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "InvalidResourceLocation",
        "The resource 'vnet' already exists in location 'eastus' in resource group 'rg-runners'. A resource with the same name cannot be created in location 'westus2'. Please select a new resource name.",
      ),
    ]);
    expect(
      await put(networkId("virtualNetworks", "other"), { properties: { addressSpace: { addressPrefixes: ["10.50.0.0/16"] } } }).then(
        (r) => [r.status, r.body],
      ),
    ).toEqual([400, armError("LocationRequired", "The location property is required for this definition.")]);
    expect(
      await put(networkId("virtualNetworks", "other"), { location: "eastus", properties: {} }).then((r) => [r.status, r.body.error.code]),
    ).toEqual([400, "InvalidRequestFormat"]);
    expect(await get(networkId("virtualNetworks", "missing")).then((r) => [r.status, r.body])).toEqual([
      404,
      armError(
        "ResourceNotFound",
        "The Resource 'Microsoft.Network/virtualNetworks/missing' under resource group 'rg-runners' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      ),
    ]);
  });

  it("keep their subnets when a PUT leaves `subnets` out, and replace them when it lists them", async () => {
    await start();
    await runnerNetwork();
    expect((await put(VNET, vnetBody())).body.properties.subnets.map((s: ArmResource) => s.id)).toEqual([SUBNET]);
    const listed = await put(
      VNET,
      vnetBody(["10.40.0.0/16"], { subnets: [{ name: "apps", properties: { addressPrefix: "10.40.8.0/24" } }] }),
    );
    expect(listed.body.properties.subnets.map((s: ArmResource) => [s.name, s.properties!.addressPrefix])).toEqual([
      ["apps", "10.40.8.0/24"],
    ]);
    expect((await get(SUBNET)).status).toBe(404);
    expect(
      emulator
        .log()
        .slice(-3)
        .map((entry) => [entry.method, entry.id, entry.outcome]),
    ).toEqual([
      ["PUT", VNET, "ok"],
      ["DELETE", SUBNET, "ok"],
      ["PUT", `${VNET}/subnets/apps`, "ok"],
    ]);
    expect(
      await put(VNET, vnetBody(["10.40.0.0/16"], { subnets: [{ name: "apps", properties: { addressPrefix: "10.99.0.0/24" } }] })).then(
        (r) => [r.status, r.body.error.code],
      ),
    ).toEqual([400, "NetcfgSubnetRangeOutsideVnet"]);
  });

  it("cannot shrink below a subnet, and are deleted with their unused subnets", async () => {
    await start();
    await runnerNetwork();
    expect(await put(VNET, vnetBody(["10.41.0.0/16"])).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "NetcfgSubnetRangeOutsideVnet",
        "Subnet 'runners' is not valid because its IP address range 10.40.0.0/24 is outside the IP address range of virtual network 'vnet' (10.41.0.0/16).",
      ),
    ]);
    const deleting = await del(VNET);
    expect([deleting.status, deleting.headers.get("azure-asyncoperation")]).toEqual([
      202,
      `${emulator.url}/operations/op-2?api-version=${API.network}`,
    ]);
    expect((await settle(deleting)).body).toEqual({ id: "op-2", status: "Succeeded" });
    expect(
      emulator
        .log()
        .slice(-2)
        .map((entry) => [entry.method, entry.id]),
    ).toEqual([
      ["DELETE", SUBNET],
      ["DELETE", VNET],
    ]);
    expect((await del(VNET)).status).toBe(204);
  });
});

describe("subnets", () => {
  it("answer in ARM's shape, inline in their VNET too, and need their VNET", async () => {
    await start();
    await createGroup();
    expect(await put(SUBNET, delegatedSubnet()).then((r) => [r.status, r.body])).toEqual([
      404,
      armError(
        "ResourceNotFound",
        "The Resource 'Microsoft.Network/virtualNetworks/vnet' under resource group 'rg-runners' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      ),
    ]);
    await put(VNET, vnetBody());
    const created = await put(SUBNET, delegatedSubnet("10.40.0.0/24", { defaultOutboundAccess: false }));
    const expected = {
      id: SUBNET,
      name: "runners",
      type: "Microsoft.Network/virtualNetworks/subnets",
      etag: etag(2),
      properties: {
        addressPrefix: "10.40.0.0/24",
        defaultOutboundAccess: false,
        delegations: [
          {
            id: `${SUBNET}/delegations/github`,
            name: "github",
            type: "Microsoft.Network/virtualNetworks/subnets/delegations",
            etag: etag(2),
            properties: { serviceName: "GitHub.Network/networkSettings", provisioningState: "Succeeded" },
          },
        ],
        provisioningState: "Succeeded",
      },
    };
    expect([created.status, created.body]).toEqual([201, expected]);
    expect((await get(VNET)).body.properties.subnets).toEqual([expected]);
    expect(await get(`${VNET}/subnets/missing`).then((r) => [r.status, r.body])).toEqual([
      404,
      armError("NotFound", `Resource ${VNET}/subnets/missing not found.`),
    ]);
  });

  it("must lie inside the VNET, not overlap a sibling, have a valid prefix, and reference what exists", async () => {
    await start();
    await runnerNetwork();
    const refusal = async (body: unknown) => put(`${VNET}/subnets/other`, body).then((r) => [r.status, r.body]);
    expect(await refusal({ properties: { addressPrefix: "10.50.0.0/24" } })).toEqual([
      400,
      armError(
        "NetcfgSubnetRangeOutsideVnet",
        "Subnet 'other' is not valid because its IP address range 10.50.0.0/24 is outside the IP address range of virtual network 'vnet' (10.40.0.0/16).",
      ),
    ]);
    expect(await refusal({ properties: { addressPrefix: "10.40.0.128/25" } })).toEqual([
      400,
      armError(
        "NetcfgSubnetRangesOverlap",
        "Subnet 'other' is not valid because its IP address range overlaps with that of an existing subnet 'runners' in virtual network 'vnet'.",
      ),
    ]);
    expect(await refusal({ properties: { addressPrefix: "10.40.1.7/24" } })).toEqual([
      400,
      armError("InvalidCIDRNotation", `The address prefix 10.40.1.7/24 in resource ${VNET}/subnets/other has an invalid CIDR notation.`),
    ]);
    expect(await refusal({ properties: {} })).toEqual([
      400,
      armError("InvalidRequestFormat", "Subnet other has neither addressPrefix nor addressPrefixes."),
    ]);
    const missingNsg = networkId("networkSecurityGroups", "missing");
    expect(await refusal({ properties: { addressPrefix: "10.40.1.0/24", networkSecurityGroup: { id: missingNsg } } })).toEqual([
      400,
      armError(
        "InvalidResourceReference",
        `Resource ${missingNsg} referenced by resource ${VNET}/subnets/other was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
      ),
    ]);
    expect(
      emulator
        .log()
        .filter((entry) => entry.outcome === "refused")
        .map((entry) => [entry.method, entry.status, entry.code]),
    ).toEqual([
      ["PUT", 400, "NetcfgSubnetRangeOutsideVnet"],
      ["PUT", 400, "NetcfgSubnetRangesOverlap"],
      ["PUT", 400, "InvalidCIDRNotation"],
      ["PUT", 400, "InvalidRequestFormat"],
      ["PUT", 400, "InvalidResourceReference"],
    ]);
  });
});

describe("network security groups", () => {
  const rule = (name: string, priority: number, direction = "Outbound") => ({
    name,
    properties: {
      priority,
      direction,
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "Internet",
      destinationPortRange: "443",
    },
  });

  it("answer with their rules as sub-resources, ARM's default rules and the subnets using them", async () => {
    await start();
    await createGroup();
    const created = await put(NSG, { location: "eastus", properties: { securityRules: [rule("allow-https", 200)] } });
    expect(created.status).toBe(201);
    expect(created.body.properties.securityRules).toEqual([
      {
        id: `${NSG}/securityRules/allow-https`,
        name: "allow-https",
        type: "Microsoft.Network/networkSecurityGroups/securityRules",
        etag: etag(1),
        properties: { ...rule("allow-https", 200).properties, provisioningState: "Succeeded" },
      },
    ]);
    expect(
      created.body.properties.defaultSecurityRules.map((r: ArmResource) => [
        r.name,
        r.properties!.priority,
        r.properties!.direction,
        r.properties!.access,
      ]),
    ).toEqual([
      ["AllowVnetInBound", 65000, "Inbound", "Allow"],
      ["AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow"],
      ["DenyAllInBound", 65500, "Inbound", "Deny"],
      ["AllowVnetOutBound", 65000, "Outbound", "Allow"],
      ["AllowInternetOutBound", 65001, "Outbound", "Allow"],
      ["DenyAllOutBound", 65500, "Outbound", "Deny"],
    ]);
    expect(created.body.properties.subnets).toBeUndefined();
    await put(VNET, vnetBody());
    await put(SUBNET, delegatedSubnet("10.40.0.0/24", { networkSecurityGroup: { id: NSG } }));
    expect((await get(NSG)).body.properties.subnets).toEqual([{ id: SUBNET }]);
    expect(await del(NSG).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "InUseNetworkSecurityGroupCannotBeDeleted",
        `Network security group nsg is in use by ${SUBNET} and cannot be deleted. Dissociate it from those subnets first.`,
      ),
    ]);
  });

  it("refuse priorities outside 100-4096 and two rules with one priority and direction", async () => {
    await start();
    await createGroup();
    expect(
      await put(NSG, { location: "eastus", properties: { securityRules: [rule("too-low", 99)] } }).then((r) => [r.status, r.body]),
    ).toEqual([
      400,
      armError("SecurityRuleInvalidPriority", "Security rule too-low has invalid Priority. Value provided: 99 Allowed values: 100-4096."),
    ]);
    expect(
      await put(NSG, {
        location: "eastus",
        properties: { securityRules: [rule("a", 300), rule("b", 300, "Inbound"), rule("c", 300)] },
      }).then((r) => [r.status, r.body]),
    ).toEqual([
      400,
      armError("SecurityRuleConflict", "Security rule c conflicts with rule a. Rules cannot have the same Priority and Direction."),
    ]);
  });
});

describe("public IPs, NAT gateways and route tables", () => {
  const publicIp = (name: string) => networkId("publicIPAddresses", name);
  const NAT = networkId("natGateways", "nat");
  const ROUTES = networkId("routeTables", "routes");
  const staticIp = {
    location: "eastus",
    sku: { name: "Standard", tier: "Regional" },
    properties: { publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
  };

  it("assign static addresses from 203.0.113.0/24 once, and show the NAT gateway that uses them", async () => {
    await start();
    await createGroup();
    const first = await put(publicIp("ip-1"), staticIp);
    expect([first.status, first.body]).toEqual([
      201,
      {
        id: publicIp("ip-1"),
        name: "ip-1",
        type: "Microsoft.Network/publicIPAddresses",
        location: "eastus",
        sku: { name: "Standard", tier: "Regional" },
        etag: etag(1),
        properties: {
          publicIPAllocationMethod: "Static",
          publicIPAddressVersion: "IPv4",
          resourceGuid: guid(1),
          provisioningState: "Succeeded",
          ipAddress: "203.0.113.1",
          idleTimeoutInMinutes: 4,
          ipTags: [],
        },
      },
    ]);
    expect((await put(publicIp("ip-2"), staticIp)).body.properties.ipAddress).toBe("203.0.113.2");
    expect(
      (
        await put(publicIp("ip-1"), {
          ...staticIp,
          tags: { owner: "platform" },
          properties: { ...staticIp.properties, ipAddress: "198.51.100.1" },
        })
      ).body.properties.ipAddress,
    ).toBe("203.0.113.1");

    const missing = publicIp("missing");
    expect(
      await put(NAT, { location: "eastus", sku: { name: "Standard" }, properties: { publicIpAddresses: [{ id: missing }] } }).then((r) => [
        r.status,
        r.body.error.code,
      ]),
    ).toEqual([400, "InvalidResourceReference"]);
    const nat = await put(NAT, {
      location: "eastus",
      sku: { name: "Standard" },
      properties: { publicIpAddresses: [{ id: publicIp("ip-1") }, { id: publicIp("ip-2") }] },
    });
    expect([nat.status, nat.body.properties]).toEqual([
      201,
      {
        publicIpAddresses: [{ id: publicIp("ip-1") }, { id: publicIp("ip-2") }],
        resourceGuid: guid(3),
        provisioningState: "Succeeded",
        idleTimeoutInMinutes: 4,
      },
    ]);
    expect((await get(publicIp("ip-2"))).body.properties.natGateway).toEqual({ id: NAT });
    expect(await del(publicIp("ip-2")).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "PublicIPAddressCannotBeDeleted",
        `Public IP address ${publicIp("ip-2")} can not be deleted since it is still allocated to resource ${NAT}. In order to delete the public IP, disassociate/detach the Public IP address from the resource.`,
      ),
    ]);
  });

  it("cannot delete a NAT gateway or route table a subnet uses", async () => {
    await start();
    await createGroup();
    await put(NAT, { location: "eastus", sku: { name: "Standard" }, properties: {} });
    const table = await put(ROUTES, {
      location: "eastus",
      properties: {
        disableBgpRoutePropagation: true,
        routes: [
          { name: "default", properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" } },
        ],
      },
    });
    expect(table.body.properties.routes).toEqual([
      {
        id: `${ROUTES}/routes/default`,
        name: "default",
        type: "Microsoft.Network/routeTables/routes",
        etag: etag(2),
        properties: {
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.0.0.4",
          provisioningState: "Succeeded",
        },
      },
    ]);
    await put(VNET, vnetBody());
    await put(SUBNET, delegatedSubnet("10.40.0.0/24", { natGateway: { id: NAT }, routeTable: { id: ROUTES } }));
    expect((await get(NAT)).body.properties.subnets).toEqual([{ id: SUBNET }]);
    expect((await get(ROUTES)).body.properties.subnets).toEqual([{ id: SUBNET }]);
    expect(await del(NAT).then((r) => [r.status, r.body.error.code])).toEqual([400, "InUseNatGatewayCannotBeDeleted"]);
    expect(await del(ROUTES).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "InUseRouteTableCannotBeDeleted",
        `Route table routes is in use by ${SUBNET} and cannot be deleted. Dissociate it from those subnets first.`,
      ),
    ]);
  });
});

describe("firewall policies and their rule collection groups", () => {
  const policy: ArmResource = {
    id: POLICY,
    name: "hub-policy",
    type: "Microsoft.Network/firewallPolicies",
    location: "eastus",
    properties: { sku: { tier: "Standard" }, provisioningState: "Succeeded" },
  };
  const rules = (priority: number) => ({
    properties: {
      priority,
      ruleCollections: [
        { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "github", priority: 100, action: { type: "Allow" }, rules: [] },
      ],
    },
  });

  it("take one rule collection group write at a time: others get AnotherOperationInProgress until it ends", async () => {
    await start({ resources: [policy], operationPolls: 1 });
    const writing = await put(GROUP_RULES, rules(2000));
    expect([writing.status, writing.body.properties.provisioningState, writing.headers.get("azure-asyncoperation")]).toEqual([
      201,
      "Updating",
      `${emulator.url}/operations/op-1?api-version=${API.network}`,
    ]);
    const busy = armError(
      "AnotherOperationInProgress",
      `Another operation on this or dependent resource is in progress. Wait for the operation on ${POLICY} to complete and try again.`,
    );
    expect(await put(`${POLICY}/ruleCollectionGroups/other`, rules(3000)).then((r) => [r.status, r.body])).toEqual([409, busy]);
    expect(await put(POLICY, { location: "eastus", properties: {} }).then((r) => [r.status, r.body])).toEqual([409, busy]);
    expect(await del(GROUP_RULES).then((r) => [r.status, r.body])).toEqual([409, busy]);
    expect((await get(GROUP_RULES)).body.properties.provisioningState).toBe("Updating");
    expect((await settle(writing)).body).toEqual({ id: "op-1", status: "Succeeded" });
    expect((await get(GROUP_RULES)).body).toEqual({
      id: GROUP_RULES,
      name: "github-runners",
      type: "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
      etag: etag(1),
      properties: { ...rules(2000).properties, provisioningState: "Succeeded" },
    });
    expect((await get(POLICY)).body.properties.ruleCollectionGroups).toEqual([{ id: GROUP_RULES }]);

    const deleting = await del(GROUP_RULES);
    expect(deleting.status).toBe(202);
    expect(await put(`${POLICY}/ruleCollectionGroups/other`, rules(3000)).then((r) => r.status)).toBe(409);
    await settle(deleting);
    expect((await get(GROUP_RULES)).status).toBe(404);
    expect((await settle(await put(`${POLICY}/ruleCollectionGroups/other`, rules(3000)))).body.status).toBe("Succeeded");
    expect(emulator.log().map((entry) => [entry.method, entry.id.replace(POLICY, "<policy>"), entry.outcome, entry.code])).toEqual([
      ["PUT", "<policy>/ruleCollectionGroups/github-runners", "ok", undefined],
      ["PUT", "<policy>/ruleCollectionGroups/other", "refused", "AnotherOperationInProgress"],
      ["PUT", "<policy>", "refused", "AnotherOperationInProgress"],
      ["DELETE", "<policy>/ruleCollectionGroups/github-runners", "refused", "AnotherOperationInProgress"],
      ["PUT", "<policy>/ruleCollectionGroups/other", "refused", "AnotherOperationInProgress"],
      ["DELETE", "<policy>/ruleCollectionGroups/github-runners", "ok", undefined],
      ["PUT", "<policy>/ruleCollectionGroups/other", "ok", undefined],
    ]);
  });

  it("need their policy", async () => {
    await start();
    await createGroup();
    expect(await put(GROUP_RULES, rules(2000)).then((r) => [r.status, r.body])).toEqual([
      404,
      armError(
        "ResourceNotFound",
        "The Resource 'Microsoft.Network/firewallPolicies/hub-policy' under resource group 'rg-runners' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      ),
    ]);
  });
});

describe("GitHub.Network/networkSettings", () => {
  it("needs GitHub.Network registered, in ARM's words", async () => {
    await start({
      ...emptySubscriptionState({ token: TOKEN, subscriptionId: SUBSCRIPTION, tenantId: TENANT, gitHubNetwork: "NotRegistered" }),
    });
    await runnerNetwork();
    const refused = armError(
      "MissingSubscriptionRegistration",
      "The subscription is not registered to use namespace 'GitHub.Network'. See https://aka.ms/rps-not-found for how to register subscriptions.",
    );
    expect(await put(SETTINGS, settingsBody()).then((r) => [r.status, r.body])).toEqual([409, refused]);
    expect(await get(SETTINGS).then((r) => [r.status, r.body])).toEqual([409, refused]);
    expect((await call("POST", `${SUB}/providers/GitHub.Network/register`, API.groups)).body.registrationState).toBe("Registering");
    expect((await put(SETTINGS, settingsBody())).status).toBe(409);
    expect((await get(`${SUB}/providers/GitHub.Network`)).body.registrationState).toBe("Registered");
    expect((await put(SETTINGS, settingsBody())).status).toBe(201);
  });

  it("answers with a GitHubId tag it keeps, and links its subnet", async () => {
    await start();
    await runnerNetwork();
    const created = await put(SETTINGS, settingsBody());
    const gitHubId = gitHubIdFor(1, SETTINGS);
    expect([created.status, created.body]).toEqual([
      201,
      {
        id: SETTINGS,
        name: "settings",
        type: "GitHub.Network/networkSettings",
        location: "eastus",
        tags: { owner: "platform", GitHubId: gitHubId },
        properties: { businessId: "12345678", subnetId: SUBNET, provisioningState: "Succeeded" },
      },
    ]);
    expect(gitHubId).toMatch(/^[0-9A-F]{32}$/);
    expect((await get(SUBNET)).body.properties.serviceAssociationLinks).toEqual([
      {
        id: `${SUBNET}/serviceAssociationLinks/settings-link`,
        name: "settings-link",
        type: "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
        properties: { provisioningState: "Succeeded", linkedResourceType: "GitHub.Network/networkSettings", link: SETTINGS },
      },
    ]);
    const retagged = await put(SETTINGS, settingsBody({}, { owner: "networking", GitHubId: "forged" }));
    expect([retagged.status, retagged.body.tags]).toEqual([200, { owner: "networking", GitHubId: gitHubId }]);
    expect((await put(SETTINGS, { location: "eastus", properties: { businessId: "12345678", subnetId: SUBNET } })).body.tags).toEqual({
      GitHubId: gitHubId,
    });
    expect(
      (await call("GET", `${SUB}/providers/GitHub.Network/networkSettings`, API.networkSettings)).body.value.map((s: ArmResource) => s.id),
    ).toEqual([SETTINGS]);
  });

  it("refuses a new businessId, an unknown property, an unsupported API version and a location it does not offer", async () => {
    await start({
      providers: { "GitHub.Network": { registrationState: "Registered", networkSettingsLocations: ["East US", "West US 2"] } },
    });
    await runnerNetwork(true);
    expect(await put(SETTINGS, settingsBody({ businessId: "87654321" })).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "BusinessIdCannotBeChanged",
        "The businessId of network settings 'settings' cannot be changed from '12345678' to '87654321'; delete the resource and create it again.",
      ),
    ]);
    expect(await put(SETTINGS, settingsBody({ failoverSubnetId: SUBNET })).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "HttpRequestPayloadAPISpecValidationFailed",
        "HTTP request payload failed validation against API specification with one or more errors. Unknown properties: failoverSubnetId.",
      ),
    ]);
    expect(await call("PUT", SETTINGS, "2023-01-01", settingsBody()).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "NoRegisteredProviderFound",
        "No registered resource provider found for location 'eastus' and API version '2023-01-01' for type 'networkSettings'. The supported api-versions are '2024-04-01, 2024-04-02'.",
      ),
    ]);
    const elsewhere = `${GROUP}/providers/GitHub.Network/networkSettings/elsewhere`;
    expect(await put(elsewhere, { ...settingsBody(), location: "westus3" }).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "LocationNotAvailableForResourceType",
        "The provided location 'westus3' is not available for resource type 'GitHub.Network/networkSettings'. List of available regions for the resource type is 'eastus,westus2'.",
      ),
    ]);
  });

  it("needs an existing subnet delegated to GitHub.Network, in its region, held by nothing else", async () => {
    await start();
    await runnerNetwork(true);
    const other = (name: string) => `${GROUP}/providers/GitHub.Network/networkSettings/${name}`;
    const plain = `${VNET}/subnets/plain`;
    await put(plain, { properties: { addressPrefix: "10.40.1.0/24" } });
    const code = (path: string, body: unknown) => put(path, body).then((r) => [r.status, r.body.error.code, r.body.error.message]);
    expect(await code(other("a"), settingsBody({ subnetId: `${VNET}/subnets/missing` }))).toEqual([
      400,
      "SubnetNotFound",
      `Subnet '${VNET}/subnets/missing' was not found.`,
    ]);
    expect(await code(other("b"), settingsBody({ subnetId: plain }))).toEqual([
      400,
      "SubnetNotDelegated",
      `Subnet '${plain}' must be delegated to GitHub.Network/networkSettings.`,
    ]);
    expect(await code(other("c"), { ...settingsBody(), location: "westus2" })).toEqual([
      400,
      "SubnetLocationMismatch",
      `Subnet '${SUBNET}' is in eastus; the network settings must be in the same region, not westus2.`,
    ]);
    expect(await code(other("d"), settingsBody())).toEqual([
      400,
      "SubnetAlreadyInUse",
      `Subnet '${SUBNET}' is already used by ${SETTINGS}; a subnet holds one network settings resource and no network interfaces.`,
    ]);
    expect(await code(other("e"), settingsBody({ subnetId: "" }))).toEqual([
      400,
      "HttpRequestPayloadAPISpecValidationFailed",
      "HTTP request payload failed validation against API specification with one or more errors. properties.subnetId is required.",
    ]);
  });

  it("holds its subnet: no delete, no new prefix, no undelegation; its own delete frees it", async () => {
    await start();
    await runnerNetwork(true);
    expect(await del(SUBNET).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "InUseSubnetCannotBeDeleted",
        `Subnet runners is in use by ${SETTINGS} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
      ),
    ]);
    expect(await put(SUBNET, delegatedSubnet("10.40.0.0/25")).then((r) => [r.status, r.body])).toEqual([
      400,
      armError(
        "InUseSubnetCannotBeUpdated",
        `Subnet runners is in use by ${SETTINGS} and its address prefix cannot be changed from 10.40.0.0/24 to 10.40.0.0/25.`,
      ),
    ]);
    expect(await put(SUBNET, { properties: { addressPrefix: "10.40.0.0/24" } }).then((r) => [r.status, r.body.error.code])).toEqual([
      400,
      "SubnetDelegationsCannotChangeWhenSubnetUsedByResource",
    ]);
    expect(await del(VNET).then((r) => [r.status, r.body.error.code])).toEqual([400, "InUseSubnetCannotBeDeleted"]);
    expect(await put(VNET, vnetBody(["10.40.0.0/16"], { subnets: [] })).then((r) => [r.status, r.body.error.code])).toEqual([
      400,
      "InUseSubnetCannotBeDeleted",
    ]);
    // Same prefix and delegation, new NSG: fine while linked, and the link stays.
    await put(NSG, { location: "eastus", properties: {} });
    const updated = await put(SUBNET, delegatedSubnet("10.40.0.0/24", { networkSecurityGroup: { id: NSG } }));
    expect([updated.status, updated.body.properties.serviceAssociationLinks.length]).toEqual([200, 1]);

    const deleting = await del(SETTINGS);
    expect([deleting.status, deleting.headers.get("location"), deleting.headers.get("retry-after")]).toEqual([
      202,
      `${emulator.url}/operations/op-2?api-version=${API.networkSettings}`,
      "1",
    ]);
    expect((await get(SETTINGS)).body.properties.provisioningState).toBe("Deleting");
    // Until the operation ends, the link holds.
    expect((await del(SUBNET)).status).toBe(400);
    expect((await settle(deleting)).status).toBe(204);
    expect((await get(SUBNET)).body.properties.serviceAssociationLinks).toEqual([]);
    expect((await get(SETTINGS)).status).toBe(404);
    const subnetDelete = await del(SUBNET);
    expect([subnetDelete.status, (await settle(subnetDelete)).body.status]).toEqual([202, "Succeeded"]);
    const deletes = emulator.log().filter((entry) => entry.method === "DELETE");
    expect(deletes.map((entry) => [entry.id, entry.outcome, entry.code])).toEqual([
      [SUBNET, "refused", "InUseSubnetCannotBeDeleted"],
      [VNET, "refused", "InUseSubnetCannotBeDeleted"],
      [SUBNET, "refused", "InUseSubnetCannotBeDeleted"],
      [SETTINGS, "ok", undefined],
      [SUBNET, "ok", undefined],
    ]);
  });
});

describe("the event log and /_emulator/state", () => {
  it("records every write, delete and refusal in order, and serves them with the resources without a token", async () => {
    await start();
    await createGroup();
    await put(VNET, vnetBody());
    await put(SUBNET, { properties: { addressPrefix: "10.99.0.0/24" } });
    await settle(await del(VNET));
    const log = emulator.log();
    expect(log.map(({ at: _at, ...entry }) => entry)).toEqual([
      { seq: 1, method: "PUT", id: GROUP, type: "Microsoft.Resources/resourceGroups", outcome: "ok" },
      { seq: 2, method: "PUT", id: VNET, type: "Microsoft.Network/virtualNetworks", outcome: "ok" },
      {
        seq: 3,
        method: "PUT",
        id: SUBNET,
        type: "Microsoft.Network/virtualNetworks/subnets",
        outcome: "refused",
        status: 400,
        code: "NetcfgSubnetRangeOutsideVnet",
      },
      { seq: 4, method: "DELETE", id: VNET, type: "Microsoft.Network/virtualNetworks", outcome: "ok" },
    ]);
    expect(log.every((entry, index) => index === 0 || entry.at >= log[index - 1].at)).toBe(true);

    const requestsBefore = emulator.requests.length;
    const state = await fetch(`${emulator.url}${EMULATOR_STATE_PATH}`);
    expect(state.status).toBe(200);
    expect(await state.json()).toEqual({
      resources: [
        {
          id: GROUP,
          name: "rg-runners",
          type: "Microsoft.Resources/resourceGroups",
          location: "eastus",
          properties: { provisioningState: "Succeeded" },
        },
      ],
      log,
    });
    expect(emulator.requests.length).toBe(requestsBefore);
  });

  it("records a long-running operation that ends Failed", async () => {
    await start({
      operationPolls: 0,
      operationError: { code: "ResourceGroupBeingDeleted", message: "The resource group 'rg-runners' is in deprovisioning state." },
    });
    expect((await createGroup()).body).toEqual({
      id: "op-1",
      status: "Failed",
      error: { code: "ResourceGroupBeingDeleted", message: "The resource group 'rg-runners' is in deprovisioning state." },
    });
    expect((await get(GROUP)).body.properties).toEqual({ provisioningState: "Failed" });
    expect(emulator.log().map((entry) => [entry.method, entry.outcome, entry.code])).toEqual([
      ["PUT", "ok", undefined],
      ["PUT", "failed", "ResourceGroupBeingDeleted"],
    ]);
  });

  it("keeps the token check and scripted faults for resources", async () => {
    await start({
      faults: [
        {
          method: "PUT",
          path: /\/virtualNetworks\/vnet$/,
          times: 1,
          status: 429,
          headers: { "retry-after": "3" },
          code: "RetryableError",
          message: "Too many requests.",
        },
      ],
    });
    await createGroup();
    expect(await call("PUT", VNET, API.network, vnetBody(), "not-the-token").then((r) => [r.status, r.body.error.code])).toEqual([
      401,
      "InvalidAuthenticationToken",
    ]);
    const throttled = await put(VNET, vnetBody());
    expect([throttled.status, throttled.headers.get("retry-after"), throttled.body]).toEqual([
      429,
      "3",
      armError("RetryableError", "Too many requests."),
    ]);
    expect((await put(VNET, vnetBody())).status).toBe(201);
    expect(emulator.log().map((entry) => [entry.method, entry.id])).toEqual([
      ["PUT", GROUP],
      ["PUT", VNET],
    ]);
  });
});

describe("the emulator as a process", () => {
  it("prints one line of JSON, registers GitHub.Network on request, and stops on SIGTERM", async () => {
    const repo = join(__dirname, "..", "..");
    const child = spawn(process.execPath, ["--import", "tsx", join(repo, "test", "support", "emulator-server.ts")], {
      cwd: repo,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
      const info = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(info)).toEqual([
        "armUrl",
        "token",
        "identityEndpoint",
        "identityHeader",
        "subscriptionId",
        "tenantId",
        "githubUrl",
        "githubToken",
      ]);
      expect(info.armUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.identityEndpoint).toBe(`${info.armUrl}/msi/token`);
      const armCall = (method: string, path: string, body?: unknown) =>
        fetch(`${info.armUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${info.token}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const identity = await fetch(`${info.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01`, {
        headers: { "X-IDENTITY-HEADER": info.identityHeader },
      });
      expect(((await identity.json()) as { access_token: string }).access_token).toBe(info.token);
      const provider = `/subscriptions/${info.subscriptionId}/providers/GitHub.Network`;
      const read = async () =>
        ((await (await armCall("GET", `${provider}?api-version=2021-04-01`)).json()) as { registrationState: string }).registrationState;
      expect(await read()).toBe("NotRegistered");
      expect((await armCall("POST", `${provider}/register?api-version=2021-04-01`)).status).toBe(200);
      expect(await read()).toBe("Registered");
      const group = `/subscriptions/${info.subscriptionId}/resourceGroups/rg?api-version=2021-04-01`;
      expect((await armCall("PUT", group, { location: "eastus" })).status).toBe(201);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
