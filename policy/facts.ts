/** Facts the policies check against that nothing else in the package needs. */

/**
 * API versions of GitHub.Network/networkSettings, from the resource's change log on
 * learn.microsoft.com (azure/templates/github.network/change-log/networksettings; copy in
 * shared/reference/github-network-networksettings-excerpts.md).
 */
export const KNOWN_NETWORK_SETTINGS_API_VERSIONS = ["2024-04-02", "2024-04-01", "2024-04-01-preview"] as const;
