/**
 * Plans the runner subnet's NSG: GitHub's required egress, the chosen outbound mode, an explicit
 * deny-all inbound, and the caller's extra rules slotted in without priority collisions. The
 * result is checked against Azure's NSG limits (nsg-limits.ts) before anything is deployed.
 */
import { ENDPOINT_CATALOG, type EndpointCatalog } from "./catalog";
import {
  MAX_PREFIXES_PER_DIRECTION,
  MAX_PRIORITY,
  MAX_RULES_PER_NSG,
  MIN_PRIORITY,
  type Access,
  type Direction,
  type Protocol,
} from "./nsg-limits";

export const OUTBOUND_MODES = ["restricted", "https"] as const;
/** `restricted`: GitHub ranges and the Azure tags Actions needs, other internet denied. `https`: 443 anywhere. */
export type OutboundMode = (typeof OUTBOUND_MODES)[number];

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
}

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

export interface RulePlanProblem {
  /** Argument path relative to the component's arguments, e.g. `extraSecurityRules[1].priority`. */
  path: string;
  message: string;
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

function httpsOut(name: string, description: string, destinations: string[]): RuleSpec {
  return { name, description, direction: "Outbound", access: "Allow", protocol: "Tcp", sources: ANY, sourcePorts: ANY, destinations, destinationPorts: HTTPS };
}

/** The allow rules Actions needs, in the order they are evaluated. */
export function requiredAllowRules(outbound: OutboundMode, catalog: EndpointCatalog = ENDPOINT_CATALOG): RuleSpec[] {
  const vnet = httpsOut("AllowVirtualNetworkHttpsOutbound", "Runners reach the VNET and what is connected to it on 443", ["VirtualNetwork"]);
  if (outbound === "https") {
    return [vnet, httpsOut("AllowInternetHttpsOutbound", "Any destination on 443 (filtered further by a firewall when egress routes there)", ["Internet"])];
  }
  const sourceNote = `GitHub web, api, git and packages ranges from /meta (${catalog.source.takenAt})`;
  const github = [
    ...(catalog.ipv4.length ? [httpsOut("AllowGitHubIPv4HttpsOutbound", sourceNote, [...catalog.ipv4])] : []),
    ...(catalog.ipv6.length ? [httpsOut("AllowGitHubIPv6HttpsOutbound", sourceNote, [...catalog.ipv6])] : []),
  ];
  return [
    vnet,
    httpsOut("AllowStorageHttpsOutbound", "Actions logs, artifacts and caches in Azure Storage", ["Storage"]),
    httpsOut("AllowAzureCloudHttpsOutbound", "Actions services hosted in Azure", ["AzureCloud"]),
    ...github,
  ];
}

export function finalDenyRules(): RuleSpec[] {
  return [
    { name: "DenyInternetOutbound", description: "Nothing else leaves for the internet", direction: "Outbound", access: "Deny", protocol: "*", sources: ANY, sourcePorts: ANY, destinations: ["Internet"], destinationPorts: ANY },
    { name: "DenyAllInbound", description: "GitHub never needs inbound connections to runners", direction: "Inbound", access: "Deny", protocol: "*", sources: ANY, sourcePorts: ANY, destinations: ANY, destinationPorts: ANY },
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

function extraToSpec(rule: ExtraSecurityRule): RuleSpec {
  return {
    name: rule.name,
    description: rule.description ?? "Added by the stack owner",
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol ?? "*",
    sources: rule.sourceAddressPrefixes ?? ANY,
    sourcePorts: rule.sourcePortRanges ?? ANY,
    destinations: rule.destinationAddressPrefixes ?? ANY,
    destinationPorts: rule.destinationPortRanges ?? ANY,
  };
}

/** Counts literal addresses (not tags or `*`), which is what Azure's 4,000 limit counts. */
function literalCount(list: readonly string[] | undefined, single: string | undefined): number {
  const all = list ?? (single === undefined ? [] : [single]);
  return all.filter((entry) => /^[0-9a-fA-F:.]+(\/\d+)?$/.test(entry) && /[.:]/.test(entry)).length;
}

export type RulePlan = { ok: true; rules: PlannedSecurityRule[] } | { ok: false; problems: RulePlanProblem[] };

/**
 * Plans every rule of the runner NSG. Required allows take priorities 200, 210, ... and extra
 * rules without a priority 1000, 1010, ..., each skipping priorities the caller chose; both denies
 * take 4096. Rules are returned Inbound first, then Outbound, each in priority order.
 */
export function planSecurityRules(input: {
  outbound: OutboundMode;
  extraRules?: readonly ExtraSecurityRule[];
  catalog?: EndpointCatalog;
}): RulePlan {
  const extras = input.extraRules ?? [];
  const problems: RulePlanProblem[] = [];
  const required = requiredAllowRules(input.outbound, input.catalog);
  const denies = finalDenyRules();
  const reservedNames = new Set([...required, ...denies].map((r) => r.name.toLowerCase()));
  const taken: Record<Direction, Map<number, string>> = { Inbound: new Map(), Outbound: new Map() };
  for (const deny of denies) taken[deny.direction].set(FINAL_DENY_PRIORITY, deny.name);

  const seenNames = new Map<string, number>();
  extras.forEach((rule, index) => {
    const at = `extraSecurityRules[${index}]`;
    const lower = rule.name.toLowerCase();
    if (reservedNames.has(lower)) {
      problems.push({ path: `${at}.name`, message: `"${rule.name}" is the name of a rule this component plans; choose another name` });
    } else if (seenNames.has(lower)) {
      problems.push({ path: `${at}.name`, message: `"${rule.name}" is already used by extraSecurityRules[${seenNames.get(lower)}]; rule names must be unique` });
    }
    seenNames.set(lower, index);
    if (rule.priority === undefined) return;
    if (!Number.isInteger(rule.priority) || rule.priority < MIN_PRIORITY || rule.priority > MAX_PRIORITY) {
      problems.push({ path: `${at}.priority`, message: `${rule.priority} is outside Azure's range; allowed: whole numbers ${MIN_PRIORITY}-${MAX_PRIORITY}` });
      return;
    }
    const holder = taken[rule.direction].get(rule.priority);
    if (holder !== undefined) {
      problems.push({
        path: `${at}.priority`,
        message: `${rule.priority} (${rule.direction}) collides with ${holder}; allowed: a priority ${MIN_PRIORITY}-${MAX_PRIORITY - 1} no other ${rule.direction} rule uses`,
      });
      return;
    }
    taken[rule.direction].set(rule.priority, `extraSecurityRules[${index}]`);
  });

  const placed: PlannedSecurityRule[] = [];
  /** Places a rule at the first free priority from `from`; returns the priority to continue from. */
  const place = (spec: RuleSpec, from: number, path: string): number => {
    let priority = from;
    while (taken[spec.direction].has(priority)) priority += PRIORITY_STEP;
    if (priority >= FINAL_DENY_PRIORITY) {
      problems.push({ path, message: `no free ${spec.direction} priority is left below ${FINAL_DENY_PRIORITY} for ${spec.name}` });
      return priority;
    }
    taken[spec.direction].set(priority, spec.name);
    placed.push(toAzureShape(spec, priority));
    return priority + PRIORITY_STEP;
  };
  let next = REQUIRED_RULES_FIRST_PRIORITY;
  for (const spec of required) next = place(spec, next, "outbound");
  next = EXTRA_RULES_FIRST_PRIORITY;
  extras.forEach((rule, index) => {
    if (rule.priority === undefined) next = place(extraToSpec(rule), next, `extraSecurityRules[${index}].priority`);
    else if (taken[rule.direction].get(rule.priority) === `extraSecurityRules[${index}]`) placed.push(toAzureShape(extraToSpec(rule), rule.priority));
  });
  for (const deny of denies) placed.push(toAzureShape(deny, FINAL_DENY_PRIORITY));

  if (placed.length > MAX_RULES_PER_NSG) {
    problems.push({ path: "extraSecurityRules", message: `the NSG would hold ${placed.length} rules; Azure allows ${MAX_RULES_PER_NSG} per NSG` });
  }
  for (const direction of ["Inbound", "Outbound"] as const) {
    const rules = placed.filter((r) => r.direction === direction);
    for (const side of ["source", "destination"] as const) {
      const count = rules.reduce(
        (sum, r) => sum + literalCount(side === "source" ? r.sourceAddressPrefixes : r.destinationAddressPrefixes, side === "source" ? r.sourceAddressPrefix : r.destinationAddressPrefix),
        0,
      );
      if (count > MAX_PREFIXES_PER_DIRECTION) {
        problems.push({
          path: "extraSecurityRules",
          message: `${direction} rules would list ${count} ${side} addresses; Azure allows ${MAX_PREFIXES_PER_DIRECTION} per NSG`,
        });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const order = (r: PlannedSecurityRule) => (r.direction === "Inbound" ? 0 : 1) * 100000 + r.priority;
  return { ok: true, rules: placed.sort((a, b) => order(a) - order(b)) };
}
