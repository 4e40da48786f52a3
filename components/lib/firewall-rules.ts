/**
 * Domain (FQDN) control on an existing Azure Firewall policy: the rule collection group that lets
 * the runner subnet reach GitHub's published domains. An NSG cannot hold domain names, so this is
 * where GitHub's recommended domain allow-list takes effect (shared/reference/
 * github-docs-private-networking-excerpts.md, "DNS/domain control").
 *
 * Everything here is derived from the catalog and the subnet prefix alone, with fixed names and
 * priorities, so an unchanged catalog plans an unchanged group (an empty diff).
 */
import { DEFAULT_DOMAIN_LEVEL, DOMAIN_LEVEL_META_PATHS, ENDPOINT_CATALOG, type DomainLevel, type EndpointCatalog } from "./catalog";

/** Azure Firewall policy rule collection group priorities run 100-65000, unique within a policy. */
export const FIREWALL_GROUP_PRIORITY_RANGE = { min: 100, max: 65000 } as const;
/** Leaves room below for a hub's own deny groups and above for broader allows. */
export const DEFAULT_FIREWALL_GROUP_PRIORITY = 2000;

/** Network rules are matched before application rules, so the Storage allow gets its own collection. */
export const STORAGE_COLLECTION = { name: "github-runners-azure-storage", priority: 100 } as const;
export const DOMAINS_COLLECTION = { name: "github-runners-github-domains", priority: 200 } as const;

/**
 * GitHub lists the runners' traffic as HTTPS on 443 (shared/reference/self-hosted-runner-communication-domains.md);
 * the meta endpoint names no domain that needs plain HTTP, so no port-80 rule is planned.
 */
export const DOMAIN_PROTOCOLS = [{ protocolType: "Https", port: 443 }] as const;

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

export function planFirewallRules(input: {
  networkName: string;
  subnetPrefix: string;
  level?: DomainLevel;
  priority?: number;
  catalog?: EndpointCatalog;
}): FirewallRuleCollectionGroupPlan {
  const catalog = input.catalog ?? ENDPOINT_CATALOG;
  const level = input.level ?? DEFAULT_DOMAIN_LEVEL;
  const sources = [input.subnetPrefix];
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
        rules: [
          {
            ruleType: "ApplicationRule",
            name: `github-${level}-domains-https`,
            // No snapshot date: a refreshed snapshot with the same domains must not change the group.
            description: `GitHub's ${DOMAIN_LEVEL_META_PATHS[level]} from the meta endpoint`,
            sourceAddresses: sources,
            protocols: DOMAIN_PROTOCOLS.map((protocol) => ({ ...protocol })),
            targetFqdns: [...catalog.domains[level]],
          },
        ],
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
