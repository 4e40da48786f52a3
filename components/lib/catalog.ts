/**
 * The endpoint catalog: everything a runner subnet must reach, in one place. The NSG rule
 * planner, the firewall rules, the offline plan, the policy pack and the docs all read it here.
 *
 * The committed snapshot (components/data/github-endpoints.json) is generated from a response
 * of GitHub's `GET /meta` (docs.github.com REST "Meta"; schema in shared/reference/
 * openapi-meta-schema.json) by `npm run catalog:generate`; it is never edited by hand.
 */
import snapshot from "../data/github-endpoints.json";
import { mergeAddressList } from "./cidr";

/** Meta keys whose IP ranges serve the GitHub endpoints a runner calls. */
export const GITHUB_RANGE_SERVICES = ["web", "api", "git", "packages"] as const;
export type GitHubRangeService = (typeof GITHUB_RANGE_SERVICES)[number];

/**
 * The three domain lists GitHub publishes for private networking, from most exact to most
 * stable (docs.github.com, "DNS/domain control"): `full_domains`, `actions`, `wildcard_domains`.
 */
export const DOMAIN_LEVELS = ["exact", "standard", "wildcard"] as const;
export type DomainLevel = (typeof DOMAIN_LEVELS)[number];

/** Azure service tags the runner NSG uses, and why. */
export const AZURE_SERVICE_TAGS = {
  VirtualNetwork: "addresses of the VNET and everything connected to it",
  Storage: "Azure Storage: Actions logs, artifacts, caches and job summaries live in blob storage",
  AzureCloud: "Azure datacenter public ranges: the Actions services run in Azure",
  Internet: "everything outside the VNET; used for the final deny, or the 443 allow behind a firewall",
} as const;
export type AzureServiceTag = keyof typeof AZURE_SERVICE_TAGS;

export interface CatalogSource {
  /** Where the /meta response came from. */
  readonly url: string;
  /** ISO date (or date-time) the response was taken. */
  readonly takenAt: string;
  /** How the response reached us, when not fetched directly. */
  readonly via?: string;
}

export interface EndpointCatalog {
  readonly source: CatalogSource;
  /** Ranges of each GitHub service as published (sorted, merged per service). */
  readonly services: Readonly<Record<GitHubRangeService, readonly string[]>>;
  /** Union of the services above, merged to the fewest CIDRs, per address family. */
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  readonly domains: Readonly<Record<DomainLevel, readonly string[]>>;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Builds a catalog from a `/meta` response. Missing keys give empty lists and unknown keys are
 * ignored: the live response differs from GitHub's own schema (e.g. `dependabot` is absent).
 */
export function catalogFromMeta(meta: unknown, source: CatalogSource): EndpointCatalog {
  const body = record(meta);
  const services = Object.fromEntries(
    GITHUB_RANGE_SERVICES.map((service) => {
      const merged = mergeAddressList(stringList(body[service]));
      return [service, [...merged.ipv4, ...merged.ipv6]];
    }),
  ) as Record<GitHubRangeService, string[]>;
  const union = mergeAddressList(GITHUB_RANGE_SERVICES.flatMap((service) => stringList(body[service])));
  const domains = record(body.domains);
  const inbound = record(domains.actions_inbound);
  return {
    source,
    services,
    ipv4: union.ipv4,
    ipv6: union.ipv6,
    domains: {
      exact: stringList(inbound.full_domains),
      standard: stringList(domains.actions),
      wildcard: stringList(inbound.wildcard_domains),
    },
  };
}

/** The committed snapshot. */
export const ENDPOINT_CATALOG: EndpointCatalog = snapshot as EndpointCatalog;
