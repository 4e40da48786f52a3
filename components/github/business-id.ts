/**
 * The GraphQL `databaseId` of an organization or enterprise: the `businessId` networkSettings need
 * (queries from ../shared/reference/databaseid-queries-and-subnet-deletion.md).
 */
import { databaseIdQuery, parseDatabaseIdAnswer, type Owner } from "./api";
import type { GitHubClient } from "./client";
import { gitHubApiError, permissionHint, type CallContext } from "./errors";

const contextFor = (owner: Owner): CallContext => ({
  operation: `look up the databaseId of ${owner.scope} "${owner.slug}"`,
  endpoint: "graphql",
  owner,
});

export async function lookUpBusinessId(client: GitHubClient, owner: Owner): Promise<string> {
  const { query, variables } = databaseIdQuery(owner);
  const context = contextFor(owner);
  const answer = parseDatabaseIdAnswer(owner, await client.graphql(query, variables, context));
  if (answer.found) return answer.databaseId;
  if (answer.unexpected) {
    throw gitHubApiError(
      "unexpected-answer",
      undefined,
      `${context.operation} failed: ${answer.reason}. A proxy or gateway may have answered instead of GitHub: check github.apiUrl and the network path (HTTPS_PROXY).`,
    );
  }
  const other = owner.scope === "enterprise" ? "organization" : "enterprise";
  throw gitHubApiError(
    "not-found",
    undefined,
    `${context.operation} failed: ${answer.reason.replace(/\.$/, "")}. Check github.slug and github.scope (an ${other} ${other === "enterprise" ? "slug" : "login"} used with scope ${owner.scope} is not found). ${permissionHint("graphql", owner)}`,
  );
}

/**
 * The businessId to use: the looked-up one, which a given businessId must equal. A networkSettings
 * resource made with the wrong level's id cannot join the configuration (GitHub's troubleshooting,
 * "Network settings configured at the wrong level"), and businessId is immutable.
 */
export async function resolveBusinessId(client: GitHubClient, owner: Owner, given: string | undefined): Promise<string> {
  const found = await lookUpBusinessId(client, owner);
  if (given === undefined || given === found) return found;
  const other = owner.scope === "enterprise" ? "organization" : "enterprise";
  throw gitHubApiError(
    "wrong-business-level",
    undefined,
    `github.businessId ${given} is not the databaseId of ${owner.scope} "${owner.slug}" (GitHub says ${found}). Set github.businessId to ${found} or leave it out to use the looked-up value; if ${given} is your ${other}'s id, set github.scope to ${other} and github.slug to its ${other === "enterprise" ? "slug" : "login"}.`,
  );
}
