/**
 * The requirements report of the offline plan: for every network, what GitHub-hosted runners must
 * reach and whether the planned NSG and egress let them (components/lib/runner-requirements.ts),
 * read from the planned resources as `pulumi preview` would see them.
 */
import { warningsNamingNetworks } from "./network-warnings";
import type { EndpointCatalog } from "../components/lib/catalog";
import { networkCatalog, type DataResidency } from "../components/lib/ghecom";
import { DOMAINS_COLLECTION, STORAGE_COLLECTION } from "../components/lib/firewall-rules";
import type { PlannedSecurityRule } from "../components/lib/nsg-rules";
import { GITHUB_RUNNER_NETWORK_TYPE } from "../components/lib/resource-types";
import {
  allRequirements,
  documentedRequirements,
  evaluateRequirements,
  HTTPS_ONLY_REASON,
  PUBLISHED_ACTIONS_PURPOSE,
  type RequirementResult,
} from "../components/lib/runner-requirements";
import type { RecordedResource } from "./offline-engine";

/** One network's entry in `plan --json`'s `egress`. */
export interface NetworkEgressReport {
  egress: string;
  outbound: string;
  requirements: RequirementResult[];
}

interface ComponentDesign {
  addressSpace?: string;
  subnetPrefix: string;
  egress: string;
  outbound: string;
  dataResidency?: DataResidency;
}

/** The firewall application rule's FQDNs, when the network plans domain rules. */
export function plannedFirewallFqdns(group: RecordedResource | undefined): string[] | undefined {
  if (!group) return undefined;
  const collections = (group.inputs.ruleCollections ?? []) as { rules?: { ruleType?: string; targetFqdns?: string[] }[] }[];
  const rule = collections.flatMap((c) => c.rules ?? []).find((r) => r.ruleType === "ApplicationRule");
  return rule?.targetFqdns ?? [];
}

export function networkEgressReport(
  component: RecordedResource,
  resources: readonly RecordedResource[],
  catalog?: EndpointCatalog,
): NetworkEgressReport {
  const design = component.inputs as unknown as ComponentDesign;
  const lists = catalog ?? networkCatalog(design.dataResidency);
  const children = resources.filter((r) => r.parent === component.urn);
  const nsg = children.find((r) => r.type === "azure-native:network:NetworkSecurityGroup");
  const targetFqdns = plannedFirewallFqdns(children.find((r) => r.type === "azure-native:network:FirewallPolicyRuleCollectionGroup"));
  return {
    egress: design.egress,
    outbound: design.outbound,
    requirements: evaluateRequirements(
      {
        rules: (nsg?.inputs.securityRules ?? []) as PlannedSecurityRule[],
        // An existing VNET's address space is unknown offline: the subnet stands in for it.
        virtualNetworkPrefixes: [design.addressSpace ?? design.subnetPrefix],
        subnetPrefix: design.subnetPrefix,
        egress: design.egress,
        catalog: lists,
        firewall: targetFqdns && { storageCollection: STORAGE_COLLECTION.name, domainsCollection: DOMAINS_COLLECTION.name, targetFqdns },
      },
      allRequirements(lists, documentedRequirements(design.dataResidency)),
    ),
  };
}

/** Every network's report, by network name. */
export function egressReports(recorded: readonly RecordedResource[]): Record<string, NetworkEgressReport> {
  return Object.fromEntries(
    recorded.filter((r) => r.type === GITHUB_RUNNER_NETWORK_TYPE).map((c) => [c.name, networkEgressReport(c, recorded)]),
  );
}

/** How to let a blocked requirement through, for the network's egress design. */
function fixFor(report: NetworkEgressReport, requirement: RequirementResult): string {
  if (report.egress === "firewall")
    return requirement.reason === HTTPS_ONLY_REASON
      ? "allow HTTP to it on your firewall (extraDomains are HTTPS only)"
      : "add the host to extraDomains (the firewall's domain list) or allow it on your firewall";
  if (report.outbound === "restricted")
    return 'set outbound: "https" (443 anywhere), add an extraSecurityRules entry that allows its addresses, or use egress "firewall" with extraDomains';
  return "add an extraSecurityRules entry that allows it";
}

/** One warning per documented requirement the networks block, with the fix, naming every network it concerns. */
export function blockedRequirementWarnings(reports: Readonly<Record<string, NetworkEgressReport>>): string[] {
  return warningsNamingNetworks(
    Object.entries(reports).flatMap(([network, report]) =>
      report.requirements
        // Documented requirements only: /meta's published hosts are counted in the plan, not warned one by one.
        .filter((requirement) => requirement.verdict === "blocked" && requirement.purpose !== PUBLISHED_ACTIONS_PURPOSE)
        .map(
          (requirement) =>
            [
              network,
              `${requirement.host} (${requirement.purpose}) is blocked: ${requirement.reason ?? "denied"}${requirement.rule ? ` by ${requirement.rule}` : ""}; to allow it, ${fixFor(report, requirement)}`,
            ] as const,
        ),
    ),
  );
}
