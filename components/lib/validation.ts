/**
 * Validation of the component's arguments and of the stack config. Every problem is reported
 * with its key path (`networks[1].subnetPrefix`) and what is allowed, all at once, before any
 * resource is registered. Values that are not known yet (Pulumi outputs, promises) pass the
 * shape checks here; the component checks them again when they resolve.
 */
import { z } from "zod";
import {
  containsCidr,
  formatCidr,
  overlaps,
  parseAddress,
  parseCidr,
  CidrError,
  firstFreeBlock,
  type Cidr,
} from "./cidr";
import { DEFAULT_DOMAIN_LEVEL, DOMAIN_LEVELS, type DomainLevel } from "./catalog";
import { DEFAULT_FIREWALL_GROUP_PRIORITY, FIREWALL_GROUP_PRIORITY_RANGE, FIREWALL_POLICY_ID_EXAMPLE, parseFirewallPolicyId } from "./firewall-rules";
import { ACCESSES, DIRECTIONS, PROTOCOLS, RULE_NAME_PATTERN, isAnyAddress, isPortRange, isServiceTag, literalFamily } from "./nsg-limits";
import { OUTBOUND_MODES, planSecurityRules, type ExtraSecurityRule, type OutboundMode, type PlannedSecurityRule } from "./nsg-rules";
import { RUNNER_PLATFORMS, SUPPORTED_REGIONS, canonicalRegion, missingPlatforms, type RunnerPlatform } from "./regions";
import { apiUrlProblem, configurationNameProblem, RUNNER_GROUP_VISIBILITIES, UNKNOWN_INPUT } from "../github/api";
import { runnerGroupBindingInputProblems } from "../github/runner-group-binding-provider";
import { addressesNeeded, prefixLengthFor, runnerCapacity, SMALLEST_SUBNET_PREFIX } from "./sizing";

export interface ValidationIssue {
  /** Key path, e.g. `networks[1].subnetPrefix`. */
  path: string;
  message: string;
}

/** How runner traffic leaves the subnet. */
export const EgressMode = { natGateway: "natGateway", firewall: "firewall", none: "none" } as const;
export type EgressMode = (typeof EgressMode)[keyof typeof EgressMode];
export const EGRESS_MODES = Object.values(EgressMode) as [EgressMode, ...EgressMode[]];
export const NETWORK_ROLES = ["primary", "failover"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
export const DEFAULT_ADDRESS_SPACE = "10.0.0.0/16";
export const NAT_PUBLIC_IP_RANGE = { min: 1, max: 16 } as const;

/** Azure tag limits (learn.microsoft.com, "Use tags to organize your Azure resources"). */
export const TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256, forbiddenNameCharacters: "<>%&\\?/", reservedPrefixes: ["azure", "microsoft", "windows"] } as const;

/** Ranges Azure refuses in a VNET's address space (Azure VNET FAQ). */
const FORBIDDEN_RANGES = ["224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"].map((c) => parseCidr(c));
/** Private ranges a firewall's internal address can be in: RFC 1918 and shared address space (RFC 6598). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c));

/** A Pulumi output or a promise: its value is checked when it resolves, not here. */
export function isDeferred(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { __pulumiOutput?: unknown; then?: unknown };
  return candidate.__pulumiOutput === true || typeof candidate.then === "function";
}

/** Accepts a deferred value as is, and checks a plain one against `schema`. */
function deferrable<T extends z.ZodType>(schema: T) {
  return z.any().superRefine((value, ctx) => {
    if (isDeferred(value)) return;
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: "custom", path: issue.path, message: issue.message, input: value });
    }
  }) as unknown as z.ZodType<z.output<T>>;
}

/** An object that refuses unknown keys and says which keys it knows. */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return `unknown key; allowed: ${allowed}`;
      if (issue.code === "invalid_type") return issue.input === undefined ? "required" : `must be an object with keys: ${allowed}`;
      return undefined;
    },
  });
}

const describe = (what: string) => ({
  error: (issue: { input?: unknown; code?: string }) =>
    issue.input === undefined ? `required; ${what}` : `${JSON.stringify(issue.input)} is not allowed; ${what}`,
});

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what = "") {
  return z.enum(values, describe(`${what}allowed: ${values.join(", ")}`));
}

function cidrString(what: string, family: 4 | 6 | "any" = 4) {
  return z.string(describe(what)).superRefine((text, ctx) => {
    try {
      const cidr = parseCidr(text);
      if (family !== "any" && cidr.family !== family) ctx.addIssue({ code: "custom", message: `"${text}" is IPv${cidr.family}; ${what}` });
    } catch (error) {
      const message = (error as CidrError).message;
      ctx.addIssue({ code: "custom", message: message.includes("host bits") ? message : `${message}; ${what}` });
    }
  });
}

const ipv4Cidr = (example: string) => cidrString(`expected an IPv4 CIDR with host bits clear, such as ${example}`);

const businessIdSchema = z
  .union([z.string(), z.number()], describe("the GraphQL databaseId of your GitHub enterprise or organization (digits only)"))
  .superRefine((value, ctx) => {
    const text = String(value);
    if (!/^[1-9]\d{0,18}$/.test(text) || (typeof value === "number" && !Number.isSafeInteger(value))) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not allowed; use digits only: the GraphQL databaseId of your GitHub enterprise or organization` });
    }
  })
  .transform(String);

const regionSchema = z.string(describe("an Azure region name such as eastus")).superRefine((location, ctx) => {
  if (!SUPPORTED_REGIONS.x64.includes(canonicalRegion(location))) {
    ctx.addIssue({
      code: "custom",
      message: `"${location}" is not a region GitHub supports for Azure private networking; allowed: ${SUPPORTED_REGIONS.x64.join(", ")}`,
    });
  }
});

const positiveInteger = (what: string) =>
  z.number(describe(what)).int(`must be a whole number; ${what}`).min(1, `must be at least 1; ${what}`);

function addressEntryProblem(entry: string): string | undefined {
  if (isAnyAddress(entry) || isServiceTag(entry)) return undefined;
  if (!entry.includes("/")) return parseAddress(entry) ? undefined : `"${entry}" is not an IP address, CIDR, service tag or *`;
  try {
    parseCidr(entry);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The same test the NSG planner applies: anything that is not a literal address or range. */
const isTagOrAny = (entry: string) => literalFamily(entry) === undefined;

const addressList = z
  .array(z.string(describe("a CIDR, an address, one service tag, or *")), describe("a list of CIDRs, addresses, one service tag, or *"))
  .min(1, "must not be empty")
  .superRefine((list, ctx) => {
    list.forEach((entry, index) => {
      const problem = addressEntryProblem(entry);
      if (problem) ctx.addIssue({ code: "custom", path: [index], message: `${problem}; allowed: CIDRs, addresses, one service tag, or *` });
    });
    if (list.length > 1 && list.some(isTagOrAny)) {
      ctx.addIssue({ code: "custom", message: "a service tag or * must stand alone: Azure allows one tag per rule and no tags in address lists" });
    }
  });

const portList = z
  .array(z.string(describe("a port, a range such as 8000-8100, or *")), describe("a list of ports, ranges, or *"))
  .min(1, "must not be empty")
  .superRefine((list, ctx) => {
    list.forEach((entry, index) => {
      const valid = entry === "*" ? list.length === 1 : isPortRange(entry);
      if (!valid) ctx.addIssue({ code: "custom", path: [index], message: `"${entry}" is not allowed; use a port 0-65535, a range low-high, or * alone` });
    });
  });

const extraRuleSchema = strictObject({
  name: z.string(describe("1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'")).regex(RULE_NAME_PATTERN, "must be 1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_' and ending with a letter, digit or '_'"),
  description: z.string().max(140, "must be at most 140 characters").optional(),
  priority: z.number(describe("a whole number 100-4096")).optional(),
  direction: oneOf(DIRECTIONS),
  access: oneOf(ACCESSES),
  protocol: oneOf(PROTOCOLS).optional(),
  sourceAddressPrefixes: addressList.optional(),
  sourcePortRanges: portList.optional(),
  destinationAddressPrefixes: addressList.optional(),
  destinationPortRanges: portList.optional(),
}).superRefine((rule, ctx) => {
  const families = new Set(
    [...(rule.sourceAddressPrefixes ?? []), ...(rule.destinationAddressPrefixes ?? [])].map(literalFamily).filter((family) => family !== undefined),
  );
  if (families.size > 1) ctx.addIssue({ code: "custom", path: ["destinationAddressPrefixes"], message: "mixes IPv4 and IPv6; Azure needs one address family per rule, so split it in two" });
});

const tagsSchema = z
  .record(z.string(), deferrable(z.string(describe(`a non-empty string of at most ${TAG_LIMITS.maxValueLength} characters`))), describe("a map of tag names to values"))
  .superRefine((tags, ctx) => {
    const names = Object.keys(tags);
    if (names.length > TAG_LIMITS.maxTags) ctx.addIssue({ code: "custom", message: `${names.length} tags; Azure allows at most ${TAG_LIMITS.maxTags} per resource` });
    for (const name of names) {
      const value = tags[name];
      const nameProblem =
        name.trim() === ""
          ? "tag names must not be empty"
          : name.length > TAG_LIMITS.maxNameLength
            ? `tag name is ${name.length} characters; Azure allows ${TAG_LIMITS.maxNameLength}`
            : [...TAG_LIMITS.forbiddenNameCharacters].some((c) => name.includes(c))
              ? `tag names must not contain any of ${TAG_LIMITS.forbiddenNameCharacters.split("").join(" ")}`
              : TAG_LIMITS.reservedPrefixes.some((p) => name.toLowerCase().startsWith(p))
                ? `tag names must not start with ${TAG_LIMITS.reservedPrefixes.join(", ")} (reserved by Azure)`
                : undefined;
      if (nameProblem) ctx.addIssue({ code: "custom", path: [name], message: nameProblem });
      if (typeof value !== "string") continue;
      if (value.trim() === "") ctx.addIssue({ code: "custom", path: [name], message: `empty value; allowed: 1-${TAG_LIMITS.maxValueLength} characters` });
      else if (value.length > TAG_LIMITS.maxValueLength) ctx.addIssue({ code: "custom", path: [name], message: `value is ${value.length} characters; Azure allows ${TAG_LIMITS.maxValueLength}` });
    }
  });

const resourceGroupNameSchema = z
  .string(describe("an Azure resource group name"))
  .regex(/^[-\w.()]{0,89}[-\w()]$/u, "must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'");

const existingVirtualNetworkSchema = strictObject({
  name: deferrable(z.string(describe("the VNET's name")).regex(/^[A-Za-z0-9][\w.-]{0,62}\w$/, "must be 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'")),
  resourceGroupName: deferrable(resourceGroupNameSchema),
});

const privateIpv4 = z.string(describe("the firewall's private IPv4 address, such as 10.0.1.4")).superRefine((text, ctx) => {
  const address = parseAddress(text);
  if (!address || address.family !== 4) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not an IPv4 address; expected the firewall's private IP, such as 10.0.1.4` });
  } else if (!PRIVATE_RANGES.some((range) => containsCidr(range, { family: 4, base: address.value, prefixLength: 32 }))) {
    ctx.addIssue({ code: "custom", message: `${text} is public; the next hop must be the firewall's private IP (10/8, 172.16/12, 192.168/16 or 100.64/10)` });
  }
});

const firewallPolicyIdSchema = z.string(describe(`an Azure Firewall policy resource ID, ${FIREWALL_POLICY_ID_EXAMPLE}`)).superRefine((text, ctx) => {
  if (!parseFirewallPolicyId(text)) ctx.addIssue({ code: "custom", message: `"${text}" is not an Azure Firewall policy resource ID; expected ${FIREWALL_POLICY_ID_EXAMPLE}` });
});

/** Arguments shared by the component and by each network entry of the stack config. */
const networkShape = {
  location: regionSchema,
  resourceGroupName: deferrable(resourceGroupNameSchema).optional(),
  addressSpace: ipv4Cidr("10.40.0.0/16").optional(),
  existingVirtualNetwork: existingVirtualNetworkSchema.optional(),
  subnetPrefix: ipv4Cidr("10.40.0.0/24").optional(),
  maxConcurrentRunners: positiveInteger("the peak number of runners running at once").optional(),
  runnerPlatforms: z.array(oneOf(RUNNER_PLATFORMS), describe(`a list of runner platforms; allowed: ${RUNNER_PLATFORMS.join(", ")}`)).min(1, "must not be empty").optional(),
  egress: oneOf(EGRESS_MODES).optional(),
  natGatewayPublicIpCount: z.number(describe(`a whole number ${NAT_PUBLIC_IP_RANGE.min}-${NAT_PUBLIC_IP_RANGE.max}`)).optional(),
  firewallPrivateIp: deferrable(privateIpv4).optional(),
  outbound: oneOf(OUTBOUND_MODES).optional(),
  extraSecurityRules: z.array(extraRuleSchema, describe("a list of security rules")).optional(),
  tags: deferrable(tagsSchema).optional(),
  firewallPolicyId: deferrable(firewallPolicyIdSchema).optional(),
  domainAllowList: oneOf(DOMAIN_LEVELS).optional(),
  firewallRuleCollectionGroupPriority: z.number(describe(`a whole number ${FIREWALL_GROUP_PRIORITY_RANGE.min}-${FIREWALL_GROUP_PRIORITY_RANGE.max}`)).optional(),
  registerResourceProvider: z.boolean(describe("true (default: register GitHub.Network and Microsoft.Network during pulumi up) or false")).optional(),
};

export const componentArgsSchema = strictObject({
  ...networkShape,
  businessId: deferrable(businessIdSchema),
});

export const NETWORK_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const networkEntrySchema = strictObject({
  name: z.string(describe("1-40 of a-z, 0-9 and '-', not starting or ending with '-'")).regex(NETWORK_NAME_PATTERN, "must be 1-40 of a-z, 0-9 and '-', not starting or ending with '-'"),
  role: oneOf(NETWORK_ROLES).optional(),
  ...networkShape,
});

export const GITHUB_SCOPES = ["organization", "enterprise"] as const;

/** Checks a string with one of components/github's pure rules (shared with its dynamic provider). */
const checkedBy = (what: string, problem: (value: unknown) => string | undefined) =>
  z.string(describe(what)).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** An organization runner group to attach the network configuration to (see GitHubRunnerGroupBinding). */
const runnerGroupEntrySchema = strictObject({
  name: z.string(describe("the runner group's name")).optional(),
  id: z.number(describe("the runner group's numeric id")).optional(),
  create: z.boolean(describe("true (create the group when missing) or false")).optional(),
  visibility: oneOf(RUNNER_GROUP_VISIBILITIES).optional(),
  selectedRepositoryIds: z.array(z.number(describe("a numeric repository id")), describe("a list of numeric repository ids")).optional(),
  allowsPublicRepositories: z.boolean(describe("true or false")).optional(),
});

/** The GitHub network configuration this stack manages (GitHubNetworkConfiguration). */
const networkConfigurationSchema = strictObject({
  name: checkedBy("1-100 of a-z, A-Z, 0-9, '.', '-' and '_'", configurationNameProblem),
  primaryNetwork: z.string(describe("the name of a network with role primary")).optional(),
  failoverEnabled: z.boolean(describe("true (runners use the failover network) or false")).optional(),
  runnerGroups: z.array(runnerGroupEntrySchema, describe("a list of runner groups, each with name or id")).optional(),
});

export const stackConfigSchema = strictObject({
  github: strictObject({
    // Required unless a GitHub token can look it up from slug (see validateStackConfig).
    businessId: businessIdSchema.optional(),
    scope: oneOf(GITHUB_SCOPES),
    slug: z.string(describe("your organization login or enterprise slug")).regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?$/, "must be letters, digits and '-' (an organization login or enterprise slug)"),
    apiUrl: checkedBy("the GitHub API URL", apiUrlProblem).optional(),
    networkConfiguration: networkConfigurationSchema.optional(),
  }),
  // Never echoed in messages: it is a credential.
  githubToken: z.string({ error: "must be a string: set it with pulumi config set --secret azure-github-runner-network:githubToken" }).optional(),
  networks: z.array(networkEntrySchema, describe("a list of networks, each with at least name and location")).min(1, "must list at least one network"),
  tags: tagsSchema.optional(),
});

type NetworkFields = z.output<z.ZodObject<typeof networkShape>>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type NetworkEntry = StackConfig["networks"][number];

/** What the component builds for one network: all sizing and rule decisions, made up front. */
export interface RunnerNetworkDesign {
  location: string;
  runnerPlatforms: RunnerPlatform[];
  /** Address space of the VNET to create; undefined when an existing VNET is used. */
  addressSpace?: string;
  subnetPrefix: string;
  runnerCapacity: number;
  maxConcurrentRunners?: number;
  egress: EgressMode;
  /** 0 unless egress is a NAT gateway. */
  natGatewayPublicIpCount: number;
  outbound: OutboundMode;
  securityRules: PlannedSecurityRule[];
  /** Domain rules added to the firewall policy (egress `firewall` with `firewallPolicyId`). */
  domainRules?: { level: DomainLevel; priority: number };
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (!/^[A-Za-z_$][\w$-]*$/.test(String(key))) out += `[${JSON.stringify(String(key))}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function issuesFromZod(error: z.ZodError, prefix: string): ValidationIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath(prefix, [...issue.path, key]), message: issue.message }))
      : [{ path: joinPath(prefix, issue.path), message: issue.message }],
  );
}

/**
 * Parses an object, and also each of its fields on its own: the fields that are valid feed the
 * cross-field checks even when another field is not, so one run reports every problem.
 */
function parseEntry<S extends z.ZodRawShape>(schema: z.ZodObject<S>, raw: unknown, prefix: string) {
  const whole = schema.safeParse(raw);
  const issues = whole.success ? [] : issuesFromZod(whole.error, prefix);
  const fields: Record<string, unknown> = {};
  const invalid = new Set<string>();
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    const result = (fieldSchema as z.ZodType).safeParse(record[key]);
    if (result.success) fields[key] = result.data;
    else invalid.add(key);
  }
  return { data: whole.success ? whole.data : undefined, fields: fields as Partial<z.output<z.ZodObject<S>>>, invalid, issues };
}

type Problems = ValidationIssue[];

/** Subnet placement and capacity. Undefined subnet when a problem (or an invalid input) prevents it. */
function planSubnet(args: Partial<NetworkFields>, invalid: ReadonlySet<string>, problems: Problems, at: (key: string) => string) {
  const problem = (key: string, message: string) => problems.push({ path: at(key), message });
  if (["addressSpace", "subnetPrefix", "maxConcurrentRunners", "existingVirtualNetwork"].some((key) => invalid.has(key))) return {};
  const existing = args.existingVirtualNetwork !== undefined;
  if (existing && args.addressSpace !== undefined) {
    problem("addressSpace", "applies only to a new VNET; with existingVirtualNetwork give subnetPrefix, a free range inside that VNET");
  }
  const space = existing ? undefined : parseCidr(args.addressSpace ?? DEFAULT_ADDRESS_SPACE);
  const forbidden = space && FORBIDDEN_RANGES.find((range) => overlaps(range, space));
  if (space && forbidden) problem("addressSpace", `${formatCidr(space)} overlaps ${formatCidr(forbidden)}, which Azure does not allow in a VNET`);

  const runners = args.maxConcurrentRunners;
  if (args.subnetPrefix !== undefined) {
    const subnet = parseCidr(args.subnetPrefix);
    const capacity = runnerCapacity(subnet.prefixLength);
    if (subnet.prefixLength > SMALLEST_SUBNET_PREFIX) {
      problem("subnetPrefix", `/${subnet.prefixLength} is smaller than Azure's smallest subnet; allowed: /${SMALLEST_SUBNET_PREFIX} or larger`);
    } else if (space && !containsCidr(space, subnet)) {
      problem("subnetPrefix", `${args.subnetPrefix} is outside addressSpace ${formatCidr(space)}; allowed: a block inside it`);
    } else if (runners !== undefined && capacity < runners) {
      problem(
        "subnetPrefix",
        `${args.subnetPrefix} holds ${capacity} runners; maxConcurrentRunners ${runners} needs ${addressesNeeded(runners)} addresses (ceil(1.3 x ${runners}) + 5 reserved), a /${prefixLengthFor(runners)} or larger`,
      );
    } else {
      return { space, subnet };
    }
    return { space };
  }
  if (existing) {
    problem("subnetPrefix", "required with existingVirtualNetwork: a free range inside that VNET (run `doctor` to check it is free)");
  } else if (runners === undefined) {
    problem("maxConcurrentRunners", "give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix");
  } else if (space) {
    const prefixLength = prefixLengthFor(runners);
    const subnet = firstFreeBlock(space, prefixLength, []);
    if (subnet) return { space, subnet };
    problem("maxConcurrentRunners", `${runners} runners need a /${prefixLength} (${addressesNeeded(runners)} addresses), more than addressSpace ${formatCidr(space)} holds`);
  }
  return { space };
}

function planEgress(args: Partial<NetworkFields>, invalid: ReadonlySet<string>, problems: Problems, at: (key: string) => string) {
  const problem = (key: string, message: string) => problems.push({ path: at(key), message });
  const egress: EgressMode = args.egress ?? "natGateway";
  const checkEgressFields = !invalid.has("egress");
  const count = args.natGatewayPublicIpCount;
  if (count !== undefined && checkEgressFields) {
    if (egress !== "natGateway") problem("natGatewayPublicIpCount", `applies only to egress "natGateway" (egress is "${egress}")`);
    else if (!Number.isInteger(count) || count < NAT_PUBLIC_IP_RANGE.min || count > NAT_PUBLIC_IP_RANGE.max) {
      problem("natGatewayPublicIpCount", `${count} is out of range; allowed: whole numbers ${NAT_PUBLIC_IP_RANGE.min}-${NAT_PUBLIC_IP_RANGE.max}`);
    }
  }
  if (checkEgressFields && !invalid.has("firewallPrivateIp")) {
    if (egress === "firewall" && args.firewallPrivateIp === undefined) {
      problem("firewallPrivateIp", 'required when egress is "firewall": the private IP the default route sends traffic to');
    } else if (egress !== "firewall" && args.firewallPrivateIp !== undefined) {
      problem("firewallPrivateIp", `applies only to egress "firewall" (egress is "${egress}")`);
    }
  }
  // Behind a firewall the NSG lets 443 out and the firewall filters by domain.
  const outbound: OutboundMode = args.outbound ?? (egress === "firewall" ? "https" : "restricted");
  return { egress, outbound, natGatewayPublicIpCount: egress === "natGateway" ? (count ?? 1) : 0, domainRules: planDomainRules(args, invalid, egress, checkEgressFields, problem) };
}

/** Domain rules on the firewall policy: only with egress "firewall" and a policy to put them in. */
function planDomainRules(args: Partial<NetworkFields>, invalid: ReadonlySet<string>, egress: EgressMode, checkEgressFields: boolean, problem: (key: string, message: string) => void) {
  const hasPolicy = args.firewallPolicyId !== undefined;
  if (hasPolicy && checkEgressFields && egress !== "firewall") problem("firewallPolicyId", `applies only to egress "firewall" (egress is "${egress}")`);
  const priority = args.firewallRuleCollectionGroupPriority;
  for (const key of ["domainAllowList", "firewallRuleCollectionGroupPriority"] as const) {
    if (args[key] !== undefined && !hasPolicy && !invalid.has("firewallPolicyId")) problem(key, "applies only with firewallPolicyId: the domain rules go into that Azure Firewall policy");
  }
  const { min, max } = FIREWALL_GROUP_PRIORITY_RANGE;
  if (priority !== undefined && (!Number.isInteger(priority) || priority < min || priority > max)) {
    problem("firewallRuleCollectionGroupPriority", `${priority} is out of range; allowed: whole numbers ${min}-${max}, unique among the policy's rule collection groups`);
  }
  if (!hasPolicy || egress !== "firewall") return undefined;
  return { level: args.domainAllowList ?? DEFAULT_DOMAIN_LEVEL, priority: priority ?? DEFAULT_FIREWALL_GROUP_PRIORITY };
}

/**
 * Checks that need several fields at once, then decides subnet, capacity, egress and rules.
 * Checks that depend on a field listed in `invalid` are skipped: that field is reported already.
 */
function designNetwork(args: Partial<NetworkFields>, invalid: ReadonlySet<string>, at: (key: string) => string): { design?: RunnerNetworkDesign; issues: Problems } {
  const issues: Problems = [];
  const location = args.location === undefined ? undefined : canonicalRegion(args.location);
  const runnerPlatforms = args.runnerPlatforms ?? ["x64"];
  for (const platform of location === undefined || invalid.has("runnerPlatforms") ? [] : missingPlatforms(location, runnerPlatforms)) {
    issues.push({ path: at("runnerPlatforms"), message: `${location} has no ${platform} runners; ${platform} regions: ${SUPPORTED_REGIONS[platform].join(", ")}` });
  }
  const { space, subnet } = planSubnet(args, invalid, issues, at);
  const egress = planEgress(args, invalid, issues, at);
  const rules = invalid.has("extraSecurityRules") || invalid.has("outbound")
    ? undefined
    : planSecurityRules({ outbound: egress.outbound, extraRules: args.extraSecurityRules as ExtraSecurityRule[] | undefined });
  if (rules && !rules.ok) for (const p of rules.problems) issues.push({ path: at(p.path), message: p.message });

  if (issues.length || invalid.size || !location || !subnet || !rules?.ok) return { issues };
  return {
    issues,
    design: {
      location,
      runnerPlatforms,
      addressSpace: space ? formatCidr(space) : undefined,
      subnetPrefix: formatCidr(subnet),
      runnerCapacity: runnerCapacity(subnet.prefixLength),
      maxConcurrentRunners: args.maxConcurrentRunners,
      ...egress,
      securityRules: rules.rules,
    },
  };
}

/** Whether a value is, or directly holds, something not known yet. */
export function holdsDeferred(value: unknown): boolean {
  return isDeferred(value) || (typeof value === "object" && value !== null && Object.values(value).some(isDeferred));
}

/** Checks one component argument once its value is known (for arguments that were outputs). */
export function validateResolvedField(key: keyof typeof componentArgsSchema.shape, value: unknown): ValidationIssue[] {
  const result = componentArgsSchema.shape[key].safeParse(value);
  return result.success ? [] : issuesFromZod(result.error, key);
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Validates the component's arguments and designs its network. */
export function validateComponentArgs(args: unknown): Validated<RunnerNetworkDesign> {
  const entry = parseEntry(componentArgsSchema, args, "");
  const { design, issues } = designNetwork(entry.fields, entry.invalid, (key) => key);
  const all = [...entry.issues, ...issues];
  return design && all.length === 0 ? { ok: true, value: design } : { ok: false, issues: all };
}

export interface ValidatedStackConfig {
  github: Omit<StackConfig["github"], "businessId"> & { businessId: string };
  tags: Record<string, string>;
  networks: (NetworkEntry & { role: NetworkRole; design: RunnerNetworkDesign })[];
}

/** The same, where a GitHub token may look businessId up (then it can be missing). */
export type ValidatedStackConfigWithLookup = Omit<ValidatedStackConfig, "github"> & { github: Omit<ValidatedStackConfig["github"], "businessId"> & { businessId?: string } };

export interface StackValidationOptions {
  /** A GitHub token is at hand, so a missing github.businessId can be looked up from github.slug. */
  businessIdLookup?: boolean;
}

/**
 * Validates the stack config: every network on its own, then what networks must agree on
 * (unique names, one failover at most, address spaces and subnets that do not overlap).
 */
export function validateStackConfig(config: unknown): Validated<ValidatedStackConfig>;
export function validateStackConfig(config: unknown, options: StackValidationOptions): Validated<ValidatedStackConfigWithLookup>;
export function validateStackConfig(config: unknown, options: StackValidationOptions = {}): Validated<ValidatedStackConfigWithLookup> {
  const issues: ValidationIssue[] = [];
  const root = typeof config === "object" && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  // Each network is parsed on its own so that one bad entry does not hide problems in another.
  const { networks: rawNetworks, ...rest } = root;
  const top = stackConfigSchema.omit({ networks: true }).safeParse(rest);
  if (!top.success) issues.push(...issuesFromZod(top.error, ""));
  const rawGitHub = rest.github as { businessId?: unknown } | undefined;
  if (typeof rawGitHub === "object" && rawGitHub !== null && rawGitHub.businessId === undefined && !options.businessIdLookup) {
    issues.push({ path: "github.businessId", message: "required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)" });
  }
  if (!Array.isArray(rawNetworks)) {
    issues.push({ path: "networks", message: rawNetworks === undefined ? "required; a list of networks, each with at least name and location" : "must be a list of networks" });
  } else if (rawNetworks.length === 0) {
    issues.push({ path: "networks", message: "must list at least one network" });
  }
  const networks: ValidatedStackConfig["networks"] = [];
  const names = new Map<string, number>();
  let failoverIndex: number | undefined;
  const ranges: { index: number; key: string; cidr: Cidr }[] = [];
  (Array.isArray(rawNetworks) ? rawNetworks : []).forEach((raw, index) => {
    const at = (key: string) => `networks[${index}].${key}`;
    const rawName = (raw as { name?: unknown } | null)?.name;
    if (typeof rawName === "string") {
      const previous = names.get(rawName);
      if (previous !== undefined) issues.push({ path: at("name"), message: `"${rawName}" is already used by networks[${previous}]; names must be unique` });
      else names.set(rawName, index);
    }
    if ((raw as { role?: unknown } | null)?.role === "failover") {
      if (failoverIndex !== undefined) issues.push({ path: at("role"), message: `networks[${failoverIndex}] is already the failover; at most one network may have role failover` });
      else failoverIndex = index;
    }
    const entry = parseEntry(networkEntrySchema, raw, `networks[${index}]`);
    issues.push(...entry.issues);
    const { design, issues: designIssues } = designNetwork(entry.fields, entry.invalid, at);
    issues.push(...designIssues);
    if (!design || !entry.data) return;
    if (design.addressSpace) ranges.push({ index, key: "addressSpace", cidr: parseCidr(design.addressSpace) });
    else ranges.push({ index, key: "subnetPrefix", cidr: parseCidr(design.subnetPrefix) });
    networks.push({ ...entry.data, role: entry.data.role ?? "primary", design });
  });
  if (failoverIndex !== undefined && Array.isArray(rawNetworks) && rawNetworks.every((n) => (n as { role?: unknown } | null)?.role === "failover")) {
    issues.push({ path: `networks[${failoverIndex}].role`, message: "a failover network needs a primary network; give another network role primary (the default)" });
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
  issues.push(...sharedFirewallPolicyProblems(networks, (name) => (rawNetworks as { name?: unknown }[]).findIndex((raw) => raw?.name === name)));
  if (top.success && Array.isArray(rawNetworks)) issues.push(...networkConfigurationProblems(top.data.github, rawNetworks));
  if (issues.length || !top.success) return { ok: false, issues };
  return { ok: true, value: { github: top.data.github, tags: top.data.tags ?? {}, networks } };
}

/** Networks that add domain rules to the same firewall policy need distinct group priorities. */
function sharedFirewallPolicyProblems(networks: ValidatedStackConfig["networks"], configIndex: (name: string) => number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
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

/**
 * What github.networkConfiguration must agree with: the networks (one primary, the failover) and
 * the scope (runner groups are attached at organization level only).
 */
function networkConfigurationProblems(github: StackConfig["github"], rawNetworks: unknown[]): ValidationIssue[] {
  const settings = github.networkConfiguration;
  if (!settings) return [];
  const at = (key: string) => `github.networkConfiguration.${key}`;
  const issues: ValidationIssue[] = [];
  const entries = rawNetworks.map((raw) => raw as { name?: unknown; role?: unknown } | null);
  const primaries = entries.filter((n) => n?.role !== "failover" && typeof n?.name === "string").map((n) => n!.name as string);
  if (settings.primaryNetwork !== undefined && !primaries.includes(settings.primaryNetwork)) {
    issues.push({ path: at("primaryNetwork"), message: `"${settings.primaryNetwork}" is not a network with role primary; allowed: ${primaries.join(", ")}` });
  } else if (settings.primaryNetwork === undefined && primaries.length > 1) {
    issues.push({ path: at("primaryNetwork"), message: `required: ${primaries.length} networks have role primary and a configuration takes one; allowed: ${primaries.join(", ")}` });
  }
  if (settings.failoverEnabled === true && !entries.some((n) => n?.role === "failover")) {
    issues.push({ path: at("failoverEnabled"), message: "true needs a network with role failover to switch to" });
  }
  const groups = settings.runnerGroups ?? [];
  if (groups.length && github.scope === "enterprise") {
    issues.push({
      path: at("runnerGroups"),
      message: "applies to scope organization only: GitHub's API description documents network_configuration_id on organization runner groups, not enterprise ones; attach an enterprise configuration to enterprise runner groups in GitHub (Enterprise settings > Actions > Runner groups)",
    });
    return issues;
  }
  const seen = new Map<string, number>();
  groups.forEach((group, index) => {
    const problems = runnerGroupBindingInputProblems(
      { organization: UNKNOWN_INPUT, networkConfigurationId: UNKNOWN_INPUT, runnerGroupName: group.name, runnerGroupId: group.id, createIfMissing: group.create, visibility: group.visibility, selectedRepositoryIds: group.selectedRepositoryIds, allowsPublicRepositories: group.allowsPublicRepositories },
      { runnerGroupName: "name", runnerGroupId: "id", createIfMissing: "create" },
    );
    for (const problem of problems) issues.push({ path: at(`runnerGroups[${index}].${problem.property}`), message: problem.reason });
    const key = group.name !== undefined ? `name:${group.name.toLowerCase()}` : `id:${group.id}`;
    const previous = seen.get(key);
    if (previous !== undefined) issues.push({ path: at(`runnerGroups[${index}]`), message: `names the same group as runnerGroups[${previous}]; list each group once` });
    else seen.set(key, index);
  });
  return issues;
}
