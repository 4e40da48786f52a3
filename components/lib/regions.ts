/**
 * Azure regions where GitHub-hosted runners can join a VNET, per runner platform.
 *
 * Source: docs.github.com, "About Azure private networking for GitHub-hosted runners in your
 * organization", section "About supported regions" (copy in shared/reference/
 * github-docs-private-networking-excerpts.md). GitHub changes this list over time; `doctor`
 * compares it with the regions ARM reports for GitHub.Network/networkSettings.
 */

/** Runner platforms GitHub offers in private networking regions. */
export const RunnerPlatform = { x64: "x64", arm64: "arm64", gpu: "gpu" } as const;
export type RunnerPlatform = (typeof RunnerPlatform)[keyof typeof RunnerPlatform];
export const RUNNER_PLATFORMS = Object.values(RunnerPlatform) as [RunnerPlatform, ...RunnerPlatform[]];

/** Canonical (lower-case, no spaces) Azure region names, per platform. */
export const SUPPORTED_REGIONS: Readonly<Record<RunnerPlatform, readonly string[]>> = {
  x64: [
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
  arm64: ["centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus2", "westus3"],
  gpu: ["eastus", "northcentralus", "southcentralus", "westus"],
};

/** "East US", "EastUs" and "eastus" all name the same region. */
export function canonicalRegion(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** Platforms (of those asked for) that the region does not support. */
export function missingPlatforms(location: string, platforms: readonly RunnerPlatform[]): RunnerPlatform[] {
  const region = canonicalRegion(location);
  return platforms.filter((platform) => !SUPPORTED_REGIONS[platform].includes(region));
}
