/**
 * What GitHub-hosted runners must reach, and whether a planned network lets them: the
 * requirements report of the offline plan (per network, in `plan --json` as `egress`).
 *
 * Sources: docs.github.com, "About GitHub-hosted runners", section "Communication requirements for
 * GitHub-hosted runners" (copy in shared/reference/github-hosted-runners-communication-requirements.md),
 * for the hosts by purpose; learn.microsoft.com, "Virtual network service tags", for the tags that
 * cover Microsoft's hosts; GitHub's `/meta` (`domains.actions`) for the domains Actions uses.
 */
import type { EndpointCatalog } from "./catalog";
import { parseCidr, formatAddress } from "./cidr";
import { domainCovered } from "./firewall-rules";
import { evaluateFlow, tcpConnection, type FlowDecision, type FlowEndpoint } from "./nsg-evaluator";
import { gheComRequirements, type DataResidency } from "./ghecom";
import type { PlannedSecurityRule } from "./nsg-rules";

export interface RunnerRequirement {
  purpose: string;
  host: string;
  port: 80 | 443;
  /** Where the host's addresses come from, when the host's name alone does not tell (GHE.com's tenant hosts). */
  hosting?: Hosting;
}

/** GitHub's list, by purpose, in the page's order. */
export const GITHUB_DOCUMENTED_REQUIREMENTS: readonly RunnerRequirement[] = [
  ...hosts("Essential operations", ["github.com", "api.github.com", "*.actions.githubusercontent.com"]),
  ...hosts("Downloading actions", ["codeload.github.com", "pkg.actions.githubusercontent.com"]),
  ...hosts("Publishing immutable actions", ["ghcr.io"]),
  ...hosts("Job summaries, logs, artifacts and caches", ["results-receiver.actions.githubusercontent.com", "*.blob.core.windows.net"]),
  ...hosts("Runner version updates", [
    "objects.githubusercontent.com",
    "objects-origin.githubusercontent.com",
    "github-releases.githubusercontent.com",
    "github-registry-files.githubusercontent.com",
  ]),
  ...hosts("OIDC tokens", ["*.actions.githubusercontent.com"]),
  ...hosts("GitHub Packages", ["*.pkg.github.com", "pkg-containers.githubusercontent.com", "ghcr.io"]),
  ...hosts("Git LFS", ["github-cloud.githubusercontent.com", "github-cloud.s3.amazonaws.com"]),
  ...hosts("Dependabot updates", ["dependabot-actions.githubapp.com"]),
];

/**
 * What common Linux and Windows jobs reach on Microsoft's platform, beyond GitHub's list: the
 * runner image's Ubuntu mirror (hosted in Azure, used over plain HTTP), Microsoft Entra ID
 * (azure/login, OIDC sign-in to Azure) and Microsoft Container Registry with its Front Door data
 * endpoints.
 */
export const PLATFORM_REQUIREMENTS: readonly RunnerRequirement[] = [
  { purpose: "Ubuntu package mirror in Azure (apt)", host: "azure.archive.ubuntu.com", port: 80 },
  { purpose: "Microsoft Entra ID sign-in (azure/login)", host: "login.microsoftonline.com", port: 443 },
  { purpose: "Microsoft Container Registry", host: "mcr.microsoft.com", port: 443 },
  { purpose: "Microsoft Container Registry", host: "*.data.mcr.microsoft.com", port: 443 },
];

function hosts(purpose: string, list: string[]): RunnerRequirement[] {
  return list.map((host) => ({ purpose, host, port: 443 }));
}

/** Where a host's addresses come from, as far as anything published says. */
export type Hosting =
  | { kind: "github"; list: "web" | "api" | "packages" }
  | { kind: "azure"; tags: string[]; what: string }
  | { kind: "ranges"; ranges: readonly string[]; what: string }
  | { kind: "external"; what: string }
  | { kind: "unpublished"; what: string };

/** First match wins; a pattern is a host or `*.` and a suffix. */
const HOSTING: readonly [pattern: string, hosting: Hosting][] = [
  ["github.com", { kind: "github", list: "web" }],
  ["codeload.github.com", { kind: "github", list: "web" }],
  ["api.github.com", { kind: "github", list: "api" }],
  ["ghcr.io", { kind: "github", list: "packages" }],
  ["*.ghcr.io", { kind: "github", list: "packages" }],
  ["*.pkg.github.com", { kind: "github", list: "packages" }],
  ["*.github.com", { kind: "github", list: "web" }],
  // The Actions services run in Azure: GitHub publishes their ranges as Azure's (meta `actions`).
  ["*.actions.githubusercontent.com", { kind: "azure", tags: ["AzureCloud"], what: "Actions services hosted in Azure" }],
  ["*.blob.core.windows.net", { kind: "azure", tags: ["Storage", "AzureCloud"], what: "Azure Storage" }],
  ["azure.archive.ubuntu.com", { kind: "azure", tags: ["AzureCloud"], what: "Canonical's mirror hosted in Azure" }],
  ["login.microsoftonline.com", { kind: "azure", tags: ["AzureActiveDirectory"], what: "Microsoft Entra ID" }],
  ["mcr.microsoft.com", { kind: "azure", tags: ["MicrosoftContainerRegistry"], what: "Microsoft Container Registry" }],
  ["*.data.mcr.microsoft.com", { kind: "azure", tags: ["AzureFrontDoor.FirstParty"], what: "MCR's data endpoints on Front Door" }],
  ["*.amazonaws.com", { kind: "external", what: "AWS, not a GitHub or Azure address" }],
  [
    "*.githubusercontent.com",
    { kind: "unpublished", what: "served by GitHub's content network, whose addresses GitHub does not publish per host" },
  ],
  ["*.githubapp.com", { kind: "unpublished", what: "a GitHub service whose addresses GitHub does not publish" }],
];

/** Each host's answer, kept: every network's report asks for the same few dozen hosts. */
const hostings = new Map<string, Hosting>();

export function hostingOf(host: string): Hosting {
  const lower = host.toLowerCase();
  let hosting = hostings.get(lower);
  if (!hosting) {
    hosting = HOSTING.find(([pattern]) => domainCovered(lower, [pattern]))?.[1] ?? {
      kind: "unpublished",
      what: "its addresses are not published",
    };
    hostings.set(lower, hosting);
  }
  return hosting;
}

/** Why a firewall with domain rules blocks a host it would allow over HTTPS. */
export const HTTPS_ONLY_REASON = "the firewall's domain rules allow HTTPS only";

export type RequirementVerdict = "allowed" | "blocked" | "depends";

export interface RequirementResult {
  purpose: string;
  host: string;
  verdict: RequirementVerdict;
  /** The NSG rule (or firewall rule collection) that decides. */
  rule?: string;
  reason?: string;
}

export interface RequirementsInput {
  rules: readonly PlannedSecurityRule[];
  virtualNetworkPrefixes: readonly string[];
  subnetPrefix: string;
  egress: string;
  catalog: EndpointCatalog;
  /** The firewall rules the component plans: the Storage network rule's and the domain rule's collections. */
  firewall?: { storageCollection: string; domainsCollection: string; targetFqdns: readonly string[] };
}

/** Documentation addresses (RFC 5737) standing in for hosts of a service tag. */
const TAG_SAMPLE = "198.51.100.30";
const INTERNET_SAMPLE = "203.0.113.30";

/** Each requirement judged against the planned NSG, then the egress path. */
export function evaluateRequirements(input: RequirementsInput, requirements: readonly RunnerRequirement[]): RequirementResult[] {
  const subnet = parseCidr(input.subnetPrefix);
  const runner: FlowEndpoint = { address: formatAddress(subnet.family, subnet.base + 4n), serviceTags: [] };
  const context = { virtualNetworkPrefixes: input.virtualNetworkPrefixes };
  // Many hosts share a hosting (GitHub's `web` list, AzureCloud): one flow each, decided once.
  const decisions = new Map<Hosting, Map<number, FlowDecision>>();
  const decide = (hosting: Exclude<Hosting, { kind: "unpublished" }>, port: number) => {
    const byPort = decisions.get(hosting) ?? new Map<number, FlowDecision>();
    decisions.set(hosting, byPort);
    let decision = byPort.get(port);
    if (!decision) {
      const flow = tcpConnection("Outbound", runner, destinationFor(hosting, input.catalog), port);
      byPort.set(port, (decision = evaluateFlow(input.rules, flow, context)));
    }
    return decision;
  };
  return requirements.map((requirement) => {
    const base = { purpose: requirement.purpose, host: requirement.host };
    const hosting = requirement.hosting ?? hostingOf(requirement.host);
    if (hosting.kind === "unpublished") return { ...base, verdict: "depends" as const, reason: hosting.what };
    const decision = decide(hosting, requirement.port);
    const decided = decision.outcomes[decision.outcomes.length - 1].decidedBy;
    const rule = decided === "platform" ? "platform" : decided.name;
    const what = hosting.kind === "github" ? `GitHub's ${hosting.list} ranges` : hosting.what;
    if (decision.verdict === "deny")
      return { ...base, verdict: "blocked" as const, rule, reason: `${what}; TCP ${requirement.port} is denied` };
    if (decision.verdict === "depends") return { ...base, verdict: "depends" as const, rule, reason: what };
    return { ...base, ...afterNsg(input, requirement, hosting, rule, what) };
  });
}

/** Each hosting's sample destination per catalog, made once: the same endpoint object for every network (its address is parsed once). */
const destinations = new WeakMap<EndpointCatalog, Map<Hosting, FlowEndpoint>>();

function destinationFor(hosting: Exclude<Hosting, { kind: "unpublished" }>, catalog: EndpointCatalog): FlowEndpoint {
  let byHosting = destinations.get(catalog);
  if (!byHosting) destinations.set(catalog, (byHosting = new Map<Hosting, FlowEndpoint>()));
  let destination = byHosting.get(hosting);
  if (!destination) byHosting.set(hosting, (destination = sampleDestination(hosting, catalog)));
  return destination;
}

function sampleDestination(hosting: Exclude<Hosting, { kind: "unpublished" }>, catalog: EndpointCatalog): FlowEndpoint {
  if (hosting.kind === "azure") return { address: TAG_SAMPLE, serviceTags: hosting.tags };
  if (hosting.kind === "external") return { address: INTERNET_SAMPLE, serviceTags: [] };
  const range = hosting.kind === "ranges" ? hosting.ranges[0] : catalog.services[hosting.list][0];
  if (range === undefined) return { address: INTERNET_SAMPLE, serviceTags: [] };
  // GitHub's ranges are GitHub's own, in no Azure service tag.
  const cidr = parseCidr(range, { strict: false });
  return { address: formatAddress(cidr.family, cidr.base), serviceTags: [] };
}

/** Past the NSG: a firewall with domain rules decides by name; egress `none` is the user's. */
function afterNsg(
  input: RequirementsInput,
  requirement: RunnerRequirement,
  hosting: Hosting,
  rule: string,
  what: string,
): Omit<RequirementResult, "purpose" | "host"> {
  if (input.egress === "firewall") {
    if (!input.firewall) return { verdict: "depends", rule, reason: `${what}; then your firewall decides` };
    if (requirement.port === 443 && hosting.kind === "azure" && hosting.tags.includes("Storage"))
      return { verdict: "allowed", rule: input.firewall.storageCollection };
    if (requirement.port === 443 && domainCovered(requirement.host.toLowerCase(), input.firewall.targetFqdns))
      return { verdict: "allowed", rule: input.firewall.domainsCollection };
    return {
      verdict: "blocked",
      rule: input.firewall.domainsCollection,
      reason: requirement.port === 80 ? HTTPS_ONLY_REASON : "not in the firewall's domain list",
    };
  }
  if (input.egress === "none") return { verdict: "depends", rule, reason: `${what}; egress none: only through the egress you provide` };
  return { verdict: "allowed", rule };
}

/** The hosts GitHub publishes for Actions (`/meta` exact list) that GitHub's page does not already name. */
export function publishedActionsRequirements(
  catalog: EndpointCatalog,
  documentedRequirements: readonly RunnerRequirement[] = GITHUB_DOCUMENTED_REQUIREMENTS,
): RunnerRequirement[] {
  const documented = new Set(documentedRequirements.map((requirement) => requirement.host));
  return catalog.domains.exact
    .filter((host) => !documented.has(host))
    .map((host) => ({ purpose: PUBLISHED_ACTIONS_PURPOSE, host, port: 443 as const }));
}

export const PUBLISHED_ACTIONS_PURPOSE = "Actions hosts GitHub publishes (/meta domains.actions_inbound.full_domains)";

/** The hosts GitHub documents for runners: github.com's page, or GHE.com's for a data residency enterprise. */
export function documentedRequirements(residency?: DataResidency): readonly RunnerRequirement[] {
  return residency ? gheComRequirements(residency) : GITHUB_DOCUMENTED_REQUIREMENTS;
}

/**
 * Every requirement the report judges: GitHub's page (github.com's, or GHE.com's for a data
 * residency enterprise), the platform's, then /meta's exact hosts.
 */
export function allRequirements(
  catalog: EndpointCatalog,
  documented: readonly RunnerRequirement[] = GITHUB_DOCUMENTED_REQUIREMENTS,
): RunnerRequirement[] {
  return [...documented, ...PLATFORM_REQUIREMENTS, ...publishedActionsRequirements(catalog, documented)];
}
