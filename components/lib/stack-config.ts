/**
 * Validation of the stack config: every network on its own (network-schema.ts, network-design.ts),
 * then what networks must agree on, and the github section (github-config.ts). Every problem is
 * reported with its key path and what is allowed, all at once, before any resource is registered.
 */
import { z } from "zod";
import { formatCidr, overlaps, parseCidr, type Cidr } from "./cidr";
import { FIREWALL_GROUP_PRIORITY_RANGE } from "./firewall-rules";
import { signInConfigProblems } from "./github-app";
import { dataResidencyProblems, effectiveApiUrl, gitHubConfigSchema, networkConfigurationProblems } from "./github-config";
import { dataResidencySchema } from "./network-schema";
import { designNetwork, type RunnerNetworkDesign } from "./network-design";
import { NETWORK_ROLES, networkShape, tagsSchema, type NetworkRole } from "./network-schema";
import { describe, issuesFromZod, oneOf, parseEntry, strictObject, type Validated } from "./schema-helpers";
import { quoted, type Problem } from "./problems";

export const NETWORK_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const networkEntrySchema = strictObject({
  name: z
    .string(describe("1-40 of a-z, 0-9 and '-', not starting or ending with '-'"))
    .regex(NETWORK_NAME_PATTERN, "must be 1-40 of a-z, 0-9 and '-', not starting or ending with '-'")
    .meta({
      allowed: "1-40 of `a-z`, `0-9` and `-`, not starting or ending with `-`; unique",
      description: "The network's name: the key of its stack outputs and of its resources.",
    }),
  role: oneOf(NETWORK_ROLES).optional().meta({
    default: "`primary`",
    allowed: "at most one `failover`, and not without a `primary`",
    description: "Whether the network is a primary or the failover network of the GitHub network configuration.",
  }),
  ...networkShape,
});

export const stackConfigSchema = strictObject({
  github: gitHubConfigSchema.meta({
    description: "The GitHub organization or enterprise the runners belong to, and the network configuration this stack may manage.",
  }),
  // Never echoed in messages: it is a credential.
  githubToken: z
    .string({ error: "must be a string: set it with pulumi config set --secret azure-github-runner-network:githubToken" })
    .optional()
    .meta({
      default: "`GITHUB_TOKEN` from the environment",
      allowed:
        "a Pulumi secret (`pulumi config set --secret azure-github-runner-network:githubToken`); a plain-text value is refused; not with `github.app`",
      description: "The GitHub token; see [Sign-in options and permissions](#sign-in-options-and-permissions).",
    }),
  networks: z
    .array(networkEntrySchema, describe("a list of networks, each with at least name and location"))
    .min(1, "must list at least one network")
    .meta({
      allowed: "at least one network; names unique, address spaces and subnets not overlapping",
      description: "The networks; each takes the component's arguments under the same names.",
    }),
  tags: tagsSchema.optional().meta({
    type: "map of string to string",
    default: "none",
    allowed: "Azure tag limits, as for a network's `tags`",
    description: "Tags on every Azure resource; a network's own tags win.",
  }),
});

export type StackConfig = z.output<typeof stackConfigSchema>;
export type NetworkEntry = StackConfig["networks"][number];

export interface ValidatedStackConfig {
  github: Omit<StackConfig["github"], "businessId"> & { businessId: string };
  tags: Record<string, string>;
  networks: (NetworkEntry & { role: NetworkRole; design: RunnerNetworkDesign })[];
}

/** The same, where a GitHub token may look businessId up (then it can be missing). */
export type ValidatedStackConfigWithLookup = Omit<ValidatedStackConfig, "github"> & {
  github: Omit<ValidatedStackConfig["github"], "businessId"> & { businessId?: string };
};

export interface StackValidationOptions {
  /** A GitHub token or app is at hand, so a missing github.businessId can be looked up from github.slug. */
  businessIdLookup?: boolean;
}

/**
 * Validates the stack config: every network on its own, then what networks must agree on
 * (unique names, one failover at most, address spaces and subnets that do not overlap).
 */
export function validateStackConfig(config: unknown): Validated<ValidatedStackConfig>;
export function validateStackConfig(config: unknown, options: StackValidationOptions): Validated<ValidatedStackConfigWithLookup>;
export function validateStackConfig(config: unknown, options: StackValidationOptions = {}): Validated<ValidatedStackConfigWithLookup> {
  // The plan checks the config before it starts Pulumi, and the stack program checks it again
  // when it runs: the same content gets the same answer, computed once.
  const key = contentKey([config, options.businessIdLookup === true]);
  if (key !== undefined && lastValidation?.key === key) return lastValidation.result;
  const result = validateStackConfigOnce(config, options);
  if (key !== undefined) lastValidation = { key, result };
  return result;
}

let lastValidation: { key: string; result: Validated<ValidatedStackConfigWithLookup> } | undefined;

/** A text that is equal for equal config content; undefined for what JSON cannot hold (then nothing is remembered). */
function contentKey(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function validateStackConfigOnce(config: unknown, options: StackValidationOptions): Validated<ValidatedStackConfigWithLookup> {
  const issues: Problem[] = [];
  const root = typeof config === "object" && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  // Each network is parsed on its own so that one bad entry does not hide problems in another.
  const { networks: rawNetworks, ...rest } = root;
  const top = stackConfigSchema.omit({ networks: true }).safeParse(rest);
  if (!top.success) issues.push(...issuesFromZod(top.error, ""));
  const rawGitHub = rest.github as { businessId?: unknown } | undefined;
  if (typeof rawGitHub === "object" && rawGitHub !== null && rawGitHub.businessId === undefined && !options.businessIdLookup) {
    issues.push({
      path: "github.businessId",
      message: "required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)",
    });
  }
  if (!Array.isArray(rawNetworks)) {
    issues.push({
      path: "networks",
      message:
        rawNetworks === undefined ? "required; a list of networks, each with at least name and location" : "must be a list of networks",
    });
  } else if (rawNetworks.length === 0) {
    issues.push({ path: "networks", message: "must list at least one network" });
  }
  // The github section is checked against the networks even when another top-level key is wrong.
  const github = gitHubConfigSchema.safeParse(rest.github);
  // One GHE.com enterprise per stack: its geography decides every network's regions and ranges,
  // also when another github key is wrong.
  const residency = github.success
    ? github.data?.dataResidency
    : dataResidencySchema.optional().safeParse((rest.github as { dataResidency?: unknown } | undefined)?.dataResidency).data;
  const networks: ValidatedStackConfig["networks"] = [];
  const names = new Map<string, number>();
  let failoverIndex: number | undefined;
  const ranges: { index: number; key: string; cidr: Cidr }[] = [];
  (Array.isArray(rawNetworks) ? rawNetworks : []).forEach((raw, index) => {
    const at = (key: string) => `networks[${index}].${key}`;
    const rawName = (raw as { name?: unknown } | null)?.name;
    if (typeof rawName === "string") {
      const previous = names.get(rawName);
      if (previous !== undefined)
        issues.push({ path: at("name"), message: `${quoted(rawName)} is already used by networks[${previous}]; names must be unique` });
      else names.set(rawName, index);
    }
    if ((raw as { role?: unknown } | null)?.role === "failover") {
      if (failoverIndex !== undefined)
        issues.push({
          path: at("role"),
          message: `networks[${failoverIndex}] is already the failover; at most one network may have role failover`,
        });
      else failoverIndex = index;
    }
    const entry = parseEntry(networkEntrySchema, raw, `networks[${index}]`);
    issues.push(...entry.issues);
    const { design, issues: designIssues } = designNetwork(
      { ...entry.fields, dataResidency: residency },
      entry.invalid,
      at,
      (raw as { extraSecurityRules?: unknown } | null)?.extraSecurityRules,
    );
    issues.push(...designIssues);
    const range = networkRange(design, entry.fields);
    if (range) ranges.push({ index, key: range.key, cidr: parseCidr(range.cidr) });
    if (design && entry.data) networks.push({ ...entry.data, role: entry.data.role ?? "primary", design });
  });
  if (
    failoverIndex !== undefined &&
    Array.isArray(rawNetworks) &&
    rawNetworks.every((n) => (n as { role?: unknown } | null)?.role === "failover")
  ) {
    issues.push({
      path: `networks[${failoverIndex}].role`,
      message: "a failover network needs a primary network; give another network role primary (the default)",
    });
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = 0; j < i; j++) {
      if (overlaps(ranges[i].cidr, ranges[j].cidr)) {
        issues.push({
          path: `networks[${ranges[i].index}].${ranges[i].key}`,
          message: `${formatCidr(ranges[i].cidr)} overlaps networks[${ranges[j].index}].${ranges[j].key} ${formatCidr(ranges[j].cidr)}; networks must not overlap, so they can be peered with each other or a hub`,
        });
      }
    }
  }
  issues.push(
    ...sharedFirewallPolicyProblems(networks, (name) => (rawNetworks as { name?: unknown }[]).findIndex((raw) => raw?.name === name)),
  );
  if (github.success && Array.isArray(rawNetworks)) issues.push(...networkConfigurationProblems(github.data, rawNetworks));
  if (github.success) issues.push(...dataResidencyProblems(github.data));
  issues.push(...signInConfigProblems(rest));
  issues.push(
    ...mergedTagProblems(rest.tags, networks, (name) => (rawNetworks as { name?: unknown }[]).findIndex((raw) => raw?.name === name)),
  );
  if (issues.length || !top.success) return { ok: false, issues };
  const apiUrl = effectiveApiUrl(top.data.github);
  return { ok: true, value: { github: { ...top.data.github, ...(apiUrl ? { apiUrl } : {}) }, tags: top.data.tags ?? {}, networks } };
}

/**
 * The range a network takes, for the overlap check: its VNET's address space, or its subnet in an
 * existing VNET. A network with problems elsewhere still takes part with the ranges it gave.
 */
function networkRange(
  design: RunnerNetworkDesign | undefined,
  fields: Partial<NetworkEntry>,
): { key: "addressSpace" | "subnetPrefix"; cidr: string } | undefined {
  if (design)
    return design.addressSpace ? { key: "addressSpace", cidr: design.addressSpace } : { key: "subnetPrefix", cidr: design.subnetPrefix };
  if (fields.existingVirtualNetwork === undefined && fields.addressSpace !== undefined)
    return { key: "addressSpace", cidr: fields.addressSpace };
  if (fields.existingVirtualNetwork !== undefined && fields.subnetPrefix !== undefined)
    return { key: "subnetPrefix", cidr: fields.subnetPrefix };
  return undefined;
}

/**
 * Each resource gets the stack's tags with its network's own on top: Azure's limits apply to that
 * merged set (50 stack tags plus one network tag is 51 on the resource), so it is checked too.
 */
function mergedTagProblems(
  stackTags: unknown,
  networks: ValidatedStackConfig["networks"],
  configIndex: (name: string) => number,
): Problem[] {
  const stack = tagsSchema.safeParse(stackTags ?? {});
  if (!stack.success) return [];
  return networks.flatMap((network) => {
    if (network.tags === undefined || Object.keys(stack.data).length === 0) return [];
    const merged = tagsSchema.safeParse({ ...stack.data, ...network.tags });
    if (merged.success) return [];
    return issuesFromZod(merged.error, "").map((problem) => ({
      path: `networks[${configIndex(network.name)}].tags`,
      message: `with the stack's tags merged in: ${problem.message}`,
    }));
  });
}

/** Networks that add domain rules to the same firewall policy need distinct group priorities. */
function sharedFirewallPolicyProblems(networks: ValidatedStackConfig["networks"], configIndex: (name: string) => number): Problem[] {
  const issues: Problem[] = [];
  const seen = new Map<string, string>();
  for (const network of networks) {
    const policy = network.firewallPolicyId;
    if (!network.design.domainRules || typeof policy !== "string") continue;
    const key = `${policy.toLowerCase()}#${network.design.domainRules.priority}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: `networks[${configIndex(network.name)}].firewallRuleCollectionGroupPriority`,
        message: `${network.design.domainRules.priority} is already used by network "${first}" in the same firewall policy; allowed: a priority ${FIREWALL_GROUP_PRIORITY_RANGE.min}-${FIREWALL_GROUP_PRIORITY_RANGE.max} no other rule collection group of the policy uses`,
      });
    } else {
      seen.set(key, network.name);
    }
  }
  return issues;
}
