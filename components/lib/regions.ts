/**
 * Azure regions where GitHub-hosted runners can join a VNET, per runner platform.
 *
 * Source: docs.github.com, "About Azure private networking for GitHub-hosted runners in your
 * organization", section "About supported regions" (copy in shared/reference/
 * github-docs-private-networking-excerpts.md). GitHub changes this list over time; `doctor`
 * compares it with the regions ARM reports for GitHub.Network/networkSettings.
 */

import { GHECOM_GEOGRAPHY_FACTS, type GheComGeography } from "./ghecom";

/** Runner platforms GitHub offers in private networking regions. */
export const RunnerPlatform = { x64: "x64", arm64: "arm64", gpu: "gpu" } as const;
export type RunnerPlatform = (typeof RunnerPlatform)[keyof typeof RunnerPlatform];
export const RUNNER_PLATFORMS = Object.values(RunnerPlatform) as [RunnerPlatform, ...RunnerPlatform[]];

/** The pages of GitHub's that list the regions x64 runners support, which do not always agree. */
export const REGION_SOURCES = {
  about:
    'docs.github.com, "About Azure private networking for GitHub-hosted runners", About supported regions (shared/reference/github-docs-private-networking-excerpts.md)',
  troubleshooting: 'docs.github.com, "Troubleshooting Azure private network configurations for GitHub-hosted runners", Supported regions',
} as const;
export type RegionSource = keyof typeof REGION_SOURCES;

/** Each page's x64 list as published (canonical names). */
const X64_BY_SOURCE: Readonly<Record<RegionSource, readonly string[]>> = {
  about: [
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "canadaeast",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "japanwest",
    "koreacentral",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "southcentralus",
    "southeastasia",
    "southindia",
    "swedencentral",
    "switzerlandnorth",
    "uksouth",
    "ukwest",
    "westus",
    "westus2",
    "westus3",
  ],
  troubleshooting: [
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "canadaeast",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "japaneast",
    "koreacentral",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "southcentralus",
    "southeastasia",
    "southindia",
    "swedencentral",
    "switzerlandnorth",
    "uksouth",
    "westus",
    "westus2",
    "westus3",
  ],
};

/** Canonical (lower-case, no spaces) Azure region names, per platform: x64 is every page's list together. */
export const SUPPORTED_REGIONS: Readonly<Record<RunnerPlatform, readonly string[]>> = {
  x64: [...new Set(Object.values(X64_BY_SOURCE).flat())].sort(),
  arm64: ["centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus2", "westus3"],
  gpu: ["eastus", "northcentralus", "southcentralus", "westus"],
};

/** The pages that list a region for x64 runners. */
export function regionSources(location: string): RegionSource[] {
  const region = canonicalRegion(location);
  return (Object.keys(X64_BY_SOURCE) as RegionSource[]).filter((source) => X64_BY_SOURCE[source].includes(region));
}

/** When GitHub's pages disagree about a region: which lists it and which does not, and what settles it. */
export function regionDisagreement(location: string): string | undefined {
  const listing = regionSources(location);
  const silent = (Object.keys(X64_BY_SOURCE) as RegionSource[]).filter((source) => !listing.includes(source));
  if (listing.length === 0 || silent.length === 0) return undefined;
  return `${canonicalRegion(location)} is listed by ${listing.map((s) => REGION_SOURCES[s]).join(" and ")}, but not by ${silent.map((s) => REGION_SOURCES[s]).join(" and ")}; run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there`;
}

/**
 * Every public Azure region (canonical names), as ARM lists them (`az account list-locations`):
 * the names a location, or a regional service tag's suffix, may take at all.
 */
export const AZURE_REGIONS: readonly string[] = [
  "australiacentral",
  "australiacentral2",
  "australiaeast",
  "australiasoutheast",
  "austriaeast",
  "belgiumcentral",
  "brazilsouth",
  "brazilsoutheast",
  "canadacentral",
  "canadaeast",
  "centralindia",
  "centralus",
  "chilecentral",
  "denmarkeast",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "francesouth",
  "germanynorth",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "jioindiacentral",
  "jioindiawest",
  "koreacentral",
  "koreasouth",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "norwaywest",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southafricawest",
  "southcentralus",
  "southeastasia",
  "southindia",
  "spaincentral",
  "swedencentral",
  "swedensouth",
  "switzerlandnorth",
  "switzerlandwest",
  "uaecentral",
  "uaenorth",
  "uksouth",
  "ukwest",
  "westcentralus",
  "westeurope",
  "westindia",
  "westus",
  "westus2",
  "westus3",
];

/** "East US", "EastUs" and "eastus" all name the same region. */
export function canonicalRegion(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** A region table: the regions per runner platform, and whose table it is (for messages). */
export interface RegionTable {
  name: string;
  regions: Readonly<Record<RunnerPlatform, readonly string[]>>;
}

/** The table that applies: github.com's, or a GHE.com geography's (ghecom.ts), which differ. */
export function regionTable(geography?: GheComGeography): RegionTable {
  if (geography === undefined) return { name: "GitHub", regions: SUPPORTED_REGIONS };
  const facts = GHECOM_GEOGRAPHY_FACTS[geography];
  return { name: `GHE.com in ${facts.label}`, regions: facts.regions };
}

/** Every region the table lists for some platform, sorted. */
export function listedRegions(table: RegionTable): string[] {
  return [...new Set(RUNNER_PLATFORMS.flatMap((platform) => table.regions[platform]))].sort();
}

/** Every region any of GitHub's tables lists, github.com's and each GHE.com geography's. */
export function anyListedRegions(): string[] {
  const geographies = Object.keys(GHECOM_GEOGRAPHY_FACTS) as GheComGeography[];
  return [...new Set([undefined, ...geographies].flatMap((geography) => listedRegions(regionTable(geography))))].sort();
}

/** Platforms (of those asked for) that the region does not support in the table (github.com's by default). */
export function missingPlatforms(
  location: string,
  platforms: readonly RunnerPlatform[],
  table: RegionTable = regionTable(),
): RunnerPlatform[] {
  const region = canonicalRegion(location);
  return platforms.filter((platform) => !table.regions[platform].includes(region));
}
