/**
 * What a runner subnet can reach, per endpoint of the catalog: the planned NSG evaluated offline
 * (nsg-evaluator.ts) for GitHub's ranges, the Azure tags Actions needs, the rest of the internet
 * and inbound traffic, plus, with firewall domain rules, how many of GitHub's exact domains the
 * chosen list lets through. The offline plan prints it for every network.
 */
import { ENDPOINT_CATALOG, type DomainLevel, type EndpointCatalog } from "./catalog";
import { formatAddress, lastAddress, parseCidr } from "./cidr";
import { domainCovered } from "./firewall-rules";
import { evaluateFlow, tcpConnection, type EvaluationContext, type Flow, type FlowDecision, type FlowEndpoint } from "./nsg-evaluator";
import type { PlannedSecurityRule } from "./nsg-rules";
import { gheComAddressLists, gheComAddressesLabel, gheComRequirements, type DataResidency } from "./ghecom";

/**
 * Stand-ins for kinds of public addresses, from the documentation ranges (RFC 5737, RFC 3849),
 * labelled with the service tags an address of that kind belongs to.
 */
export const SAMPLE_ENDPOINTS = {
  storage: { address: "198.51.100.10", serviceTags: ["Storage", "AzureCloud"] },
  azureCloud: { address: "198.51.100.20", serviceTags: ["AzureCloud"] },
  internet: { address: "203.0.113.10", serviceTags: [] },
  internetIpv6: { address: "2001:db8::10", serviceTags: [] },
} as const satisfies Record<string, FlowEndpoint>;

export interface ReachabilityCheck {
  id: string;
  endpoint: string;
  traffic: string;
  /** `partial`: some of a group of ranges are reachable, others not. */
  verdict: "allow" | "deny" | "depends" | "partial";
  /** How many of the endpoint's ranges (or domains) are allowed, out of how many. */
  allowed: number;
  total: number;
  /** The deciding rule, assuming the endpoint belongs to no tag the evaluator could not resolve. */
  decidedBy: string;
  /** Tag memberships the verdict turns on, when it does. */
  dependsOn?: string[];
}

export interface ReachabilityInput {
  rules: readonly PlannedSecurityRule[];
  /** The VNET's address space (or, for an existing VNET, what is known of it: the subnet). */
  virtualNetworkPrefixes: readonly string[];
  subnetPrefix: string;
  catalog?: EndpointCatalog;
  /** The firewall's domain allow-list, when the component plans one. */
  firewallDomains?: { level: DomainLevel; targetFqdns: readonly string[] };
  /** A GHE.com enterprise: its addresses and hosts are checked instead of github.com's. */
  dataResidency?: DataResidency;
}

function describeDecision(decision: FlowDecision): string {
  const last = decision.outcomes[decision.outcomes.length - 1].decidedBy;
  if (last === "platform") return "platform traffic, not filtered by NSGs";
  return `${last.name} (${last.priority}${last.isDefault ? ", Azure default" : ""})`;
}

/** Each catalog range's samples, made once per process: every network's summary checks the same ranges. */
const samplesByRange = new Map<string, readonly FlowEndpoint[]>();

/** First and last address of each range: the planned rules allow or deny whole CIDR blocks. */
function rangeSamples(range: string): readonly FlowEndpoint[] {
  let samples = samplesByRange.get(range);
  if (!samples) {
    const cidr = parseCidr(range, { strict: false });
    samples = [{ address: formatAddress(cidr.family, cidr.base) }, { address: formatAddress(cidr.family, lastAddress(cidr)) }];
    samplesByRange.set(range, samples);
  }
  return samples;
}

export function summarizeReachability(input: ReachabilityInput): ReachabilityCheck[] {
  const catalog = input.catalog ?? ENDPOINT_CATALOG;
  const context: EvaluationContext = { virtualNetworkPrefixes: input.virtualNetworkPrefixes };
  const subnet = parseCidr(input.subnetPrefix);
  // Azure keeps the first four addresses of a subnet; the first runner gets the fifth.
  const runner: FlowEndpoint = { address: formatAddress(subnet.family, subnet.base + 4n), serviceTags: [] };
  const vnet = parseCidr(input.virtualNetworkPrefixes[0] ?? input.subnetPrefix, { strict: false });
  const vnetPeer: FlowEndpoint = { address: formatAddress(vnet.family, lastAddress(vnet) - 1n), serviceTags: [] };
  const out = (destination: FlowEndpoint, port: number): Flow => tcpConnection("Outbound", runner, destination, port);
  const into = (source: FlowEndpoint, port: number): Flow => tcpConnection("Inbound", source, runner, port);

  const single = (id: string, endpoint: string, traffic: string, flow: Flow): ReachabilityCheck => {
    const decision = evaluateFlow(input.rules, flow, context);
    return {
      id,
      endpoint,
      traffic,
      verdict: decision.verdict,
      allowed: decision.verdict === "allow" ? 1 : 0,
      total: 1,
      decidedBy: describeDecision(decision),
      ...(decision.verdict === "depends" ? { dependsOn: decision.unresolvedTags } : {}),
    };
  };
  const ranges = (id: string, endpoint: string, list: readonly string[], port: number): ReachabilityCheck => {
    const decisions = list.map((range) => rangeSamples(range).map((sample) => evaluateFlow(input.rules, out(sample, port), context)));
    const allowed = decisions.filter((pair) => pair.every((d) => d.verdict === "allow")).length;
    const denied = decisions.filter((pair) => pair.every((d) => d.verdict === "deny")).length;
    const deciders = [...new Set(decisions.flat().map(describeDecision))];
    return {
      id,
      endpoint: `${endpoint} (${list.length} range${list.length === 1 ? "" : "s"})`,
      traffic: `TCP ${port} out`,
      verdict:
        allowed === list.length ? "allow" : denied === list.length ? "deny" : allowed + denied === list.length ? "partial" : "depends",
      allowed,
      total: list.length,
      decidedBy: deciders.join(", "),
    };
  };

  const residency = input.dataResidency;
  const github = residency ? gheComAddressLists(residency) : catalog;
  const label = residency ? gheComAddressesLabel(residency) : "GitHub web/api/git/packages";
  const checks: ReachabilityCheck[] = [];
  if (github.ipv4.length) checks.push(ranges("github-ipv4-https", `${label} IPv4`, github.ipv4, 443));
  if (github.ipv6.length) checks.push(ranges("github-ipv6-https", `${label} IPv6`, github.ipv6, 443));
  checks.push(
    single("storage-https", "Azure Storage (Storage tag)", "TCP 443 out", out(SAMPLE_ENDPOINTS.storage, 443)),
    single("azurecloud-https", "Other Azure services (AzureCloud tag)", "TCP 443 out", out(SAMPLE_ENDPOINTS.azureCloud, 443)),
    single("vnet-https", "VNET and connected networks", "TCP 443 out", out(vnetPeer, 443)),
    single("internet-https", "Other internet, IPv4", "TCP 443 out", out(SAMPLE_ENDPOINTS.internet, 443)),
    single("internet-ipv6-https", "Other internet, IPv6", "TCP 443 out", out(SAMPLE_ENDPOINTS.internetIpv6, 443)),
    single("internet-http", "Other internet, IPv4", "TCP 80 out", out(SAMPLE_ENDPOINTS.internet, 80)),
  );
  if (github.ipv4.length)
    checks.push(ranges("github-ipv4-ssh", `${residency ? "GHE.com" : "GitHub"} IPv4 on another port`, github.ipv4, 22));
  checks.push(
    single("inbound-internet", "Inbound from the internet", "TCP 443 in", into(SAMPLE_ENDPOINTS.internet, 443)),
    single("inbound-vnet", "Inbound from the VNET", "TCP 22 in", into(vnetPeer, 22)),
  );
  if (input.firewallDomains) {
    // GHE.com publishes no exact list: its documented hosts, less storage (the Storage network rule's).
    const required = residency
      ? gheComRequirements(residency)
          .filter((requirement) => !(requirement.hosting?.kind === "azure" && requirement.hosting.tags.includes("Storage")))
          .map((requirement) => requirement.host)
      : catalog.domains.exact;
    const covered = required.filter((domain) => domainCovered(domain, input.firewallDomains!.targetFqdns)).length;
    checks.push({
      id: "firewall-domains",
      endpoint: `${residency ? "GHE.com's documented hosts" : "GitHub's exact domains"} through the firewall's ${input.firewallDomains.level} list`,
      traffic: "HTTPS 443",
      verdict: covered === required.length ? "allow" : covered === 0 ? "deny" : "partial",
      allowed: covered,
      total: required.length,
      decidedBy: `application rule, ${input.firewallDomains.targetFqdns.length} target FQDNs`,
    });
  }
  return checks;
}
