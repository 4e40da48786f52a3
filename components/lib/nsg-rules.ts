/**
 * Plans the runner subnet's NSG: GitHub's required egress, the chosen outbound mode, an explicit
 * deny-all inbound, and the caller's extra rules slotted in without priority collisions. Every
 * plan is checked against Azure's NSG limits (nsg-limits.ts) before anything is deployed; the
 * same check (`checkSecurityRules`) serves any rule set, e.g. the policy pack's.
 */
import { ENDPOINT_CATALOG, type EndpointCatalog } from "./catalog";
import { gheComAddressLists, gheComAddressesLabel, type DataResidency } from "./ghecom";
import {
  MAX_PREFIXES_PER_DIRECTION,
  MAX_PRIORITY,
  MAX_RULES_PER_NSG,
  MIN_PRIORITY,
  priorityRangeProblem,
  RULE_NAME_PATTERN,
  RULE_NAME_PROBLEM,
  DIRECTIONS,
  isAnyAddress,
  isPortRange,
  isServiceTag,
  literalFamily,
  type Access,
  type Direction,
  type Protocol,
} from "./nsg-limits";
import { quoted, type Problem } from "./problems";

/** What the NSG lets out. */
export const OutboundMode = { restricted: "restricted", https: "https" } as const;
export type OutboundMode = (typeof OutboundMode)[keyof typeof OutboundMode];
export const OUTBOUND_MODES = Object.values(OutboundMode) as [OutboundMode, ...OutboundMode[]];

/** A rule the caller adds to the runner NSG. Lists take CIDRs, addresses, one service tag, or `*`. */
export interface ExtraSecurityRule {
  name: string;
  description?: string;
  /** 100-4096, unique per direction; omitted: the next free slot from 1000 on. */
  priority?: number;
  direction: Direction;
  access: Access;
  protocol?: Protocol;
  sourceAddressPrefixes?: string[];
  sourcePortRanges?: string[];
  destinationAddressPrefixes?: string[];
  destinationPortRanges?: string[];
  /** Azure's single-value form of `sourceAddressPrefixes`; give one or the other. */
  sourceAddressPrefix?: string;
  /** Azure's single-value form of `sourcePortRanges`. */
  sourcePortRange?: string;
  /** Azure's single-value form of `destinationAddressPrefixes`. */
  destinationAddressPrefix?: string;
  /** Azure's single-value form of `destinationPortRanges`. */
  destinationPortRange?: string;
}

/**
 * An extra rule whose schema check failed, with what of it could be read: it is not planned, but
 * its name and priority are still checked against the others, so one run reports every clash.
 */
export interface IncompleteExtraRule {
  incomplete: true;
  name?: string;
  direction?: Direction;
  priority?: number;
}

const isIncomplete = (rule: ExtraSecurityRule | IncompleteExtraRule): rule is IncompleteExtraRule => "incomplete" in rule;

/** A rule in the shape of azure-native's `SecurityRuleArgs` (single or list fields, as Azure wants them). */
export interface PlannedSecurityRule {
  name: string;
  description: string;
  priority: number;
  direction: Direction;
  access: Access;
  protocol: Protocol;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  sourcePortRange?: string;
  sourcePortRanges?: string[];
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

/** Our final denies sit at the last priority, so every other rule is evaluated before them. */
export const FINAL_DENY_PRIORITY = MAX_PRIORITY;
/** GitHub's own NSG template numbered its allows from 200 in steps of 10; ours follow suit. */
export const REQUIRED_RULES_FIRST_PRIORITY = 200;
/** Extra rules without a priority go after the required allows. */
export const EXTRA_RULES_FIRST_PRIORITY = 1000;
export const PRIORITY_STEP = 10;

interface RuleSpec {
  name: string;
  description: string;
  direction: Direction;
  access: Access;
  protocol: Protocol;
  sources: string[];
  sourcePorts: string[];
  destinations: string[];
  destinationPorts: string[];
}

const ANY = ["*"];
const HTTPS = ["443"];

function allowOut(name: string, description: string, destinations: string[], ports: string[] = HTTPS): RuleSpec {
  return {
    name,
    description,
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sources: ANY,
    sourcePorts: ANY,
    destinations,
    destinationPorts: ports,
  };
}

/**
 * What common Linux and Windows jobs need from Microsoft's platform beyond Actions itself, each by
 * the narrowest service tag that covers it (learn.microsoft.com, "Virtual network service tags"):
 * - the runner image's Ubuntu mirror, azure.archive.ubuntu.com, is hosted in Azure and apt uses it
 *   over plain HTTP: AzureCloud on TCP 80 (no narrower tag covers it);
 * - Microsoft Entra ID, for azure/login and OIDC sign-in to Azure: AzureActiveDirectory on 443
 *   (GitHub's earliest NSG template had the same rule, AllowAzureADOutbound;
 *   shared/reference/github-nsg-template-oldest-extra-rules.bicep-fragment);
 * - Microsoft Container Registry: MicrosoftContainerRegistry on 443, and the tag the service-tags
 *   table names as its dependency, AzureFrontDoor.FirstParty (MCR's data endpoints), on 443.
 * Only Microsoft's first-party Front Door ranges: AzureFrontDoor.Frontend (GitHub's earliest
 * template) would open every customer site behind Front Door.
 */
export const PLATFORM_ALLOW_RULES: readonly RuleSpec[] = [
  allowOut("AllowAzureCloudHttpOutbound", "Ubuntu's package mirror in Azure (azure.archive.ubuntu.com) over HTTP", ["AzureCloud"], ["80"]),
  allowOut("AllowEntraIdHttpsOutbound", "Microsoft Entra ID sign-in (azure/login, OIDC to Azure)", ["AzureActiveDirectory"]),
  allowOut("AllowMcrHttpsOutbound", "Microsoft Container Registry", ["MicrosoftContainerRegistry"]),
  allowOut("AllowFrontDoorFirstPartyHttpsOutbound", "Microsoft Container Registry data endpoints on Front Door", [
    "AzureFrontDoor.FirstParty",
  ]),
];

/**
 * GitHub's addresses in the restricted NSG, one rule per address family (Azure refuses a rule whose
 * prefixes mix IPv4 and IPv6; azure-nsg-vnet-excerpts.md §5). github.com: the meta endpoint's web,
 * api, git and packages ranges. A GHE.com enterprise: its geography's ingress ranges and Actions
 * addresses with the github.com ranges GitHub lists for GHE.com (ghecom.ts), and the ranges of the
 * enterprise's own `/meta` snapshot when one was taken.
 */
function gitHubAllowRules(catalog: EndpointCatalog, residency: DataResidency | undefined): RuleSpec[] {
  if (residency) {
    const merged = gheComAddressLists(residency);
    const note = gheComAddressesLabel(residency);
    return [
      allowOut("AllowGheComIPv4HttpsOutbound", note, merged.ipv4),
      ...(merged.ipv6.length ? [allowOut("AllowGheComIPv6HttpsOutbound", note, merged.ipv6)] : []),
    ];
  }
  // No snapshot date here: a refreshed snapshot with the same ranges must not change the NSG.
  const sourceNote = "GitHub web, api, git and packages ranges from the meta endpoint";
  return [
    ...(catalog.ipv4.length ? [allowOut("AllowGitHubIPv4HttpsOutbound", sourceNote, [...catalog.ipv4])] : []),
    ...(catalog.ipv6.length ? [allowOut("AllowGitHubIPv6HttpsOutbound", sourceNote, [...catalog.ipv6])] : []),
  ];
}

/** The allow rules Actions needs, in the order they are evaluated. */
export function requiredAllowRules(
  outbound: OutboundMode,
  catalog: EndpointCatalog = ENDPOINT_CATALOG,
  options: { behindFirewall?: boolean; dataResidency?: DataResidency } = {},
): RuleSpec[] {
  const vnet = allowOut("AllowVirtualNetworkHttpsOutbound", "Runners reach the VNET and what is connected to it on 443", [
    "VirtualNetwork",
  ]);
  if (outbound === "https") {
    return [
      vnet,
      allowOut("AllowInternetHttpsOutbound", "Any destination on 443 (filtered further by a firewall when egress routes there)", [
        "Internet",
      ]),
      // Behind a firewall the NSG passes web traffic on and the firewall decides, HTTP included.
      ...(options.behindFirewall
        ? [allowOut("AllowInternetHttpOutbound", "Any destination on 80, for the firewall to filter by domain", ["Internet"], ["80"])]
        : []),
    ];
  }
  return [
    vnet,
    allowOut("AllowStorageHttpsOutbound", "Actions logs, artifacts and caches in Azure Storage", ["Storage"]),
    allowOut("AllowAzureCloudHttpsOutbound", "Actions services hosted in Azure", ["AzureCloud"]),
    ...gitHubAllowRules(catalog, options.dataResidency),
    ...PLATFORM_ALLOW_RULES,
  ];
}

/** DNS (TCP and UDP 53) to the VNET's own DNS servers, which may sit outside the VNET's tag. */
function dnsServersRule(servers: readonly string[]): RuleSpec {
  return { ...allowOut("AllowDnsServersOutbound", "DNS to the VNET's DNS servers", [...servers], ["53"]), protocol: "*" };
}

export function finalDenyRules(): RuleSpec[] {
  return [
    {
      name: "DenyInternetOutbound",
      description: "Nothing else leaves for the internet",
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sources: ANY,
      sourcePorts: ANY,
      destinations: ["Internet"],
      destinationPorts: ANY,
    },
    {
      name: "DenyAllInbound",
      description: "GitHub never needs inbound connections to runners",
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sources: ANY,
      sourcePorts: ANY,
      destinations: ANY,
      destinationPorts: ANY,
    },
  ];
}

function toAzureShape(spec: RuleSpec, priority: number): PlannedSecurityRule {
  const one = (list: string[]) => (list.length === 1 ? list[0] : undefined);
  const many = (list: string[]) => (list.length === 1 ? undefined : list);
  const rule: PlannedSecurityRule = {
    name: spec.name,
    description: spec.description,
    priority,
    direction: spec.direction,
    access: spec.access,
    protocol: spec.protocol,
    sourceAddressPrefix: one(spec.sources),
    sourceAddressPrefixes: many(spec.sources),
    sourcePortRange: one(spec.sourcePorts),
    sourcePortRanges: many(spec.sourcePorts),
    destinationAddressPrefix: one(spec.destinations),
    destinationAddressPrefixes: many(spec.destinations),
    destinationPortRange: one(spec.destinationPorts),
    destinationPortRanges: many(spec.destinationPorts),
  };
  for (const key of Object.keys(rule) as (keyof PlannedSecurityRule)[]) {
    if (rule[key] === undefined) delete rule[key];
  }
  return rule;
}

const listOrSingle = (list: string[] | undefined, single: string | undefined): string[] => list ?? (single === undefined ? ANY : [single]);

function extraToSpec(rule: ExtraSecurityRule): RuleSpec {
  return {
    name: rule.name,
    description: rule.description ?? "Added by the stack owner",
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol ?? "*",
    sources: listOrSingle(rule.sourceAddressPrefixes, rule.sourceAddressPrefix),
    sourcePorts: listOrSingle(rule.sourcePortRanges, rule.sourcePortRange),
    destinations: listOrSingle(rule.destinationAddressPrefixes, rule.destinationAddressPrefix),
    destinationPorts: listOrSingle(rule.destinationPortRanges, rule.destinationPortRange),
  };
}

/** A rule's addresses (or ports) on one side, whichever of the single or list field holds them. */
export function ruleAddresses(rule: PlannedSecurityRule, side: "source" | "destination"): string[] {
  const list = side === "source" ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const single = side === "source" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
  return list ?? (single === undefined ? [] : [single]);
}

export function rulePorts(rule: PlannedSecurityRule, side: "source" | "destination"): string[] {
  const list = side === "source" ? rule.sourcePortRanges : rule.destinationPortRanges;
  const single = side === "source" ? rule.sourcePortRange : rule.destinationPortRange;
  return list ?? (single === undefined ? [] : [single]);
}

/** Literal addresses and ranges (not tags or `*`): what Azure's 4,000 limit counts. */
export function literalCount(rules: readonly PlannedSecurityRule[], side: "source" | "destination"): number {
  return rules.reduce((sum, rule) => sum + ruleAddresses(rule, side).filter((entry) => literalFamily(entry) !== undefined).length, 0);
}

/** A broken Azure limit: `rule` names the rule at fault (absent for NSG-wide limits), `field` its field. */
export interface RuleLimitProblem {
  rule?: string;
  field?: "name" | "priority" | "sourceAddressPrefixes" | "destinationAddressPrefixes" | "sourcePortRanges" | "destinationPortRanges";
  /** NSG-wide limits: which one, so callers can say what to change. */
  limit?: "rules" | "prefixes";
  /** For the prefix limit: which direction and side overflowed. */
  direction?: Direction;
  side?: "source" | "destination";
  message: string;
}

/**
 * Checks any NSG rule set against Azure's limits: at most 1,000 rules; priorities whole numbers
 * 100-4096, unique per direction; unique names of Azure's form; a service tag or `*` only as a
 * rule's single address (one tag per rule, none inside address lists); one address family per
 * rule; at most 4,000 literal addresses per direction, sources and destinations counted apart.
 * Sources: shared/reference/azure-nsg-vnet-excerpts.md §1, §2, §4, §5.
 */
export function checkSecurityRules(rules: readonly PlannedSecurityRule[]): RuleLimitProblem[] {
  const problems: RuleLimitProblem[] = [];
  if (rules.length > MAX_RULES_PER_NSG)
    problems.push({ limit: "rules", message: `${rules.length} rules; Azure allows ${MAX_RULES_PER_NSG} per NSG` });
  const names = new Map<string, string>();
  const priorities: Record<Direction, Map<number, string>> = { Inbound: new Map(), Outbound: new Map() };
  for (const rule of rules) {
    const at = { rule: rule.name };
    if (!RULE_NAME_PATTERN.test(rule.name)) {
      problems.push({ ...at, field: "name", message: RULE_NAME_PROBLEM });
    }
    const lower = rule.name.toLowerCase();
    if (names.has(lower))
      problems.push({
        ...at,
        field: "name",
        message: `"${rule.name}" is already used by rule "${names.get(lower)}"; names must be unique in an NSG`,
      });
    names.set(lower, rule.name);
    const priorityProblem = priorityRangeProblem(rule.priority);
    if (priorityProblem !== undefined) {
      problems.push({ ...at, field: "priority", message: priorityProblem });
    } else {
      const holder = priorities[rule.direction].get(rule.priority);
      if (holder !== undefined)
        problems.push({
          ...at,
          field: "priority",
          message: `${rule.priority} (${rule.direction}) is already used by rule "${holder}"; priorities must be unique per direction`,
        });
      priorities[rule.direction].set(rule.priority, rule.name);
    }
    const families = new Set<number>();
    for (const side of ["source", "destination"] as const) {
      const field = side === "source" ? "sourceAddressPrefixes" : "destinationAddressPrefixes";
      const single = side === "source" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
      const list = side === "source" ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
      if (single !== undefined && list !== undefined)
        problems.push({ ...at, field, message: `give ${side} addresses in one field, not both ${side}AddressPrefix and ${field}` });
      const entries = ruleAddresses(rule, side);
      for (const entry of entries) {
        const family = literalFamily(entry);
        if (family !== undefined) families.add(family);
        else if (!isAnyAddress(entry) && !isServiceTag(entry))
          problems.push({ ...at, field, message: `${quoted(entry)} is not an IP address, CIDR, service tag or *` });
      }
      if (entries.length > 1 && entries.some((entry) => literalFamily(entry) === undefined)) {
        const tags = entries.filter((entry) => literalFamily(entry) === undefined);
        problems.push({
          ...at,
          field,
          message: `${tags.join(", ")} must stand alone: Azure allows one service tag (or *) per rule side and none inside address lists`,
        });
      }
    }
    if (families.size > 1)
      problems.push({
        ...at,
        field: "destinationAddressPrefixes",
        message: "mixes IPv4 and IPv6 addresses; Azure needs one address family per rule, so split it in two",
      });
    for (const side of ["source", "destination"] as const) {
      const field = side === "source" ? "sourcePortRanges" : "destinationPortRanges";
      const ports = rulePorts(rule, side);
      for (const entry of ports) {
        if (!isPortRange(entry)) problems.push({ ...at, field, message: `${quoted(entry)} is not a port 0-65535, a range low-high, or *` });
      }
      if (ports.length > 1 && ports.includes("*")) problems.push({ ...at, field, message: "* must stand alone among port ranges" });
    }
  }
  for (const direction of DIRECTIONS) {
    const inDirection = rules.filter((rule) => rule.direction === direction);
    for (const side of ["source", "destination"] as const) {
      const count = literalCount(inDirection, side);
      if (count > MAX_PREFIXES_PER_DIRECTION) {
        problems.push({
          limit: "prefixes",
          direction,
          side,
          message: `${direction} rules list ${count} ${side} addresses and ranges; Azure allows ${MAX_PREFIXES_PER_DIRECTION} per NSG`,
        });
      }
    }
  }
  return problems;
}

export type RulePlan = { ok: true; rules: PlannedSecurityRule[] } | { ok: false; problems: Problem[] };

/** The key of an extra rule a limit problem is about: the list key, or the single-value key the rule used instead. */
function extraRuleKey(rule: ExtraSecurityRule, field: NonNullable<RuleLimitProblem["field"]>): keyof ExtraSecurityRule {
  const single = SINGLE_KEYS[field];
  return single !== undefined && rule[single] !== undefined ? single : field;
}

const SINGLE_KEYS: Partial<Record<NonNullable<RuleLimitProblem["field"]>, keyof ExtraSecurityRule>> = {
  sourceAddressPrefixes: "sourceAddressPrefix",
  destinationAddressPrefixes: "destinationAddressPrefix",
  sourcePortRanges: "sourcePortRange",
  destinationPortRanges: "destinationPortRange",
};

/**
 * Plans every rule of the runner NSG. Required allows take priorities 200, 210, ... and extra
 * rules without a priority 1000, 1010, ... (then any free priority below 4096 once that grid is
 * full), each skipping priorities the caller chose; both denies take 4096. Rules are returned
 * Inbound first, then Outbound, each in priority order. Problems name the argument to change.
 */
export function planSecurityRules(input: {
  outbound: OutboundMode;
  extraRules?: readonly (ExtraSecurityRule | IncompleteExtraRule)[];
  catalog?: EndpointCatalog;
  /** Egress routes through a firewall: the NSG lets web traffic (80 and 443) through to it. */
  behindFirewall?: boolean;
  /** The VNET's own DNS servers: the NSG lets DNS through to exactly these. */
  dnsServers?: readonly string[];
  /** A GHE.com enterprise: its ranges instead of github.com's. */
  dataResidency?: DataResidency;
}): RulePlan {
  const extras = input.extraRules ?? [];
  const problems: Problem[] = [];
  const required = [
    ...requiredAllowRules(input.outbound, input.catalog, { behindFirewall: input.behindFirewall, dataResidency: input.dataResidency }),
    ...(input.dnsServers?.length ? [dnsServersRule(input.dnsServers)] : []),
  ];
  const denies = finalDenyRules();
  const reservedNames = new Set([...required, ...denies].map((r) => r.name.toLowerCase()));
  const taken: Record<Direction, Map<number, string>> = { Inbound: new Map(), Outbound: new Map() };
  for (const deny of denies) taken[deny.direction].set(FINAL_DENY_PRIORITY, deny.name);

  const extraIndex = new Map<string, number>();
  /** Extras already refused for their name or priority are not placed, so nothing is reported twice. */
  const refused = new Set<number>();
  extras.forEach((rule, index) => {
    const at = `extraSecurityRules[${index}]`;
    // A rule that could not be read whole is never placed, but what it names and takes is checked.
    const fault = (path: string, message: string) => {
      problems.push({ path: `${at}.${path}`, message });
      refused.add(index);
    };
    if (isIncomplete(rule)) refused.add(index);
    if (rule.name !== undefined) {
      const lower = rule.name.toLowerCase();
      if (reservedNames.has(lower)) fault("name", `${quoted(rule.name)} is the name of a rule this component plans; choose another name`);
      else if (extraIndex.has(lower))
        fault("name", `${quoted(rule.name)} is already used by extraSecurityRules[${extraIndex.get(lower)}]; rule names must be unique`);
      else extraIndex.set(lower, index);
    }
    if (rule.priority === undefined) return;
    const priorityProblem = priorityRangeProblem(rule.priority);
    if (priorityProblem !== undefined) return fault("priority", priorityProblem);
    if (rule.direction === undefined) return;
    const holder = taken[rule.direction].get(rule.priority);
    if (holder !== undefined)
      return fault(
        "priority",
        `${rule.priority} (${rule.direction}) collides with ${holder}; allowed: a priority ${MIN_PRIORITY}-${MAX_PRIORITY - 1} no other ${rule.direction} rule uses`,
      );
    taken[rule.direction].set(rule.priority, at);
  });

  const placed: PlannedSecurityRule[] = [];
  /**
   * Places a rule at the first free priority from `from` on the step grid; once the grid is full,
   * at the first free priority from `floor` (the start of its block) on.
   */
  const place = (spec: RuleSpec, from: number, floor: number, path: string): number => {
    const used = taken[spec.direction];
    let priority = from;
    while (used.has(priority) && priority < FINAL_DENY_PRIORITY) priority += PRIORITY_STEP;
    if (priority >= FINAL_DENY_PRIORITY) {
      priority = floor;
      while (used.has(priority) && priority < FINAL_DENY_PRIORITY) priority += 1;
    }
    if (priority >= FINAL_DENY_PRIORITY) {
      problems.push({
        path,
        message: `no free ${spec.direction} priority is left between ${floor} and ${FINAL_DENY_PRIORITY - 1} for ${spec.name}; give extra rules explicit priorities from ${MIN_PRIORITY} on`,
      });
      return from;
    }
    used.set(priority, spec.name);
    placed.push(toAzureShape(spec, priority));
    return priority + PRIORITY_STEP;
  };
  let next = REQUIRED_RULES_FIRST_PRIORITY;
  for (const spec of required) next = place(spec, next, REQUIRED_RULES_FIRST_PRIORITY, "outbound");
  const plannedCount = placed.length + denies.length;
  const nextByDirection: Record<Direction, number> = { Inbound: EXTRA_RULES_FIRST_PRIORITY, Outbound: EXTRA_RULES_FIRST_PRIORITY };
  extras.forEach((rule, index) => {
    if (refused.has(index) || isIncomplete(rule)) return;
    if (rule.priority === undefined)
      nextByDirection[rule.direction] = place(
        extraToSpec(rule),
        nextByDirection[rule.direction],
        EXTRA_RULES_FIRST_PRIORITY,
        `extraSecurityRules[${index}].priority`,
      );
    else placed.push(toAzureShape(extraToSpec(rule), rule.priority));
  });
  for (const deny of denies) placed.push(toAzureShape(deny, FINAL_DENY_PRIORITY));

  const plannedOnly = placed.filter((rule) => !extraIndex.has(rule.name.toLowerCase()));
  const allProblems = checkSecurityRules(placed);
  // Whether GitHub's ranges alone break the prefix limit decides whom to blame; asked only when needed.
  const plannedAloneOverflow =
    allProblems.some((p) => p.limit === "prefixes") && checkSecurityRules(plannedOnly).some((p) => p.limit === "prefixes");
  for (const problem of allProblems) {
    const index = problem.rule === undefined ? undefined : extraIndex.get(problem.rule.toLowerCase());
    if (index !== undefined) {
      problems.push({
        path: `extraSecurityRules[${index}]${problem.field ? `.${extraRuleKey(extras[index] as ExtraSecurityRule, problem.field)}` : ""}`,
        message: problem.message,
      });
    } else if (problem.rule !== undefined) {
      problems.push({ path: "outbound", message: `planned rule ${problem.rule}: ${problem.message}` });
    } else if (problem.limit === "prefixes" && plannedAloneOverflow) {
      problems.push({
        path: "outbound",
        message: `${problem.message}; GitHub's published ranges alone exceed it, so use outbound "https" behind a firewall that filters by domain`,
      });
    } else if (problem.limit === "prefixes") {
      const inDirection = (rules: PlannedSecurityRule[]) =>
        literalCount(
          rules.filter((r) => r.direction === problem.direction),
          problem.side!,
        );
      const own = inDirection(plannedOnly);
      problems.push({
        path: "extraSecurityRules",
        message: `${problem.message} (${own} in the rules this component plans, ${inDirection(placed) - own} in extraSecurityRules)`,
      });
    } else {
      problems.push({
        path: "extraSecurityRules",
        message: `${problem.message} (${plannedCount} planned by this component, ${placed.length - plannedCount} from extraSecurityRules)`,
      });
    }
  }
  if (problems.length) return { ok: false, problems };
  const order = (r: PlannedSecurityRule) => (r.direction === "Inbound" ? 0 : 1) * 100000 + r.priority;
  return { ok: true, rules: placed.sort((a, b) => order(a) - order(b)) };
}
