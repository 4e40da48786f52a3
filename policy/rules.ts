/**
 * NSG security rules as the policies read them: inline `securityRules` of a NetworkSecurityGroup
 * and separate `SecurityRule` resources look the same here. Field meanings follow the SecurityRule
 * REST schema and the NSG overview on learn.microsoft.com (copies in
 * shared/reference/azure-nsg-vnet-excerpts.md §2 and §4).
 */
import { isAnyAddressOfEitherFamily } from "../components/lib/nsg-limits";
import type { StackGraph } from "./network-graph";
import { field, isUnknown, list, sameText, text, UNKNOWN, type ResourceView, type Unknown } from "./model";

export interface RuleView {
  /** URN of the resource that declares the rule (the NSG for inline rules). */
  origin: string;
  name: string;
  description: string;
  direction: string | Unknown | undefined;
  access: string | Unknown | undefined;
  priority: number | Unknown | undefined;
  protocol: string | Unknown | undefined;
  sources: string[] | Unknown;
  destinations: string[] | Unknown;
  destinationPorts: string[] | Unknown;
}

/** A single value and a list of the same thing (`sourceAddressPrefix` and `...Prefixes`) as one list. */
function combined(single: unknown, many: unknown): string[] | Unknown {
  const one = text(single);
  const rest = list(many);
  if (isUnknown(one) || isUnknown(rest) || (rest ?? []).some(isUnknown)) return UNKNOWN;
  return [...(one === undefined ? [] : [one]), ...(rest ?? []).filter((entry): entry is string => typeof entry === "string")];
}

export function ruleView(origin: string, rule: unknown, fallbackName: string): RuleView {
  const name = text(field(rule, "name"));
  const description = text(field(rule, "description"));
  const priority = field(rule, "priority");
  // Application security groups name specific NICs, never "anything": they stand in as one entry.
  const withGroups = (addresses: string[] | Unknown, key: string): string[] | Unknown => {
    const groups = list(field(rule, key));
    if (isUnknown(addresses) || isUnknown(groups)) return UNKNOWN;
    return groups?.length ? [...addresses, "ApplicationSecurityGroup"] : addresses;
  };
  return {
    origin,
    name: typeof name === "string" ? name : fallbackName,
    description: typeof description === "string" ? description : "",
    direction: text(field(rule, "direction")),
    access: text(field(rule, "access")),
    priority: typeof priority === "number" || isUnknown(priority) ? priority : undefined,
    protocol: text(field(rule, "protocol")),
    sources: withGroups(
      combined(field(rule, "sourceAddressPrefix"), field(rule, "sourceAddressPrefixes")),
      "sourceApplicationSecurityGroups",
    ),
    destinations: withGroups(
      combined(field(rule, "destinationAddressPrefix"), field(rule, "destinationAddressPrefixes")),
      "destinationApplicationSecurityGroups",
    ),
    destinationPorts: combined(field(rule, "destinationPortRange"), field(rule, "destinationPortRanges")),
  };
}

/** Rules declared by one resource: an NSG's inline rules, or a SecurityRule itself. */
export function declaredRules(resource: ResourceView): RuleView[] | Unknown {
  if (resource.type.endsWith(":SecurityRule")) return [ruleView(resource.urn, resource.props, resource.name)];
  const inline = list(resource.props.securityRules);
  if (inline === undefined) return [];
  if (isUnknown(inline)) return UNKNOWN;
  return inline.map((rule, index) => ruleView(resource.urn, rule, `#${index + 1}`));
}

/** Every rule of an NSG, inline and separate; UNKNOWN when some cannot be read or attributed yet. */
export function nsgRules(graph: StackGraph, nsg: ResourceView): RuleView[] | Unknown {
  const inline = declaredRules(nsg);
  const { children, unattributed } = graph.children(nsg, "networkSecurityGroup", "securityRule", "networkSecurityGroupName");
  if (isUnknown(inline) || unattributed.length > 0) return UNKNOWN;
  return [...inline, ...children.map((child) => ruleView(child.urn, child.props, child.name))];
}

/** Anything on the internet: every address, or the `Internet` service tag. */
export function isInternetOrAny(entry: string): boolean {
  return isAnyAddressOfEitherFamily(entry) || sameText(entry, "Internet");
}

export function coversAllPorts(ports: readonly string[]): boolean {
  return ports.some((port) => port === "*" || sameText(port, "any") || port.replace(/\s/g, "") === "0-65535");
}

export function coversAllProtocols(protocol: string): boolean {
  return protocol === "*" || sameText(protocol, "any");
}

/** A rule whose matching inputs are all known. */
export interface KnownRule extends RuleView {
  direction: string;
  access: string;
  priority: number;
  protocol: string;
  sources: string[];
  destinations: string[];
  destinationPorts: string[];
}

/** Splits rules into those that can be evaluated and those with a matching input not known yet. */
export function partitionKnown(rules: readonly RuleView[]): { known: KnownRule[]; unknown: RuleView[] } {
  const known: KnownRule[] = [];
  const unknown: RuleView[] = [];
  for (const rule of rules) {
    const values = [rule.direction, rule.access, rule.priority, rule.protocol, rule.sources, rule.destinations, rule.destinationPorts];
    if (values.some(isUnknown)) unknown.push(rule);
    // Azure requires direction, access, priority and protocol; a rule without them is never deployed.
    else if (
      typeof rule.direction === "string" &&
      typeof rule.access === "string" &&
      typeof rule.priority === "number" &&
      typeof rule.protocol === "string"
    )
      known.push(rule as KnownRule);
  }
  return { known, unknown };
}

export function describeRule(rule: RuleView): string {
  return `rule "${rule.name}"${typeof rule.priority === "number" ? ` (priority ${rule.priority})` : ""}`;
}
