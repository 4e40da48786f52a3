/**
 * Azure network security group limits and fixed facts. Sources: Azure subscription and service
 * limits (networking, Azure Resource Manager) and "Network security groups overview" on
 * learn.microsoft.com (copies in shared/reference/azure-nsg-vnet-excerpts.md §1, §2, §4, §5).
 */
import { parseAddress, tryParseCidr, type AddressFamily } from "./cidr";

/** Security rules per NSG, both directions together. */
export const MAX_RULES_PER_NSG = 1000;
/**
 * Addresses and ranges per NSG, counted separately for sources and destinations, per direction.
 * The source does not say whether IPv4 and IPv6 entries count together; we count them together,
 * which can only be stricter than Azure.
 */
export const MAX_PREFIXES_PER_DIRECTION = 4000;
export const MIN_PRIORITY = 100;
export const MAX_PRIORITY = 4096;
/** Rule names: up to 80 word characters, '.', '-' or '_', starting with a word character and ending with one (or '_'). */
export const RULE_NAME_PATTERN = /^\w(?:[\w.-]{0,78}\w)?$/;
/** Why a name that does not match RULE_NAME_PATTERN is refused. */
export const RULE_NAME_PROBLEM =
  "must be 1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_' and ending with a letter, digit or '_'";

/** Undefined for a whole number MIN_PRIORITY-MAX_PRIORITY, else why Azure refuses the priority. */
export function priorityRangeProblem(priority: number): string | undefined {
  if (Number.isInteger(priority) && priority >= MIN_PRIORITY && priority <= MAX_PRIORITY) return undefined;
  return `${priority} is outside Azure's range; allowed: whole numbers ${MIN_PRIORITY}-${MAX_PRIORITY}`;
}

/** Protocols a security rule can match. */
export const Protocol = { Tcp: "Tcp", Udp: "Udp", Icmp: "Icmp", Esp: "Esp", Ah: "Ah", Any: "*" } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];
export const PROTOCOLS = Object.values(Protocol) as [Protocol, ...Protocol[]];
/** Traffic direction of a security rule. */
export const Direction = { Inbound: "Inbound", Outbound: "Outbound" } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];
export const DIRECTIONS = Object.values(Direction) as [Direction, ...Direction[]];
/** What a security rule does with matching traffic. */
export const Access = { Allow: "Allow", Deny: "Deny" } as const;
export type Access = (typeof Access)[keyof typeof Access];
export const ACCESSES = Object.values(Access) as [Access, ...Access[]];

/** `*` (and the default rules' `0.0.0.0/0`) stand for every address. */
export function isAnyAddress(entry: string): boolean {
  return entry === "*" || entry === "0.0.0.0/0" || entry.toLowerCase() === "any";
}

/** `*`, `Any` and the all-addresses CIDRs of both families (`0.0.0.0/0`, `::/0`): every source or destination. */
export function isAnyAddressOfEitherFamily(entry: string): boolean {
  return isAnyAddress(entry) || entry === "::/0";
}

/** The family of an IP address or CIDR entry; undefined for tags, `*` and malformed text. */
export function literalFamily(entry: string): AddressFamily | undefined {
  if (entry === "0.0.0.0/0") return undefined;
  if (entry.includes("/")) return tryParseCidr(entry, { strict: false })?.family;
  return parseAddress(entry)?.family;
}

const PORT_RANGE_PATTERN = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** `*`, a port 0-65535, or a range low-high within it. */
export function isPortRange(entry: string): boolean {
  if (entry === "*") return true;
  const match = PORT_RANGE_PATTERN.exec(entry);
  if (!match) return false;
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  return low <= high && high <= 65535;
}

/** A service tag such as `Storage` or `Storage.WestUS`: neither `*` nor an address. */
export function isServiceTag(entry: string): boolean {
  return !isAnyAddress(entry) && literalFamily(entry) === undefined && /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)?$/.test(entry);
}
