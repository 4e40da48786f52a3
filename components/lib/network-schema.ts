/**
 * Field schemas: the shape of one network (the component's arguments and each network entry of
 * the stack config share it). Values that are not known yet (Pulumi outputs, promises) pass the
 * shape checks here; the component checks them again when they resolve.
 */
import { z } from "zod";
import { containsCidr, parseAddress, parseCidr, type CidrError } from "./cidr";
import { DEFAULT_DOMAIN_LEVEL, DOMAIN_LEVELS, domainProblem, normalizeDomain } from "./catalog";
import {
  DEFAULT_FIREWALL_GROUP_PRIORITY,
  FIREWALL_GROUP_PRIORITY_RANGE,
  FIREWALL_POLICY_ID_EXAMPLE,
  parseFirewallPolicyId,
} from "./firewall-rules";
import {
  ACCESSES,
  DIRECTIONS,
  PROTOCOLS,
  RULE_NAME_PATTERN,
  RULE_NAME_PROBLEM,
  isAnyAddress,
  isPortRange,
  isServiceTag,
  literalFamily,
} from "./nsg-limits";
import { OUTBOUND_MODES } from "./nsg-rules";
import { AZURE_REGIONS, RUNNER_PLATFORMS, SUPPORTED_REGIONS, canonicalRegion } from "./regions";
import { deferrable, describe, issuesFromZod, oneOf, strictObject } from "./schema-helpers";
import { quoted, type Problem } from "./problems";
import { serviceTagProblem } from "./service-tags";
import { parseArmId, PRIVATE_DNS_ZONE_ID, VIRTUAL_NETWORK_ID, type ArmIdKind } from "./arm-ids";
import { RUNNERS_PER_NAT_PUBLIC_IP } from "./sizing";
import { GHECOM_GEOGRAPHIES, GHECOM_SUBDOMAIN_PATTERN, type DataResidency } from "./ghecom";

/** How runner traffic leaves the subnet. */
export const EgressMode = { natGateway: "natGateway", firewall: "firewall", none: "none" } as const;
export type EgressMode = (typeof EgressMode)[keyof typeof EgressMode];
export const EGRESS_MODES = Object.values(EgressMode) as [EgressMode, ...EgressMode[]];
export const NETWORK_ROLES = ["primary", "failover"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
export const DEFAULT_ADDRESS_SPACE = "10.0.0.0/16";
export const NAT_PUBLIC_IP_RANGE = { min: 1, max: 16 } as const;

/** Azure tag limits (learn.microsoft.com, "Use tags to organize your Azure resources"). */
export const TAG_LIMITS = {
  maxTags: 50,
  maxNameLength: 512,
  maxValueLength: 256,
  forbiddenNameCharacters: "<>%&\\?/",
  reservedPrefixes: ["azure", "microsoft", "windows"],
} as const;

/** Private ranges a firewall's internal address can be in: RFC 1918 and shared address space (RFC 6598). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c));

function cidrString(what: string, family: 4 | 6 | "any" = 4) {
  return z.string(describe(what)).superRefine((text, ctx) => {
    try {
      const cidr = parseCidr(text);
      if (family !== "any" && cidr.family !== family)
        ctx.addIssue({ code: "custom", message: `${quoted(text)} is IPv${cidr.family}; ${what}` });
    } catch (error) {
      const message = (error as CidrError).message;
      ctx.addIssue({ code: "custom", message: message.includes("host bits") ? message : `${message}; ${what}` });
    }
  });
}

const ipv4Cidr = (example: string) => cidrString(`expected an IPv4 CIDR with host bits clear, such as ${example}`);

export const businessIdSchema = z
  .union([z.string(), z.number()], describe("the GraphQL databaseId of your GitHub enterprise or organization (digits only)"))
  .superRefine((value, ctx) => {
    const text = String(value);
    if (!/^[1-9]\d{0,18}$/.test(text) || (typeof value === "number" && !Number.isSafeInteger(value))) {
      ctx.addIssue({
        code: "custom",
        message: `${quoted(value)} is not allowed; use digits only: the GraphQL databaseId of your GitHub enterprise or organization`,
      });
    }
  })
  .transform(String);

/** Any Azure region by name; whether GitHub supports it there is the design's check (acceptUnlistedRegion). */
const regionSchema = z.string(describe("an Azure region name such as eastus")).superRefine((location, ctx) => {
  if (!AZURE_REGIONS.includes(canonicalRegion(location)) && !SUPPORTED_REGIONS.x64.includes(canonicalRegion(location))) {
    ctx.addIssue({
      code: "custom",
      message: `${quoted(location)} is not a region GitHub supports for Azure private networking; allowed: ${SUPPORTED_REGIONS.x64.join(", ")}`,
    });
  }
});

const positiveInteger = (what: string) =>
  // Number.isInteger, not zod's int(): a huge whole number is whole, and the design says why it is too many.
  z.number(describe(what)).refine(Number.isInteger, `must be a whole number; ${what}`).min(1, `must be at least 1; ${what}`);

const ADDRESS_ENTRIES_ALLOWED = "allowed: CIDRs, addresses, one service tag, or *";

/** Why an address-list entry is refused, as a whole message; undefined when Azure takes it. */
function addressEntryProblem(entry: string): string | undefined {
  if (isAnyAddress(entry)) return undefined;
  if (isServiceTag(entry)) return serviceTagProblem(entry);
  if (!entry.includes("/"))
    return parseAddress(entry) ? undefined : `${quoted(entry)} is not an IP address, CIDR, service tag or *; ${ADDRESS_ENTRIES_ALLOWED}`;
  try {
    parseCidr(entry);
    return undefined;
  } catch (error) {
    return `${(error as Error).message}; ${ADDRESS_ENTRIES_ALLOWED}`;
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
      if (problem) ctx.addIssue({ code: "custom", path: [index], message: problem });
    });
    if (list.length > 1 && list.some(isTagOrAny)) {
      ctx.addIssue({
        code: "custom",
        message: "a service tag or * must stand alone: Azure allows one tag per rule and no tags in address lists",
      });
    }
  });

const portList = z
  .array(z.string(describe("a port, a range such as 8000-8100, or *")), describe("a list of ports, ranges, or *"))
  .min(1, "must not be empty")
  .superRefine((list, ctx) => {
    list.forEach((entry, index) => {
      const valid = entry === "*" ? list.length === 1 : isPortRange(entry);
      if (!valid)
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `${quoted(entry)} is not allowed; use a port 0-65535, a range low-high, or * alone`,
        });
    });
  });

const singleAddress = z.string(describe("a CIDR, an address, one service tag, or *")).superRefine((entry, ctx) => {
  const problem = addressEntryProblem(entry);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const singlePort = z.string(describe("a port, a range such as 8000-8100, or *")).superRefine((entry, ctx) => {
  if (!isPortRange(entry))
    ctx.addIssue({ code: "custom", message: `${quoted(entry)} is not allowed; use a port 0-65535, a range low-high, or *` });
});

/** Each side's single-value key and its list key: a rule gives one or the other, as in Azure. */
const SINGLE_AND_LIST_FIELDS = [
  ["sourceAddressPrefix", "sourceAddressPrefixes"],
  ["sourcePortRange", "sourcePortRanges"],
  ["destinationAddressPrefix", "destinationAddressPrefixes"],
  ["destinationPortRange", "destinationPortRanges"],
] as const;

export const extraRuleSchema = strictObject({
  name: z
    .string(describe("1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'"))
    .regex(RULE_NAME_PATTERN, RULE_NAME_PROBLEM)
    .meta({
      allowed: "1-80 letters, digits, `_`, `.` or `-`, starting with a letter, digit or `_` and ending with a letter, digit or `_`",
      description: "The rule's name in the NSG.",
    }),
  description: z
    .string()
    .max(140, "must be at most 140 characters")
    .optional()
    .meta({ allowed: "at most 140 characters", description: "The rule's description in the NSG." }),
  priority: z.number(describe("a whole number 100-4096")).optional().meta({
    default: "the next free slot from 1000",
    allowed: "100-4095, unique per direction (4096 holds the final denies)",
    description: "The rule's NSG priority. The planned allows start at 200 and step past any priority you take, so yours never collide.",
  }),
  direction: oneOf(DIRECTIONS).meta({ description: "Whether the rule matches inbound or outbound traffic." }),
  access: oneOf(ACCESSES).meta({ description: "Whether matching traffic is allowed or denied." }),
  protocol: oneOf(PROTOCOLS).optional().meta({ description: "The protocol the rule matches." }),
  sourceAddressPrefixes: addressList.optional().meta({
    allowed: "CIDRs, addresses, one service tag or `*` (a tag or `*` stands alone); one address family per rule",
    description: "Source addresses.",
  }),
  sourcePortRanges: portList.optional().meta({ allowed: "ports 0-65535, ranges `low-high`, or `*` alone", description: "Source ports." }),
  destinationAddressPrefixes: addressList.optional().meta({
    allowed: "CIDRs, addresses, one service tag or `*` (a tag or `*` stands alone); one address family per rule",
    description: "Destination addresses.",
  }),
  destinationPortRanges: portList
    .optional()
    .meta({ allowed: "ports 0-65535, ranges `low-high`, or `*` alone", description: "Destination ports." }),
  // Azure's single-value forms, as rules copied from ARM, Bicep or azure-native write them.
  sourceAddressPrefix: singleAddress.optional().meta({
    allowed: "one CIDR, address, service tag or `*`; not with `sourceAddressPrefixes`",
    description: "Source address, Azure's single-value form.",
  }),
  sourcePortRange: singlePort.optional().meta({
    allowed: "a port, a range `low-high`, or `*`; not with `sourcePortRanges`",
    description: "Source port, Azure's single-value form.",
  }),
  destinationAddressPrefix: singleAddress.optional().meta({
    allowed: "one CIDR, address, service tag or `*`; not with `destinationAddressPrefixes`",
    description: "Destination address, Azure's single-value form.",
  }),
  destinationPortRange: singlePort.optional().meta({
    allowed: "a port, a range `low-high`, or `*`; not with `destinationPortRanges`",
    description: "Destination port, Azure's single-value form.",
  }),
}).superRefine((rule, ctx) => {
  for (const [single, list] of SINGLE_AND_LIST_FIELDS) {
    if (rule[single] !== undefined && rule[list] !== undefined)
      ctx.addIssue({ code: "custom", path: [single], message: `give ${single} or ${list}, not both` });
  }
  const families = new Set(
    [
      ...(rule.sourceAddressPrefixes ?? []),
      ...(rule.destinationAddressPrefixes ?? []),
      ...[rule.sourceAddressPrefix, rule.destinationAddressPrefix].filter((entry) => entry !== undefined),
    ]
      .map(literalFamily)
      .filter((family) => family !== undefined),
  );
  if (families.size > 1)
    ctx.addIssue({
      code: "custom",
      path: [rule.destinationAddressPrefix !== undefined ? "destinationAddressPrefix" : "destinationAddressPrefixes"],
      message: "mixes IPv4 and IPv6; Azure needs one address family per rule, so split it in two",
    });
});

export const tagsSchema = z
  .record(
    z.string(),
    deferrable(z.string(describe(`a non-empty string of at most ${TAG_LIMITS.maxValueLength} characters`))),
    describe("a map of tag names to values"),
  )
  .superRefine((tags, ctx) => {
    const names = Object.keys(tags);
    if (names.length > TAG_LIMITS.maxTags)
      ctx.addIssue({ code: "custom", message: `${names.length} tags; Azure allows at most ${TAG_LIMITS.maxTags} per resource` });
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
      if (value.trim() === "")
        ctx.addIssue({ code: "custom", path: [name], message: `empty value; allowed: 1-${TAG_LIMITS.maxValueLength} characters` });
      else if (value.length > TAG_LIMITS.maxValueLength)
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `value is ${value.length} characters; Azure allows ${TAG_LIMITS.maxValueLength}`,
        });
    }
  });

const resourceGroupNameSchema = z
  .string(describe("an Azure resource group name"))
  // Azure allows any Unicode letter or digit here, as .NET's Char.IsLetterOrDigit defines them.
  .regex(/^[-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()]$/u, "must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'");

const existingVirtualNetworkSchema = strictObject({
  name: deferrable(
    z
      .string(describe("the VNET's name"))
      .regex(
        /^[A-Za-z0-9][\w.-]{0,62}\w$/,
        "must be 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
      ),
  ).meta({
    type: "string",
    allowed: "2-64 letters, digits, `_`, `.` or `-`, starting with a letter or digit and ending with a letter, digit or `_`",
    description: "The existing VNET's name.",
  }),
  resourceGroupName: deferrable(resourceGroupNameSchema).meta({
    type: "string",
    allowed: "1-90 letters, digits, `_`, `-`, `.`, `(` or `)`, not ending in `.`",
    description: "The existing VNET's resource group.",
  }),
});

const privateIpv4 = z.string(describe("the firewall's private IPv4 address, such as 10.0.1.4")).superRefine((text, ctx) => {
  const address = parseAddress(text);
  if (!address || address.family !== 4) {
    ctx.addIssue({
      code: "custom",
      message: `${quoted(text)} is not an IPv4 address; expected the firewall's private IP, such as 10.0.1.4`,
    });
  } else if (!PRIVATE_RANGES.some((range) => containsCidr(range, { family: 4, base: address.value, prefixLength: 32 }))) {
    ctx.addIssue({
      code: "custom",
      message: `${text} is public; the next hop must be the firewall's private IP (10/8, 172.16/12, 192.168/16 or 100.64/10)`,
    });
  }
});

/** An ARM ID of one resource type. */
const armIdSchema = (kind: ArmIdKind) =>
  z.string(describe(`${kind.what}, ${kind.example}`)).superRefine((text, ctx) => {
    if (!parseArmId(text, kind)) ctx.addIssue({ code: "custom", message: `${quoted(text)} is not ${kind.what}; expected ${kind.example}` });
  });

const dnsServer = z.string(describe("a DNS server's IPv4 address, such as 10.0.0.4")).superRefine((text, ctx) => {
  if (parseAddress(text)?.family !== 4)
    ctx.addIssue({ code: "custom", message: `${quoted(text)} is not an IPv4 address; expected a DNS server such as 10.0.0.4` });
});

const firewallPolicyIdSchema = z
  .string(describe(`an Azure Firewall policy resource ID, ${FIREWALL_POLICY_ID_EXAMPLE}`))
  .superRefine((text, ctx) => {
    if (!parseFirewallPolicyId(text))
      ctx.addIssue({
        code: "custom",
        message: `${quoted(text)} is not an Azure Firewall policy resource ID; expected ${FIREWALL_POLICY_ID_EXAMPLE}`,
      });
  });

const DOMAINS_ALLOWED = "allowed: a host name such as example.com or a wildcard such as *.example.com";

/** One of the user's hosts for the firewall: a name or a `*.` wildcard, never a public suffix. */
const extraDomain = z.string(describe("a host name such as example.com or a wildcard such as *.example.com")).superRefine((text, ctx) => {
  const problem = domainProblem(normalizeDomain(text));
  if (problem) ctx.addIssue({ code: "custom", message: `${quoted(text)} is ${problem}; ${DOMAINS_ALLOWED}` });
});

/** Arguments shared by the component and by each network entry of the stack config. */
export const networkShape = {
  location: regionSchema.meta({
    allowed:
      "a region GitHub supports (`components/lib/regions.ts`, from GitHub's docs; with `github.dataResidency`, GHE.com's for its geography, `components/lib/ghecom.ts`); `East US` and `EastUs` work too",
    description: "The Azure region of the VNET and subnet.",
  }),
  resourceGroupName: deferrable(resourceGroupNameSchema).optional().meta({
    type: "string",
    default: "new group `<name>-rg` (with an existing VNET: that VNET's group)",
    allowed: "an existing resource group (1-90 letters, digits, `_`, `-`, `.`, `(` or `)`, not ending in `.`)",
    description: "The resource group the network's resources go in.",
  }),
  addressSpace: ipv4Cidr("10.40.0.0/16")
    .optional()
    .meta({
      default: `\`${DEFAULT_ADDRESS_SPACE}\``,
      allowed: "IPv4 CIDR, host bits clear, not multicast/loopback/link-local; not with `existingVirtualNetwork`",
      description: "The address space of a new VNET; networks must not overlap.",
    }),
  existingVirtualNetwork: existingVirtualNetworkSchema.optional().meta({
    default: "none",
    allowed: "`{ name, resourceGroupName }`",
    description: "An existing VNET: the subnet is added there; `subnetPrefix` is then required.",
  }),
  subnetPrefix: ipv4Cidr("10.40.0.0/24").optional().meta({
    default: "first free aligned block that holds `maxConcurrentRunners`; once deployed, the deployed one",
    allowed: "IPv4 CIDR inside the address space, /29 or larger; once deployed, the deployed one",
    description:
      "The runner subnet. With `maxConcurrentRunners` too, the subnet must hold the runners. See [Growing a deployed network](#growing-a-deployed-network).",
  }),
  maxConcurrentRunners: positiveInteger("the peak number of runners running at once").optional().meta({
    default: "none",
    allowed: "whole number ≥ 1; at most what a deployed subnet holds",
    description:
      "The peak number of runners running at once; one of it and `subnetPrefix` is required. A deployed subnet keeps its prefix while it holds them; see [Growing a deployed network](#growing-a-deployed-network).",
  }),
  runnerPlatforms: z
    .array(oneOf(RUNNER_PLATFORMS), describe(`a list of runner platforms; allowed: ${RUNNER_PLATFORMS.join(", ")}`))
    .min(1, "must not be empty")
    .optional()
    .meta({ default: "`[x64]`", allowed: "the region must offer each", description: "The runner platforms the subnet serves." }),
  egress: oneOf(EGRESS_MODES)
    .optional()
    .meta({
      default: `\`${EgressMode.natGateway}\``,
      description: "How runner traffic leaves the subnet; see [Egress](#egress-three-designs-and-the-weekly-drift-check).",
    }),
  natGatewayPublicIpCount: z
    .number(describe(`a whole number ${NAT_PUBLIC_IP_RANGE.min}-${NAT_PUBLIC_IP_RANGE.max}`))
    .optional()
    .meta({
      default: `one per ${RUNNERS_PER_NAT_PUBLIC_IP} runners the subnet holds, ${NAT_PUBLIC_IP_RANGE.min}-${NAT_PUBLIC_IP_RANGE.max}`,
      allowed: `${NAT_PUBLIC_IP_RANGE.min}–${NAT_PUBLIC_IP_RANGE.max} (egress \`natGateway\` only)`,
      description: "The NAT gateway's static public IPs.",
    }),
  firewallPrivateIp: deferrable(privateIpv4).optional().meta({
    type: "string",
    default: "none",
    allowed: "private IPv4 of the firewall (10/8, 172.16/12, 192.168/16 or 100.64/10)",
    description: "The next hop for runner traffic; required with egress `firewall`.",
  }),
  outbound: oneOf(OUTBOUND_MODES).optional().meta({
    default: "`restricted` (`https` with egress `firewall`)",
    description: "What the NSG lets out; see [What the NSG lets through](#what-the-nsg-lets-through).",
  }),
  extraSecurityRules: z.array(extraRuleSchema, describe("a list of security rules")).optional().meta({
    default: "none",
    allowed:
      "rules `{ name, direction, access, protocol?, priority?, sourceAddressPrefixes?, sourcePortRanges?, destinationAddressPrefixes?, destinationPortRanges?, description? }`",
    description: "Your own NSG rules, added to the planned ones.",
  }),
  tags: deferrable(tagsSchema)
    .optional()
    .meta({
      type: "map of string to string",
      default: "none",
      allowed: `Azure tag limits: ≤ ${TAG_LIMITS.maxTags} tags, names ≤ ${TAG_LIMITS.maxNameLength} and values ≤ ${TAG_LIMITS.maxValueLength} characters, nothing empty`,
      description: "Tags on this network's Azure resources; they win over the stack's `tags`.",
    }),
  firewallPolicyId: deferrable(firewallPolicyIdSchema)
    .optional()
    .meta({
      type: "string",
      default: "none",
      allowed: `an Azure Firewall policy resource ID, \`${FIREWALL_POLICY_ID_EXAMPLE}\``,
      description:
        "Your Azure Firewall policy, to which the stack adds GitHub's domain rules (egress `firewall`); see [Egress](#egress-three-designs-and-the-weekly-drift-check).",
    }),
  domainAllowList: oneOf(DOMAIN_LEVELS)
    .optional()
    .meta({
      default: `\`${DEFAULT_DOMAIN_LEVEL}\``,
      description: "Which of GitHub's domain lists the firewall policy's rules allow (with `firewallPolicyId`).",
    }),
  extraDomains: z.array(extraDomain, describe("a list of host names or *. wildcards")).optional().meta({
    default: "none",
    allowed: "host names (`example.com`) or `*.` wildcards (`*.example.com`); no public suffix (`com`, `*.co.uk`) or IP address",
    description: "Your own hosts the firewall policy's application rule allows on HTTPS 443, besides GitHub's (with `firewallPolicyId`).",
  }),
  firewallRuleCollectionGroupPriority: z
    .number(describe(`a whole number ${FIREWALL_GROUP_PRIORITY_RANGE.min}-${FIREWALL_GROUP_PRIORITY_RANGE.max}`))
    .optional()
    .meta({
      default: String(DEFAULT_FIREWALL_GROUP_PRIORITY),
      allowed: `${FIREWALL_GROUP_PRIORITY_RANGE.min}-${FIREWALL_GROUP_PRIORITY_RANGE.max}, unused by the policy's other rule collection groups`,
      description: "The priority of the rule collection group holding the domain rules (with `firewallPolicyId`).",
    }),
  hubVirtualNetworkId: deferrable(armIdSchema(VIRTUAL_NETWORK_ID))
    .optional()
    .meta({
      type: "string",
      default: "none",
      allowed: `${VIRTUAL_NETWORK_ID.example}; a new VNET only`,
      description: "The hub VNET to peer the new VNET with (spoke to hub; hub to spoke too with `hubSidePeering`).",
    }),
  hubSidePeering: z.boolean(describe("true (also create the hub-to-spoke peering) or false")).optional().meta({
    default: "`false` (`true` with the `hubProvider` resource option)",
    allowed: "with `hubVirtualNetworkId`",
    description:
      "Also create the hub-to-spoke peering, in the hub's subscription (a provider for it is made with your credentials when it is not the stack's); the deploying identity needs Network Contributor on the hub VNET.",
  }),
  useHubGateway: z.boolean(describe("true (route through the hub's VPN or ExpressRoute gateway) or false")).optional().meta({
    default: "`false`",
    description: "The spoke uses the hub's gateway (the hub side allows gateway transit); with `hubVirtualNetworkId`.",
  }),
  dnsServers: z.array(dnsServer, describe("a list of DNS server IPv4 addresses")).min(1, "must not be empty").optional().meta({
    default: "Azure-provided DNS",
    allowed: "IPv4 addresses; a new VNET only",
    description: "The VNET's DNS servers (such as the hub's resolver); the NSG allows DNS (port 53) to exactly these.",
  }),
  privateDnsZoneIds: z
    .array(deferrable(armIdSchema(PRIVATE_DNS_ZONE_ID)), describe("a list of private DNS zone resource IDs"))
    .optional()
    .meta({
      type: "list of string",
      default: "none",
      allowed: `${PRIVATE_DNS_ZONE_ID.example}; a new VNET only`,
      description: "Existing private DNS zones to link to the new VNET, so runners resolve private endpoints.",
    }),
  acceptUnlistedRegion: z.boolean(describe("true (a region GitHub added after this package's list) or false")).optional().meta({
    default: "`false`",
    description:
      "Take an Azure region none of GitHub's pages lists yet (the plan warns; run `doctor`, which asks ARM whether networkSettings is offered there).",
  }),
  registerResourceProvider: z
    .boolean(describe("true (default: register GitHub.Network and Microsoft.Network during pulumi up) or false"))
    .optional()
    .meta({
      default: "`true`",
      description:
        "Register `GitHub.Network` and `Microsoft.Network` during `pulumi up`; `false` skips it; see [Azure](#azure-roles-registration-and-doctor).",
    }),
};

/** A GHE.com enterprise (data residency): the stack's `github.dataResidency`, the component's `dataResidency`. */
export const dataResidencySchema = strictObject({
  subdomain: z
    .string(describe("your enterprise's GHE.com subdomain, such as octocorp for octocorp.ghe.com"))
    .regex(
      GHECOM_SUBDOMAIN_PATTERN,
      "must be one DNS label: 1-63 of a-z, 0-9 and '-', not starting or ending with '-' (SUBDOMAIN of SUBDOMAIN.ghe.com)",
    )
    .meta({ allowed: "one DNS label (`a-z 0-9 -`)", description: "The enterprise's subdomain: `SUBDOMAIN` of `SUBDOMAIN.ghe.com`." }),
  geography: oneOf(GHECOM_GEOGRAPHIES).meta({
    description: "The geography the enterprise's data lives in; it decides regions and ranges.",
  }),
}) satisfies z.ZodType<DataResidency>;

export const componentArgsSchema = strictObject({
  ...networkShape,
  businessId: deferrable(businessIdSchema),
  dataResidency: dataResidencySchema.optional(),
});

export type NetworkFields = z.output<z.ZodObject<typeof networkShape>>;

/** Checks one component argument once its value is known (for arguments that were outputs). */
export function validateResolvedField(key: keyof typeof componentArgsSchema.shape, value: unknown): Problem[] {
  const result = componentArgsSchema.shape[key].safeParse(value);
  return result.success ? [] : issuesFromZod(result.error, key);
}
