/**
 * The checks behind every policy of the pack, as pure functions over ResourceView. The pack
 * (policy/index.ts) and the offline plan (policy/evaluate.ts) run the same functions.
 *
 * Values not known yet (first previews) never pass a check: they produce a finding that starts
 * with CANNOT_VERIFY. Resources the stack refers to but does not manage produce a finding too,
 * unless the policy is configured to trust them.
 */
import { containsCidr, tryParseAddressOrCidr, tryParseCidr, type Cidr } from "../components/lib/cidr";
import { canonicalRegion } from "../components/lib/regions";
import { addressesNeeded, AZURE_RESERVED_ADDRESSES_PER_SUBNET } from "../components/lib/sizing";
import { GITHUB_RUNNER_NETWORK_TYPE, NETWORK_SETTINGS, SUBNET_DELEGATION_SERVICE } from "../components/lib/resource-types";
import { AZURE_DEFAULT_RULES } from "../components/lib/nsg-evaluator";
import { isAnyAddressOfEitherFamily } from "../components/lib/nsg-limits";
import { cannotVerify, field, isOfType, isUnknown, sameText, text, type Finding, type ResourceView, type Unknown } from "./model";
import {
  delegatedToRunners,
  delegationServices,
  readReference,
  StackGraph,
  subnetDeclarations,
  type Answer,
  type Resolution,
  type SubnetDeclaration,
} from "./network-graph";
import {
  coversAllPorts,
  coversAllProtocols,
  declaredRules,
  describeRule,
  isInternetOrAny,
  nsgRules,
  partitionKnown,
  type KnownRule,
} from "./rules";

/** Policies that follow references can be told to accept what the stack does not manage. */
export interface TrustConfig {
  trustExternalResources: boolean;
}

function outsideStack(urn: string, what: string, id: string): Finding {
  return {
    urn,
    message: `${what} ${id} is not managed by this stack, so this policy cannot check it; manage it in this stack, or set trustExternalResources for this policy to accept it unchecked`,
  };
}

/** The resource a resolution found, after reporting why there is none when that matters. */
function followed(resolution: Resolution, urn: string, what: string, config: TrustConfig, findings: Finding[]): ResourceView | undefined {
  if (resolution.kind === "found") return resolution.resource;
  if (resolution.kind === "external" && !config.trustExternalResources) findings.push(outsideStack(urn, what, resolution.id));
  if (resolution.kind === "unknown") findings.push(cannotVerify(urn, what));
  return undefined;
}

/** Subnets known to be delegated to GitHub.Network; subnets whose delegation is not known yet are the subnet policy's to report. */
function runnerSubnets(graph: StackGraph): SubnetDeclaration[] {
  return graph
    .runnerSubnets()
    .filter((entry) => entry.delegated === "yes")
    .map((entry) => entry.subnet);
}

/** One of Azure's default rules, which every NSG ends with. */
function defaultRule(name: "AllowVNetInBound" | "AllowAzureLoadBalancerInBound" | "AllowInternetOutBound"): {
  name: string;
  priority: number;
} {
  return AZURE_DEFAULT_RULES.find((rule) => rule.name === name)!;
}

// ---------------------------------------------------------------------------------------------
// A delegated subnet has an NSG and exactly that one delegation.

export function checkRunnerSubnetShape(resource: ResourceView): Finding[] {
  const urn = resource.urn;
  return subnetDeclarations(resource).flatMap((subnet): Finding[] => {
    const delegated = delegatedToRunners(subnet.props);
    if (delegated === "no") return [];
    if (delegated === "unknown") return [cannotVerify(urn, `whether ${subnet.label} is delegated to ${SUBNET_DELEGATION_SERVICE}`)];
    const findings: Finding[] = [];
    const nsg = readReference(field(subnet.props, "networkSecurityGroup"));
    if (nsg.kind === "absent") {
      findings.push({
        urn,
        message: `${subnet.label} is delegated to ${SUBNET_DELEGATION_SERVICE} but has no network security group; GitHub cannot block inbound connections to runner NICs, so attach an NSG that denies them`,
      });
    } else if (nsg.kind === "unknown") {
      findings.push(cannotVerify(urn, `whether ${subnet.label} has a network security group`));
    }
    const services = delegationServices(subnet.props) as (string | Unknown)[];
    if (services.length !== 1) {
      const shown = services.map((service) => (isUnknown(service) ? "(not known yet)" : service || "(no service name)")).join(", ");
      findings.push({
        urn,
        message: `${subnet.label} has ${services.length} delegations (${shown}); a runner subnet must be delegated to ${SUBNET_DELEGATION_SERVICE} only`,
      });
    }
    return findings;
  });
}

// ---------------------------------------------------------------------------------------------
// The runner NSG denies all inbound traffic and allows none from the internet.

export interface InboundConfig extends TrustConfig {
  requireDenyAllInbound: boolean;
  forbiddenInboundSources: string[];
}

function deniesAllInbound(rule: KnownRule): boolean {
  return (
    sameText(rule.direction, "Inbound") &&
    sameText(rule.access, "Deny") &&
    rule.sources.some(isAnyAddressOfEitherFamily) &&
    rule.destinations.some(isAnyAddressOfEitherFamily) &&
    coversAllPorts(rule.destinationPorts) &&
    coversAllProtocols(rule.protocol)
  );
}

function inboundFindings(graph: StackGraph, nsg: ResourceView, config: InboundConfig): Finding[] {
  const rules = nsgRules(graph, nsg);
  if (isUnknown(rules)) return [cannotVerify(nsg.urn, `the security rules of network security group ${nsg.name}`)];
  const { known, unknown } = partitionKnown(rules);
  const inbound = known.filter((rule) => sameText(rule.direction, "Inbound"));
  const unsure = unknown.filter((rule) => !(typeof rule.direction === "string" && sameText(rule.direction, "Outbound")));
  const forbidden = config.forbiddenInboundSources.map((source) => source.toLowerCase());
  const findings: Finding[] = inbound
    .filter((rule) => sameText(rule.access, "Allow"))
    .flatMap((rule) => {
      const open = rule.sources.filter((source) => forbidden.includes(source.toLowerCase()));
      return open.length === 0
        ? []
        : [
            {
              urn: rule.origin,
              message: `${describeRule(rule)} of network security group ${nsg.name} allows inbound traffic from ${open.join(", ")}; GitHub never needs inbound connections to runners`,
            },
          ];
    });
  if (unsure.length > 0) {
    findings.push(cannotVerify(nsg.urn, `${unsure.map(describeRule).join(", ")} of network security group ${nsg.name}`));
  } else if (config.requireDenyAllInbound && !inbound.some(deniesAllInbound)) {
    const [vnet, balancer] = [defaultRule("AllowVNetInBound"), defaultRule("AllowAzureLoadBalancerInBound")];
    findings.push({
      urn: nsg.urn,
      message: `network security group ${nsg.name} has no rule that denies all inbound traffic; Azure's default rules ${vnet.name} (${vnet.priority}) and ${balancer.name} (${balancer.priority}) still let traffic in, so add a Deny rule for any source, destination, port and protocol`,
    });
  }
  return findings;
}

/** Each runner subnet with the NSG it is attached to; a missing or unreadable NSG becomes a finding instead. */
function* runnerSubnetNsgs(
  graph: StackGraph,
  config: TrustConfig,
  findings: Finding[],
): Generator<{ subnet: SubnetDeclaration; nsg: ResourceView }> {
  for (const subnet of runnerSubnets(graph)) {
    const nsg = followed(
      graph.attached(subnet, "networkSecurityGroup"),
      subnet.owner.urn,
      `the network security group of ${subnet.label}`,
      config,
      findings,
    );
    if (nsg) yield { subnet, nsg };
  }
}

export function checkRunnerNsgInbound(resources: readonly ResourceView[], config: InboundConfig): Finding[] {
  const graph = new StackGraph(resources);
  const findings: Finding[] = [];
  const checked = new Set<string>();
  for (const { nsg } of runnerSubnetNsgs(graph, config, findings)) {
    if (checked.has(nsg.urn)) continue;
    checked.add(nsg.urn);
    findings.push(...inboundFindings(graph, nsg, config));
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Outbound traffic is not wide open, unless the subnet's default route leads to a firewall.

export interface OutboundConfig extends TrustConfig {
  allowWhenRoutedToFirewall: boolean;
}

const DEFAULT_ROUTE = "0.0.0.0/0";

/** Whether the subnet's default route leads to a virtual appliance (a firewall). */
function routesToFirewall(graph: StackGraph, subnet: SubnetDeclaration): Answer | { externalTable: string } {
  const table = graph.attached(subnet, "routeTable");
  if (table.kind === "absent") return "no";
  if (table.kind === "external") return { externalTable: table.id };
  if (table.kind === "unknown") return "unknown";
  const routes = graph.routes(table.resource);
  if (isUnknown(routes)) return "unknown";
  const isDefault = (route: (typeof routes)[number]) => route.addressPrefix === DEFAULT_ROUTE;
  if (routes.some((route) => isDefault(route) && typeof route.nextHopType === "string" && sameText(route.nextHopType, "VirtualAppliance")))
    return "yes";
  return routes.some((route) => isUnknown(route.addressPrefix) || (isDefault(route) && isUnknown(route.nextHopType))) ? "unknown" : "no";
}

function outboundFindings(graph: StackGraph, nsg: ResourceView): Finding[] {
  const rules = nsgRules(graph, nsg);
  if (isUnknown(rules)) return [cannotVerify(nsg.urn, `the security rules of network security group ${nsg.name}`)];
  const { known, unknown } = partitionKnown(rules);
  const unsure = unknown.filter((rule) => !(typeof rule.direction === "string" && sameText(rule.direction, "Inbound")));
  if (unsure.length > 0) return [cannotVerify(nsg.urn, `${unsure.map(describeRule).join(", ")} of network security group ${nsg.name}`)];
  const outbound = known.filter((rule) => sameText(rule.direction, "Outbound")).sort((a, b) => a.priority - b.priority);
  const toInternet = (rule: KnownRule) => rule.destinations.some(isInternetOrAny);
  const denyAll = outbound.find(
    (rule) =>
      sameText(rule.access, "Deny") &&
      toInternet(rule) &&
      coversAllPorts(rule.destinationPorts) &&
      coversAllProtocols(rule.protocol) &&
      rule.sources.some((source) => isAnyAddressOfEitherFamily(source) || sameText(source, "VirtualNetwork")),
  );
  const allowInternetOutbound = defaultRule("AllowInternetOutBound");
  const limit = denyAll?.priority ?? allowInternetOutbound.priority;
  const findings: Finding[] = outbound
    .filter((rule) => sameText(rule.access, "Allow") && toInternet(rule) && coversAllPorts(rule.destinationPorts) && rule.priority < limit)
    .map((rule) => ({
      urn: rule.origin,
      message: `${describeRule(rule)} of network security group ${nsg.name} allows every port to ${rule.destinations.filter(isInternetOrAny).join(", ")}; allow only the ports runners need, or route the subnet's default route to a firewall`,
    }));
  if (!denyAll) {
    findings.push({
      urn: nsg.urn,
      message: `network security group ${nsg.name} has no outbound rule that denies the internet, so Azure's default rule ${allowInternetOutbound.name} (priority ${allowInternetOutbound.priority}) lets runners reach any internet address on any port`,
    });
  }
  return findings;
}

export function checkRunnerOutbound(resources: readonly ResourceView[], config: OutboundConfig): Finding[] {
  const graph = new StackGraph(resources);
  const findings: Finding[] = [];
  for (const { subnet, nsg } of runnerSubnetNsgs(graph, config, findings)) {
    const open = outboundFindings(graph, nsg);
    if (open.length === 0 || !config.allowWhenRoutedToFirewall) {
      findings.push(...open);
      continue;
    }
    const routing = routesToFirewall(graph, subnet);
    if (routing === "yes") continue;
    if (routing === "no") findings.push(...open);
    else if (routing === "unknown")
      findings.push(
        cannotVerify(
          subnet.owner.urn,
          `whether the default route of ${subnet.label} leads to a firewall (its network security group ${nsg.name} leaves outbound traffic open otherwise)`,
        ),
      );
    else if (!config.trustExternalResources)
      findings.push(outsideStack(subnet.owner.urn, `the route table of ${subnet.label}`, routing.externalTable));
  }
  return dedupe(findings);
}

// ---------------------------------------------------------------------------------------------
// The subnet has an explicit egress: a NAT gateway, or a route table with a default route.

export interface EgressConfig extends TrustConfig {
  /** Runner subnets (resource names) whose default route comes from outside the stack, e.g. advertised over BGP by a hub gateway. */
  subnetsWithEgressElsewhere: string[];
}

type Egress = { kind: "explicit" } | { kind: "none" } | { kind: "unknown" } | { kind: "external"; id: string };

function explicitEgress(graph: StackGraph, subnet: SubnetDeclaration): Egress {
  const nat = readReference(field(subnet.props, "natGateway"));
  if (nat.kind === "id" || nat.kind === "unknownId") return { kind: "explicit" };
  const table = graph.attached(subnet, "routeTable");
  if (table.kind === "external") return table;
  if (table.kind === "unknown" || (table.kind === "absent" && nat.kind === "unknown")) return { kind: "unknown" };
  if (table.kind === "absent") return { kind: "none" };
  const routes = graph.routes(table.resource);
  if (isUnknown(routes)) return { kind: "unknown" };
  // "None" drops the traffic; every other next hop carries it somewhere.
  const carries = routes.filter(
    (route) => route.addressPrefix === DEFAULT_ROUTE && typeof route.nextHopType === "string" && !sameText(route.nextHopType, "None"),
  );
  if (carries.length > 0) return { kind: "explicit" };
  const unsure = routes.some(
    (route) => isUnknown(route.addressPrefix) || (route.addressPrefix === DEFAULT_ROUTE && isUnknown(route.nextHopType)),
  );
  return unsure || nat.kind === "unknown" ? { kind: "unknown" } : { kind: "none" };
}

/**
 * `required`: subnets without default outbound access, where runners cannot start without an
 * explicit egress (VNetInjectionFailedToConnectToInternet, GitHub's troubleshooting docs).
 * `implicit`: subnets that still have default outbound access, which Azure is retiring and whose
 * public IP is not predictable (same docs, "Default outbound access").
 */
export type EgressScope = "required" | "implicit";

export function checkExplicitEgress(resources: readonly ResourceView[], config: EgressConfig, scope: EgressScope): Finding[] {
  const graph = new StackGraph(resources);
  const findings: Finding[] = [];
  const elsewhere = config.subnetsWithEgressElsewhere.map((name) => name.toLowerCase());
  for (const subnet of runnerSubnets(graph)) {
    if (
      elsewhere.includes(subnet.owner.name.toLowerCase()) ||
      (subnet.inlineName !== undefined && elsewhere.includes(subnet.inlineName.toLowerCase()))
    )
      continue;
    const access = field(subnet.props, "defaultOutboundAccess");
    const withoutDefaultAccess = access === false || isUnknown(access);
    if ((scope === "required") !== withoutDefaultAccess) continue;
    const urn = subnet.owner.urn;
    const egress = explicitEgress(graph, subnet);
    if (egress.kind === "explicit") continue;
    if (egress.kind === "external") {
      if (!config.trustExternalResources) findings.push(outsideStack(urn, `the route table of ${subnet.label}`, egress.id));
    } else if (egress.kind === "unknown") {
      findings.push(cannotVerify(urn, `the egress (NAT gateway or default route) of ${subnet.label}`));
    } else if (isUnknown(access)) {
      findings.push(cannotVerify(urn, `whether ${subnet.label} keeps Azure's default outbound access`));
    } else if (scope === "required") {
      findings.push({
        urn,
        message: `${subnet.label} has default outbound access turned off and no explicit egress (a NAT gateway, or a route table with a ${DEFAULT_ROUTE} route), so runners cannot reach GitHub and jobs fail with VNetInjectionFailedToConnectToInternet; if a hub advertises the default route over BGP, list the subnet in subnetsWithEgressElsewhere`,
      });
    } else {
      findings.push({
        urn,
        message: `${subnet.label} has no NAT gateway or default route and relies on Azure's default outbound access, whose public IP is not predictable and which new subnets no longer get; add a NAT gateway or a route to a firewall, and set defaultOutboundAccess to false`,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// GitHub.Network/networkSettings: API version, businessId, subnetId.

export function isNetworkSettings(resource: ResourceView): Answer {
  if (!isOfType(resource, "genericResource")) return "no";
  const namespace = text(resource.props.resourceProviderNamespace);
  const type = text(resource.props.resourceType);
  if (
    (typeof namespace === "string" && !sameText(namespace, NETWORK_SETTINGS.namespace)) ||
    (typeof type === "string" && !sameText(type, NETWORK_SETTINGS.type))
  )
    return "no";
  return typeof namespace === "string" && typeof type === "string" ? "yes" : "unknown";
}

export const SUBNET_ID_PATTERN =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

export interface NetworkSettingsConfig {
  knownApiVersions: string[];
}

export function checkNetworkSettingsProperties(resource: ResourceView, config: NetworkSettingsConfig): Finding[] {
  const kind = isNetworkSettings(resource);
  const urn = resource.urn;
  if (kind === "no") return [];
  if (kind === "unknown")
    return [cannotVerify(urn, `whether generic resource ${resource.name} is a ${SUBNET_DELEGATION_SERVICE} resource`)];
  const findings: Finding[] = [];
  const apiVersion = text(resource.props.apiVersion);
  const known = config.knownApiVersions.join(", ");
  if (apiVersion === undefined) findings.push({ urn, message: `networkSettings ${resource.name} has no apiVersion; use one of ${known}` });
  else if (isUnknown(apiVersion)) findings.push(cannotVerify(urn, `the apiVersion of networkSettings ${resource.name}`));
  else if (!config.knownApiVersions.some((version) => sameText(version, apiVersion))) {
    findings.push({
      urn,
      message: `networkSettings ${resource.name} uses apiVersion "${apiVersion}", which is not a known ${SUBNET_DELEGATION_SERVICE} version; known: ${known}`,
    });
  }
  const properties = resource.props.properties;
  if (isUnknown(properties)) return [...findings, cannotVerify(urn, `the properties of networkSettings ${resource.name}`)];
  const businessId = field(properties, "businessId");
  if (isUnknown(businessId)) findings.push(cannotVerify(urn, `the businessId of networkSettings ${resource.name}`));
  else if (businessId === undefined || businessId === null || businessId === "") {
    findings.push({
      urn,
      message: `networkSettings ${resource.name} has no properties.businessId; it must be the GraphQL databaseId of the GitHub organization or enterprise`,
    });
  } else if (!(
    (typeof businessId === "string" && /^\d+$/.test(businessId)) ||
    (typeof businessId === "number" && Number.isSafeInteger(businessId) && businessId >= 0)
  )) {
    findings.push({
      urn,
      message: `networkSettings ${resource.name} has businessId ${JSON.stringify(businessId)}; it must be digits only (the GraphQL databaseId of the GitHub organization or enterprise)`,
    });
  }
  // An unknown subnetId is followed by the stack policy, through the dependency it came from.
  const subnetId = field(properties, "subnetId");
  if (subnetId === undefined || subnetId === null || subnetId === "") {
    findings.push({
      urn,
      message: `networkSettings ${resource.name} has no properties.subnetId; it must be the resource ID of the runner subnet`,
    });
  } else if (typeof subnetId === "string" && !SUBNET_ID_PATTERN.test(subnetId)) {
    findings.push({
      urn,
      message: `networkSettings ${resource.name} has subnetId "${subnetId}", which is not a subnet resource ID (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…)`,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Stack level: networkSettings points at a delegated subnet in its own, supported region.

export interface NetworkSettingsTargetConfig extends TrustConfig {
  supportedRegions: string[];
}

export function checkNetworkSettingsTarget(resources: readonly ResourceView[], config: NetworkSettingsTargetConfig): Finding[] {
  const graph = new StackGraph(resources);
  const findings: Finding[] = [];
  const supported = config.supportedRegions.map(canonicalRegion);
  for (const settings of resources.filter((resource) => isNetworkSettings(resource) === "yes")) {
    const urn = settings.urn;
    const location = graph.location(settings);
    if (location === undefined)
      findings.push({
        urn,
        message: `networkSettings ${settings.name} has no location; it must be created in the region of its subnet's virtual network`,
      });
    else if (isUnknown(location)) findings.push(cannotVerify(urn, `the location of networkSettings ${settings.name}`));
    else if (!supported.includes(canonicalRegion(location))) {
      findings.push({
        urn,
        message: `networkSettings ${settings.name} is in ${location}, where GitHub does not offer Azure private networking for hosted runners; supported: ${config.supportedRegions.join(", ")}`,
      });
    }
    const target = graph.resolveSubnet(settings, "properties", readReference(field(settings.props.properties, "subnetId")));
    if (target.kind === "absent") continue;
    if (target.kind === "unknown") {
      findings.push(cannotVerify(urn, `the subnet networkSettings ${settings.name} points at`));
      continue;
    }
    if (target.kind === "external") {
      if (!config.trustExternalResources) findings.push(outsideStack(urn, `subnet`, target.id));
      continue;
    }
    const subnet = target.subnet;
    const delegated = delegatedToRunners(subnet.props);
    if (delegated === "no") {
      findings.push({
        urn,
        message: `networkSettings ${settings.name} points at ${subnet.label}, which is not delegated to ${SUBNET_DELEGATION_SERVICE}, so GitHub cannot place runners there`,
      });
    } else if (delegated === "unknown") {
      findings.push(cannotVerify(urn, `whether ${subnet.label} is delegated to ${SUBNET_DELEGATION_SERVICE}`));
    }
    const vnet = graph.virtualNetworkOf(subnet);
    // A VNET outside the stack is skipped: Azure itself refuses a networkSettings in another region.
    if (vnet.kind === "unknown") findings.push(cannotVerify(urn, `the virtual network of ${subnet.label}`));
    if (vnet.kind !== "found" || typeof location !== "string") continue;
    const vnetLocation = graph.location(vnet.resource);
    if (isUnknown(vnetLocation)) findings.push(cannotVerify(urn, `the location of virtual network ${vnet.resource.name}`));
    else if (typeof vnetLocation === "string" && canonicalRegion(vnetLocation) !== canonicalRegion(location)) {
      findings.push({
        urn,
        message: `networkSettings ${settings.name} is in ${location} but ${subnet.label} belongs to virtual network ${vnet.resource.name} in ${vnetLocation}; networkSettings must be in its virtual network's region`,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The subnet the component sized holds the runners it declares.

export interface CapacityConfig {
  bufferPercent: number;
}

/** Addresses `runners` need with the buffer kept free and Azure's reserved addresses (sizing.ts explains both). */
export function requiredAddresses(runners: number, bufferPercent: number): number {
  return addressesNeeded(runners, bufferPercent);
}

export function checkSubnetCapacity(resource: ResourceView, config: CapacityConfig): Finding[] {
  if (resource.type !== GITHUB_RUNNER_NETWORK_TYPE) return [];
  const urn = resource.urn;
  const runners = resource.props.maxConcurrentRunners;
  if (runners === undefined || runners === null) return [];
  if (isUnknown(runners)) return [cannotVerify(urn, `maxConcurrentRunners of ${resource.name}`)];
  const prefix = text(resource.props.subnetPrefix);
  if (isUnknown(prefix)) return [cannotVerify(urn, `subnetPrefix of ${resource.name}`)];
  const subnet = prefix === undefined ? undefined : tryParseCidr(prefix);
  if (typeof runners !== "number" || subnet === undefined || subnet.family !== 4) {
    return [
      {
        urn,
        message: `${resource.name} records maxConcurrentRunners ${JSON.stringify(runners)} and subnetPrefix ${JSON.stringify(prefix)}, which cannot be compared; expected a number and an IPv4 CIDR`,
      },
    ];
  }
  const addresses = 2 ** (32 - subnet.prefixLength);
  const needed = requiredAddresses(runners, config.bufferPercent);
  if (addresses >= needed) return [];
  return [
    {
      urn,
      message: `${resource.name}: subnet ${prefix} has ${addresses} addresses, but ${runners} concurrent runners need ${needed} (${runners} plus a ${config.bufferPercent} % buffer, rounded up, plus the ${AZURE_RESERVED_ADDRESSES_PER_SUBNET} addresses Azure reserves in every subnet)`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Advisory: NSG rules that list GitHub addresses GitHub no longer publishes.

export interface PublishedRanges {
  ipv4: readonly string[];
  ipv6: readonly string[];
  /** When the list was taken, for the message. */
  takenAt: string;
}

export interface StaleRangesConfig {
  ignoredPrefixes: string[];
}

/** How many stale entries a message lists before summarising the rest. */
const SHOWN_STALE_ENTRIES = 5;

/**
 * Whether an entry lies in one of the published ranges, per published lists: the ranges parsed
 * once and each entry's answer kept, since every runner NSG of a stack lists the same entries.
 */
const publishedTests = new WeakMap<PublishedRanges, (entry: string, cidr: Cidr) => boolean>();

function publishedTest(published: PublishedRanges): (entry: string, cidr: Cidr) => boolean {
  let test = publishedTests.get(published);
  if (!test) {
    const ranges = [...published.ipv4, ...published.ipv6].map(tryParseAddressOrCidr).filter((cidr): cidr is Cidr => cidr !== undefined);
    const answers = new Map<string, boolean>();
    test = (entry, cidr) => {
      let answer = answers.get(entry);
      if (answer === undefined) answers.set(entry, (answer = ranges.some((range) => containsCidr(range, cidr))));
      return answer;
    };
    publishedTests.set(published, test);
  }
  return test;
}

export function checkStaleGitHubRanges(resource: ResourceView, config: StaleRangesConfig, published: PublishedRanges): Finding[] {
  if (!isOfType(resource, "networkSecurityGroup") && !isOfType(resource, "securityRule")) return [];
  const rules = declaredRules(resource);
  // Advisory only: lists not known yet are checked on the next preview.
  if (isUnknown(rules)) return [];
  const inPublished = publishedTest(published);
  const isPublished = (item: { entry: string; cidr: Cidr }) => inPublished(item.entry, item.cidr);
  const ignored = config.ignoredPrefixes.map((prefix) => prefix.toLowerCase());
  return rules.flatMap((rule) => {
    const mentionsGitHub = /github/i.test(`${rule.name} ${rule.description}`);
    const sides: (string[] | Unknown)[] = [rule.sources, rule.destinations];
    return sides.flatMap((side): Finding[] => {
      if (isUnknown(side)) return [];
      const literals = side
        .map((entry) => ({ entry, cidr: tryParseAddressOrCidr(entry) }))
        .filter((item): item is { entry: string; cidr: Cidr } => item.cidr !== undefined);
      if (!mentionsGitHub && !literals.some(isPublished)) return [];
      const stale = literals.filter((item) => !isPublished(item) && !ignored.includes(item.entry.toLowerCase())).map((item) => item.entry);
      if (stale.length === 0) return [];
      const shown =
        stale.slice(0, SHOWN_STALE_ENTRIES).join(", ") +
        (stale.length > SHOWN_STALE_ENTRIES ? ` and ${stale.length - SHOWN_STALE_ENTRIES} more` : "");
      return [
        {
          urn: rule.origin,
          message: `${describeRule(rule)} lists ${stale.length} address${stale.length === 1 ? "" : "es"} GitHub no longer publishes (endpoint catalog of ${published.takenAt}): ${shown}; regenerate the list from the endpoint catalog, or allow-list GitHub's domains on a firewall`,
        },
      ];
    });
  });
}

/** Drops repeated findings (one NSG shared by several subnets is reported once). */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.urn}\n${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
