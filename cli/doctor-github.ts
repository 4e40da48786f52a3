/**
 * What `doctor --deployed` reads from GitHub: a deployed network's network settings resource as
 * GitHub sees it, by its `GitHubId` (`GET /orgs/{org}/settings/network-settings/{id}`, or
 * `GET /enterprises/{enterprise}/network-settings/{id}` for an enterprise; both in
 * shared/reference/openapi-*-network-configurations-paths.yaml), and the name of the network
 * configuration using it. Nothing here changes anything; the judgements are in doctor-checks.ts.
 */
import {
  networkConfigurationPath,
  networkSettingsPath,
  parseNetworkConfiguration,
  parseNetworkSettings,
  type NetworkSettingsState,
  type Owner,
} from "../components/github/api";
import type { GitHubClient } from "../components/github/client";
import type { CallContext } from "../components/github/errors";

/** GitHub's answer for one GitHubId: unknown to GitHub (404), or the resource with the configuration using it. */
export type GitHubSettingsView =
  { known: false } | { known: true; settings: NetworkSettingsState; configuration?: { id: string; name?: string } };

const context = (owner: Owner, operation: string): CallContext => ({ operation, endpoint: "network-configurations", owner });

export async function readGitHubSettingsView(client: GitHubClient, owner: Owner, gitHubId: string): Promise<GitHubSettingsView> {
  const answer = await client.rest("GET", networkSettingsPath(owner, gitHubId), context(owner, `read network settings ${gitHubId}`), {
    accept: [200, 404],
  });
  if (answer.status === 404) return { known: false };
  const settings = parseNetworkSettings(answer.body);
  const id = settings.networkConfigurationId;
  if (id === undefined) return { known: true, settings };
  const configuration = await client.rest("GET", networkConfigurationPath(owner, id), context(owner, `read network configuration ${id}`), {
    accept: [200, 404],
  });
  const name = configuration.status === 200 ? parseNetworkConfiguration(configuration.body).name : undefined;
  return { known: true, settings, configuration: { id, ...(name === undefined ? {} : { name }) } };
}
