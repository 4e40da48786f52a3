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
import { z } from "zod";
import snapshot from "../data/github-endpoints.json";
import { mergeAddressList, tryParseAddressOrCidr } from "./cidr";
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

const addressProblem = (entry: string) => (tryParseAddressOrCidr(entry) ? undefined : "not an IP address or CIDR");

export function normalizeDomain(entry: string): string {
  return entry.trim().toLowerCase().replace(/\.$/, "");
}

const domainProblem = (entry: string) =>
  DOMAIN_PATTERN.test(normalizeDomain(entry)) ? undefined : "not a domain name or *.domain pattern";

/**
 * Reads the lists the catalog needs from a `/meta` response. Missing keys give empty lists and
 * unknown keys are ignored: the live response differs from GitHub's own schema (it lacks
 * `dependabot` and adds `commit_signing_keys`; shared/reference/github-meta-2026-08-22.PROVENANCE.md).
 * Entries of the wrong type or form are left out and reported, never guessed at.
 */
export function parseMeta(meta: unknown): { lists: MetaLists; ignored: IgnoredMetaEntry[] } {
  const ignored: IgnoredMetaEntry[] = [];
  const body = record(meta);
  const services = Object.fromEntries(
    GITHUB_RANGE_SERVICES.map((service) => [service, readList(body[service], service, ignored, addressProblem)]),
  ) as MetaLists["services"];
  const domains = record(body.domains);
  const inbound = record(domains.actions_inbound);
  const sources: Record<DomainLevel, unknown> = {
    exact: inbound.full_domains,
    standard: domains.actions,
    wildcard: inbound.wildcard_domains,
  };
  const levels = Object.fromEntries(
    DOMAIN_LEVELS.map((level) => [
      level,
      readList(sources[level], DOMAIN_LEVEL_META_PATHS[level], ignored, domainProblem).map(normalizeDomain),
    ]),
  ) as MetaLists["domains"];
  return { lists: { services, domains: levels }, ignored };
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
