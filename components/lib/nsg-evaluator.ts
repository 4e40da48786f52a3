/**
 * Answers "is this flow allowed?" for an NSG's rules, the way Azure decides it
 * (learn.microsoft.com "Network security groups overview" and "How network security groups
 * filter network traffic"; copies in shared/reference/azure-nsg-vnet-excerpts.md §2, §3):
 * rules of the flow's direction are read in priority order, lowest number first; the first rule
 * whose protocol, addresses and ports all match decides; Azure's default rules (65000-65500)
 * follow the custom ones, so every flow is decided.
 *
 * Approximations, all deliberate and visible in the result:
 * - `VirtualNetwork` is the prefixes the caller gives (the VNET's address space, plus anything
 *   peered or connected that the caller knows of). Azure adds connected and peered spaces itself.
 * - `Internet` is every address outside `VirtualNetwork` that is not private, shared, loopback,
 *   link-local, multicast or reserved (RFC 1918, 6598, 1122, 3927, 5771, 4193, 4291). Azure's tag
 *   is "outside the VNET and reachable from the public internet", Azure's own public ranges included.
 * - Other service tags (`Storage`, `AzureCloud`, ...) match through `serviceTagPrefixes` when their
 *   ranges are known, or through the tags a flow's endpoint says it belongs to. When neither
 *   answers, both possibilities are followed, and the result says which tags it depends on.
 * - 168.63.129.16 and 169.254.169.254 (DNS, DHCP, IMDS, health probes) are not filtered by NSGs
 *   unless rules name platform tags; flows to them are reported as platform traffic.
 * - NSGs are stateful: replies to an allowed flow pass. This evaluates new flows only, and one
 *   NSG only (a NIC-level NSG, if any, is evaluated separately by Azure).
 */
import { lastAddress, parseAddress, parseCidr, tryParseAddressOrCidr, type Cidr } from "./cidr";
import { isAnyAddress, literalFamily, type Access, type Direction, type Protocol } from "./nsg-limits";
import { ruleAddresses, rulePorts, type PlannedSecurityRule } from "./nsg-rules";

/** Azure's default rules, which no NSG can remove (azure-nsg-vnet-excerpts.md §2, "Default rules"). */
export const AZURE_DEFAULT_RULES: readonly PlannedSecurityRule[] = [
  {
    name: "AllowVNetInBound",
    description: "Azure default",
    priority: 65000,
    direction: "Inbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRange: "*",
  },
  {
    name: "AllowAzureLoadBalancerInBound",
    description: "Azure default",
    priority: 65001,
    direction: "Inbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "AzureLoadBalancer",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
  {
    name: "DenyAllInBound",
    description: "Azure default",
    priority: 65500,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
  {
    name: "AllowVnetOutBound",
    description: "Azure default",
    priority: 65000,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRange: "*",
  },
  {
    name: "AllowInternetOutBound",
    description: "Azure default",
    priority: 65001,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
  },
  {
    name: "DenyAllOutBound",
    description: "Azure default",
    priority: 65500,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
];

/** Host addresses of Azure's platform services, outside NSG filtering (azure-nsg-vnet-excerpts.md §2, "Platform"). */
export const PLATFORM_ADDRESSES = ["168.63.129.16", "169.254.169.254"] as const;

/** A literal entry's block as first and last address, so that a match is two comparisons. */
interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

const rangeOf = (cidr: Cidr): AddressRange => ({ family: cidr.family, first: cidr.base, last: lastAddress(cidr) });

/** Ranges that are never `Internet` in this approximation. */
const NOT_INTERNET: readonly AddressRange[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/127",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
].map((text) => rangeOf(parseCidr(text)));

export interface FlowEndpoint {
  /** An IPv4 or IPv6 address. */
  address: string;
  /**
   * The Azure service tags the address belongs to, when known (e.g. `["Storage", "AzureCloud"]`;
   * `Storage.WestUS` also counts as `Storage`). Undefined: unknown, so tag rules are followed both ways.
   */
  serviceTags?: readonly string[];
}

export interface Flow {
  direction: Direction;
  protocol: Exclude<Protocol, "*">;
  source: FlowEndpoint;
  sourcePort: number;
  destination: FlowEndpoint;
  destinationPort: number;
}

/** A port of the dynamic range (RFC 6335), where a client's new connections come from. */
const CLIENT_PORT = 49152;

/** A new TCP connection from `source` to `destination`'s port, from a client port. */
export function tcpConnection(direction: Direction, source: FlowEndpoint, destination: FlowEndpoint, destinationPort: number): Flow {
  return { direction, protocol: "Tcp", source, sourcePort: CLIENT_PORT, destination, destinationPort };
}

export interface EvaluationContext {
  /** What `VirtualNetwork` stands for here: the VNET's address space and what is connected to it. */
  virtualNetworkPrefixes: readonly string[];
  /** Ranges of other service tags where they are known, keyed by tag name. */
  serviceTagPrefixes?: Readonly<Record<string, readonly string[]>>;
}

export interface DecidingRule {
  name: string;
  priority: number;
  access: Access;
  /** One of Azure's default rules rather than the NSG's own. */
  isDefault: boolean;
}

export interface FlowOutcome {
  access: Access;
  /** The rule that decided, or `platform` for traffic NSGs do not filter. */
  decidedBy: DecidingRule | "platform";
  /** Tag memberships assumed on the way, e.g. `{ "destination:Storage": false }`. */
  assumptions: Readonly<Record<string, boolean>>;
}

export interface FlowDecision {
  /** `depends`: the outcome turns on tag memberships the evaluator could not resolve. */
  verdict: "allow" | "deny" | "depends";
  /** Every possible outcome; the last one assumes the endpoints belong to no unresolved tag. */
  outcomes: FlowOutcome[];
  /** `side:Tag` memberships the verdict was computed over. */
  unresolvedTags: string[];
}

type Match = boolean | { unresolved: string };

/** A rule's address entry as the evaluator reads it: any address, literal blocks, or a tag (lower case). */
type AddressEntry = { kind: "any" } | { kind: "literal"; ranges: AddressRange[] } | { kind: "tag"; tag: string };

/**
 * The plan's reports evaluate the same rules for many flows and many networks: each distinct
 * entry text (GitHub's ~70 ranges, the tags, each VNET prefix) and port range text is parsed once
 * per process (a few thousand strings at most), and each endpoint's address once per endpoint.
 */
const addressEntries = new Map<string, AddressEntry>();
const portRanges = new Map<string, [low: number, high: number][]>();
const endpointAddresses = new WeakMap<FlowEndpoint, { family: 4 | 6; value: bigint }>();

function addressEntry(text: string): AddressEntry {
  let entry = addressEntries.get(text);
  if (!entry) {
    if (isAnyAddress(text)) entry = { kind: "any" };
    else if (literalFamily(text) !== undefined) entry = { kind: "literal", ranges: parsePrefixes([text]) };
    else entry = { kind: "tag", tag: text.toLowerCase() };
    addressEntries.set(text, entry);
  }
  return entry;
}

function parsePrefixes(list: readonly string[]): AddressRange[] {
  return list
    .map(tryParseAddressOrCidr)
    .filter((c): c is Cidr => c !== undefined)
    .map(rangeOf);
}

/** Literal ranges of a list (non-literal entries skipped), each text parsed once. */
function literalRanges(list: readonly string[]): AddressRange[] {
  return list.flatMap((text) => {
    const entry = addressEntry(text);
    return entry.kind === "literal" ? entry.ranges : parsePrefixes([text]);
  });
}

interface Prepared {
  virtualNetwork: AddressRange[];
  tags: Map<string, AddressRange[]>;
}

function prepare(context: EvaluationContext): Prepared {
  const tags = new Map<string, AddressRange[]>();
  for (const [tag, list] of Object.entries(context.serviceTagPrefixes ?? {})) tags.set(tag.toLowerCase(), literalRanges(list));
  return { virtualNetwork: literalRanges(context.virtualNetworkPrefixes), tags };
}

function addressOf(endpoint: FlowEndpoint) {
  const known = endpointAddresses.get(endpoint);
  if (known) return known;
  const parsed = parseAddress(endpoint.address);
  if (!parsed) throw new Error(`"${endpoint.address}" is not an IP address`);
  endpointAddresses.set(endpoint, parsed);
  return parsed;
}

const within = (ranges: readonly AddressRange[], endpoint: FlowEndpoint) => {
  const { family, value } = addressOf(endpoint);
  return ranges.some((range) => range.family === family && value >= range.first && value <= range.last);
};

/** Does one address entry of a rule cover this endpoint? */
function entryMatches(
  entry: string,
  endpoint: FlowEndpoint,
  side: string,
  prepared: Prepared,
  assumptions: Readonly<Record<string, boolean>>,
): Match {
  const parsed = addressEntry(entry);
  if (parsed.kind === "any") return true;
  if (parsed.kind === "literal") return within(parsed.ranges, endpoint);
  const tag = parsed.tag;
  if (tag === "virtualnetwork")
    return within(prepared.virtualNetwork, endpoint) || (endpoint.serviceTags ?? []).some((t) => t.toLowerCase() === tag);
  if (tag === "internet") return !within(prepared.virtualNetwork, endpoint) && !within(NOT_INTERNET, endpoint);
  const known = prepared.tags.get(tag);
  if (known) return within(known, endpoint);
  if (endpoint.serviceTags) return endpoint.serviceTags.some((t) => t.toLowerCase() === tag || t.toLowerCase().startsWith(`${tag}.`));
  const key = `${side}:${entry}`;
  return key in assumptions ? assumptions[key] : { unresolved: key };
}

function sideMatches(
  entries: readonly string[],
  endpoint: FlowEndpoint,
  side: string,
  prepared: Prepared,
  assumptions: Readonly<Record<string, boolean>>,
): Match {
  let unresolved: Match = false;
  for (const entry of entries) {
    const match = entryMatches(entry, endpoint, side, prepared, assumptions);
    if (match === true) return true;
    if (match !== false && unresolved === false) unresolved = match;
  }
  return unresolved;
}

function parsedPorts(text: string): [low: number, high: number][] {
  let ranges = portRanges.get(text);
  if (!ranges) {
    ranges = text.split(",").map((part): [number, number] => {
      const trimmed = part.trim();
      if (trimmed === "*") return [-Infinity, Infinity];
      const [low, high = low] = trimmed.split("-").map(Number);
      return [low, high];
    });
    portRanges.set(text, ranges);
  }
  return ranges;
}

function portMatches(ranges: readonly string[], port: number): boolean {
  return ranges.some((text) => parsedPorts(text).some(([low, high]) => port >= low && port <= high));
}

function ruleMatches(rule: PlannedSecurityRule, flow: Flow, prepared: Prepared, assumptions: Readonly<Record<string, boolean>>): Match {
  if (rule.protocol !== "*" && rule.protocol.toLowerCase() !== flow.protocol.toLowerCase()) return false;
  if (!portMatches(rulePorts(rule, "source"), flow.sourcePort) || !portMatches(rulePorts(rule, "destination"), flow.destinationPort))
    return false;
  const source = sideMatches(ruleAddresses(rule, "source"), flow.source, "source", prepared, assumptions);
  if (source === false) return false;
  const destination = sideMatches(ruleAddresses(rule, "destination"), flow.destination, "destination", prepared, assumptions);
  if (destination === false) return false;
  if (source !== true) return source;
  return destination;
}

const DEFAULT_RULES = new Set<PlannedSecurityRule>(AZURE_DEFAULT_RULES);

/** Rules of one direction in the order Azure reads them: the NSG's own, then the defaults. */
export function evaluationOrder(rules: readonly PlannedSecurityRule[], direction: Direction): PlannedSecurityRule[] {
  const own = rules.filter((rule) => rule.direction === direction).sort((a, b) => a.priority - b.priority);
  return [...own, ...AZURE_DEFAULT_RULES.filter((rule) => rule.direction === direction)];
}

/** Decides a flow against an NSG's rules (Azure's defaults are appended here; do not pass them). */
export function evaluateFlow(rules: readonly PlannedSecurityRule[], flow: Flow, context: EvaluationContext): FlowDecision {
  if (flow.direction === "Outbound" && (PLATFORM_ADDRESSES as readonly string[]).includes(flow.destination.address)) {
    return { verdict: "allow", outcomes: [{ access: "Allow", decidedBy: "platform", assumptions: {} }], unresolvedTags: [] };
  }
  const ordered = evaluationOrder(rules, flow.direction);
  const prepared = prepare(context);
  const run = (from: number, assumptions: Readonly<Record<string, boolean>>): FlowOutcome[] => {
    for (let index = from; index < ordered.length; index++) {
      const rule = ordered[index];
      const match = ruleMatches(rule, flow, prepared, assumptions);
      if (match === false) continue;
      if (match === true) {
        return [
          {
            access: rule.access,
            decidedBy: { name: rule.name, priority: rule.priority, access: rule.access, isDefault: DEFAULT_RULES.has(rule) },
            assumptions,
          },
        ];
      }
      // Follow both memberships; the non-member branch comes last.
      return [...run(index, { ...assumptions, [match.unresolved]: true }), ...run(index, { ...assumptions, [match.unresolved]: false })];
    }
    throw new Error("unreachable: Azure's default rules decide every flow");
  };
  const outcomes = run(0, {});
  const accesses = new Set(outcomes.map((outcome) => outcome.access));
  const unresolvedTags = [...new Set(outcomes.flatMap((outcome) => Object.keys(outcome.assumptions)))].sort();
  return { verdict: accesses.size > 1 ? "depends" : accesses.has("Allow") ? "allow" : "deny", outcomes, unresolvedTags };
}
