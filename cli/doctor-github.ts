/**
 * What `doctor --deployed` reads from GitHub: a deployed network's network settings resource as
 * GitHub sees it, by its `GitHubId` (`GET /orgs/{org}/settings/network-settings/{id}`, or
 * `GET /enterprises/{enterprise}/network-settings/{id}` for an enterprise; both in
 * shared/reference/openapi-*-network-configurations-paths.yaml), and the name of the network
 * configuration using it. Nothing here changes anything; the judgements are in doctor-checks.ts.
 */
import type { NetworkSettingsState, Owner } from "../components/github/api";
import type { GitHubClient } from "../components/github/client";
import { readConfigurationName, readNetworkSettings } from "../components/github/network-configuration-provider";

/** GitHub's answer for one GitHubId: unknown to GitHub (404), or the resource with the configuration using it. */
export type GitHubSettingsView =
  { known: false } | { known: true; settings: NetworkSettingsState; configuration?: { id: string; name?: string } };

export async function readGitHubSettingsView(client: GitHubClient, owner: Owner, gitHubId: string): Promise<GitHubSettingsView> {
  const settings = await readNetworkSettings(client, owner, gitHubId);
  if (!settings) return { known: false };
  const id = settings.networkConfigurationId;
  if (id === undefined) return { known: true, settings };
  const name = await readConfigurationName(client, owner, id);
  return { known: true, settings, configuration: { id, ...(name === undefined ? {} : { name }) } };
}
