/**
 * GHE.com (GitHub Enterprise Cloud with data residency): the regions, address ranges and hosts
 * that differ from github.com for Azure private networking, per geography.
 *
 * Source for every figure: docs.github.com, "Network details for GHE.com" (github/docs
 * content/admin/data-residency/network-details-for-ghecom.md; copy in shared/reference/
 * ghecom-network-details-azure-private-networking.md), sections "GitHub's hostnames", "GitHub's IP
 * addresses", "Supported regions for Azure private networking", "IP ranges for Azure private
 * networking" and "Domains for Azure private networking".
 */
import tenantSnapshots from "../data/ghecom-endpoints.json";
import { catalogFromLists, ENDPOINT_CATALOG, parseCatalogSnapshot, type EndpointCatalog } from "./catalog";
import { mergeAddressList } from "./cidr";
import type { Hosting, RunnerRequirement } from "./runner-requirements";
import type { RunnerPlatform } from "./regions";

export const GheComGeography = { eu: "eu", australia: "australia", us: "us", japan: "japan" } as const;
export type GheComGeography = (typeof GheComGeography)[keyof typeof GheComGeography];
export const GHECOM_GEOGRAPHIES = Object.values(GheComGeography) as [GheComGeography, ...GheComGeography[]];

/** Which GHE.com enterprise the runners serve: its dedicated subdomain and the geography it lives in. */
export interface DataResidency {
  subdomain: string;
  geography: GheComGeography;
}

export interface GheComGeographyFacts {
  /** How GitHub's page names the geography. */
  label: string;
  /** Regions GitHub offers private networking in, per runner platform. */
  regions: Readonly<Record<RunnerPlatform, readonly string[]>>;
  /** "Ranges for ingress traffic": where the runners' connections to the enterprise arrive. */
  ingressRanges: readonly string[];
  /** "Actions IPs" of the private networking section (the US section lists none). */
  actionsAddresses: readonly string[];
  /** The storage accounts that may replace `*.blob.core.windows.net` (the US section lists none). */
  blobAccounts: readonly string[];
}

const account = (names: readonly string[]) => names.map((name) => `${name}.blob.core.windows.net`);
const results = (site: string) => [0, 1, 2, 3].map((n) => `prod${site}01resultssa${n}`);

export const GHECOM_GEOGRAPHY_FACTS: Readonly<Record<GheComGeography, GheComGeographyFacts>> = {
  eu: {
    label: "the EU",
    regions: {
      x64: ["francecentral", "germanywestcentral", "northeurope", "swedencentral"],
      arm64: ["francecentral", "germanywestcentral", "northeurope"],
      gpu: ["italynorth", "swedencentral"],
    },
    ingressRanges: [
      "108.143.197.176/28",
      "20.123.213.96/28",
      "20.224.46.144/28",
      "20.240.194.240/28",
      "20.240.220.192/28",
      "20.240.211.208/28",
    ],
    actionsAddresses: ["74.241.192.231", "20.4.161.108", "74.241.204.117", "20.31.193.160"],
    blobAccounts: account(["memoryalphaprodsdc01", "memoryalphaprodweu01", ...results("sdc"), ...results("weu")]),
  },
  australia: {
    label: "Australia",
    regions: {
      x64: ["australiacentral", "australiaeast"],
      arm64: ["australiacentral", "australiaeast"],
      gpu: ["australiacentral", "australiaeast"],
    },
    ingressRanges: ["4.237.73.192/28", "20.5.226.112/28", "20.248.163.176/28"],
    actionsAddresses: ["4.147.140.77", "20.53.114.78"],
    blobAccounts: account(["memoryalphaprodae01", ...results("ae")]),
  },
  us: {
    label: "the US",
    regions: {
      x64: ["centralus", "eastus2", "westus3"],
      arm64: ["centralus", "eastus2", "westus3"],
      gpu: ["centralus", "eastus2", "westus3"],
    },
    ingressRanges: ["74.249.180.192/28", "48.214.149.96/28", "172.202.123.176/28"],
    actionsAddresses: [],
    blobAccounts: [],
  },
  japan: {
    label: "Japan",
    regions: {
      x64: ["japaneast", "japanwest"],
      arm64: ["japaneast", "japanwest"],
      gpu: ["japaneast"],
    },
    // The private networking section lists single addresses inside these /28s.
    ingressRanges: ["74.226.88.240/28", "40.81.176.224/28", "4.190.169.240/28"],
    actionsAddresses: ["20.63.233.164", "172.192.153.164"],
    blobAccounts: account(["memoryalphaprodjpw01", ...results("jpw")]),
  },
};

/** "Required for all regions": the github.com addresses runners of every geography reach. */
export const GITHUB_COM_RANGES_FOR_GHECOM: readonly string[] = [
  "192.30.252.0/22",
  "185.199.108.0/22",
  "140.82.112.0/20",
  "143.55.64.0/20",
  "20.201.28.151/32",
  "20.205.243.166/32",
  "20.87.245.0/32",
  "4.237.22.38/32",
  "20.207.73.82/32",
  "20.27.177.113/32",
  "20.200.245.247/32",
  "20.175.192.147/32",
  "20.233.83.145/32",
  "20.29.134.23/32",
  "20.199.39.232/32",
  "20.217.135.5/32",
  "4.225.11.198/32",
  "4.208.26.197/32",
  "20.26.156.215/32",
];

/** The host shared by every GHE.com enterprise for sign-in. */
export const GHECOM_AUTH_HOST = "auth.ghe.com";

/** A GHE.com subdomain is one DNS label: lower-case letters, digits and inner hyphens. */
export const GHECOM_SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const gheComHost = (residency: Pick<DataResidency, "subdomain">) => `${residency.subdomain}.ghe.com`;
export const gheComApiUrl = (residency: Pick<DataResidency, "subdomain">) => `https://api.${gheComHost(residency)}`;

/**
 * The addresses runners of a GHE.com enterprise reach, merged per family: the geography's ingress
 * ranges and Actions addresses, github.com's ranges for GHE.com, and the ranges of the
 * enterprise's own `/meta` snapshot when one was taken.
 */
export function gheComAddressLists(
  residency: DataResidency,
  tenant: EndpointCatalog | undefined = tenantCatalog(residency.subdomain),
): { ipv4: string[]; ipv6: string[] } {
  const facts = GHECOM_GEOGRAPHY_FACTS[residency.geography];
  return mergeAddressList([
    ...facts.ingressRanges,
    ...facts.actionsAddresses,
    ...GITHUB_COM_RANGES_FOR_GHECOM,
    ...(tenant ? [...tenant.ipv4, ...tenant.ipv6] : []),
  ]);
}

/** Every address GitHub's GHE.com page lists, all geographies together (the policy pack counts them as GitHub's). */
export function gheComDocumentedAddresses(): { ipv4: string[]; ipv6: string[] } {
  return mergeAddressList([
    ...Object.values(GHECOM_GEOGRAPHY_FACTS).flatMap((facts) => [...facts.ingressRanges, ...facts.actionsAddresses]),
    ...GITHUB_COM_RANGES_FOR_GHECOM,
  ]);
}

/** How plans and rule descriptions name those addresses. */
export function gheComAddressesLabel(residency: DataResidency): string {
  return `GHE.com ranges for ${GHECOM_GEOGRAPHY_FACTS[residency.geography].label} and github.com's${tenantCatalog(residency.subdomain) ? ", the enterprise's meta endpoint" : ""}`;
}

/**
 * What runners of a GHE.com enterprise must reach, by purpose, each with where its addresses come
 * from: the enterprise's hosts arrive at the geography's ingress ranges, github.com at the ranges
 * the page lists for it, storage behind Azure's tags; the rest is not published per host.
 */
export function gheComRequirements(residency: DataResidency): RunnerRequirement[] {
  const host = gheComHost(residency);
  const facts = GHECOM_GEOGRAPHY_FACTS[residency.geography];
  const enterprise: Hosting = {
    kind: "ranges",
    ranges: facts.ingressRanges,
    what: `GHE.com's ingress ranges for ${facts.label}`,
  };
  const githubCom: Hosting = { kind: "ranges", ranges: GITHUB_COM_RANGES_FOR_GHECOM, what: "the github.com ranges GHE.com lists" };
  const storage: Hosting = { kind: "azure", tags: ["Storage", "AzureCloud"], what: "Azure Storage" };
  const requirement = (purpose: string, name: string, hosting?: Hosting): RunnerRequirement => ({
    purpose,
    host: name,
    port: 443,
    ...(hosting ? { hosting } : {}),
  });
  return [
    requirement("Essential operations (the enterprise)", host, enterprise),
    requirement("Essential operations (the enterprise)", `api.${host}`, enterprise),
    requirement("Essential operations (the enterprise)", `*.actions.${host}`, enterprise),
    requirement("Other services of the enterprise", `*.${host}`, enterprise),
    requirement("GHE.com sign-in", GHECOM_AUTH_HOST),
    requirement("Actions and runner downloads from github.com", "github.com", githubCom),
    requirement("Downloads and content", "*.githubusercontent.com"),
    requirement("Web assets", "*.githubassets.com"),
    requirement("Job summaries, logs, artifacts and caches", "*.blob.core.windows.net", storage),
    requirement("Job summaries, logs, artifacts and caches", "*.web.core.windows.net", storage),
  ];
}

/**
 * The committed snapshot of an enterprise's own `/meta` (`https://api.SUBDOMAIN.ghe.com/meta`),
 * kept beside github.com's in components/data/ghecom-endpoints.json by `endpoints update
 * --data-residency SUBDOMAIN` and the weekly workflow; undefined when none was taken.
 */
export function tenantCatalog(subdomain: string): EndpointCatalog | undefined {
  if (!parsedTenants.has(subdomain)) {
    const snapshots = tenantSnapshots as Record<string, unknown>;
    parsedTenants.set(subdomain, Object.hasOwn(snapshots, subdomain) ? parseCatalogSnapshot(snapshots[subdomain]) : undefined);
  }
  return parsedTenants.get(subdomain);
}

const parsedTenants = new Map<string, EndpointCatalog | undefined>();

/** A catalog with no lists: a GHE.com enterprise whose own `/meta` was never snapshotted. */
const NO_TENANT_SNAPSHOT: EndpointCatalog = catalogFromLists(
  { services: { web: [], api: [], git: [], packages: [] }, domains: { exact: [], standard: [], wildcard: [] } },
  { url: "", takenAt: "" },
);

/** Where a network's `/meta` lists come from: github.com's snapshot, or the GHE.com enterprise's own (empty when none). */
export function networkCatalog(residency?: DataResidency): EndpointCatalog {
  return residency ? (tenantCatalog(residency.subdomain) ?? NO_TENANT_SNAPSHOT) : ENDPOINT_CATALOG;
}
