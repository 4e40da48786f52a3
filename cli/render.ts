/** Human-readable rendering of an offline plan. */
import { GITHUB_RUNNER_NETWORK_TYPE } from "../components/lib/resource-types";
import type { PlannedSecurityRule } from "../components/lib/nsg-rules";
import { summarizeReachability, type ReachabilityCheck } from "../components/lib/reachability";
import { GHECOM_GEOGRAPHY_FACTS, gheComHost, type DataResidency } from "../components/lib/ghecom";
import type { DomainLevel } from "../components/lib/catalog";
import { AZURE_RESERVED_ADDRESSES_PER_SUBNET, RUNNER_BUFFER_PERCENT } from "../components/lib/sizing";
import { GROWING_README_SECTION } from "../components/lib/subnet-growth";
import { NETWORK_CONFIGURATION_TYPE, RUNNER_GROUP_BINDING_TYPE } from "../components/github/types";
import type { RecordedResource } from "./offline-engine";
import { networkEgressReport, plannedFirewallFqdns, type NetworkEgressReport } from "./egress-report";
import { PUBLISHED_ACTIONS_PURPOSE } from "../components/lib/runner-requirements";
import type { PlanReport } from "./plan";

/** Columns padded to their widest cell, two spaces apart; no trailing blanks. */
export function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
        .join("  ")
        .trimEnd(),
  );
}

/** Where a resource managed through an explicit provider goes: that provider's subscription. */
function providerNote(resource: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): string {
  if (!resource.provider) return "";
  const provider = byUrn.get(resource.provider);
  const subscription = provider?.inputs.subscriptionId;
  return typeof subscription === "string"
    ? `  [subscription ${subscription}, via ${provider!.name}]`
    : `  [via ${provider?.name ?? resource.provider}]`;
}

function tree(resources: RecordedResource[]): string[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const children = new Map<string | null, RecordedResource[]>();
  for (const resource of resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, index) => {
      const last = index === list.length - 1;
      const branch = parent === null ? "" : last ? "└─ " : "├─ ";
      lines.push(`${prefix}${branch}${resource.name}  (${resource.type})${providerNote(resource, byUrn)}`);
      walk(resource.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
    });
  };
  walk(null, "  ");
  return lines;
}

function addresses(rule: PlannedSecurityRule, side: "source" | "destination"): string {
  const list =
    side === "source"
      ? (rule.sourceAddressPrefixes ?? [rule.sourceAddressPrefix ?? "*"])
      : (rule.destinationAddressPrefixes ?? [rule.destinationAddressPrefix ?? "*"]);
  return list.length <= 2 ? list.join(", ") : `${list.length} prefixes (${list.slice(0, 2).join(", ")}, ...)`;
}

function nsgTable(rules: PlannedSecurityRule[]): string[] {
  const rows = [["Direction", "Priority", "Name", "Access", "Protocol", "Source", "Destination", "Ports"]];
  for (const rule of rules) {
    rows.push([
      rule.direction,
      String(rule.priority),
      rule.name,
      rule.access,
      rule.protocol,
      addresses(rule, "source"),
      addresses(rule, "destination"),
      (rule.destinationPortRanges ?? [rule.destinationPortRange ?? "*"]).join(","),
    ]);
  }
  return table(rows, "    ");
}

const EGRESS_TEXT: Record<string, (count: number) => string> = {
  natGateway: (count) => `NAT gateway with ${count} static public IP${count === 1 ? "" : "s"}`,
  firewall: () => "default route 0.0.0.0/0 to the firewall",
  none: () => "none created: the caller provides it (subnet has no default outbound access)",
};

const OUTBOUND_TEXT: Record<string, string> = {
  restricted: "restricted: VNET, Storage, AzureCloud and GitHub's ranges on 443; other internet denied",
  https: "https: 443 to anywhere; other internet denied",
};

/** The component's recorded inputs: designSummary in components/github-runner-network.ts. */
interface DesignSummary {
  location?: string;
  addressSpace?: string;
  subnetPrefix?: string;
  maxConcurrentRunners?: number;
  runnerCapacity?: number;
  egress?: string;
  outbound?: string;
  natGatewayPublicIpCount?: number;
  dataResidency?: DataResidency;
}

function networkSection(component: RecordedResource, resources: RecordedResource[]): string[] {
  const design = component.inputs as DesignSummary;
  const children = resources.filter((r) => r.parent === component.urn);
  const child = (type: string) => children.find((r) => r.type === type);
  const nsg = child("azure-native:network:NetworkSecurityGroup");
  const route = child("azure-native:network:RouteTable");
  const nextHop = (route?.inputs.routes as { nextHopIpAddress?: string }[] | undefined)?.[0]?.nextHopIpAddress;
  const runners =
    design.maxConcurrentRunners === undefined
      ? ""
      : ` (asked ${design.maxConcurrentRunners}, plus ${RUNNER_BUFFER_PERCENT} % buffer and ${AZURE_RESERVED_ADDRESSES_PER_SUBNET} reserved addresses)`;
  const prefixLength = Number(String(design.subnetPrefix).split("/")[1]);
  const lines = [
    `Network "${component.name}" in ${design.location}${design.dataResidency ? `, for ${gheComHost(design.dataResidency)} (GHE.com, ${GHECOM_GEOGRAPHY_FACTS[design.dataResidency.geography].label})` : ""}`,
    `  VNET       ${design.addressSpace ? `${design.addressSpace} (new)` : "existing VNET"}`,
    `  Subnet     ${design.subnetPrefix}: ${2 ** (32 - prefixLength)} addresses, holds ${design.runnerCapacity} concurrent runners${runners}`,
    `  Egress     ${EGRESS_TEXT[String(design.egress)](Number(design.natGatewayPublicIpCount))}${nextHop ? ` ${nextHop}` : ""}`,
    `  Outbound   ${OUTBOUND_TEXT[String(design.outbound)]}`,
  ];
  if (nsg) lines.push(`  NSG ${nsg.name}`, ...nsgTable(nsg.inputs.securityRules as PlannedSecurityRule[]));
  const firewallGroup = child("azure-native:network:FirewallPolicyRuleCollectionGroup");
  const domains = firewallGroup ? firewallDomains(component, firewallGroup) : undefined;
  if (firewallGroup && domains) {
    const group = firewallGroup.inputs as {
      ruleCollectionGroupName?: string;
      priority?: number;
      firewallPolicyName?: string;
      resourceGroupName?: string;
    };
    lines.push(
      `  Firewall   rule collection group ${group.ruleCollectionGroupName} (priority ${group.priority}) in policy ${group.firewallPolicyName} (${group.resourceGroupName}):`,
      `             Storage tag on 443, and ${domains.targetFqdns.length} domains (${design.dataResidency ? `the hosts GitHub documents for GHE.com, ${domains.level} level` : `GitHub's ${domains.level} list with the hosts GitHub documents for runners`}) on HTTPS 443`,
    );
  }
  if (nsg) lines.push(...reachabilityTable(networkReachability(component, resources), String(design.egress)));
  if (nsg) lines.push(...requirementsTable(networkEgressReport(component, resources)));
  return lines;
}

/** GitHub's and the platform's requirements one per row; /meta's published hosts counted by verdict. */
function requirementsTable(report: NetworkEgressReport): string[] {
  const listed = report.requirements.filter((r) => r.purpose !== PUBLISHED_ACTIONS_PURPOSE);
  const published = report.requirements.filter((r) => r.purpose === PUBLISHED_ACTIONS_PURPOSE);
  const rows = [["Purpose", "Host", "Verdict", "Rule, or why"]];
  for (const r of listed) rows.push([r.purpose, r.host, r.verdict, [r.rule, r.reason].filter(Boolean).join(": ")]);
  const counts = (["allowed", "depends", "blocked"] as const)
    .map((verdict) => [verdict, published.filter((r) => r.verdict === verdict).length] as const)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${verdict}`);
  return [
    '  Requirements (what runners must reach, README "Requirements report")',
    ...table(rows, "    "),
    ...(published.length
      ? [`    and ${published.length} more Actions hosts GitHub publishes: ${counts.join(", ")} (plan --json lists each)`]
      : []),
  ];
}

/** The domain list the component chose (its recorded design summary) and the FQDNs its application rule allows. */
function firewallDomains(component: RecordedResource, group: RecordedResource): { level: DomainLevel; targetFqdns: string[] } | undefined {
  const targetFqdns = plannedFirewallFqdns(group);
  const level = component.inputs.domainAllowList as DomainLevel | undefined;
  return targetFqdns && level ? { level, targetFqdns } : undefined;
}

/** The catalog's endpoints evaluated against the network's planned NSG (and firewall domain rules). */
export function networkReachability(component: RecordedResource, resources: RecordedResource[]): ReachabilityCheck[] {
  const design = component.inputs as { addressSpace?: string; subnetPrefix: string; dataResidency?: DataResidency };
  const children = resources.filter((r) => r.parent === component.urn);
  const nsg = children.find((r) => r.type === "azure-native:network:NetworkSecurityGroup");
  const group = children.find((r) => r.type === "azure-native:network:FirewallPolicyRuleCollectionGroup");
  return summarizeReachability({
    rules: (nsg?.inputs.securityRules ?? []) as PlannedSecurityRule[],
    // An existing VNET's address space is unknown offline: the subnet stands in for it.
    virtualNetworkPrefixes: [design.addressSpace ?? design.subnetPrefix],
    subnetPrefix: design.subnetPrefix,
    firewallDomains: group ? firewallDomains(component, group) : undefined,
    dataResidency: design.dataResidency,
  });
}

function resultText(check: ReachabilityCheck): string {
  const of = check.total > 1;
  switch (check.verdict) {
    case "allow":
      return of ? `allowed ${check.allowed}/${check.total}` : "allowed";
    case "deny":
      return of ? `denied ${check.total}/${check.total}` : "denied";
    case "partial":
      return `partly: ${check.allowed}/${check.total} allowed`;
    default:
      return "depends";
  }
}

const EGRESS_NOTE: Record<string, string> = {
  natGateway: "allowed traffic leaves through the NAT gateway",
  firewall: "allowed traffic then passes the firewall, which decides by domain",
  none: "allowed traffic leaves only through the egress you provide",
};

function reachabilityTable(checks: ReachabilityCheck[], egress: string): string[] {
  const rows = [["Endpoint", "Traffic", "Result", "Decided by"]];
  for (const check of checks) {
    rows.push([
      check.endpoint,
      check.traffic,
      resultText(check),
      check.dependsOn ? `${check.decidedBy}; depends on ${check.dependsOn.join(", ")}` : check.decidedBy,
    ]);
  }
  return [`  Reachability (NSG evaluated offline; ${EGRESS_NOTE[egress] ?? "egress as configured"})`, ...table(rows, "    ")];
}

function flattenOutputs(value: unknown, path: string, out: string[]): string[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattenOutputs(inner, path ? `${path}.${key}` : key, out);
  } else if (typeof value === "string" && value.includes("\n")) {
    out.push(`  ${path}:`, ...value.split("\n").map((line) => `    ${line}`));
  } else {
    out.push(`  ${path} = ${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}`);
  }
  return out;
}

/** The GitHub network configuration as planned: which network is primary, which is failover, and the runner groups. */
function gitHubSection(recorded: RecordedResource[]): string[] {
  const configuration = recorded.find((r) => r.type === NETWORK_CONFIGURATION_TYPE);
  if (!configuration) return [];
  const inputs = configuration.inputs as {
    name: string;
    scope: string;
    slug: string;
    gitHubId?: string;
    failoverGitHubId?: string;
    failoverEnabled?: boolean;
  };
  // A GitHubId names a networkSettings resource; its parent is the network's component.
  const networkOf = (gitHubId: string | undefined) => {
    const settings = recorded.find(
      (r) => gitHubId !== undefined && (r.outputs.tags as Record<string, unknown> | undefined)?.GitHubId === gitHubId,
    );
    const component = settings && recorded.find((r) => r.urn === settings.parent);
    return component ? `network "${component.name}" (${String(component.inputs.location)})` : `networkSettings ${gitHubId}`;
  };
  const groups = recorded
    .filter((r) => r.type === RUNNER_GROUP_BINDING_TYPE)
    .map((binding) => {
      const group = binding.inputs as { runnerGroupName?: string; runnerGroupId?: number; createIfMissing?: boolean; visibility?: string };
      return group.runnerGroupName === undefined
        ? `id ${String(group.runnerGroupId)}`
        : `"${group.runnerGroupName}"${group.createIfMissing ? ` (created if missing${group.visibility ? `, visibility ${group.visibility}` : ""})` : ""}`;
    });
  return [
    `GitHub network configuration "${inputs.name}" in ${inputs.scope} "${inputs.slug}" (pulumi up sends it to GitHub; the offline plan sends nothing)`,
    `  Primary        ${networkOf(inputs.gitHubId)}`,
    inputs.failoverGitHubId === undefined
      ? "  Failover       none (a network with role failover becomes it)"
      : `  Failover       ${networkOf(inputs.failoverGitHubId)}, ${inputs.failoverEnabled ? "on" : "off"}: switched by hand, takes about 15 minutes, runners may run on both networks meanwhile`,
    `  Runner groups  ${groups.length ? groups.join(", ") : "none attached by this stack"}`,
    "",
  ];
}

/** What the plan assumes about deployed subnets, which only the stack's state knows (components/deployed-subnet.ts). */
const DEPLOYED_SUBNETS_ASSUMED = [
  "Subnets are planned as not deployed (no stack state is read). Under the engine a deployed subnet",
  "keeps its prefix while it holds maxConcurrentRunners, and a change Azure refuses for a subnet in use",
  `stops the preview before anything is changed (${GROWING_README_SECTION}).`,
];

export function renderPlan(report: PlanReport, recorded: RecordedResource[], configFile: string): string {
  const components = recorded.filter((r) => r.type === GITHUB_RUNNER_NETWORK_TYPE);
  const violations = report.policy.violations;
  return [
    `Offline plan of ${report.project}/${report.stack} (${configFile})`,
    "No engine, cloud or credentials were used. IDs carry a placeholder subscription; on a real deploy",
    "names get Pulumi's random suffix, and gitHubId and public IPs are known after `pulumi up`.",
    ...(components.length ? DEPLOYED_SUBNETS_ASSUMED : []),
    "",
    `Resources (${recorded.length})`,
    ...tree(recorded),
    "",
    ...components.flatMap((component) => [...networkSection(component, recorded), ""]),
    ...gitHubSection(recorded),
    "Outputs",
    ...flattenOutputs(report.outputs, "", []),
    "",
    violations.length === 0
      ? "Policy: no violations."
      : [
          `Policy: ${violations.length} violation${violations.length === 1 ? "" : "s"}`,
          ...violations.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message}${v.resource ? ` (${v.resource})` : ""}`),
        ].join("\n"),
  ].join("\n");
}
