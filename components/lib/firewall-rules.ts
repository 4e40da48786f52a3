/**
 * Domain (FQDN) control on an existing Azure Firewall policy: the rule collection group that lets
 * the runner subnet reach GitHub's published domains. An NSG cannot hold domain names, so this is
 * where GitHub's recommended domain allow-list takes effect (shared/reference/
 * github-docs-private-networking-excerpts.md, "DNS/domain control").
 *
 * Each level allows GitHub's meta list of that name plus the hosts GitHub documents for runners
 * that the list lacks (runner-requirements.ts), and the user's `extraDomains`. Everything is
 * derived from those, the catalog and the subnet prefix, with fixed names and priorities, so an
 * unchanged catalog plans an unchanged group (an empty diff).
 */
import {
  ATTESTATION_META_PATH,
  DEFAULT_DOMAIN_LEVEL,
  DOMAIN_LEVEL_META_PATHS,
  ENDPOINT_CATALOG,
  compareText,
  normalizeDomain,
  type DomainLevel,
  type EndpointCatalog,
} from "./catalog";
// runner-requirements imports domainCovered from here; the table is read only inside functions.
import { GITHUB_DOCUMENTED_REQUIREMENTS, type RunnerRequirement } from "./runner-requirements";
import { GHECOM_GEOGRAPHY_FACTS, gheComRequirements, tenantCatalog, type DataResidency } from "./ghecom";

/** Azure Firewall policy rule collection group priorities run 100-65000, unique within a policy. */
export const FIREWALL_GROUP_PRIORITY_RANGE = { min: 100, max: 65000 } as const;
/** Leaves room below for a hub's own deny groups and above for broader allows. */
export const DEFAULT_FIREWALL_GROUP_PRIORITY = 2000;

/** Network rules are matched before application rules, so the Storage allow gets its own collection. */
export const STORAGE_COLLECTION = { name: "github-runners-azure-storage", priority: 100 } as const;
export const DOMAINS_COLLECTION = { name: "github-runners-github-domains", priority: 200 } as const;

/**
 * GitHub lists the runners' traffic as HTTPS on 443 (shared/reference/self-hosted-runner-communication-domains.md);
 * the meta endpoint names no domain that needs plain HTTP. A port-80 rule is planned only for a
 * documented host that needs it (`HTTP_PROTOCOLS`); GitHub's list has none today.
 */
export const DOMAIN_PROTOCOLS = [{ protocolType: "Https", port: 443 }] as const;
export const HTTP_PROTOCOLS = [{ protocolType: "Http", port: 80 }] as const;

/** A host the firewall allows besides the level's meta list, and why. */
export interface DomainAddition {
  host: string;
  port: 80 | 443;
  /** What needs it and who says so. */
  why: string;
}

/**
 * The hosts GitHub documents for runners that the level's meta list lacks: each host of GitHub's
 * communication requirements (`GITHUB_DOCUMENTED_REQUIREMENTS`, docs.github.com "About
 * GitHub-hosted runners") and each artifact attestation host of `/meta`, unless the list already
 * covers it. A `*.` host is added at the `standard` and `wildcard` levels only: `exact` holds
 * names, and GitHub's exact list names the hosts behind its wildcards (`*.blob.core.windows.net`
 * is left to the Storage network rule). Sorted, one entry per host and port.
 */
export function documentedAdditions(
  catalog: EndpointCatalog,
  level: DomainLevel,
  requirements: readonly RunnerRequirement[] = GITHUB_DOCUMENTED_REQUIREMENTS,
): DomainAddition[] {
  const listed = catalog.domains[level];
  const candidates: DomainAddition[] = [
    ...requirements.map(({ host, port, purpose }) => ({
      host: normalizeDomain(host),
      port,
      why: `${purpose}; GitHub's runner communication requirements`,
    })),
    ...catalog.attestationDomains.map((host) => ({
      host,
      port: 443 as const,
      why: `Artifact attestations; /meta ${ATTESTATION_META_PATH}`,
    })),
  ];
  const added = new Map<string, DomainAddition>();
  for (const candidate of candidates) {
    const key = `${candidate.host} ${candidate.port}`;
    if (added.has(key) || (level === "exact" && candidate.host.startsWith("*."))) continue;
    // Only HTTPS goes by the meta list: it allows nothing on port 80.
    if (candidate.port === 443 && domainCovered(candidate.host, listed)) continue;
    added.set(key, candidate);
  }
  return [...added.values()].sort((a, b) => compareText(a.host, b.host) || a.port - b.port);
}

/** The names the firewall allows on HTTPS at a level: the meta list and the documented additions, sorted. */
export function levelDomains(
  catalog: EndpointCatalog,
  level: DomainLevel,
  requirements: readonly RunnerRequirement[] = GITHUB_DOCUMENTED_REQUIREMENTS,
): string[] {
  const added = documentedAdditions(catalog, level, requirements).filter((addition) => addition.port === 443);
  return sortedUnique([...catalog.domains[level], ...added.map((addition) => addition.host)]);
}

function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort(compareText);
}

const BLOB_WILDCARD = "*.blob.core.windows.net";

/**
 * The names the firewall allows on HTTPS for a GHE.com enterprise: the hosts GitHub documents for
 * GHE.com (ghecom.ts) and the level's list of the enterprise's own `/meta` snapshot, when one was
 * taken. GitHub publishes no exact list for GHE.com, so the enterprise's wildcards stay at every
 * level; at `exact`, `*.blob.core.windows.net` gives way to the geography's storage accounts (or,
 * where GitHub lists none, to the Storage network rule). Names another entry covers are left out.
 */
export function gheComLevelDomains(
  residency: DataResidency,
  level: DomainLevel,
  tenant: EndpointCatalog | undefined = tenantCatalog(residency.subdomain),
): string[] {
  const documented = gheComRequirements(residency).map((requirement) => normalizeDomain(requirement.host));
  const names =
    level === "exact"
      ? [...documented.filter((host) => host !== BLOB_WILDCARD), ...GHECOM_GEOGRAPHY_FACTS[residency.geography].blobAccounts]
      : documented;
  const all = sortedUnique([...names, ...(tenant?.domains[level] ?? [])]);
  return all.filter(
    (host) =>
      !domainCovered(
        host,
        all.filter((other) => other !== host),
      ),
  );
}

/** An Azure Firewall policy's ARM ID, split into the parts the rule collection group needs. */
export interface FirewallPolicyRef {
  subscriptionId: string;
  resourceGroupName: string;
  firewallPolicyName: string;
}

const FIREWALL_POLICY_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Network\/firewallPolicies\/([A-Za-z0-9][\w.-]{0,79})$/i;

export const FIREWALL_POLICY_ID_EXAMPLE =
  "/subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/firewallPolicies/<policy>";

export function parseFirewallPolicyId(id: string): FirewallPolicyRef | undefined {
  const match = FIREWALL_POLICY_ID.exec(id.trim());
  return match ? { subscriptionId: match[1], resourceGroupName: match[2], firewallPolicyName: match[3] } : undefined;
}

/** The group's inputs in the shape azure-native's `FirewallPolicyRuleCollectionGroup` takes (plain values). */
export interface FirewallRuleCollectionGroupPlan {
  ruleCollectionGroupName: string;
  priority: number;
  ruleCollections: {
    ruleCollectionType: "FirewallPolicyFilterRuleCollection";
    name: string;
    priority: number;
    action: { type: "Allow" };
    rules: (
      | {
          ruleType: "NetworkRule";
          name: string;
          description: string;
          sourceAddresses: string[];
          destinationAddresses: string[];
          destinationPorts: string[];
          ipProtocols: string[];
        }
      | {
          ruleType: "ApplicationRule";
          name: string;
          description: string;
          sourceAddresses: string[];
          protocols: { protocolType: string; port: number }[];
          targetFqdns: string[];
        }
    )[];
  }[];
}

/** One group per runner network, named after it, so several networks can share one policy. */
export function ruleCollectionGroupName(networkName: string): string {
  const safe = networkName.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return `github-runners-${safe}`.slice(0, 80).replace(/[.-]+$/, "");
}

type FirewallRule = FirewallRuleCollectionGroupPlan["ruleCollections"][number]["rules"][number];

/**
 * The group for one runner subnet: Azure Storage by tag (network rule), then one application rule
 * on HTTPS with the level's meta list, the hosts GitHub documents for runners that it lacks
 * (`documentedAdditions`) and the user's `extraDomains`, plus an HTTP rule only for documented
 * hosts that need plain HTTP.
 */
export function planFirewallRules(input: {
  networkName: string;
  subnetPrefix: string;
  level?: DomainLevel;
  priority?: number;
  catalog?: EndpointCatalog;
  /** The user's own hosts (validated by the schema: names or `*.` wildcards, no public suffixes). */
  extraDomains?: readonly string[];
  /** GitHub's documented requirements; a parameter for tests. */
  requirements?: readonly RunnerRequirement[];
  /** A GHE.com enterprise: its hosts instead of github.com's (`gheComLevelDomains`). */
  dataResidency?: DataResidency;
}): FirewallRuleCollectionGroupPlan {
  const catalog = input.catalog ?? ENDPOINT_CATALOG;
  const level = input.level ?? DEFAULT_DOMAIN_LEVEL;
  const sources = [input.subnetPrefix];
  const requirements = input.requirements ?? GITHUB_DOCUMENTED_REQUIREMENTS;
  const extra = (input.extraDomains ?? []).map(normalizeDomain);
  const residency = input.dataResidency;
  const httpHosts = residency
    ? []
    : documentedAdditions(catalog, level, requirements)
        .filter((addition) => addition.port === 80)
        .map((addition) => addition.host);
  const domainRules: FirewallRule[] = [
    {
      ruleType: "ApplicationRule",
      name: `github-${level}-domains-https`,
      // No snapshot date: a refreshed snapshot with the same domains must not change the group.
      description: residency
        ? `Hosts GitHub documents for GHE.com (${residency.subdomain}.ghe.com, ${GHECOM_GEOGRAPHY_FACTS[residency.geography].label}) and the enterprise's ${DOMAIN_LEVEL_META_PATHS[level]} when snapshotted${extra.length ? ", your extraDomains" : ""}`
        : `GitHub's ${DOMAIN_LEVEL_META_PATHS[level]} from the meta endpoint, hosts GitHub documents for runners${extra.length ? ", your extraDomains" : ""}`,
      sourceAddresses: sources,
      protocols: DOMAIN_PROTOCOLS.map((protocol) => ({ ...protocol })),
      targetFqdns: sortedUnique([
        ...(residency ? gheComLevelDomains(residency, level) : levelDomains(catalog, level, requirements)),
        ...extra,
      ]),
    },
    ...(httpHosts.length
      ? [
          {
            ruleType: "ApplicationRule" as const,
            name: "github-documented-hosts-http",
            description: "Hosts GitHub documents for runners that need plain HTTP",
            sourceAddresses: sources,
            protocols: HTTP_PROTOCOLS.map((protocol) => ({ ...protocol })),
            targetFqdns: httpHosts,
          },
        ]
      : []),
  ];
  return {
    ruleCollectionGroupName: ruleCollectionGroupName(input.networkName),
    priority: input.priority ?? DEFAULT_FIREWALL_GROUP_PRIORITY,
    ruleCollections: [
      {
        ruleCollectionType: "FirewallPolicyFilterRuleCollection",
        name: STORAGE_COLLECTION.name,
        priority: STORAGE_COLLECTION.priority,
        action: { type: "Allow" },
        rules: [
          {
            ruleType: "NetworkRule",
            name: "azure-storage-https",
            description: "Actions logs, artifacts, caches and job summaries in Azure Storage",
            sourceAddresses: sources,
            destinationAddresses: ["Storage"],
            destinationPorts: ["443"],
            ipProtocols: ["TCP"],
          },
        ],
      },
      {
        ruleCollectionType: "FirewallPolicyFilterRuleCollection",
        name: DOMAINS_COLLECTION.name,
        priority: DOMAINS_COLLECTION.priority,
        action: { type: "Allow" },
        rules: domainRules,
      },
    ],
  };
}

/**
 * Whether a host name is allowed by a list of target FQDNs as Azure Firewall reads them: an
 * entry matches itself, and a leading `*.` matches any name ending in the rest (one or more labels).
 */
export function domainCovered(domain: string, patterns: readonly string[]): boolean {
  const host = domain.toLowerCase();
  return patterns.some((pattern) => {
    const entry = pattern.toLowerCase();
    return entry.startsWith("*.") ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry;
  });
}
