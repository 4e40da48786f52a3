/** The pure checks behind each policy, over hand-built resources: compliant, violating, and not known yet. */
import { describe, expect, it } from "vitest";
import { addressesNeeded } from "../../components/lib/sizing";
import {
  checkExplicitEgress,
  checkNetworkSettingsProperties,
  checkNetworkSettingsTarget,
  checkRunnerNsgInbound,
  checkRunnerOutbound,
  checkRunnerSubnetShape,
  checkStaleGitHubRanges,
  checkSubnetCapacity,
  requiredAddresses,
  type EgressConfig,
  type InboundConfig,
  type OutboundConfig,
} from "../../policy/checks";
import { UNKNOWN, type Finding, type ResourceView } from "../../policy/model";
import { NET, nsg, networkSettings, rule, runnerSubnet, SAFE_RULES, subnetId, urnOf, view, vnet } from "../support/policy-views";

const CANNOT = "is computed during deployment, so this policy cannot approve it yet";
const cannot = (urn: string, what: string): Finding => ({ urn, message: `cannot verify until known: ${what} ${CANNOT}` });
const NAT = view("NatGateway", "nat", { id: `${NET}/natGateways/nat`, name: "nat", resourceGroupName: "rg" });

describe("runner-subnet-nsg-and-delegation (checkRunnerSubnetShape)", () => {
  const subnetUrn = urnOf("Subnet", "runners");
  const noNsg =
    "subnet runners is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them";
  it.each<[string, ResourceView, Finding[]]>([
    ["delegated subnet with an NSG", runnerSubnet("runners"), []],
    ["subnet not delegated to GitHub", runnerSubnet("runners", { delegations: [], networkSecurityGroup: undefined }), []],
    ["NSG ID not known yet (the NSG is there)", runnerSubnet("runners", { networkSecurityGroup: { id: UNKNOWN } }), []],
    [
      "delegation service name in other case",
      runnerSubnet("runners", {
        delegations: [{ name: "d", serviceName: "github.network/NETWORKSETTINGS" }],
        networkSecurityGroup: undefined,
      }),
      [{ urn: subnetUrn, message: noNsg }],
    ],
    ["no NSG", runnerSubnet("runners", { networkSecurityGroup: undefined }), [{ urn: subnetUrn, message: noNsg }]],
    ["NSG reference without an ID", runnerSubnet("runners", { networkSecurityGroup: {} }), [{ urn: subnetUrn, message: noNsg }]],
    [
      "NSG reference not known yet",
      runnerSubnet("runners", { networkSecurityGroup: UNKNOWN }),
      [cannot(subnetUrn, "whether subnet runners has a network security group")],
    ],
    [
      "delegations not known yet",
      runnerSubnet("runners", { delegations: UNKNOWN }),
      [cannot(subnetUrn, "whether subnet runners is delegated to GitHub.Network/networkSettings")],
    ],
    [
      "a second delegation",
      runnerSubnet("runners", {
        delegations: [
          { name: "a", serviceName: "GitHub.Network/networkSettings" },
          { name: "b", serviceName: "Microsoft.Web/serverFarms" },
        ],
      }),
      [
        {
          urn: subnetUrn,
          message:
            "subnet runners has 2 delegations (GitHub.Network/networkSettings, Microsoft.Web/serverFarms); a runner subnet must be delegated to GitHub.Network/networkSettings only",
        },
      ],
    ],
    [
      "inline subnet of a VNET without an NSG",
      vnet("spoke", "eastus", {
        subnets: [
          { name: "apps", addressPrefix: "10.0.1.0/24" },
          { name: "runners", addressPrefix: "10.0.0.0/24", delegations: [{ name: "g", serviceName: "GitHub.Network/networkSettings" }] },
        ],
      }),
      [
        {
          urn: urnOf("VirtualNetwork", "spoke"),
          message:
            'subnet "runners" of virtual network spoke is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them',
        },
      ],
    ],
    [
      "a VNET whose inline subnets are not known yet",
      vnet("spoke", "eastus", { subnets: UNKNOWN }),
      [
        cannot(
          urnOf("VirtualNetwork", "spoke"),
          "whether the inline subnets of virtual network spoke is delegated to GitHub.Network/networkSettings",
        ),
      ],
    ],
    ["a network security group (not a subnet)", nsg("nsg"), []],
  ])("%s", (_, resource, expected) => {
    expect(checkRunnerSubnetShape(resource)).toEqual(expected);
  });
});

describe("runner-nsg-denies-inbound (checkRunnerNsgInbound)", () => {
  const config: InboundConfig = {
    requireDenyAllInbound: true,
    forbiddenInboundSources: ["*", "Any", "Internet", "0.0.0.0/0", "::/0"],
    trustExternalResources: false,
  };
  const nsgUrn = urnOf("NetworkSecurityGroup", "nsg");
  const subnetUrn = urnOf("Subnet", "runners");
  const noDeny =
    "network security group nsg has no rule that denies all inbound traffic; Azure's default rules AllowVNetInBound (65000) and AllowAzureLoadBalancerInBound (65001) still let traffic in, so add a Deny rule for any source, destination, port and protocol";
  const sshRule = rule("AllowSsh", 100, "Inbound", "Allow", {
    protocol: "Tcp",
    sourceAddressPrefix: "Internet",
    destinationPortRange: "22",
  });
  const withRules = (rules: unknown[]) => [runnerSubnet("runners"), nsg("nsg", rules)];
  const separate = (name: string, fields: Record<string, unknown>, extra: Partial<ResourceView> = {}) =>
    view(
      "SecurityRule",
      name,
      { resourceGroupName: "rg", networkSecurityGroupName: "nsg", ...rule(name, 300, "Inbound", "Allow", fields) },
      extra,
    );

  it.each<[string, ResourceView[], Finding[], Partial<InboundConfig>?]>([
    ["deny-all inbound, nothing allowed in", withRules(SAFE_RULES), []],
    ["a subnet that is not delegated is not checked", [runnerSubnet("runners", { delegations: [] }), nsg("nsg", [sshRule])], []],
    [
      "inline allow from Internet",
      withRules([sshRule, ...SAFE_RULES]),
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowSsh" (priority 100) of network security group nsg allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
        },
      ],
    ],
    [
      "separate SecurityRule allowing * in, attributed by NSG name",
      [...withRules(SAFE_RULES), separate("AllowAll", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["0.0.0.0/0"] })],
      [
        {
          urn: urnOf("SecurityRule", "AllowAll"),
          message:
            'rule "AllowAll" (priority 300) of network security group nsg allows inbound traffic from 0.0.0.0/0; GitHub never needs inbound connections to runners',
        },
      ],
    ],
    ["separate SecurityRule of another NSG", [...withRules(SAFE_RULES), separate("Other", { networkSecurityGroupName: "other-nsg" })], []],
    ["no deny-all inbound", withRules(SAFE_RULES.slice(1)), [{ urn: nsgUrn, message: noDeny }]],
    [
      "deny-all only for TCP does not count",
      withRules([rule("DenyTcp", 4096, "Inbound", "Deny", { protocol: "Tcp" }), ...SAFE_RULES.slice(1)]),
      [{ urn: nsgUrn, message: noDeny }],
    ],
    [
      "deny-all as a separate SecurityRule",
      [runnerSubnet("runners"), nsg("nsg", SAFE_RULES.slice(1)), separate("DenyIn", { access: "Deny" })],
      [],
    ],
    ["deny-all not required by config", withRules(SAFE_RULES.slice(1)), [], { requireDenyAllInbound: false }],
    [
      "allow from VirtualNetwork forbidden by config",
      withRules([rule("AllowVnet", 100, "Inbound", "Allow", { sourceAddressPrefix: "VirtualNetwork" }), ...SAFE_RULES]),
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowVnet" (priority 100) of network security group nsg allows inbound traffic from VirtualNetwork; GitHub never needs inbound connections to runners',
        },
      ],
      { forbiddenInboundSources: ["virtualnetwork"] },
    ],
    [
      "NSG ID not known yet, followed through the property's dependency",
      [
        runnerSubnet("runners", { networkSecurityGroup: { id: UNKNOWN } }, { propertyDependencies: { networkSecurityGroup: [nsgUrn] } }),
        nsg("nsg", [sshRule, ...SAFE_RULES], { props: { securityRules: [sshRule, ...SAFE_RULES], id: UNKNOWN } }),
      ],
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowSsh" (priority 100) of network security group nsg allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
        },
      ],
    ],
    [
      "NSG referenced by an ID whose case differs, matched by name and group",
      [
        runnerSubnet("runners", { networkSecurityGroup: { id: `${NET.toUpperCase()}/NETWORKSECURITYGROUPS/NSG` } }),
        view("NetworkSecurityGroup", "nsg", { name: "nsg", resourceGroupName: "RG", securityRules: [sshRule, ...SAFE_RULES] }),
      ],
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowSsh" (priority 100) of network security group nsg allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
        },
      ],
    ],
    [
      "NSG ID not known yet and no dependency to follow",
      [runnerSubnet("runners", { networkSecurityGroup: { id: UNKNOWN } }), nsg("nsg")],
      [cannot(subnetUrn, "the network security group of subnet runners")],
    ],
    [
      "NSG outside the stack",
      [runnerSubnet("runners", { networkSecurityGroup: { id: `${NET}/networkSecurityGroups/hub-nsg` } })],
      [
        {
          urn: subnetUrn,
          message: `the network security group of subnet runners ${NET}/networkSecurityGroups/hub-nsg is not managed by this stack, so this policy cannot check it; manage it in this stack, or set trustExternalResources for this policy to accept it unchecked`,
        },
      ],
    ],
    [
      "NSG outside the stack, trusted by config",
      [runnerSubnet("runners", { networkSecurityGroup: { id: `${NET}/networkSecurityGroups/hub-nsg` } })],
      [],
      { trustExternalResources: true },
    ],
    [
      "a rule's source not known yet",
      withRules([rule("AllowFrom", 100, "Inbound", "Allow", { sourceAddressPrefix: UNKNOWN }), ...SAFE_RULES]),
      [cannot(nsgUrn, 'rule "AllowFrom" (priority 100) of network security group nsg')],
    ],
    [
      "an outbound rule's destination not known yet does not matter here",
      withRules([rule("AllowTo", 100, "Outbound", "Allow", { destinationAddressPrefix: UNKNOWN }), ...SAFE_RULES]),
      [],
    ],
    ["the rule list not known yet", withRules(UNKNOWN as never), [cannot(nsgUrn, "the security rules of network security group nsg")]],
    [
      "a separate rule whose NSG is not known yet",
      [...withRules(SAFE_RULES), separate("Maybe", { networkSecurityGroupName: UNKNOWN })],
      [cannot(nsgUrn, "the security rules of network security group nsg")],
    ],
    [
      "a separate rule whose NSG name is not known yet, followed through its dependency",
      [
        ...withRules(SAFE_RULES),
        separate(
          "Ssh",
          { networkSecurityGroupName: UNKNOWN, sourceAddressPrefix: "*" },
          { propertyDependencies: { networkSecurityGroupName: [nsgUrn] } },
        ),
      ],
      [
        {
          urn: urnOf("SecurityRule", "Ssh"),
          message:
            'rule "Ssh" (priority 300) of network security group nsg allows inbound traffic from *; GitHub never needs inbound connections to runners',
        },
      ],
    ],
    [
      "one NSG shared by two runner subnets is reported once",
      [runnerSubnet("runners"), runnerSubnet("runners-2", { addressPrefix: "10.0.1.0/24" }), nsg("nsg", SAFE_RULES.slice(1))],
      [{ urn: nsgUrn, message: noDeny }],
    ],
  ])("%s", (_, resources, expected, overrides = {}) => {
    expect(checkRunnerNsgInbound(resources, { ...config, ...overrides })).toEqual(expected);
  });
});

describe("runner-outbound-not-wide-open (checkRunnerOutbound)", () => {
  const config: OutboundConfig = { allowWhenRoutedToFirewall: true, trustExternalResources: false };
  const nsgUrn = urnOf("NetworkSecurityGroup", "nsg");
  const subnetUrn = urnOf("Subnet", "runners");
  const inbound = SAFE_RULES[0];
  const noDeny =
    "network security group nsg has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port";
  const table = (routes: unknown) => view("RouteTable", "rt", { id: `${NET}/routeTables/rt`, name: "rt", resourceGroupName: "rg", routes });
  const viaTable = { routeTable: { id: `${NET}/routeTables/rt` }, natGateway: undefined };
  const toFirewall = [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.0.4" }];
  const allowAll = rule("AllowAllOut", 100, "Outbound", "Allow", { destinationAddressPrefix: "Internet" });

  it.each<[string, ResourceView[], Finding[], Partial<OutboundConfig>?]>([
    ["443 out, the rest of the internet denied", [runnerSubnet("runners"), nsg("nsg")], []],
    [
      "no outbound deny: Azure's default rule opens everything",
      [runnerSubnet("runners"), nsg("nsg", [inbound])],
      [{ urn: nsgUrn, message: noDeny }],
    ],
    [
      "a deny to Internet for TCP only does not close UDP",
      [
        runnerSubnet("runners"),
        nsg("nsg", [inbound, rule("DenyTcp", 4000, "Outbound", "Deny", { protocol: "Tcp", destinationAddressPrefix: "Internet" })]),
      ],
      [{ urn: nsgUrn, message: noDeny }],
    ],
    [
      "all ports to Internet allowed before the deny",
      [runnerSubnet("runners"), nsg("nsg", [allowAll, ...SAFE_RULES])],
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowAllOut" (priority 100) of network security group nsg allows every port to Internet; allow only the ports runners need, or route the subnet\'s default route to a firewall',
        },
      ],
    ],
    [
      "all ports as 0-65535 to * count as all",
      [
        runnerSubnet("runners"),
        nsg("nsg", [
          rule("Wide", 150, "Outbound", "Allow", {
            protocol: "Udp",
            destinationAddressPrefix: undefined,
            destinationAddressPrefixes: ["0.0.0.0/0"],
            destinationPortRange: undefined,
            destinationPortRanges: ["0-65535"],
          }),
          ...SAFE_RULES,
        ]),
      ],
      [
        {
          urn: nsgUrn,
          message:
            'rule "Wide" (priority 150) of network security group nsg allows every port to 0.0.0.0/0; allow only the ports runners need, or route the subnet\'s default route to a firewall',
        },
      ],
    ],
    [
      "an allow after the deny never matches",
      [
        runnerSubnet("runners"),
        nsg("nsg", [
          { ...allowAll, priority: 4095 },
          inbound,
          rule("DenyInternet", 4000, "Outbound", "Deny", { destinationAddressPrefix: "Internet" }),
        ]),
      ],
      [],
    ],
    ["open NSG, default route to a firewall", [runnerSubnet("runners", viaTable), nsg("nsg", [inbound]), table(toFirewall)], []],
    [
      "open NSG, default route to a firewall, but the config does not accept firewalls",
      [runnerSubnet("runners", viaTable), nsg("nsg", [inbound]), table(toFirewall)],
      [{ urn: nsgUrn, message: noDeny }],
      { allowWhenRoutedToFirewall: false },
    ],
    [
      "open NSG, default route as a separate Route resource",
      [
        runnerSubnet("runners", viaTable),
        nsg("nsg", [inbound]),
        table([]),
        view("Route", "default", {
          resourceGroupName: "rg",
          routeTableName: "rt",
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
        }),
      ],
      [],
    ],
    [
      "open NSG, default route to the internet",
      [
        runnerSubnet("runners", viaTable),
        nsg("nsg", [inbound]),
        table([{ name: "d", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }]),
      ],
      [{ urn: nsgUrn, message: noDeny }],
    ],
    [
      "open NSG, route table not known yet",
      [runnerSubnet("runners", { routeTable: { id: UNKNOWN } }), nsg("nsg", [inbound])],
      [
        cannot(
          subnetUrn,
          "whether the default route of subnet runners leads to a firewall (its network security group nsg leaves outbound traffic open otherwise)",
        ),
      ],
    ],
    [
      "open NSG, route table outside the stack",
      [runnerSubnet("runners", { routeTable: { id: `${NET}/routeTables/hub-rt` } }), nsg("nsg", [inbound])],
      [
        {
          urn: subnetUrn,
          message: `the route table of subnet runners ${NET}/routeTables/hub-rt is not managed by this stack, so this policy cannot check it; manage it in this stack, or set trustExternalResources for this policy to accept it unchecked`,
        },
      ],
    ],
    [
      "open NSG, route table outside the stack, trusted",
      [runnerSubnet("runners", { routeTable: { id: `${NET}/routeTables/hub-rt` } }), nsg("nsg", [inbound])],
      [],
      { trustExternalResources: true },
    ],
    [
      "an outbound rule not known yet",
      [runnerSubnet("runners"), nsg("nsg", [...SAFE_RULES, rule("Later", 300, "Outbound", "Allow", { destinationPortRange: UNKNOWN })])],
      [cannot(nsgUrn, 'rule "Later" (priority 300) of network security group nsg')],
    ],
  ])("%s", (_, resources, expected, overrides = {}) => {
    expect(checkRunnerOutbound(resources, { ...config, ...overrides })).toEqual(expected);
  });
});

describe("runner-subnet-explicit-egress and runner-subnet-implicit-egress (checkExplicitEgress)", () => {
  const config: EgressConfig = { trustExternalResources: false, subnetsWithEgressElsewhere: [] };
  const subnetUrn = urnOf("Subnet", "runners");
  const none = { natGateway: undefined };
  const required =
    "subnet runners has default outbound access turned off and no explicit egress (a NAT gateway, or a route table with a 0.0.0.0/0 route), so runners cannot reach GitHub and jobs fail with VNetInjectionFailedToConnectToInternet; if a hub advertises the default route over BGP, list the subnet in subnetsWithEgressElsewhere";
  const implicit =
    "subnet runners has no NAT gateway or default route and relies on Azure's default outbound access, whose public IP is not predictable and which new subnets no longer get; add a NAT gateway or a route to a firewall, and set defaultOutboundAccess to false";
  const table = (routes: unknown) => view("RouteTable", "rt", { id: `${NET}/routeTables/rt`, name: "rt", resourceGroupName: "rg", routes });
  const viaTable = { natGateway: undefined, routeTable: { id: `${NET}/routeTables/rt` } };

  it.each<[string, ResourceView[], Finding[], Finding[], Partial<EgressConfig>?]>([
    ["NAT gateway", [runnerSubnet("runners"), NAT], [], []],
    ["NAT gateway ID not known yet", [runnerSubnet("runners", { natGateway: { id: UNKNOWN } })], [], []],
    [
      "route table with a default route to a firewall",
      [runnerSubnet("runners", viaTable), table([{ addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" }])],
      [],
      [],
    ],
    [
      "route table whose default route drops traffic",
      [runnerSubnet("runners", viaTable), table([{ addressPrefix: "0.0.0.0/0", nextHopType: "None" }])],
      [{ urn: subnetUrn, message: required }],
      [],
    ],
    [
      "route table without a default route",
      [runnerSubnet("runners", viaTable), table([{ addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance" }])],
      [{ urn: subnetUrn, message: required }],
      [],
    ],
    ["no egress, default outbound access off", [runnerSubnet("runners", none)], [{ urn: subnetUrn, message: required }], []],
    ["no egress, listed as getting it elsewhere", [runnerSubnet("runners", none)], [], [], { subnetsWithEgressElsewhere: ["Runners"] }],
    [
      "no egress, default outbound access left on",
      [runnerSubnet("runners", { ...none, defaultOutboundAccess: undefined })],
      [],
      [{ urn: subnetUrn, message: implicit }],
    ],
    [
      "no egress, default outbound access explicitly on",
      [runnerSubnet("runners", { ...none, defaultOutboundAccess: true })],
      [],
      [{ urn: subnetUrn, message: implicit }],
    ],
    [
      "no egress, default outbound access not known yet",
      [runnerSubnet("runners", { ...none, defaultOutboundAccess: UNKNOWN })],
      [cannot(subnetUrn, "whether subnet runners keeps Azure's default outbound access")],
      [],
    ],
    [
      "NAT gateway reference not known yet",
      [runnerSubnet("runners", { natGateway: UNKNOWN })],
      [cannot(subnetUrn, "the egress (NAT gateway or default route) of subnet runners")],
      [],
    ],
    [
      "route table routes not known yet",
      [runnerSubnet("runners", viaTable), table(UNKNOWN)],
      [cannot(subnetUrn, "the egress (NAT gateway or default route) of subnet runners")],
      [],
    ],
    [
      "route table outside the stack",
      [runnerSubnet("runners", { natGateway: undefined, routeTable: { id: `${NET}/routeTables/hub` } })],
      [
        {
          urn: subnetUrn,
          message: `the route table of subnet runners ${NET}/routeTables/hub is not managed by this stack, so this policy cannot check it; manage it in this stack, or set trustExternalResources for this policy to accept it unchecked`,
        },
      ],
      [],
    ],
    ["a subnet that is not delegated", [runnerSubnet("runners", { ...none, delegations: [] })], [], []],
  ])("%s", (_, resources, expectedRequired, expectedImplicit, overrides = {}) => {
    expect(checkExplicitEgress(resources, { ...config, ...overrides }, "required")).toEqual(expectedRequired);
    expect(checkExplicitEgress(resources, { ...config, ...overrides }, "implicit")).toEqual(expectedImplicit);
  });
});

describe("network-settings-properties (checkNetworkSettingsProperties)", () => {
  const urn = urnOf("Resource", "settings");
  const config = { knownApiVersions: ["2024-04-02", "2024-04-01", "2024-04-01-preview"] };
  const props = (properties: unknown) => ({ properties });
  it.each<[string, Record<string, unknown>, string[]]>([
    ["compliant", {}, []],
    ["businessId as a number", props({ businessId: 12345678, subnetId: subnetId("vnet", "runners") }), []],
    ["subnetId not known yet (the stack policy follows it)", props({ businessId: "1", subnetId: UNKNOWN }), []],
    ["another resource type of GitHub.Network", { resourceType: "otherThings" }, []],
    ["another provider's generic resource", { resourceProviderNamespace: "Microsoft.Web", properties: {} }, []],
    [
      "no apiVersion",
      { apiVersion: undefined },
      ["networkSettings settings has no apiVersion; use one of 2024-04-02, 2024-04-01, 2024-04-01-preview"],
    ],
    [
      "an unknown apiVersion",
      { apiVersion: "2023-01-01" },
      [
        'networkSettings settings uses apiVersion "2023-01-01", which is not a known GitHub.Network/networkSettings version; known: 2024-04-02, 2024-04-01, 2024-04-01-preview',
      ],
    ],
    [
      "apiVersion not known yet",
      { apiVersion: UNKNOWN },
      [`cannot verify until known: the apiVersion of networkSettings settings ${CANNOT}`],
    ],
    [
      "businessId with letters",
      props({ businessId: "my-org", subnetId: subnetId("vnet", "runners") }),
      [
        'networkSettings settings has businessId "my-org"; it must be digits only (the GraphQL databaseId of the GitHub organization or enterprise)',
      ],
    ],
    [
      "businessId missing",
      props({ subnetId: subnetId("vnet", "runners") }),
      ["networkSettings settings has no properties.businessId; it must be the GraphQL databaseId of the GitHub organization or enterprise"],
    ],
    [
      "businessId not known yet",
      props({ businessId: UNKNOWN, subnetId: subnetId("vnet", "runners") }),
      [`cannot verify until known: the businessId of networkSettings settings ${CANNOT}`],
    ],
    [
      "subnetId missing",
      props({ businessId: "1" }),
      ["networkSettings settings has no properties.subnetId; it must be the resource ID of the runner subnet"],
    ],
    [
      "subnetId of a VNET, not a subnet",
      props({ businessId: "1", subnetId: `${NET}/virtualNetworks/vnet` }),
      [
        `networkSettings settings has subnetId "${NET}/virtualNetworks/vnet", which is not a subnet resource ID (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…)`,
      ],
    ],
    [
      "properties not known yet",
      { properties: UNKNOWN },
      [`cannot verify until known: the properties of networkSettings settings ${CANNOT}`],
    ],
    [
      "namespace not known yet",
      { resourceProviderNamespace: UNKNOWN },
      [`cannot verify until known: whether generic resource settings is a GitHub.Network/networkSettings resource ${CANNOT}`],
    ],
  ])("%s", (_, overrides, messages) => {
    expect(checkNetworkSettingsProperties(networkSettings("settings", overrides), config)).toEqual(
      messages.map((message) => ({ urn, message })),
    );
  });
});

describe("network-settings-subnet-and-region (checkNetworkSettingsTarget)", () => {
  const config = { supportedRegions: ["eastus", "westus2"], trustExternalResources: false };
  const urn = urnOf("Resource", "settings");
  const subnet = runnerSubnet("runners");
  const group = view("ResourceGroup", "rg", { resourceGroupName: "rg", name: "rg", location: "eastus" });
  it.each<[string, ResourceView[], string[], Partial<typeof config>?]>([
    ["points at a delegated subnet of a VNET in its region", [networkSettings("settings"), subnet, vnet("vnet")], []],
    ["region spelled as a display name", [networkSettings("settings", { location: "East US" }), subnet, vnet("vnet")], []],
    [
      "VNET in another region",
      [networkSettings("settings"), subnet, vnet("vnet", "westus2")],
      [
        "networkSettings settings is in eastus but subnet runners belongs to virtual network vnet in westus2; networkSettings must be in its virtual network's region",
      ],
    ],
    [
      "region without Azure private networking for runners",
      [networkSettings("settings", { location: "brazilsoutheast" }), subnet, vnet("vnet", "brazilsoutheast")],
      [
        "networkSettings settings is in brazilsoutheast, where GitHub does not offer Azure private networking for hosted runners; supported: eastus, westus2",
      ],
    ],
    [
      "no location",
      [networkSettings("settings", { location: undefined }), subnet, vnet("vnet")],
      ["networkSettings settings has no location; it must be created in the region of its subnet's virtual network"],
    ],
    [
      "location taken from the resource group, not known yet",
      [
        networkSettings("settings", { location: UNKNOWN }, { propertyDependencies: { location: [group.urn] } }),
        subnet,
        vnet("vnet"),
        group,
      ],
      [],
    ],
    [
      "location not known yet, nothing to follow",
      [networkSettings("settings", { location: UNKNOWN }), subnet, vnet("vnet")],
      [`cannot verify until known: the location of networkSettings settings ${CANNOT}`],
    ],
    [
      "VNET without location: the resource group's",
      [networkSettings("settings"), subnet, vnet("vnet", undefined, { location: undefined }), group],
      [],
    ],
    [
      "subnet not delegated to GitHub",
      [networkSettings("settings"), runnerSubnet("runners", { delegations: [] }), vnet("vnet")],
      [
        "networkSettings settings points at subnet runners, which is not delegated to GitHub.Network/networkSettings, so GitHub cannot place runners there",
      ],
    ],
    [
      "subnetId not known yet, followed through the dependency",
      [
        networkSettings(
          "settings",
          { properties: { businessId: "1", subnetId: UNKNOWN } },
          { propertyDependencies: { properties: [subnet.urn] } },
        ),
        runnerSubnet("runners", { id: UNKNOWN }),
        vnet("vnet", "westus2"),
      ],
      [
        "networkSettings settings is in eastus but subnet runners belongs to virtual network vnet in westus2; networkSettings must be in its virtual network's region",
      ],
    ],
    [
      "subnetId not known yet, nothing to follow",
      [networkSettings("settings", { properties: { businessId: "1", subnetId: UNKNOWN } }), subnet, vnet("vnet")],
      [`cannot verify until known: the subnet networkSettings settings points at ${CANNOT}`],
    ],
    [
      "subnet outside the stack",
      [networkSettings("settings", { properties: { businessId: "1", subnetId: subnetId("hub", "shared") } })],
      [
        `subnet ${subnetId("hub", "shared")} is not managed by this stack, so this policy cannot check it; manage it in this stack, or set trustExternalResources for this policy to accept it unchecked`,
      ],
    ],
    [
      "subnet outside the stack, trusted",
      [networkSettings("settings", { properties: { businessId: "1", subnetId: subnetId("hub", "shared") } })],
      [],
      { trustExternalResources: true },
    ],
    [
      "subnet added to a VNET outside the stack: the region is Azure's to refuse",
      [networkSettings("settings"), runnerSubnet("runners", { virtualNetworkName: "landing-zone-vnet" })],
      [],
    ],
    [
      "inline subnet of a VNET, found by ID",
      [
        networkSettings("settings"),
        vnet("vnet", "eastus", {
          subnets: [
            { name: "runners", addressPrefix: "10.0.0.0/24", delegations: [{ name: "d", serviceName: "Microsoft.Sql/managedInstances" }] },
          ],
        }),
      ],
      [
        'networkSettings settings points at subnet "runners" of virtual network vnet, which is not delegated to GitHub.Network/networkSettings, so GitHub cannot place runners there',
      ],
    ],
  ])("%s", (_, resources, messages, overrides = {}) => {
    expect(checkNetworkSettingsTarget(resources, { ...config, ...overrides })).toEqual(messages.map((message) => ({ urn, message })));
  });
});

describe("runner-subnet-capacity (checkSubnetCapacity)", () => {
  const component = (props: Record<string, unknown>) =>
    view("GitHubRunnerNetwork", "primary", { location: "eastus", egress: "natGateway", ...props });
  const urn = urnOf("GitHubRunnerNetwork", "primary");
  it.each<[string, Record<string, unknown>, string[], number?]>([
    ["100 runners in a /24", { subnetPrefix: "10.40.0.0/24", maxConcurrentRunners: 100 }, []],
    ["193 runners fill a /24 exactly (ceil(250.9) + 5 = 256)", { subnetPrefix: "10.40.0.0/24", maxConcurrentRunners: 193 }, []],
    [
      "194 runners do not fit a /24",
      { subnetPrefix: "10.40.0.0/24", maxConcurrentRunners: 194 },
      [
        "primary: subnet 10.40.0.0/24 has 256 addresses, but 194 concurrent runners need 258 (194 plus a 30 % buffer, rounded up, plus the 5 addresses Azure reserves in every subnet)",
      ],
    ],
    [
      "100 runners in a /25",
      { subnetPrefix: "10.40.0.0/25", maxConcurrentRunners: 100 },
      [
        "primary: subnet 10.40.0.0/25 has 128 addresses, but 100 concurrent runners need 135 (100 plus a 30 % buffer, rounded up, plus the 5 addresses Azure reserves in every subnet)",
      ],
    ],
    [
      "a 50 % buffer from config",
      { subnetPrefix: "10.40.0.0/24", maxConcurrentRunners: 170 },
      [
        "primary: subnet 10.40.0.0/24 has 256 addresses, but 170 concurrent runners need 260 (170 plus a 50 % buffer, rounded up, plus the 5 addresses Azure reserves in every subnet)",
      ],
      50,
    ],
    ["no declared concurrency", { subnetPrefix: "10.40.0.0/28" }, []],
    [
      "concurrency not known yet",
      { subnetPrefix: "10.40.0.0/24", maxConcurrentRunners: UNKNOWN },
      [`cannot verify until known: maxConcurrentRunners of primary ${CANNOT}`],
    ],
    [
      "subnet not known yet",
      { subnetPrefix: UNKNOWN, maxConcurrentRunners: 10 },
      [`cannot verify until known: subnetPrefix of primary ${CANNOT}`],
    ],
    [
      "no subnet recorded",
      { maxConcurrentRunners: 10 },
      ["primary records maxConcurrentRunners 10 and subnetPrefix undefined, which cannot be compared; expected a number and an IPv4 CIDR"],
    ],
  ])("%s", (_, props, messages, bufferPercent = 30) => {
    expect(checkSubnetCapacity(component(props), { bufferPercent })).toEqual(messages.map((message) => ({ urn, message })));
  });

  it("ignores resources other than the component", () => {
    expect(
      checkSubnetCapacity(runnerSubnet("runners", { maxConcurrentRunners: 1000, subnetPrefix: "10.0.0.0/29" }), { bufferPercent: 30 }),
    ).toEqual([]);
  });

  it("needs exactly what the component's sizing needs at GitHub's 30 % buffer", () => {
    for (const runners of [1, 2, 3, 7, 10, 77, 100, 193, 194, 1000, 4000])
      expect(requiredAddresses(runners, 30)).toBe(addressesNeeded(runners));
  });
});

describe("nsg-stale-github-ranges (checkStaleGitHubRanges)", () => {
  const published = { ipv4: ["140.82.112.0/20", "192.30.252.0/22"], ipv6: ["2a0a:a440::/29"], takenAt: "2026-08-22" };
  const nsgUrn = urnOf("NetworkSecurityGroup", "nsg");
  const githubRule = (prefixes: string[], name = "AllowGitHubHttpsOutbound") =>
    rule(name, 200, "Outbound", "Allow", {
      destinationAddressPrefix: undefined,
      destinationAddressPrefixes: prefixes,
      destinationPortRange: "443",
    });
  it.each<[string, ResourceView, Finding[], string[]?]>([
    [
      "only published ranges (and narrower ones inside them)",
      nsg("nsg", [githubRule(["140.82.112.0/20", "140.82.121.4", "2a0a:a440::/32"])]),
      [],
    ],
    [
      "a rule naming GitHub with a range GitHub dropped",
      nsg("nsg", [githubRule(["140.82.112.0/20", "185.199.108.0/22"])]),
      [
        {
          urn: nsgUrn,
          message:
            'rule "AllowGitHubHttpsOutbound" (priority 200) lists 1 address GitHub no longer publishes (endpoint catalog of 2026-08-22): 185.199.108.0/22; regenerate the list from the endpoint catalog, or allow-list GitHub\'s domains on a firewall',
        },
      ],
    ],
    [
      "an unnamed rule recognised by its published ranges",
      nsg("nsg", [
        githubRule(["192.30.252.0/22", "20.1.2.0/24", "20.1.3.0/24", "20.1.4.0/24", "20.1.5.0/24", "20.1.6.0/24", "20.1.7.0/24"], "Rule7"),
      ]),
      [
        {
          urn: nsgUrn,
          message:
            'rule "Rule7" (priority 200) lists 6 addresses GitHub no longer publishes (endpoint catalog of 2026-08-22): 20.1.2.0/24, 20.1.3.0/24, 20.1.4.0/24, 20.1.5.0/24, 20.1.6.0/24 and 1 more; regenerate the list from the endpoint catalog, or allow-list GitHub\'s domains on a firewall',
        },
      ],
    ],
    ["a rule that has nothing to do with GitHub", nsg("nsg", [githubRule(["10.0.0.0/8", "20.1.2.0/24"], "AllowOnPrem")]), []],
    ["a dropped range the config accepts", nsg("nsg", [githubRule(["140.82.112.0/20", "185.199.108.0/22"])]), [], ["185.199.108.0/22"]],
    [
      "a separate SecurityRule described as GitHub",
      view("SecurityRule", "gh", {
        networkSecurityGroupName: "nsg",
        ...githubRule(["203.0.113.7"], "Egress"),
        description: "GitHub web and API",
      }),
      [
        {
          urn: urnOf("SecurityRule", "gh"),
          message:
            'rule "Egress" (priority 200) lists 1 address GitHub no longer publishes (endpoint catalog of 2026-08-22): 203.0.113.7; regenerate the list from the endpoint catalog, or allow-list GitHub\'s domains on a firewall',
        },
      ],
    ],
    ["rules not known yet are left for a later preview", nsg("nsg", UNKNOWN), []],
    ["service tags are not addresses", nsg("nsg", [githubRule(["Storage"], "AllowGitHubStorage")]), []],
  ])("%s", (_, resource, expected, ignoredPrefixes = []) => {
    expect(checkStaleGitHubRanges(resource, { ignoredPrefixes }, published)).toEqual(expected);
  });
});
