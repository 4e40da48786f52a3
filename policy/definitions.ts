/**
 * The pack's policies as data: name, description, default enforcement level, config schema (with
 * defaults) and the pure check each one runs. No Pulumi here: policy/index.ts turns these into
 * `@pulumi/policy` objects and policy/evaluate.ts runs them offline.
 */
import { ENDPOINT_CATALOG } from "../components/lib/catalog";
import { anyListedRegions } from "../components/lib/regions";
import { gheComDocumentedAddresses } from "../components/lib/ghecom";
import { RUNNER_BUFFER_PERCENT } from "../components/lib/sizing";
import {
  checkExplicitEgress,
  checkNetworkSettingsProperties,
  checkNetworkSettingsTarget,
  checkRunnerNsgInbound,
  checkRunnerOutbound,
  checkRunnerSubnetShape,
  checkStaleGitHubRanges,
  checkSubnetCapacity,
  dedupe,
  type StaleRangesConfig,
  type EgressConfig,
  type EgressScope,
} from "./checks";
import { KNOWN_NETWORK_SETTINGS_API_VERSIONS } from "./facts";
import type { Finding, ResourceView } from "./model";

/** Levels a policy can be configured to; `remediate` is not offered (the pack only validates). */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** The JSON schema subset the pack's config properties use (Pulumi validates config against it). */
export interface ConfigProperty {
  type: "boolean" | "integer" | "array";
  description: string;
  default: boolean | number | string[];
  items?: { type: "string" };
  minimum?: number;
  maximum?: number;
}

interface PolicyBase {
  name: string;
  description: string;
  enforcementLevel: Exclude<EnforcementLevel, "disabled">;
  remediationSteps: string;
  configSchema: { properties: Record<string, ConfigProperty> };
}

export interface ResourcePolicyDefinition extends PolicyBase {
  scope: "resource";
  /** Runs on each resource's inputs. */
  check: (resource: ResourceView, config: Record<string, unknown>) => Finding[];
}

export interface StackPolicyDefinition extends PolicyBase {
  scope: "stack";
  /** Runs once on every resource's outputs. */
  check: (resources: readonly ResourceView[], config: Record<string, unknown>) => Finding[];
}

export type PolicyDefinition = ResourcePolicyDefinition | StackPolicyDefinition;

/**
 * Binds a check to its definition. The config it receives has every schema property, defaults
 * filled in (configWithDefaults), and Pulumi has validated user values against the schema.
 */
function resourcePolicy<C>(
  definition: Omit<ResourcePolicyDefinition, "scope" | "check"> & { check: (resource: ResourceView, config: C) => Finding[] },
): ResourcePolicyDefinition {
  return { ...definition, scope: "resource", check: (resource, config) => definition.check(resource, config as C) };
}

function stackPolicy<C>(
  definition: Omit<StackPolicyDefinition, "scope" | "check"> & { check: (resources: readonly ResourceView[], config: C) => Finding[] },
): StackPolicyDefinition {
  return { ...definition, scope: "stack", check: (resources, config) => definition.check(resources, config as C) };
}

/** The config a check receives: the schema's defaults, overridden by what the user set. */
export function configWithDefaults(definition: PolicyBase, configured: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(definition.configSchema.properties).map(([key, property]) => [key, property.default]));
  const { enforcementLevel: _level, ...rest } = configured;
  return { ...defaults, ...rest };
}

const trustExternalResources: ConfigProperty = {
  type: "boolean",
  default: false,
  description:
    "Accept network security groups, route tables and subnets that the stack refers to but does not manage, without checking them.",
};

const subnetsWithEgressElsewhere: ConfigProperty = {
  type: "array",
  items: { type: "string" },
  default: [],
  description:
    "Runner subnets (Pulumi resource names, or inline subnet names) whose default route comes from outside the stack, such as a route a hub gateway advertises over BGP; their egress is not checked.",
};

export const POLICY_NAMES = {
  subnetShape: "runner-subnet-nsg-and-delegation",
  inbound: "runner-nsg-denies-inbound",
  outbound: "runner-outbound-not-wide-open",
  egress: "runner-subnet-explicit-egress",
  implicitEgress: "runner-subnet-implicit-egress",
  networkSettings: "network-settings-properties",
  networkSettingsTarget: "network-settings-subnet-and-region",
  capacity: "runner-subnet-capacity",
  staleRanges: "nsg-stale-github-ranges",
} as const;

/** The two egress policies check the same thing for subnets with and without default outbound access. */
function egressPolicy(
  scope: EgressScope,
  fields: Pick<PolicyBase, "name" | "description" | "enforcementLevel" | "remediationSteps">,
): StackPolicyDefinition {
  return stackPolicy({
    ...fields,
    configSchema: { properties: { trustExternalResources, subnetsWithEgressElsewhere } },
    check: (resources, config: EgressConfig) => checkExplicitEgress(resources, config, scope),
  });
}

export const POLICY_DEFINITIONS: readonly PolicyDefinition[] = [
  resourcePolicy({
    name: POLICY_NAMES.subnetShape,
    description: "A subnet delegated to GitHub.Network/networkSettings has a network security group and no other delegation.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Attach an NSG to the runner subnet (networkSecurityGroup: { id }) and keep GitHub.Network/networkSettings as its only delegation.",
    configSchema: { properties: {} },
    check: (resource) => checkRunnerSubnetShape(resource),
  }),
  stackPolicy({
    name: POLICY_NAMES.inbound,
    description: "The runner subnet's NSG denies all inbound traffic and has no inbound allow from the internet or any address.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove inbound Allow rules whose source is Internet, * or 0.0.0.0/0, and add an inbound Deny rule for any source, destination, port and protocol (for example at priority 4096).",
    configSchema: {
      properties: {
        requireDenyAllInbound: {
          type: "boolean",
          default: true,
          description:
            "Require an explicit rule that denies all inbound traffic (Azure's default rules allow VNET and load balancer traffic).",
        },
        forbiddenInboundSources: {
          type: "array",
          items: { type: "string" },
          default: ["*", "Any", "Internet", "0.0.0.0/0", "::/0"],
          description: "Sources an inbound Allow rule must not name (compared case-insensitively).",
        },
        trustExternalResources,
      },
    },
    check: checkRunnerNsgInbound,
  }),
  stackPolicy({
    name: POLICY_NAMES.outbound,
    description: "The runner subnet's NSG does not allow all ports to the internet, unless the subnet's default route leads to a firewall.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Allow only the ports runners need (443) and end the outbound rules with a Deny to Internet, or route 0.0.0.0/0 to a firewall (next hop VirtualAppliance).",
    configSchema: {
      properties: {
        allowWhenRoutedToFirewall: {
          type: "boolean",
          default: true,
          description:
            "Accept open outbound NSG rules when the subnet's default route leads to a virtual appliance, which filters the traffic instead.",
        },
        trustExternalResources,
      },
    },
    check: checkRunnerOutbound,
  }),
  egressPolicy("required", {
    name: POLICY_NAMES.egress,
    description:
      "A runner subnet without default outbound access has an explicit egress: a NAT gateway, or a route table with a default route.",
    enforcementLevel: "mandatory",
    remediationSteps: "Attach a NAT gateway (natGateway: { id }) or a route table whose 0.0.0.0/0 route leads to a firewall.",
  }),
  egressPolicy("implicit", {
    name: POLICY_NAMES.implicitEgress,
    description: "A runner subnet that still relies on Azure's default outbound access should get an explicit egress.",
    enforcementLevel: "advisory",
    remediationSteps: "Attach a NAT gateway or a route to a firewall, then set defaultOutboundAccess: false.",
  }),
  resourcePolicy({
    name: POLICY_NAMES.networkSettings,
    description: "A GitHub.Network/networkSettings resource uses a known API version, a digits-only businessId and a subnet resource ID.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Use a known apiVersion, the GraphQL databaseId of the organization or enterprise as businessId, and the runner subnet's ID as subnetId.",
    configSchema: {
      properties: {
        knownApiVersions: {
          type: "array",
          items: { type: "string" },
          default: [...KNOWN_NETWORK_SETTINGS_API_VERSIONS],
          description: "API versions of GitHub.Network/networkSettings to accept.",
        },
      },
    },
    check: checkNetworkSettingsProperties,
  }),
  stackPolicy({
    name: POLICY_NAMES.networkSettingsTarget,
    description:
      "A GitHub.Network/networkSettings resource is in a supported region and points at a subnet delegated to GitHub.Network in a VNET of the same region.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Point subnetId at the runner subnet, delegate that subnet to GitHub.Network/networkSettings, and create networkSettings in the VNET's region.",
    configSchema: {
      properties: {
        supportedRegions: {
          type: "array",
          items: { type: "string" },
          default: anyListedRegions(),
          description:
            "Regions where GitHub offers Azure private networking for hosted runners (github.com's and GHE.com's, every platform).",
        },
        trustExternalResources,
      },
    },
    check: checkNetworkSettingsTarget,
  }),
  resourcePolicy({
    name: POLICY_NAMES.capacity,
    description:
      "The subnet a GitHubRunnerNetwork sized holds its maxConcurrentRunners plus a 30 % buffer and Azure's 5 reserved addresses.",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the component a larger subnetPrefix, or leave subnetPrefix out so the component sizes the subnet.",
    configSchema: {
      properties: {
        bufferPercent: {
          type: "integer",
          default: RUNNER_BUFFER_PERCENT,
          minimum: 0,
          maximum: 1000,
          description: "Headroom over peak concurrency, in percent (GitHub advises 30).",
        },
      },
    },
    check: checkSubnetCapacity,
  }),
  resourcePolicy({
    name: POLICY_NAMES.staleRanges,
    description: "NSG rules that list GitHub addresses should list only ranges GitHub still publishes.",
    enforcementLevel: "advisory",
    remediationSteps:
      "Regenerate the address list from the endpoint catalog (npm run catalog:generate), or allow-list GitHub's domains on a firewall.",
    configSchema: {
      properties: {
        ignoredPrefixes: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Addresses that may appear in GitHub rules although GitHub does not publish them.",
        },
      },
    },
    check: (resource, config: StaleRangesConfig) => checkStaleGitHubRanges(resource, config, PUBLISHED_RANGES),
  }),
];

/** What GitHub publishes: the endpoint catalog's ranges and those of GitHub's GHE.com page. */
const PUBLISHED_RANGES = (() => {
  const gheCom = gheComDocumentedAddresses();
  return {
    ipv4: [...ENDPOINT_CATALOG.ipv4, ...gheCom.ipv4],
    ipv6: [...ENDPOINT_CATALOG.ipv6, ...gheCom.ipv6],
    takenAt: ENDPOINT_CATALOG.source.takenAt,
  };
})();

/** Runs one definition the way the engine would: per resource (inputs) or once per stack (outputs). */
export function runDefinition(
  definition: PolicyDefinition,
  resources: readonly { inputs: ResourceView; outputs: ResourceView }[],
  configured?: Record<string, unknown>,
): Finding[] {
  const config = configWithDefaults(definition, configured);
  const findings =
    definition.scope === "resource"
      ? resources.flatMap((resource) => definition.check(resource.inputs, config))
      : definition.check(
          resources.map((resource) => resource.outputs),
          config,
        );
  return dedupe(findings);
}
