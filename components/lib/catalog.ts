/**
 * The endpoint catalog: everything a runner subnet must reach, in one place. The NSG rule
 * planner, the firewall rules, the offline plan, the policy pack, the `endpoints` command and the
 * docs all read it here.
 *
 * The committed snapshot (components/data/github-endpoints.json) is generated from a response of
 * GitHub's `GET /meta` (docs.github.com REST "Meta"; schema in shared/reference/
 * openapi-meta-schema.json) by `endpoints update` or `npm run catalog:generate`, which share the
 * code below; it is never edited by hand.
 */
import type * as Tldts from "tldts";
import { z } from "zod";
import snapshot from "../data/github-endpoints.json";
import { formatCidr, mergeAddressList, overlaps, parseAddress, parseCidr, tryParseAddressOrCidr } from "./cidr";
import { quoted } from "./problems";

/** Meta keys whose IP ranges serve the GitHub endpoints a runner calls. */
export const GITHUB_RANGE_SERVICES = ["web", "api", "git", "packages"] as const;
export type GitHubRangeService = (typeof GITHUB_RANGE_SERVICES)[number];

/**
 * The three domain lists GitHub publishes for private networking, from most exact to most
 * stable (docs.github.com, "Configuring private networking for GitHub-hosted runners", section
 * "DNS/domain control"; copy in shared/reference/github-docs-private-networking-excerpts.md).
 */
export const DomainLevel = { exact: "exact", standard: "standard", wildcard: "wildcard" } as const;
export type DomainLevel = (typeof DomainLevel)[keyof typeof DomainLevel];
export const DOMAIN_LEVELS = Object.values(DomainLevel) as [DomainLevel, ...DomainLevel[]];
/** GitHub recommends the middle list as the stable default for most teams (same source). */
export const DEFAULT_DOMAIN_LEVEL: DomainLevel = "standard";

/** Where each level lives in the `/meta` response. */
export const DOMAIN_LEVEL_META_PATHS: Readonly<Record<DomainLevel, string>> = {
  exact: "domains.actions_inbound.full_domains",
  standard: "domains.actions",
  wildcard: "domains.actions_inbound.wildcard_domains",
};

/**
 * The hosts a runner reaches for artifact attestations (actions/attest-build-provenance): the
 * Sigstore instance GitHub runs. None of the three levels lists them all.
 */
export const ATTESTATION_META_PATH = "domains.artifact_attestations.services";

/**
 * Azure service tags the runner NSG and firewall rules use, and why. Tag meanings: "Virtual
 * network service tags" on learn.microsoft.com (copy in shared/reference/azure-nsg-vnet-excerpts.md §8).
 */
export const AZURE_SERVICE_TAGS = {
  VirtualNetwork: "addresses of the VNET and everything connected to it",
  Storage: "Azure Storage: Actions logs, artifacts, caches and job summaries live in blob storage",
  AzureCloud: "Azure datacenter public ranges: the Actions services run in Azure",
  Internet: "everything outside the VNET; used for the final deny, or the 443 allow behind a firewall",
} as const;

export interface CatalogSource {
  /** Where the /meta response came from. */
  readonly url: string;
  /** ISO date (or date-time) the response was taken. */
  readonly takenAt: string;
  /** How the response reached us, when not fetched directly. */
  readonly via?: string;
  /** The response's ETag: the next check asks GitHub for the list only if it changed. */
  readonly etag?: string;
}

export interface EndpointCatalog {
  readonly source: CatalogSource;
  /** Ranges of each GitHub service as published (merged per service, IPv4 first, each sorted). */
  readonly services: Readonly<Record<GitHubRangeService, readonly string[]>>;
  /** Union of the services above, merged to the fewest CIDRs, per address family, sorted. */
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** Each level's domains: lower case, without duplicates, sorted. */
  readonly domains: Readonly<Record<DomainLevel, readonly string[]>>;
  /** The artifact attestation hosts (`ATTESTATION_META_PATH`), in the same form. */
  readonly attestationDomains: readonly string[];
}

/** An entry of the response the catalog could not use, and why. */
export interface IgnoredMetaEntry {
  readonly list: string;
  readonly value: string;
  readonly reason: string;
}

/** The lists the catalog reads from `/meta`, before merging. */
export interface MetaLists {
  readonly services: Record<GitHubRangeService, string[]>;
  readonly domains: Record<DomainLevel, string[]>;
  readonly attestationDomains?: string[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A host name, optionally with one leading `*.` label (the form the meta endpoint uses for wildcards). */
const DOMAIN_PATTERN = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readList(value: unknown, list: string, ignored: IgnoredMetaEntry[], accept: (entry: string) => string | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    ignored.push({ list, value: quoted(value), reason: "not a list" });
    return [];
  }
  const out: string[] = [];
  for (const entry of value) {
    if (typeof entry !== "string") {
      ignored.push({ list, value: quoted(entry), reason: "not a string" });
      continue;
    }
    const reason = accept(entry);
    if (reason) ignored.push({ list, value: entry, reason });
    else out.push(entry);
  }
  return out;
}

/**
 * Blocks that are no destination on the internet (IANA's special-purpose address registries,
 * RFC 6890, and the RFCs named): a `/meta` range inside one, or around one, is dropped, so a broken
 * or hostile response cannot open the NSG to private networks, the host, Azure's instance metadata
 * service, or (by one huge range) the whole internet. IPv4-mapped IPv6 addresses are IPv4 addresses
 * in disguise.
 */
export const NON_ROUTABLE_RANGES: readonly (readonly [range: string, what: string])[] = [
  ["0.0.0.0/8", '"this network" (RFC 791)'],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["100.64.0.0/10", "shared address space (RFC 6598)"],
  ["127.0.0.0/8", "loopback (RFC 1122)"],
  ["169.254.0.0/16", "link-local (RFC 3927), where Azure's instance metadata service answers"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.0.0.0/24", "IETF protocol assignments (RFC 6890)"],
  ["192.0.2.0/24", "documentation (RFC 5737)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["198.18.0.0/15", "benchmarking (RFC 2544)"],
  ["198.51.100.0/24", "documentation (RFC 5737)"],
  ["203.0.113.0/24", "documentation (RFC 5737)"],
  ["224.0.0.0/4", "multicast (RFC 5771)"],
  ["240.0.0.0/4", "reserved (RFC 1112), with the broadcast address"],
  ["::/128", "the unspecified address (RFC 4291)"],
  ["::1/128", "loopback (RFC 4291)"],
  ["::ffff:0:0/96", "IPv4-mapped (RFC 4291)"],
  ["100::/64", "discard-only (RFC 6666)"],
  ["2001:db8::/32", "documentation (RFC 3849)"],
  ["3fff::/20", "documentation (RFC 9637)"],
  ["fc00::/7", "unique local (RFC 4193)"],
  ["fe80::/10", "link-local (RFC 4291)"],
  ["ff00::/8", "multicast (RFC 4291)"],
];

const NON_ROUTABLE = NON_ROUTABLE_RANGES.map(([range, what]) => ({ cidr: parseCidr(range), what }));

/** Why a `/meta` range is dropped, or undefined when it is a public range. */
export function rangeProblem(entry: string): string | undefined {
  const cidr = tryParseAddressOrCidr(entry);
  if (!cidr) return "not an IP address or CIDR";
  const special = NON_ROUTABLE.find((block) => overlaps(block.cidr, cidr));
  if (!special) return undefined;
  const where = cidr.prefixLength >= special.cidr.prefixLength ? "inside" : "covers";
  return `not a public range: ${where} ${formatCidr(special.cidr)}, ${special.what}`;
}

export function normalizeDomain(entry: string): string {
  return entry.trim().toLowerCase().replace(/\.$/, "");
}

/** DNS's limit on a name's length, dots included. */
const MAX_DOMAIN_LENGTH = 253;

let tldts: typeof Tldts | undefined;

/**
 * The public suffix of a name by the Public Suffix List's ICANN section (tldts; unknown top-level
 * names count as suffixes). Loaded on first use: the offline plan starts without it.
 * The private section is left out on purpose: it lists hosting platforms such as
 * githubusercontent.com and s3.amazonaws.com, whose own names GitHub's lists rightly hold.
 */
function publicSuffixOf(name: string): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tldts ??= require("tldts") as typeof Tldts;
  return tldts.getPublicSuffix(name, { allowPrivateDomains: false });
}

/**
 * Why a domain entry (normalized: lower case, no root dot) cannot be allowed, or undefined: it
 * must be a host name or `*.` and one, and not a public suffix or a wildcard over one (`com`,
 * `*.com`, `*.co.uk`), under which anyone can register a name.
 */
export function domainProblem(entry: string): string | undefined {
  if (!DOMAIN_PATTERN.test(entry)) return "not a domain name or *.domain pattern";
  if (entry.length > MAX_DOMAIN_LENGTH) return `longer than ${MAX_DOMAIN_LENGTH} characters`;
  const name = entry.startsWith("*.") ? entry.slice(2) : entry;
  if (parseAddress(name)) return "an IP address, not a domain name";
  if (publicSuffixOf(name) !== name) return undefined;
  return entry === name
    ? "a public suffix, under which anyone can register a domain"
    : `a wildcard over the public suffix ${name}, under which anyone can register a domain`;
}

/**
 * Reads the lists the catalog needs from a `/meta` response. Missing keys give empty lists and
 * unknown keys are ignored: the live response differs from GitHub's own schema (it lacks
 * `dependabot` and adds `commit_signing_keys`; shared/reference/github-meta-2026-08-22.PROVENANCE.md).
 * Entries of the wrong type or form are left out and reported, never guessed at, and so are
 * entries that would widen egress beyond GitHub: ranges that are not public (`NON_ROUTABLE_RANGES`)
 * and domains that are public suffixes or wildcards over one (`domainProblem`).
 */
export function parseMeta(meta: unknown): { lists: MetaLists; ignored: IgnoredMetaEntry[] } {
  const ignored: IgnoredMetaEntry[] = [];
  const body = record(meta);
  const services = Object.fromEntries(
    GITHUB_RANGE_SERVICES.map((service) => [service, readList(body[service], service, ignored, rangeProblem)]),
  ) as MetaLists["services"];
  const domains = record(body.domains);
  const inbound = record(domains.actions_inbound);
  const sources: Record<DomainLevel, unknown> = {
    exact: inbound.full_domains,
    standard: domains.actions,
    wildcard: inbound.wildcard_domains,
  };
  const domainList = (value: unknown, list: string) =>
    readList(value, list, ignored, (entry) => domainProblem(normalizeDomain(entry))).map(normalizeDomain);
  const levels = Object.fromEntries(
    DOMAIN_LEVELS.map((level) => [level, domainList(sources[level], DOMAIN_LEVEL_META_PATHS[level])]),
  ) as MetaLists["domains"];
  const attestationDomains = domainList(record(domains.artifact_attestations).services, ATTESTATION_META_PATH);
  return { lists: { services, domains: levels, attestationDomains }, ignored };
}

function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort(compareText);
}

/** Builds the catalog from lists read off a `/meta` response. */
export function catalogFromLists(lists: MetaLists, source: CatalogSource): EndpointCatalog {
  const services = Object.fromEntries(
    GITHUB_RANGE_SERVICES.map((service) => {
      const merged = mergeAddressList(lists.services[service]);
      return [service, [...merged.ipv4, ...merged.ipv6]];
    }),
  ) as Record<GitHubRangeService, string[]>;
  const union = mergeAddressList(GITHUB_RANGE_SERVICES.flatMap((service) => lists.services[service]));
  return {
    source: normalizeSource(source),
    services,
    ipv4: union.ipv4,
    ipv6: union.ipv6,
    domains: {
      exact: sortedUnique(lists.domains.exact),
      standard: sortedUnique(lists.domains.standard),
      wildcard: sortedUnique(lists.domains.wildcard),
    },
    attestationDomains: sortedUnique(lists.attestationDomains ?? []),
  };
}

/** Builds a catalog from a `/meta` response (see `parseMeta` for what is tolerated). */
export function catalogFromMeta(meta: unknown, source: CatalogSource): EndpointCatalog {
  return catalogFromLists(parseMeta(meta).lists, source);
}

/** Fixed key order, optional keys left out when absent: the same catalog always serializes the same. */
function normalizeSource(source: CatalogSource): CatalogSource {
  return {
    url: source.url,
    takenAt: source.takenAt,
    ...(source.via ? { via: source.via } : {}),
    ...(source.etag ? { etag: source.etag } : {}),
  };
}

/** One list the catalog keeps, named the way the meta endpoint names it. */
export interface CatalogList {
  readonly id: string;
  readonly label: string;
  readonly read: (catalog: EndpointCatalog) => readonly string[];
}

export const CATALOG_LISTS: readonly CatalogList[] = [
  ...DOMAIN_LEVELS.map((level) => ({
    id: DOMAIN_LEVEL_META_PATHS[level],
    label: `${level} domains`,
    read: (c: EndpointCatalog) => c.domains[level],
  })),
  { id: ATTESTATION_META_PATH, label: "artifact attestation domains", read: (c: EndpointCatalog) => c.attestationDomains },
  ...GITHUB_RANGE_SERVICES.map((service) => ({
    id: service,
    label: `${service} ranges (merged)`,
    read: (c: EndpointCatalog) => c.services[service],
  })),
];

/** True when the catalog holds nothing: the response was not a `/meta` answer. */
export function isEmptyCatalog(catalog: EndpointCatalog): boolean {
  return CATALOG_LISTS.every((list) => list.read(catalog).length === 0);
}

export interface ListDrift {
  readonly id: string;
  readonly label: string;
  readonly added: string[];
  readonly removed: string[];
}

/** What changed per list between two catalogs; lists without change are left out. */
export function diffCatalogs(before: EndpointCatalog, after: EndpointCatalog): ListDrift[] {
  return CATALOG_LISTS.flatMap((list) => {
    const old = new Set(list.read(before));
    const now = new Set(list.read(after));
    const added = [...now].filter((entry) => !old.has(entry)).sort(compareText);
    const removed = [...old].filter((entry) => !now.has(entry)).sort(compareText);
    return added.length || removed.length ? [{ id: list.id, label: list.label, added, removed }] : [];
  });
}

/** The snapshot file's text: stable key order, two-space indent, final newline. */
export function formatCatalogSnapshot(catalog: EndpointCatalog): string {
  const ordered: EndpointCatalog = {
    source: normalizeSource(catalog.source),
    services: Object.fromEntries(
      GITHUB_RANGE_SERVICES.map((service) => [service, catalog.services[service]]),
    ) as EndpointCatalog["services"],
    ipv4: catalog.ipv4,
    ipv6: catalog.ipv6,
    domains: { exact: catalog.domains.exact, standard: catalog.domains.standard, wildcard: catalog.domains.wildcard },
    attestationDomains: catalog.attestationDomains,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

const stringArray = z.array(z.string());
const snapshotSchema = z.object({
  source: z.object({ url: z.string(), takenAt: z.string(), via: z.string().optional(), etag: z.string().optional() }),
  services: z.object(
    Object.fromEntries(GITHUB_RANGE_SERVICES.map((service) => [service, stringArray])) as Record<GitHubRangeService, typeof stringArray>,
  ),
  ipv4: stringArray,
  ipv6: stringArray,
  domains: z.object({ exact: stringArray, standard: stringArray, wildcard: stringArray }),
  // Snapshots written before the list was kept lack it.
  attestationDomains: stringArray.default([]),
});

export class CatalogSnapshotError extends Error {}

/** Checks the shape of a snapshot file's content; the message names the first bad key. */
export function parseCatalogSnapshot(value: unknown): EndpointCatalog {
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CatalogSnapshotError(`not an endpoint catalog snapshot: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data;
}

/** The committed snapshot. */
export const ENDPOINT_CATALOG: EndpointCatalog = parseCatalogSnapshot(snapshot);
