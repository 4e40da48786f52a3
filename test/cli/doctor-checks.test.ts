import { describe, expect, it } from "vitest";
import {
  addressSpaceCheck,
  coversSubscription,
  deployedSettingsCheck,
  deployedSubnetCheck,
  doctorExitCode,
  existingVnetCheck,
  gitHubViewChecks,
  gitHubViewFailedCheck,
  gitHubViewNotReadCheck,
  identityCheck,
  isOwnNetworkSettings,
  isOwnVirtualNetwork,
  networkSettingsOnSubnetCheck,
  nicCheck,
  providerCheck,
  regionCheck,
  regionListCheck,
  renderChecks,
  rolesCheck,
  subnetRangeCheck,
  subscriptionCheck,
  tokenClaims,
  type CheckResult,
  type GitHubSide,
} from "../../cli/doctor-checks";
import type { GitHubSettingsView } from "../../cli/doctor-github";
import type { NetworkSettings, SubnetResource, VirtualNetwork } from "../../cli/doctor-arm";
import { anyListedRegions } from "../../components/lib/regions";
import { SUBSCRIPTION, TENANT, TOKEN, USER_OBJECT_ID, subnet, vnet } from "../support/doctor-fixtures";

const SUB_SCOPE = `/subscriptions/${SUBSCRIPTION}`;
const jwt = (claims: object) => ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("tokenClaims", () => {
  it.each([
    ["the fixture's user token", TOKEN, { objectId: USER_OBJECT_ID, tenantId: TENANT, name: "alice@contoso.example", kind: "user" }],
    [
      "a service principal",
      jwt({ oid: "sp-oid", tid: "t1", appid: "app-1", idtyp: "app" }),
      { objectId: "sp-oid", tenantId: "t1", name: "app-1", kind: "application" },
    ],
    [
      "a managed identity without idtyp",
      jwt({ oid: "mi-oid", tid: "t1", appid: "mi-app" }),
      { objectId: "mi-oid", tenantId: "t1", name: "mi-app", kind: "application" },
    ],
    [
      "a user with unique_name only",
      jwt({ oid: "u", unique_name: "bob@contoso.example" }),
      { objectId: "u", tenantId: undefined, name: "bob@contoso.example", kind: "user" },
    ],
    ["an opaque token", "opaque-token", undefined],
    ["a broken payload", "a.%%%.c", undefined],
  ])("%s", (_what, token, expected) => {
    expect(tokenClaims(token)).toEqual(expected);
  });
});

describe("identityCheck and subscriptionCheck", () => {
  const claims = { objectId: USER_OBJECT_ID, tenantId: TENANT, name: "alice@contoso.example", kind: "user" as const };
  it.each<[string, Parameters<typeof identityCheck>[0], CheckResult]>([
    [
      "a user",
      claims,
      {
        check: "identity",
        status: "ok",
        detail: `signed in as user alice@contoso.example (object id ${USER_OBJECT_ID}, tenant ${TENANT})`,
      },
    ],
    [
      "an application",
      { objectId: "o", tenantId: "t", name: "app-1", kind: "application" },
      { check: "identity", status: "ok", detail: "signed in as application app-1 (object id o, tenant t)" },
    ],
    [
      "no principal",
      undefined,
      {
        check: "identity",
        status: "warn",
        detail: "signed in, but the token does not name its principal, so role assignments cannot be checked",
        fix: "sign in as a user or service principal of the subscription's tenant (az login, or AZURE_CLIENT_ID/AZURE_TENANT_ID)",
      },
    ],
  ])("identity: %s", (_what, input, expected) => {
    expect(identityCheck(input)).toEqual(expected);
  });

  it.each<[string, string, string, CheckResult]>([
    ["Enabled", "Enabled", TENANT, { check: "subscription", status: "ok", detail: `"Platform" (${SUBSCRIPTION}) is Enabled` }],
    [
      "PastDue",
      "PastDue",
      TENANT,
      {
        check: "subscription",
        status: "warn",
        detail: `"Platform" (${SUBSCRIPTION}) is PastDue: Azure may disable it soon`,
        fix: "resolve the billing state of the subscription in the Azure portal (Subscriptions)",
      },
    ],
    [
      "Disabled",
      "Disabled",
      TENANT,
      {
        check: "subscription",
        status: "fail",
        detail: `"Platform" (${SUBSCRIPTION}) is Disabled: nothing can be deployed to it`,
        fix: "re-enable the subscription in the Azure portal, or pass another one with --subscription",
      },
    ],
    [
      "another tenant",
      "Enabled",
      "other-tenant",
      {
        check: "subscription",
        status: "fail",
        detail: `"Platform" (${SUBSCRIPTION}) is in tenant other-tenant, but the sign-in is for tenant ${TENANT}`,
        fix: "sign in to tenant other-tenant (az login --tenant other-tenant, or AZURE_TENANT_ID)",
      },
    ],
  ])("subscription: %s", (_what, state, tenantId, expected) => {
    expect(subscriptionCheck({ subscriptionId: SUBSCRIPTION, displayName: "Platform", state, tenantId }, claims)).toEqual(expected);
  });
});

describe("providerCheck", () => {
  it.each<[string, boolean, CheckResult]>([
    ["Registered", true, { check: "provider GitHub.Network", status: "ok", detail: "Registered" }],
    [
      "Registering",
      true,
      {
        check: "provider GitHub.Network",
        status: "warn",
        detail: "Registering: Azure is still working on it (this can take minutes, occasionally much longer)",
        fix: "wait, then check with: az provider show --namespace GitHub.Network --query registrationState; pulumi up also waits for it",
      },
    ],
    [
      "NotRegistered",
      true,
      {
        check: "provider GitHub.Network",
        status: "warn",
        detail: "NotRegistered: pulumi up will register it and wait (registerResourceProvider is on)",
        fix: "nothing, if the deploying identity may register providers (Contributor or Owner); otherwise have an admin run: az provider register --namespace GitHub.Network",
      },
    ],
    [
      "NotRegistered",
      false,
      {
        check: "provider GitHub.Network",
        status: "fail",
        detail: "NotRegistered, and registerResourceProvider is false for every network, so pulumi up will not register it",
        fix: "run: az provider register --namespace GitHub.Network (or set registerResourceProvider: true)",
      },
    ],
    [
      "Unregistering",
      true,
      {
        check: "provider GitHub.Network",
        status: "fail",
        detail: "Unregistering: someone is removing it from the subscription",
        fix: "wait until it is NotRegistered, then run: az provider register --namespace GitHub.Network",
      },
    ],
  ])("%s (pulumi registers: %s)", (state, registers, expected) => {
    expect(providerCheck("GitHub.Network", state, registers)).toEqual(expected);
  });
});

describe("regionCheck and regionListCheck", () => {
  const documented = anyListedRegions();
  it.each<[string, string, string[], CheckResult]>([
    [
      "offered",
      "East US",
      ["eastus", "westus2"],
      { check: "region primary", status: "ok", detail: "ARM offers GitHub.Network/networkSettings in eastus" },
    ],
    [
      "not offered",
      "westus3",
      ["eastus", "westus2"],
      {
        check: "region primary",
        status: "fail",
        detail: "ARM does not offer GitHub.Network/networkSettings in westus3",
        fix: "choose a region ARM offers: eastus, westus2",
      },
    ],
    [
      "no list",
      "eastus",
      [],
      {
        check: "region primary",
        status: "warn",
        detail: "ARM lists no regions for GitHub.Network/networkSettings, so eastus cannot be confirmed",
        fix: `check: az provider show --namespace GitHub.Network --query "resourceTypes[?resourceType=='networkSettings'].locations"`,
      },
    ],
  ])("%s", (_what, location, offered, expected) => {
    expect(regionCheck("primary", location, offered)).toEqual(expected);
  });

  it.each<[string, string[], CheckResult]>([
    [
      "same list",
      documented,
      { check: "region list", status: "ok", detail: `ARM and GitHub's documented lists agree (${documented.length} regions)` },
    ],
    [
      "drift both ways",
      [...documented.filter((r) => r !== "ukwest"), "westeurope"].sort(),
      {
        check: "region list",
        status: "warn",
        detail:
          "ARM also offers westeurope; ARM does not offer ukwest (compared with GitHub's documented lists, github.com's and GHE.com's)",
        fix: "the lists in components/lib/regions.ts and components/lib/ghecom.ts may be out of date: compare them with GitHub's supported-regions docs",
      },
    ],
    [
      "empty",
      [],
      {
        check: "region list",
        status: "warn",
        detail: "ARM lists no regions for networkSettings",
        fix: "run doctor again later; ARM's provider metadata was empty",
      },
    ],
  ])("%s", (_what, offered, expected) => {
    expect(regionListCheck(offered)).toEqual(expected);
  });
});

describe("rolesCheck", () => {
  const assign = (role: string) => `az role assignment create --assignee-object-id ${USER_OBJECT_ID} --role "${role}" --scope ${SUB_SCOPE}`;
  it.each<[string, { roleName: string; scope: string }[], CheckResult]>([
    ["Owner", [{ roleName: "Owner", scope: SUB_SCOPE }], { check: "roles", status: "ok", detail: "has Owner on the subscription" }],
    [
      "Owner from a management group",
      [{ roleName: "Owner", scope: "/providers/Microsoft.Management/managementGroups/platform" }],
      { check: "roles", status: "ok", detail: "has Owner on the subscription" },
    ],
    [
      "Contributor and Network Contributor",
      [
        { roleName: "Contributor", scope: SUB_SCOPE },
        { roleName: "Network Contributor", scope: SUB_SCOPE.toUpperCase() },
      ],
      { check: "roles", status: "ok", detail: "has Contributor and Network Contributor on the subscription" },
    ],
    [
      "Contributor only",
      [{ roleName: "Contributor", scope: SUB_SCOPE }],
      {
        check: "roles",
        status: "warn",
        detail: "has Contributor on the subscription; GitHub's docs ask for Network Contributor as well",
        fix: assign("Network Contributor"),
      },
    ],
    [
      "Network Contributor only, Owner on a resource group",
      [
        { roleName: "Network Contributor", scope: SUB_SCOPE },
        { roleName: "Owner", scope: `${SUB_SCOPE}/resourceGroups/rg-net` },
      ],
      {
        check: "roles",
        status: "fail",
        detail: `has Network Contributor on the subscription: it cannot register resource providers or create resource groups and networkSettings; Owner at ${SUB_SCOPE}/resourceGroups/rg-net does not count (narrower than the subscription)`,
        fix: assign("Contributor"),
      },
    ],
    [
      "Reader only",
      [{ roleName: "Reader", scope: SUB_SCOPE }],
      {
        check: "roles",
        status: "fail",
        detail: "has Reader on the subscription; GitHub's docs ask for Contributor and Network Contributor (or Owner)",
        fix: `${assign("Contributor")}; ${assign("Network Contributor")}`,
      },
    ],
    [
      "nothing",
      [],
      {
        check: "roles",
        status: "fail",
        detail: "has no role on the subscription; GitHub's docs ask for Contributor and Network Contributor (or Owner)",
        fix: `${assign("Contributor")}; ${assign("Network Contributor")}`,
      },
    ],
  ])("%s", (_what, assignments, expected) => {
    expect(rolesCheck(assignments, SUBSCRIPTION, USER_OBJECT_ID)).toEqual(expected);
  });

  it.each([
    ["/", true],
    [SUB_SCOPE, true],
    [`${SUB_SCOPE}/`, true],
    ["/providers/Microsoft.Management/managementGroups/root", true],
    [`${SUB_SCOPE}/resourceGroups/rg`, false],
    ["/subscriptions/00000000-0000-0000-0000-000000000000", false],
  ])("scope %s covers the subscription: %s", (scope, expected) => {
    expect(coversSubscription(scope, SUBSCRIPTION)).toBe(expected);
  });
});

describe("addressSpaceCheck", () => {
  const hub = vnet("rg-hub", "hub-vnet", "eastus", ["10.40.0.0/20", "192.168.0.0/24"]);
  const spoke = vnet("rg-spoke", "spoke-vnet", "westus2", ["10.0.0.0/16"]);
  const own = vnet("primary-rg1a2b3c4", "primary-vnet9f8e7d6c", "eastus", ["10.40.0.0/16"]);

  it("names every colliding VNET and suggests a free range", () => {
    expect(addressSpaceCheck("primary", "eastus", "10.40.0.0/16", [hub, spoke], ["10.41.0.0/16"])).toEqual({
      check: "address space primary",
      status: "fail",
      detail: "10.40.0.0/16 overlaps VNET hub-vnet (resource group rg-hub, eastus) 10.40.0.0/20",
      fix: "give networks[].addressSpace a range no VNET uses, such as 10.1.0.0/16: overlapping VNETs cannot be peered or routed to each other",
    });
  });

  it("passes when nothing overlaps", () => {
    expect(addressSpaceCheck("failover", "westus2", "10.41.0.0/16", [hub, spoke], [])).toEqual({
      check: "address space failover",
      status: "ok",
      detail: "10.41.0.0/16 overlaps none of the subscription's 2 VNETs",
    });
  });

  it("recognises the stack's own VNET from an earlier deploy", () => {
    expect(addressSpaceCheck("primary", "eastus", "10.40.0.0/16", [own, spoke], [])).toEqual({
      check: "address space primary",
      status: "ok",
      detail: "10.40.0.0/16 overlaps none of the subscription's 2 VNETs; primary-vnet9f8e7d6c is this stack's own VNET, deployed earlier",
    });
  });

  it.each([
    ["the deployed name", own, true],
    ["the name without suffix", vnet("rg", "primary-vnet", "East US", ["10.40.0.0/16"]), true],
    ["a dashed suffix", vnet("rg", "primary-vnet-9f8e7d6", "eastus", ["10.40.0.0/16"]), true],
    ["a longer name", vnet("rg", "primary-vnetwork", "eastus", ["10.40.0.0/16"]), false],
    ["another network's VNET", vnet("rg", "failover-vnet1234567", "eastus", ["10.40.0.0/16"]), false],
    ["a different space", vnet("rg", "primary-vnet1234567", "eastus", ["10.40.0.0/17"]), false],
    ["another region", vnet("rg", "primary-vnet1234567", "westus", ["10.40.0.0/16"]), false],
  ])("isOwnVirtualNetwork: %s", (_what, candidate, expected) => {
    expect(isOwnVirtualNetwork(candidate as VirtualNetwork, "primary", "eastus", "10.40.0.0/16")).toBe(expected);
  });
});

describe("existing VNET checks", () => {
  const landingZone = vnet("rg-lz", "lz-vnet", "westus2", ["10.50.0.0/16"], (id) => [
    subnet(id, "apps", "10.50.0.0/24", {
      ipConfigurations: [
        {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-lz/providers/Microsoft.Network/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1`,
        },
      ],
    }),
    subnet(id, "old-runners", "10.50.1.0/24", {
      ipConfigurations: [
        {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-lz/providers/Microsoft.Network/networkInterfaces/build-nic/ipConfigurations/a`,
        },
        {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-lz/providers/Microsoft.Network/networkInterfaces/agent-nic/ipConfigurations/b`,
        },
      ],
    }),
    subnet(id, "runners", "10.50.2.0/24", { delegations: [{ name: "gh", properties: { serviceName: "GitHub.Network/networkSettings" } }] }),
  ]) as VirtualNetwork;

  it.each<[string, VirtualNetwork | undefined, string, CheckResult]>([
    [
      "exists",
      landingZone,
      "westus2",
      { check: "vnet lz", status: "ok", detail: "VNET lz-vnet exists in westus2 with address space 10.50.0.0/16" },
    ],
    [
      "missing",
      undefined,
      "westus2",
      {
        check: "vnet lz",
        status: "fail",
        detail: "VNET lz-vnet was not found in resource group rg-lz",
        fix: "fix existingVirtualNetwork (name and resourceGroupName are case-insensitive but must exist in this subscription), or pass the right --subscription",
      },
    ],
    [
      "another region",
      landingZone,
      "eastus",
      {
        check: "vnet lz",
        status: "fail",
        detail: "VNET lz-vnet is in westus2, but the network's location is eastus",
        fix: "set location: westus2; networkSettings must be in the VNET's region",
      },
    ],
  ])("the VNET: %s", (_what, found, location, expected) => {
    expect(existingVnetCheck("lz", { name: "lz-vnet", resourceGroupName: "rg-lz" }, found, location)).toEqual(expected);
  });

  it.each<[string, CheckResult]>([
    ["10.50.3.0/24", { check: "subnet range lz", status: "ok", detail: "10.50.3.0/24 is inside VNET lz-vnet and no subnet uses it" }],
    [
      "10.50.2.0/24",
      {
        check: "subnet range lz",
        status: "ok",
        detail: "10.50.2.0/24 is subnet runners, already delegated to GitHub.Network/networkSettings (deployed earlier)",
      },
    ],
    [
      "10.50.1.0/24",
      {
        check: "subnet range lz",
        status: "fail",
        detail: "10.50.1.0/24 overlaps subnet old-runners (10.50.1.0/24) in VNET lz-vnet",
        fix: "set subnetPrefix to a free range, such as 10.50.3.0/24",
      },
    ],
    [
      "10.50.0.0/23",
      {
        check: "subnet range lz",
        status: "fail",
        detail: "10.50.0.0/23 overlaps subnet apps (10.50.0.0/24), subnet old-runners (10.50.1.0/24) in VNET lz-vnet",
        fix: "set subnetPrefix to a free range, such as 10.50.4.0/23",
      },
    ],
    [
      "10.60.0.0/24",
      {
        check: "subnet range lz",
        status: "fail",
        detail: "10.60.0.0/24 is outside VNET lz-vnet's address space 10.50.0.0/16",
        fix: "set subnetPrefix to a free range inside the VNET, such as 10.50.3.0/24",
      },
    ],
  ])("the range %s", (prefix, expected) => {
    expect(subnetRangeCheck("lz", landingZone, prefix)).toEqual(expected);
  });

  it.each<[string, CheckResult]>([
    ["10.50.3.0/24", { check: "subnet NICs lz", status: "ok", detail: "no NICs in 10.50.3.0/24 would block delegation" }],
    ["10.50.2.0/24", { check: "subnet NICs lz", status: "ok", detail: "no NICs in 10.50.2.0/24 would block delegation" }],
    [
      "10.50.0.0/23",
      {
        check: "subnet NICs lz",
        status: "fail",
        detail: "subnet apps has 1 NIC (vm1-nic); subnet old-runners has 2 NICs (agent-nic, build-nic)",
        fix: "delete or move those NICs before the subnet is delegated to GitHub.Network, or choose another subnetPrefix: the service cannot add its service association link while NICs are attached",
      },
    ],
  ])("NICs in %s", (prefix, expected) => {
    expect(nicCheck("lz", landingZone, prefix)).toEqual(expected);
  });
});

describe("networkSettingsOnSubnetCheck", () => {
  const runnersSubnet = {
    id: `${SUB_SCOPE}/resourceGroups/rg-lz/providers/Microsoft.Network/virtualNetworks/lz-vnet/subnets/runners`,
    name: "runners",
  } as SubnetResource;
  const settings = (name: string, businessId: string, location = "westus2"): NetworkSettings => ({
    id: `${SUB_SCOPE}/resourceGroups/rg-gh/providers/GitHub.Network/networkSettings/${name}`,
    name,
    location,
    properties: { businessId, subnetId: runnersSubnet.id },
    tags: { GitHubId: `GH-${name}` },
  });
  const deleteFix = (name: string) =>
    `if it is no longer used, delete the GitHub network configuration that uses it, then: az resource delete --ids ${SUB_SCOPE}/resourceGroups/rg-gh/providers/GitHub.Network/networkSettings/${name} --api-version 2024-04-02; otherwise choose another subnetPrefix`;

  it.each<[string, NetworkSettings[], CheckResult]>([
    ["none", [], { check: "network settings on subnet lz", status: "ok", detail: "no networkSettings holds subnet runners" }],
    [
      "another business",
      [settings("manual-ns", "999")],
      {
        check: "network settings on subnet lz",
        status: "fail",
        detail:
          "subnet runners is already held by manual-ns (resource group rg-gh, businessId 999, GitHubId GH-manual-ns), for another GitHub business",
        fix: deleteFix("manual-ns"),
      },
    ],
    [
      "same business, not this stack's",
      [settings("manual-ns", "12345678")],
      {
        check: "network settings on subnet lz",
        status: "warn",
        detail:
          "subnet runners is already held by manual-ns (resource group rg-gh, businessId 12345678, GitHubId GH-manual-ns), with this config's businessId (another stack or a manual setup)",
        fix: deleteFix("manual-ns"),
      },
    ],
    [
      "this stack's own",
      [settings("lz-network-settings1a2b3c4d", "12345678")],
      {
        check: "network settings on subnet lz",
        status: "ok",
        detail:
          "subnet runners is held by this stack's own lz-network-settings1a2b3c4d (resource group rg-gh, businessId 12345678, GitHubId GH-lz-network-settings1a2b3c4d), deployed earlier",
      },
    ],
  ])("%s", (_what, bound, expected) => {
    expect(networkSettingsOnSubnetCheck("lz", "westus2", runnersSubnet, bound, "12345678")).toEqual(expected);
  });

  it.each([
    ["primary-network-settings1a2b3c4d", "eastus", true],
    ["primary-network-settings-1a2b3c4", "eastus", true],
    ["primary-network-settings", "East US", true],
    ["primary-network-settings-old", "eastus", false],
    ["failover-network-settings1a2b3c4d", "eastus", false],
    ["primary-network-settings1a2b3c4d", "westus2", false],
    ["primary-network-settings1a2b3c4d5e", "eastus", false],
  ])("isOwnNetworkSettings %s in %s: %s", (name, location, expected) => {
    expect(isOwnNetworkSettings({ id: "x", name, location }, "primary", "eastus")).toBe(expected);
  });
});

describe("after deploy", () => {
  const subnetId = `${SUB_SCOPE}/resourceGroups/primary-rg1/providers/Microsoft.Network/virtualNetworks/primary-vnet1/subnets/primary-subnet1`;
  const deployed = (businessId: string, tags: Record<string, string> = { GitHubId: "F00DCAFE1234" }): NetworkSettings => ({
    id: `${SUB_SCOPE}/resourceGroups/primary-rg1/providers/GitHub.Network/networkSettings/primary-network-settings1`,
    name: "primary-network-settings1",
    location: "eastus",
    properties: { businessId, subnetId },
    tags,
  });

  it.each<[string, NetworkSettings[], CheckResult]>([
    [
      "found",
      [deployed("12345678")],
      {
        check: "deployed primary",
        status: "ok",
        detail: "primary-network-settings1 GitHubId F00DCAFE1234 (paste it into the GitHub network configuration)",
      },
    ],
    [
      "missing",
      [],
      {
        check: "deployed primary",
        status: "fail",
        detail: "no networkSettings for this network was found in the subscription",
        fix: "run pulumi up for this stack (and check --subscription is the stack's subscription)",
      },
    ],
    [
      "wrong business",
      [deployed("999")],
      {
        check: "deployed primary",
        status: "fail",
        detail: "primary-network-settings1 has businessId 999, but the config says 12345678",
        fix: "businessId is immutable: run pulumi up to replace the networkSettings with the configured one",
      },
    ],
    [
      "no GitHubId yet",
      [deployed("12345678", {})],
      {
        check: "deployed primary",
        status: "fail",
        detail: "primary-network-settings1 has no GitHubId tag yet",
        fix: "GitHub's service writes the tag when it accepts the resource; if it stays missing, check businessId and the subnet delegation",
      },
    ],
    [
      "two",
      [deployed("12345678"), { ...deployed("12345678"), name: "primary-network-settings2" }],
      {
        check: "deployed primary",
        status: "warn",
        detail: "several networkSettings match: primary-network-settings1, primary-network-settings2",
        fix: "delete the ones no GitHub network configuration uses",
      },
    ],
  ])("networkSettings %s", (_what, found, expected) => {
    expect(deployedSettingsCheck("primary", found, "12345678")).toEqual(expected);
  });

  const nsgId = `${SUB_SCOPE}/resourceGroups/primary-rg1/providers/Microsoft.Network/networkSecurityGroups/primary-nsg1`;
  it.each<[string, SubnetResource | undefined, CheckResult]>([
    [
      "delegated with NSG",
      {
        id: subnetId,
        name: "primary-subnet1",
        properties: {
          delegations: [{ properties: { serviceName: "GitHub.Network/networkSettings" } }],
          networkSecurityGroup: { id: nsgId },
        },
      },
      {
        check: "deployed subnet primary",
        status: "ok",
        detail: "subnet primary-subnet1, delegation GitHub.Network/networkSettings, NSG primary-nsg1",
      },
    ],
    [
      "delegation and NSG removed",
      { id: subnetId, name: "primary-subnet1", properties: { delegations: [] } },
      {
        check: "deployed subnet primary",
        status: "fail",
        detail:
          "subnet primary-subnet1, delegation none, NSG none: not delegated to GitHub.Network/networkSettings (delegations: none); has no NSG attached",
        fix: "run pulumi up to restore the delegation and NSG (someone changed the subnet outside Pulumi)",
      },
    ],
    [
      "gone",
      undefined,
      {
        check: "deployed subnet primary",
        status: "fail",
        detail: `subnet ${subnetId} no longer exists`,
        fix: "run pulumi up to recreate the subnet and the networkSettings",
      },
    ],
  ])("subnet %s", (_what, found, expected) => {
    expect(deployedSubnetCheck("primary", found, subnetId)).toEqual(expected);
  });
});

describe("GitHub's view after deploy", () => {
  const subnetId = `${SUB_SCOPE}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/runners`;
  const azure: NetworkSettings = {
    id: `${SUB_SCOPE}/resourceGroups/rg/providers/GitHub.Network/networkSettings/east-network-settings1`,
    name: "east-network-settings1",
    location: "eastus",
    properties: { businessId: "12345678", subnetId },
    tags: { GitHubId: "GH1" },
  };
  const org: GitHubSide = { scope: "organization", slug: "my-org" };
  const managed: GitHubSide = { ...org, managedConfiguration: "azure-private" };
  const known = (extra: Partial<Extract<GitHubSettingsView, { known: true }>> = {}): GitHubSettingsView => ({
    known: true,
    settings: { id: "GH1", name: "east", subnetId, region: "eastus" },
    ...extra,
  });
  const used = (name?: string) => known({ configuration: { id: "NC1", ...(name === undefined ? {} : { name }) } });
  const recreate =
    "the GitHubId tag on east-network-settings1 names another network settings resource: never edit that tag; replace the networkSettings (pulumi up --replace with its URN) so GitHub's service writes its own";
  const agree: CheckResult[] = [
    { check: "github subnet east", status: "ok", detail: "GitHub and Azure agree: subnet runners" },
    { check: "github region east", status: "ok", detail: "GitHub and Azure agree: eastus" },
  ];

  it.each<[string, GitHubSettingsView, GitHubSide, CheckResult[]]>([
    [
      "unknown to GitHub",
      { known: false },
      org,
      [
        {
          check: "github east",
          status: "fail",
          detail: 'GitHub does not know network settings GH1 (of east-network-settings1) in organization "my-org"',
          fix: 'GitHub answers 404 when the networkSettings was made with another owner\'s businessId, or when github.slug or github.scope name another owner, or when the token cannot see organization "my-org": check them; with github.businessId corrected, pulumi up replaces the networkSettings',
        },
      ],
    ],
    [
      "used by the stack's configuration",
      used("azure-private"),
      managed,
      [
        {
          check: "github east",
          status: "ok",
          detail: 'GitHub knows network settings GH1 (east); network configuration "azure-private" (id NC1) uses it',
        },
        ...agree,
      ],
    ],
    [
      "used by a configuration GitHub does not name",
      used(),
      org,
      [
        { check: "github east", status: "ok", detail: "GitHub knows network settings GH1 (east); network configuration (id NC1) uses it" },
        ...agree,
      ],
    ],
    [
      "used by another configuration than the stack's",
      used("by-hand"),
      managed,
      [
        {
          check: "github east",
          status: "warn",
          detail:
            'GitHub knows network settings GH1 (east); network configuration "by-hand" (id NC1) uses it, not the stack\'s "azure-private"',
          fix: "remove it from that configuration in GitHub (Settings > Hosted compute networking), then run pulumi up",
        },
        ...agree,
      ],
    ],
    [
      "unused, the stack manages a configuration",
      known(),
      managed,
      [
        {
          check: "github east",
          status: "warn",
          detail: "GitHub knows network settings GH1 (east), but no network configuration uses it",
          fix: 'run pulumi up: the stack\'s network configuration "azure-private" takes it',
        },
        ...agree,
      ],
    ],
    [
      "another subnet (case aside) and another region (display names aside)",
      known({
        settings: { id: "GH1", name: "east", subnetId: `${subnetId}-2`.toUpperCase(), region: "West US 2" },
        configuration: { id: "NC1", name: "azure-private" },
      }),
      managed,
      [
        {
          check: "github east",
          status: "ok",
          detail: 'GitHub knows network settings GH1 (east); network configuration "azure-private" (id NC1) uses it',
        },
        {
          check: "github subnet east",
          status: "fail",
          detail: `GitHub has subnet ${`${subnetId}-2`.toUpperCase()}, Azure's east-network-settings1 has ${subnetId}`,
          fix: recreate,
        },
        {
          check: "github region east",
          status: "fail",
          detail: "GitHub has region West US 2, Azure's east-network-settings1 is in eastus",
          fix: recreate,
        },
      ],
    ],
    [
      "the same subnet in other case, the region as a display name",
      known({ settings: { id: "GH1", name: "east", subnetId: subnetId.toUpperCase(), region: "East US" }, configuration: { id: "NC1" } }),
      org,
      [
        { check: "github east", status: "ok", detail: "GitHub knows network settings GH1 (east); network configuration (id NC1) uses it" },
        { check: "github subnet east", status: "ok", detail: "GitHub and Azure agree: subnet RUNNERS" },
        { check: "github region east", status: "ok", detail: "GitHub and Azure agree: eastus" },
      ],
    ],
  ])("%s", (_name, view, side, expected) => {
    expect(gitHubViewChecks("east", azure, view, side)).toEqual(expected);
  });

  it("says what token to set when none is at hand, and why a read failed", () => {
    expect(gitHubViewNotReadCheck({ scope: "enterprise", slug: "acme" })).toEqual({
      check: "github",
      status: "warn",
      detail: "GitHub's view of the deployed networks was not read: no GitHub token",
      fix: "set GITHUB_TOKEN to a classic token of an enterprise owner (GitHub Apps and fine-grained tokens cannot read enterprise network settings)",
    });
    expect([gitHubViewFailedCheck("east", "boom", true).fix, gitHubViewFailedCheck("east", "boom", false)]).toEqual([
      "give GITHUB_TOKEN the permission the message names",
      { check: "github east", status: "fail", detail: "could not read GitHub's view: boom", fix: "run doctor --deployed again later" },
    ]);
  });
});

describe("rendering and exit code", () => {
  const results: CheckResult[] = [
    { check: "identity", status: "ok", detail: "signed in" },
    { check: "roles", status: "warn", detail: "Contributor only", fix: "add Network Contributor" },
    { check: "region primary", status: "fail", detail: "not offered", fix: "choose eastus" },
  ];
  it("prints one line per check and the fix under warn and fail", () => {
    expect(renderChecks(results)).toBe(
      [
        "ok    identity: signed in",
        "warn  roles: Contributor only",
        "      fix: add Network Contributor",
        "fail  region primary: not offered",
        "      fix: choose eastus",
      ].join("\n"),
    );
  });
  it.each<[CheckResult[], number]>([
    [results, 1],
    [results.slice(0, 2), 0],
    [[], 0],
  ])("exit code for %j is %i", (input, expected) => {
    expect(doctorExitCode(input)).toBe(expected);
  });
});
