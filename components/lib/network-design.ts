/**
 * The network design: checks that need several fields at once, then the decisions made up front
 * (subnet placement and capacity, egress, firewall domain rules, security rules).
 */
import { containsCidr, formatCidr, overlaps, parseCidr, firstFreeBlock } from "./cidr";
import { DEFAULT_DOMAIN_LEVEL, type DomainLevel } from "./catalog";
import { DEFAULT_FIREWALL_GROUP_PRIORITY, FIREWALL_GROUP_PRIORITY_RANGE } from "./firewall-rules";
import {
  planSecurityRules,
  type ExtraSecurityRule,
  type IncompleteExtraRule,
  type OutboundMode,
  type PlannedSecurityRule,
} from "./nsg-rules";
import {
  canonicalRegion,
  listedRegions,
  missingPlatforms,
  regionDisagreement,
  regionTable,
  type RegionTable,
  type RunnerPlatform,
} from "./regions";
import { gheComHost, tenantCatalog, type DataResidency } from "./ghecom";
import { addressesNeeded, natPublicIpsFor, prefixLengthFor, runnerCapacity, SMALLEST_SUBNET_PREFIX } from "./sizing";
import {
  componentArgsSchema,
  extraRuleSchema,
  DEFAULT_ADDRESS_SPACE,
  NAT_PUBLIC_IP_RANGE,
  type EgressMode,
  type NetworkFields,
} from "./network-schema";
import { parseEntry, type Validated } from "./schema-helpers";
import { quoted, type Problem } from "./problems";

/** Ranges Azure refuses in a VNET's address space (Azure VNET FAQ). */
const FORBIDDEN_RANGES = ["224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"].map((c) =>
  parseCidr(c),
);

/** What the component builds for one network: all sizing and rule decisions, made up front. */
export interface RunnerNetworkDesign {
  location: string;
  runnerPlatforms: RunnerPlatform[];
  /** Address space of the VNET to create; undefined when an existing VNET is used. */
  addressSpace?: string;
  subnetPrefix: string;
  runnerCapacity: number;
  maxConcurrentRunners?: number;
  egress: EgressMode;
  /** 0 unless egress is a NAT gateway. */
  natGatewayPublicIpCount: number;
  outbound: OutboundMode;
  securityRules: PlannedSecurityRule[];
  /** What the plan should say about this network without refusing it (a region GitHub's pages disagree on, say). */
  warnings: string[];
  /** The VNET's DNS servers; the NSG allows DNS to exactly these. */
  dnsServers?: string[];
  /** Domain rules added to the firewall policy (egress `firewall` with `firewallPolicyId`). */
  domainRules?: { level: DomainLevel; priority: number; extraDomains?: string[] };
  /** A GHE.com enterprise: regions, NSG ranges and firewall hosts are GHE.com's for its geography. */
  dataResidency?: DataResidency;
}

/** The component's arguments as the design reads them: a network's fields and the GHE.com enterprise, if any. */
export type DesignArgs = Partial<NetworkFields> & { dataResidency?: DataResidency };

/** Subnet placement and capacity. Undefined subnet when a problem (or an invalid input) prevents it. */
function planSubnet(args: DesignArgs, invalid: ReadonlySet<string>, problems: Problem[], at: (key: string) => string) {
  const problem = (key: string, message: string) => problems.push({ path: at(key), message });
  if (["addressSpace", "subnetPrefix", "maxConcurrentRunners", "existingVirtualNetwork"].some((key) => invalid.has(key))) return {};
  const existing = args.existingVirtualNetwork !== undefined;
  if (existing && args.addressSpace !== undefined) {
    problem("addressSpace", "applies only to a new VNET; with existingVirtualNetwork give subnetPrefix, a free range inside that VNET");
  }
  const space = existing ? undefined : parseCidr(args.addressSpace ?? DEFAULT_ADDRESS_SPACE);
  const forbidden = space && FORBIDDEN_RANGES.find((range) => overlaps(range, space));
  if (space && forbidden)
    problem("addressSpace", `${formatCidr(space)} overlaps ${formatCidr(forbidden)}, which Azure does not allow in a VNET`);

  const runners = args.maxConcurrentRunners;
  if (args.subnetPrefix !== undefined) {
    const subnet = parseCidr(args.subnetPrefix);
    const capacity = runnerCapacity(subnet.prefixLength);
    if (subnet.prefixLength > SMALLEST_SUBNET_PREFIX) {
      problem(
        "subnetPrefix",
        `/${subnet.prefixLength} is smaller than Azure's smallest subnet; allowed: /${SMALLEST_SUBNET_PREFIX} or larger`,
      );
    } else if (space && !containsCidr(space, subnet)) {
      problem("subnetPrefix", `${args.subnetPrefix} is outside addressSpace ${formatCidr(space)}; allowed: a block inside it`);
    } else if (runners !== undefined && capacity < runners) {
      problem(
        "subnetPrefix",
        `${args.subnetPrefix} holds ${capacity} runners; maxConcurrentRunners ${runners} needs ${addressesNeeded(runners)} addresses (ceil(1.3 x ${runners}) + 5 reserved), a /${prefixLengthFor(runners)} or larger`,
      );
    } else {
      return { space, subnet };
    }
    return { space };
  }
  if (existing) {
    problem("subnetPrefix", "required with existingVirtualNetwork: a free range inside that VNET (run `doctor` to check it is free)");
  } else if (runners === undefined) {
    problem("maxConcurrentRunners", "give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix");
  } else if (space) {
    const prefixLength = prefixLengthFor(runners);
    const subnet = prefixLength >= 0 ? firstFreeBlock(space, prefixLength, []) : undefined;
    if (subnet) return { space, subnet };
    problem(
      "maxConcurrentRunners",
      prefixLength >= 0
        ? `${runners} runners need a /${prefixLength} (${addressesNeeded(runners)} addresses), more than addressSpace ${formatCidr(space)} holds`
        : `${runners} runners need more addresses than the whole IPv4 space holds; allowed: at most ${runnerCapacity(space.prefixLength)} in addressSpace ${formatCidr(space)}`,
    );
  }
  return { space };
}

function planEgress(
  args: Partial<NetworkFields>,
  invalid: ReadonlySet<string>,
  problems: Problem[],
  at: (key: string) => string,
  capacity: number | undefined,
) {
  const problem = (key: string, message: string) => problems.push({ path: at(key), message });
  const egress: EgressMode = args.egress ?? "natGateway";
  const checkEgressFields = !invalid.has("egress");
  const count = args.natGatewayPublicIpCount;
  if (count !== undefined && checkEgressFields) {
    if (egress !== "natGateway") problem("natGatewayPublicIpCount", `applies only to egress "natGateway" (egress is "${egress}")`);
    else if (!Number.isInteger(count) || count < NAT_PUBLIC_IP_RANGE.min || count > NAT_PUBLIC_IP_RANGE.max) {
      problem(
        "natGatewayPublicIpCount",
        `${count} is out of range; allowed: whole numbers ${NAT_PUBLIC_IP_RANGE.min}-${NAT_PUBLIC_IP_RANGE.max}`,
      );
    }
  }
  if (checkEgressFields && !invalid.has("firewallPrivateIp")) {
    if (egress === "firewall" && args.firewallPrivateIp === undefined) {
      problem("firewallPrivateIp", 'required when egress is "firewall": the private IP the default route sends traffic to');
    } else if (egress !== "firewall" && args.firewallPrivateIp !== undefined) {
      problem("firewallPrivateIp", `applies only to egress "firewall" (egress is "${egress}")`);
    }
  }
  // Behind a firewall the NSG lets 443 out and the firewall filters by domain.
  const outbound: OutboundMode = args.outbound ?? (egress === "firewall" ? "https" : "restricted");
  return {
    egress,
    outbound,
    natGatewayPublicIpCount: natGatewayIpCount(egress, count, capacity ?? 0),
    domainRules: planDomainRules(args, invalid, egress, checkEgressFields, problem),
  };
}

/** The NAT gateway's public IPs: a given count is kept, else enough for the subnet's runners (sizing.ts, RUNNERS_PER_NAT_PUBLIC_IP). */
export function natGatewayIpCount(egress: EgressMode, given: number | undefined, subnetCapacity: number): number {
  return egress === "natGateway" ? (given ?? natPublicIpsFor(subnetCapacity, NAT_PUBLIC_IP_RANGE)) : 0;
}

/**
 * A region the table (github.com's, or the GHE.com geography's) does not list is refused unless
 * acceptUnlistedRegion is set (then the plan warns); one GitHub's pages disagree on is taken with
 * a warning. doctor asks ARM either way.
 */
function regionWarnings(
  location: string,
  table: RegionTable,
  acceptUnlisted: boolean,
  problems: Problem[],
  at: (key: string) => string,
): string[] {
  const listed = listedRegions(table);
  if (listed.includes(location)) {
    // Only github.com's pages disagree; GHE.com's regions come from one page.
    const disagreement = table.regions === regionTable().regions ? regionDisagreement(location) : undefined;
    return disagreement ? [disagreement] : [];
  }
  if (acceptUnlisted)
    return [
      `${location} is in none of ${table.name}'s region lists (acceptUnlistedRegion): run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there`,
    ];
  problems.push({
    path: at("location"),
    message: `${quoted(location)} is not a region ${table.name} supports for Azure private networking; allowed: ${listed.join(", ")} (for a region GitHub added since, set acceptUnlistedRegion: true)`,
  });
  return [];
}

/** Without a snapshot of the enterprise's own `/meta`, the rules rest on GitHub's GHE.com page alone: say so. */
function dataResidencyWarnings(residency: DataResidency | undefined): string[] {
  if (!residency || tenantCatalog(residency.subdomain)) return [];
  return [
    `no snapshot of https://api.${gheComHost(residency)}/meta is committed: the NSG ranges and firewall hosts are the ones GitHub's GHE.com page lists; run \`npm run endpoints -- update --data-residency ${residency.subdomain}\` to add the enterprise's own lists (the weekly workflow then keeps them current)`,
  ];
}

/** Hub peering, DNS servers and DNS zone links belong to a VNET this component creates. */
function landingZoneProblems(args: Partial<NetworkFields>, invalid: ReadonlySet<string>, problems: Problem[], at: (key: string) => string) {
  const hubKeys = ["hubVirtualNetworkId", "hubSidePeering", "useHubGateway", "dnsServers", "privateDnsZoneIds"] as const;
  if (args.existingVirtualNetwork !== undefined) {
    for (const key of hubKeys.filter((k) => args[k] !== undefined)) {
      problems.push({
        path: at(key),
        message:
          "applies only to a new VNET: with existingVirtualNetwork the landing zone owns its peering, DNS servers and DNS zone links",
      });
    }
    return;
  }
  if (args.useHubGateway !== undefined && args.hubVirtualNetworkId === undefined && !invalid.has("hubVirtualNetworkId"))
    problems.push({ path: at("useHubGateway"), message: "applies only with hubVirtualNetworkId: the gateway is the hub's" });
  if (args.hubSidePeering !== undefined && args.hubVirtualNetworkId === undefined && !invalid.has("hubVirtualNetworkId"))
    problems.push({ path: at("hubSidePeering"), message: "applies only with hubVirtualNetworkId: it peers the hub back to this VNET" });
}

/** Domain rules on the firewall policy: only with egress "firewall" and a policy to put them in. */
function planDomainRules(
  args: Partial<NetworkFields>,
  invalid: ReadonlySet<string>,
  egress: EgressMode,
  checkEgressFields: boolean,
  problem: (key: string, message: string) => void,
) {
  const hasPolicy = args.firewallPolicyId !== undefined;
  if (hasPolicy && checkEgressFields && egress !== "firewall")
    problem("firewallPolicyId", `applies only to egress "firewall" (egress is "${egress}")`);
  const priority = args.firewallRuleCollectionGroupPriority;
  for (const key of ["domainAllowList", "extraDomains", "firewallRuleCollectionGroupPriority"] as const) {
    if (args[key] !== undefined && !hasPolicy && !invalid.has("firewallPolicyId"))
      problem(key, "applies only with firewallPolicyId: the domain rules go into that Azure Firewall policy");
  }
  const { min, max } = FIREWALL_GROUP_PRIORITY_RANGE;
  if (priority !== undefined && (!Number.isInteger(priority) || priority < min || priority > max)) {
    problem(
      "firewallRuleCollectionGroupPriority",
      `${priority} is out of range; allowed: whole numbers ${min}-${max}, unique among the policy's rule collection groups`,
    );
  }
  if (!hasPolicy || egress !== "firewall") return undefined;
  return {
    level: args.domainAllowList ?? DEFAULT_DOMAIN_LEVEL,
    priority: priority ?? DEFAULT_FIREWALL_GROUP_PRIORITY,
    ...(args.extraDomains ? { extraDomains: args.extraDomains } : {}),
  };
}

/**
 * Checks that need several fields at once, then decides subnet, capacity, egress and rules.
 * Checks that depend on a field listed in `invalid` are skipped: that field is reported already.
 */
export function designNetwork(
  args: DesignArgs,
  invalid: ReadonlySet<string>,
  at: (key: string) => string,
  rawExtraRules?: unknown,
): { design?: RunnerNetworkDesign; issues: Problem[] } {
  const issues: Problem[] = [];
  const location = args.location === undefined ? undefined : canonicalRegion(args.location);
  const runnerPlatforms = args.runnerPlatforms ?? ["x64"];
  const residency = args.dataResidency;
  const table = regionTable(residency?.geography);
  const warnings = [
    ...(location === undefined ? [] : regionWarnings(location, table, args.acceptUnlistedRegion === true, issues, at)),
    ...dataResidencyWarnings(residency),
  ];
  // A region outside the table is refused (or taken on trust) above: its platforms are not known.
  const listed = location !== undefined && listedRegions(table).includes(location);
  for (const platform of !listed || invalid.has("runnerPlatforms") ? [] : missingPlatforms(location, runnerPlatforms, table)) {
    issues.push({
      path: at("runnerPlatforms"),
      message: `${location} has no ${platform} runners${residency ? ` on ${table.name}` : ""}; ${platform} regions: ${table.regions[platform].join(", ")}`,
    });
  }
  const { space, subnet } = planSubnet(args, invalid, issues, at);
  const egress = planEgress(args, invalid, issues, at, subnet && runnerCapacity(subnet.prefixLength));
  // Rules that could not be read whole still take part in the name and priority checks.
  const extraRules = invalid.has("extraSecurityRules") ? readableExtraRules(rawExtraRules) : args.extraSecurityRules;
  landingZoneProblems(args, invalid, issues, at);
  const rules = planSecurityRules({
    outbound: egress.outbound,
    extraRules,
    behindFirewall: egress.egress === "firewall",
    dnsServers: args.dnsServers,
    dataResidency: residency,
  });
  if (!rules.ok) for (const p of rules.problems) issues.push({ path: at(p.path), message: p.message });

  if (issues.length || invalid.size || !location || !subnet || !rules.ok) return { issues };
  return {
    issues,
    design: {
      location,
      runnerPlatforms,
      addressSpace: space ? formatCidr(space) : undefined,
      subnetPrefix: formatCidr(subnet),
      runnerCapacity: runnerCapacity(subnet.prefixLength),
      maxConcurrentRunners: args.maxConcurrentRunners,
      ...egress,
      warnings,
      ...(args.dnsServers ? { dnsServers: args.dnsServers } : {}),
      ...(residency ? { dataResidency: residency } : {}),
      securityRules: rules.rules,
    },
  };
}

/** Each entry of an extra rule list that failed its schema: the whole rule, or what of it could be read. */
function readableExtraRules(raw: unknown): (ExtraSecurityRule | IncompleteExtraRule)[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((entry: unknown) => {
    const parsed = parseEntry(extraRuleSchema, entry, "");
    if (parsed.data) return parsed.data;
    const { name, direction, priority } = parsed.fields;
    return { incomplete: true, name, direction, priority };
  });
}

/**
 * Component arguments the stack config check has already designed (the stack hands each network's
 * arguments to its component this way), so a plan validates each network once. Keyed by the
 * arguments object itself: a different object is validated as usual.
 */
const designedArgs = new WeakMap<object, RunnerNetworkDesign>();

/** Marks `args` as designed by a validation that covered every field the component reads. */
export function withDesign<T extends object>(args: T, design: RunnerNetworkDesign): T {
  designedArgs.set(args, design);
  return args;
}

/** Validates the component's arguments and designs its network. */
export function validateComponentArgs(args: unknown): Validated<RunnerNetworkDesign> {
  const known = typeof args === "object" && args !== null ? designedArgs.get(args) : undefined;
  if (known) return { ok: true, value: known };
  const entry = parseEntry(componentArgsSchema, args, "");
  const { design, issues } = designNetwork(
    entry.fields,
    entry.invalid,
    (key) => key,
    (args as { extraSecurityRules?: unknown } | null)?.extraSecurityRules,
  );
  const all = [...entry.issues, ...issues];
  return design && all.length === 0 ? { ok: true, value: design } : { ok: false, issues: all };
}
