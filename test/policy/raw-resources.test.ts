/**
 * The policies over a user's own stack written with raw azure-native resources, under Pulumi's
 * mocks: separate SecurityRule and Route resources, subnets declared inline in a VNET, NSGs and
 * route tables referenced by ID, and networkSettings as a generic resource.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG } from "../../components/lib/catalog";
import { evaluatePolicies } from "../../policy/evaluate";
import { plannedResources } from "../../policy/offline";
import { runOffline } from "../support/offline";
import { rule, violation } from "../support/policy-views";

const DELEGATION = [{ name: "github", serviceName: "GitHub.Network/networkSettings" }];
function networkSettings(
  name: string,
  group: resources.ResourceGroup,
  subnetId: pulumi.Input<string>,
  overrides: Record<string, unknown> = {},
) {
  return new resources.Resource(name, {
    resourceGroupName: group.name,
    resourceProviderNamespace: "GitHub.Network",
    parentResourcePath: "",
    resourceType: "networkSettings",
    apiVersion: "2024-04-02",
    location: group.location,
    properties: { businessId: "12345678", subnetId },
    ...overrides,
  });
}

describe("policies over a user stack of raw azure-native resources", async () => {
  const run = await runOffline(() => {
    // a: compliant. Inline deny rules plus a separate 443 rule; NAT gateway egress.
    const a = new resources.ResourceGroup("a", { location: "eastus" });
    const vnetA = new network.VirtualNetwork("a", {
      resourceGroupName: a.name,
      location: a.location,
      addressSpace: { addressPrefixes: ["10.70.0.0/16"] },
    });
    const nsgA = new network.NetworkSecurityGroup("a", {
      resourceGroupName: a.name,
      location: a.location,
      securityRules: [
        rule("DenyAllInbound", 4096, "Inbound", "Deny"),
        rule("DenyInternetOutbound", 4096, "Outbound", "Deny", { destinationAddressPrefix: "Internet" }),
      ],
    });
    new network.SecurityRule("a-https", {
      resourceGroupName: a.name,
      networkSecurityGroupName: nsgA.name,
      ...rule("AllowHttps", 200, "Outbound", "Allow", {
        protocol: "Tcp",
        destinationAddressPrefix: "Internet",
        destinationPortRange: "443",
      }),
    });
    const ipA = new network.PublicIPAddress("a", {
      resourceGroupName: a.name,
      location: a.location,
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
    });
    const natA = new network.NatGateway("a", {
      resourceGroupName: a.name,
      location: a.location,
      sku: { name: "Standard" },
      publicIpAddresses: [{ id: ipA.id }],
    });
    const subnetA = new network.Subnet("a", {
      resourceGroupName: a.name,
      virtualNetworkName: vnetA.name,
      addressPrefix: "10.70.0.0/24",
      delegations: DELEGATION,
      networkSecurityGroup: { id: nsgA.id },
      natGateway: { id: natA.id },
      defaultOutboundAccess: false,
    });
    networkSettings("a-settings", a, subnetA.id);

    // b: open. Inbound SSH from the internet, no denies, no egress.
    const b = new resources.ResourceGroup("b", { location: "eastus" });
    const vnetB = new network.VirtualNetwork("b", {
      resourceGroupName: b.name,
      location: b.location,
      addressSpace: { addressPrefixes: ["10.71.0.0/16"] },
    });
    const nsgB = new network.NetworkSecurityGroup("b", {
      resourceGroupName: b.name,
      location: b.location,
      securityRules: [
        rule("AllowSsh", 100, "Inbound", "Allow", { protocol: "Tcp", sourceAddressPrefix: "Internet", destinationPortRange: "22" }),
      ],
    });
    const subnetB = new network.Subnet("b", {
      resourceGroupName: b.name,
      virtualNetworkName: vnetB.name,
      addressPrefix: "10.71.0.0/24",
      delegations: DELEGATION,
      networkSecurityGroup: { id: nsgB.id },
      defaultOutboundAccess: false,
    });
    networkSettings("b-settings", b, subnetB.id);

    // c: compliant hub-and-spoke style. Subnets inline in the VNET, rules as separate resources,
    // everything out allowed by the NSG but the default route goes to a firewall.
    const c = new resources.ResourceGroup("c", { location: "westus2" });
    const nsgC = new network.NetworkSecurityGroup("c", { resourceGroupName: c.name, location: c.location });
    new network.SecurityRule("c-deny-in", {
      resourceGroupName: c.name,
      networkSecurityGroupName: nsgC.name,
      ...rule("DenyAllInbound", 4096, "Inbound", "Deny"),
    });
    new network.SecurityRule("c-all-out", {
      resourceGroupName: c.name,
      networkSecurityGroupName: nsgC.name,
      ...rule("AllowAllOutbound", 100, "Outbound", "Allow"),
    });
    const tableC = new network.RouteTable("c", { resourceGroupName: c.name, location: c.location, disableBgpRoutePropagation: true });
    new network.Route("c-default", {
      resourceGroupName: c.name,
      routeTableName: tableC.name,
      addressPrefix: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIpAddress: "10.0.1.4",
    });
    const vnetC = new network.VirtualNetwork("c", {
      resourceGroupName: c.name,
      location: c.location,
      addressSpace: { addressPrefixes: ["10.72.0.0/16"] },
      subnets: [
        { name: "apps", addressPrefix: "10.72.1.0/24" },
        {
          name: "runners",
          addressPrefix: "10.72.0.0/24",
          delegations: DELEGATION,
          networkSecurityGroup: { id: nsgC.id },
          routeTable: { id: tableC.id },
          defaultOutboundAccess: false,
        },
      ],
    });
    networkSettings("c-settings", c, pulumi.interpolate`${vnetC.id}/subnets/runners`);

    // d: networkSettings that points at the wrong subnet, with a login instead of a databaseId.
    networkSettings("d-settings", c, pulumi.interpolate`${vnetC.id}/subnets/apps`, {
      properties: { businessId: "my-org", subnetId: pulumi.interpolate`${vnetC.id}/subnets/apps` },
    });

    // e: a runner subnet with two delegations, no NSG, relying on default outbound access;
    // its NSG elsewhere lists a GitHub range GitHub no longer publishes.
    const e = new resources.ResourceGroup("e", { location: "eastus" });
    const vnetE = new network.VirtualNetwork("e", {
      resourceGroupName: e.name,
      location: e.location,
      addressSpace: { addressPrefixes: ["10.73.0.0/16"] },
    });
    new network.Subnet("e", {
      resourceGroupName: e.name,
      virtualNetworkName: vnetE.name,
      addressPrefix: "10.73.0.0/24",
      delegations: [...DELEGATION, { name: "web", serviceName: "Microsoft.Web/serverFarms" }],
    });
    new network.NetworkSecurityGroup("e", {
      resourceGroupName: e.name,
      location: e.location,
      securityRules: [
        rule("AllowGitHub", 300, "Outbound", "Allow", {
          destinationAddressPrefix: undefined,
          destinationAddressPrefixes: [ENDPOINT_CATALOG.ipv4[0], "198.51.100.0/24"],
          destinationPortRange: "443",
        }),
      ],
    });
    return {};
  });
  const violations = evaluatePolicies(plannedResources(run.resources));
  const of = (...names: string[]) =>
    violations
      .map(({ policy, enforcementLevel, message, resource }) => ({
        policy,
        enforcementLevel,
        message,
        resource: run.resources.find((r) => r.urn === resource)!.name,
      }))
      .filter((violation) => names.includes(violation.resource));

  it("compliant stacks pass: NAT gateway egress, and inline subnets routed to a firewall", () => {
    expect(of("a", "a-https", "a-settings", "c", "c-deny-in", "c-all-out", "c-default", "c-settings")).toEqual([]);
  });

  it("an NSG open to SSH with no deny rules, on a subnet without egress", () => {
    expect(of("b", "b-settings")).toEqual([
      violation(
        "runner-nsg-denies-inbound",
        "mandatory",
        "b",
        'rule "AllowSsh" (priority 100) of network security group b allows inbound traffic from Internet; GitHub never needs inbound connections to runners',
      ),
      violation(
        "runner-nsg-denies-inbound",
        "mandatory",
        "b",
        "network security group b has no rule that denies all inbound traffic; Azure's default rules AllowVNetInBound (65000) and AllowAzureLoadBalancerInBound (65001) still let traffic in, so add a Deny rule for any source, destination, port and protocol",
      ),
      violation(
        "runner-outbound-not-wide-open",
        "mandatory",
        "b",
        "network security group b has no outbound rule that denies the internet, so Azure's default rule AllowInternetOutBound (priority 65001) lets runners reach any internet address on any port",
      ),
      violation(
        "runner-subnet-explicit-egress",
        "mandatory",
        "b",
        "subnet b has default outbound access turned off and no explicit egress (a NAT gateway, or a route table with a 0.0.0.0/0 route), so runners cannot reach GitHub and jobs fail with VNetInjectionFailedToConnectToInternet; if a hub advertises the default route over BGP, list the subnet in subnetsWithEgressElsewhere",
      ),
    ]);
  });

  it("networkSettings pointing at an undelegated inline subnet, with a non-numeric businessId", () => {
    expect(of("d-settings")).toEqual([
      violation(
        "network-settings-properties",
        "mandatory",
        "d-settings",
        'networkSettings d-settings has businessId "my-org"; it must be digits only (the GraphQL databaseId of the GitHub organization or enterprise)',
      ),
      violation(
        "network-settings-subnet-and-region",
        "mandatory",
        "d-settings",
        'networkSettings d-settings points at subnet "apps" of virtual network c, which is not delegated to GitHub.Network/networkSettings, so GitHub cannot place runners there',
      ),
    ]);
  });

  it("a doubly delegated subnet without NSG or egress, and an NSG with a stale GitHub range", () => {
    expect(of("e")).toEqual([
      violation(
        "runner-subnet-nsg-and-delegation",
        "mandatory",
        "e",
        "subnet e is delegated to GitHub.Network/networkSettings but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them",
      ),
      violation(
        "runner-subnet-nsg-and-delegation",
        "mandatory",
        "e",
        "subnet e has 2 delegations (GitHub.Network/networkSettings, Microsoft.Web/serverFarms); a runner subnet must be delegated to GitHub.Network/networkSettings only",
      ),
      violation(
        "runner-subnet-implicit-egress",
        "advisory",
        "e",
        "subnet e has no NAT gateway or default route and relies on Azure's default outbound access, whose public IP is not predictable and which new subnets no longer get; add a NAT gateway or a route to a firewall, and set defaultOutboundAccess to false",
      ),
      violation(
        "nsg-stale-github-ranges",
        "advisory",
        "e",
        `rule "AllowGitHub" (priority 300) lists 1 address GitHub no longer publishes (endpoint catalog of ${ENDPOINT_CATALOG.source.takenAt}): 198.51.100.0/24; regenerate the list from the endpoint catalog, or allow-list GitHub's domains on a firewall`,
      ),
    ]);
  });

  it("nothing else is reported", () => {
    expect(violations.length).toBe(10);
  });
});
