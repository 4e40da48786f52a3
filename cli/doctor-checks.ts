/**
 * The judgements `doctor` makes, as pure functions of what ARM returned: each gives one check
 * result (ok, warn or fail) with the detail and, when something is wrong, the fix. Fetching is
 * done elsewhere (cli/doctor.ts), so every rule here is tested table-driven.
 *
 * Sources: required roles, NIC and region rules, and the networkSettings-by-subnet lookup are from
 * GitHub's "Configuring private networking for GitHub-hosted runners" and its troubleshooting page
 * (shared/reference/github-docs-private-networking-excerpts.md); registration states and display-
 * name locations from learn.microsoft.com "Azure resource providers and types".
 */
import { containsCidr, formatCidr, firstFreeBlock, overlaps, parseCidr, tryParseCidr, type Cidr } from "../components/lib/cidr";
import { NETWORK_SETTINGS, SUBNET_DELEGATION_SERVICE } from "../components/lib/resource-types";
import { anyListedRegions, canonicalRegion } from "../components/lib/regions";
import type { NetworkSettings, SubnetResource, Subscription, VirtualNetwork } from "./doctor-arm";
import type { GitHubSettingsView } from "./doctor-github";

export const CHECK_STATUSES = ["ok", "warn", "fail"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  /** What was checked, e.g. `region primary`. */
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do; present for warn and fail. */
  fix?: string;
}

const ok = (check: string, detail: string): CheckResult => ({ check, status: "ok", detail });
const warn = (check: string, detail: string, fix: string): CheckResult => ({ check, status: "warn", detail, fix });
const fail = (check: string, detail: string, fix: string): CheckResult => ({ check, status: "fail", detail, fix });

// ---------------------------------------------------------------------------------------------
// Identity and subscription

export interface TokenClaims {
  objectId?: string;
  tenantId?: string;
  /** User principal name, or the application id of a service principal or managed identity. */
  name?: string;
  kind: "user" | "application";
}

/**
 * Who the ARM token was issued to, read from its (unverified) JWT payload, as `az account show`
 * does. Only claims are returned, never the token or any part of it.
 */
export function tokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null) return undefined;
  const text = (key: string) => (typeof payload[key] === "string" ? payload[key] : undefined);
  // Entra ID marks app-only tokens with idtyp "app"; user tokens carry a UPN.
  const userName = text("upn") ?? text("unique_name") ?? text("preferred_username");
  const kind = text("idtyp") === "app" || (!userName && text("appid") !== undefined) ? "application" : "user";
  return { objectId: text("oid"), tenantId: text("tid"), name: kind === "user" ? userName : (text("appid") ?? text("azp")), kind };
}

export function identityCheck(claims: TokenClaims | undefined): CheckResult {
  if (!claims?.objectId) {
    return warn(
      "identity",
      "signed in, but the token does not name its principal, so role assignments cannot be checked",
      "sign in as a user or service principal of the subscription's tenant (az login, or AZURE_CLIENT_ID/AZURE_TENANT_ID)",
    );
  }
  const who = claims.kind === "user" ? `user ${claims.name ?? "(no name)"}` : `application ${claims.name ?? "(no app id)"}`;
  return ok("identity", `signed in as ${who} (object id ${claims.objectId}, tenant ${claims.tenantId ?? "unknown"})`);
}

export function subscriptionCheck(subscription: Subscription, claims: TokenClaims | undefined): CheckResult {
  const name = `${subscription.displayName ? `"${subscription.displayName}" ` : ""}(${subscription.subscriptionId})`;
  const state = subscription.state ?? "unknown";
  if (claims?.tenantId && subscription.tenantId && claims.tenantId !== subscription.tenantId) {
    return fail(
      "subscription",
      `${name} is in tenant ${subscription.tenantId}, but the sign-in is for tenant ${claims.tenantId}`,
      `sign in to tenant ${subscription.tenantId} (az login --tenant ${subscription.tenantId}, or AZURE_TENANT_ID)`,
    );
  }
  if (state === "Enabled") return ok("subscription", `${name} is Enabled`);
  if (state === "Warned" || state === "PastDue")
    return warn(
      "subscription",
      `${name} is ${state}: Azure may disable it soon`,
      "resolve the billing state of the subscription in the Azure portal (Subscriptions)",
    );
  return fail(
    "subscription",
    `${name} is ${state}: nothing can be deployed to it`,
    "re-enable the subscription in the Azure portal, or pass another one with --subscription",
  );
}

// ---------------------------------------------------------------------------------------------
// Resource providers and regions

export function providerCheck(namespace: string, state: string, pulumiRegisters: boolean): CheckResult {
  const check = `provider ${namespace}`;
  const registerCommand = `az provider register --namespace ${namespace}`;
  switch (state.toLowerCase()) {
    case "registered":
      return ok(check, "Registered");
    case "registering":
      return warn(
        check,
        "Registering: Azure is still working on it (this can take minutes, occasionally much longer)",
        `wait, then check with: az provider show --namespace ${namespace} --query registrationState${pulumiRegisters ? "; pulumi up also waits for it" : ""}`,
      );
    case "unregistering":
      return fail(
        check,
        "Unregistering: someone is removing it from the subscription",
        `wait until it is NotRegistered, then run: ${registerCommand}`,
      );
    default:
      return pulumiRegisters
        ? warn(
            check,
            `${state}: pulumi up will register it and wait (registerResourceProvider is on)`,
            `nothing, if the deploying identity may register providers (Contributor or Owner); otherwise have an admin run: ${registerCommand}`,
          )
        : fail(
            check,
            `${state}, and registerResourceProvider is false for every network, so pulumi up will not register it`,
            `run: ${registerCommand} (or set registerResourceProvider: true)`,
          );
  }
}

export function regionCheck(network: string, location: string, offered: readonly string[]): CheckResult {
  const check = `region ${network}`;
  const region = canonicalRegion(location);
  if (offered.length === 0)
    return warn(
      check,
      `ARM lists no regions for ${SUBNET_DELEGATION_SERVICE}, so ${region} cannot be confirmed`,
      `check: az provider show --namespace ${NETWORK_SETTINGS.namespace} --query "resourceTypes[?resourceType=='${NETWORK_SETTINGS.type}'].locations"`,
    );
  if (offered.includes(region)) return ok(check, `ARM offers ${SUBNET_DELEGATION_SERVICE} in ${region}`);
  return fail(check, `ARM does not offer ${SUBNET_DELEGATION_SERVICE} in ${region}`, `choose a region ARM offers: ${offered.join(", ")}`);
}

/** Our static lists (github.com's and GHE.com's, from GitHub's docs) against what ARM reports today. */
export function regionListCheck(offered: readonly string[]): CheckResult {
  const check = "region list";
  if (offered.length === 0)
    return warn(check, "ARM lists no regions for networkSettings", "run doctor again later; ARM's provider metadata was empty");
  const documented = anyListedRegions();
  const onlyArm = offered.filter((r) => !documented.includes(r));
  const onlyDocs = documented.filter((r) => !offered.includes(r));
  if (!onlyArm.length && !onlyDocs.length) return ok(check, `ARM and GitHub's documented lists agree (${offered.length} regions)`);
  const parts = [
    ...(onlyArm.length ? [`ARM also offers ${onlyArm.join(", ")}`] : []),
    ...(onlyDocs.length ? [`ARM does not offer ${onlyDocs.join(", ")}`] : []),
  ];
  return warn(
    check,
    `${parts.join("; ")} (compared with GitHub's documented lists, github.com's and GHE.com's)`,
    "the lists in components/lib/regions.ts and components/lib/ghecom.ts may be out of date: compare them with GitHub's supported-regions docs",
  );
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Built-in role names GitHub's docs ask for ("Subscription Contributor" is Contributor at subscription scope). */
export const ROLE_NAMES = { owner: "Owner", contributor: "Contributor", networkContributor: "Network Contributor" } as const;

export interface NamedRoleAssignment {
  roleName: string;
  scope: string;
}

/** Assignments that apply to the whole subscription: at it, or inherited from above it. */
export function coversSubscription(scope: string, subscriptionId: string): boolean {
  const normalized = scope.toLowerCase().replace(/\/+$/, "");
  return (
    normalized === "" ||
    normalized === `/subscriptions/${subscriptionId.toLowerCase()}` ||
    normalized.startsWith("/providers/microsoft.management/managementgroups/")
  );
}

export function rolesCheck(assignments: readonly NamedRoleAssignment[], subscriptionId: string, principalId: string): CheckResult {
  const check = "roles";
  const wide = assignments.filter((a) => coversSubscription(a.scope, subscriptionId));
  const names = new Set(wide.map((a) => a.roleName));
  const narrower = assignments.filter(
    (a) => !coversSubscription(a.scope, subscriptionId) && Object.values(ROLE_NAMES).includes(a.roleName as never),
  );
  const note = narrower.length
    ? `; ${narrower.map((a) => `${a.roleName} at ${a.scope}`).join(", ")} ${narrower.length === 1 ? "does" : "do"} not count (narrower than the subscription)`
    : "";
  const assign = (role: string) =>
    `az role assignment create --assignee-object-id ${principalId} --role "${role}" --scope /subscriptions/${subscriptionId}`;
  const has = wide.length ? `has ${[...names].sort().join(", ")} on the subscription` : "has no role on the subscription";
  if (names.has(ROLE_NAMES.owner)) return ok(check, `has Owner on the subscription${note}`);
  if (names.has(ROLE_NAMES.contributor) && names.has(ROLE_NAMES.networkContributor))
    return ok(check, `has Contributor and Network Contributor on the subscription${note}`);
  if (names.has(ROLE_NAMES.contributor)) {
    return warn(check, `${has}; GitHub's docs ask for Network Contributor as well${note}`, assign(ROLE_NAMES.networkContributor));
  }
  if (names.has(ROLE_NAMES.networkContributor)) {
    return fail(
      check,
      `${has}: it cannot register resource providers or create resource groups and networkSettings${note}`,
      assign(ROLE_NAMES.contributor),
    );
  }
  return fail(
    check,
    `${has}; GitHub's docs ask for Contributor and Network Contributor (or Owner)${note}`,
    `${assign(ROLE_NAMES.contributor)}; ${assign(ROLE_NAMES.networkContributor)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Address space of new VNETs

function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "unknown";
}

const describeVnet = (vnet: VirtualNetwork) => `${vnet.name} (resource group ${resourceGroupOf(vnet.id)}, ${vnet.location})`;

function vnetPrefixes(vnet: VirtualNetwork): Cidr[] {
  return (vnet.properties?.addressSpace?.addressPrefixes ?? []).flatMap((prefix) => tryParseCidr(prefix) ?? []);
}

/**
 * Names Pulumi gives a resource with this logical name: the name itself, or (auto-naming, the
 * default) the name plus a random hex suffix, with or without a dash depending on the provider.
 */
function autonamedFrom(logicalName: string): RegExp {
  return new RegExp(`^${logicalName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:-?[0-9a-f]{6,8})?$`);
}

/**
 * A VNET this stack deployed earlier: the component calls it `<network>-vnet` (auto-named), in the
 * same region with exactly the planned address space.
 */
export function isOwnVirtualNetwork(vnet: VirtualNetwork, network: string, location: string, addressSpace: string): boolean {
  const prefixes = vnet.properties?.addressSpace?.addressPrefixes ?? [];
  return (
    autonamedFrom(`${network}-vnet`).test(vnet.name) &&
    canonicalRegion(vnet.location) === canonicalRegion(location) &&
    prefixes.length === 1 &&
    prefixes[0] === addressSpace
  );
}

/** A block of the planned size, inside 10.0.0.0/8, that overlaps nothing that exists or is planned. */
export function suggestFreeSpace(prefixLength: number, taken: readonly Cidr[]): string | undefined {
  const free = firstFreeBlock(parseCidr("10.0.0.0/8"), prefixLength, taken);
  return free ? formatCidr(free) : undefined;
}

export function addressSpaceCheck(
  network: string,
  location: string,
  addressSpace: string,
  vnets: readonly VirtualNetwork[],
  plannedElsewhere: readonly string[],
): CheckResult {
  const check = `address space ${network}`;
  const planned = parseCidr(addressSpace);
  const own = vnets.filter((v) => isOwnVirtualNetwork(v, network, location, addressSpace));
  const collisions = vnets
    .filter((v) => !own.includes(v))
    .flatMap((vnet) =>
      vnetPrefixes(vnet)
        .filter((prefix) => overlaps(prefix, planned))
        .map((prefix) => ({ vnet, prefix })),
    );
  const ownNote = own.length ? `; ${own.map((v) => v.name).join(", ")} is this stack's own VNET, deployed earlier` : "";
  if (!collisions.length) return ok(check, `${addressSpace} overlaps none of the subscription's ${vnets.length} VNETs${ownNote}`);
  const taken = [...vnets.flatMap(vnetPrefixes), ...plannedElsewhere.map((p) => parseCidr(p))];
  const suggestion = suggestFreeSpace(planned.prefixLength, taken);
  return fail(
    check,
    `${addressSpace} overlaps ${collisions.map(({ vnet, prefix }) => `VNET ${describeVnet(vnet)} ${formatCidr(prefix)}`).join("; ")}`,
    `give networks[].addressSpace a range no VNET uses${suggestion ? `, such as ${suggestion}` : ""}: overlapping VNETs cannot be peered or routed to each other`,
  );
}

// ---------------------------------------------------------------------------------------------
// Existing VNET: the VNET, the subnet range, NICs, and networkSettings already on the subnet

export function existingVnetCheck(
  network: string,
  ref: { name: string; resourceGroupName: string },
  vnet: VirtualNetwork | undefined,
  location: string,
): CheckResult {
  const check = `vnet ${network}`;
  if (!vnet) {
    return fail(
      check,
      `VNET ${ref.name} was not found in resource group ${ref.resourceGroupName}`,
      "fix existingVirtualNetwork (name and resourceGroupName are case-insensitive but must exist in this subscription), or pass the right --subscription",
    );
  }
  const space = (vnet.properties?.addressSpace?.addressPrefixes ?? []).join(", ");
  if (canonicalRegion(vnet.location) !== canonicalRegion(location)) {
    return fail(
      check,
      `VNET ${vnet.name} is in ${vnet.location}, but the network's location is ${canonicalRegion(location)}`,
      `set location: ${canonicalRegion(vnet.location)}; networkSettings must be in the VNET's region`,
    );
  }
  return ok(check, `VNET ${vnet.name} exists in ${vnet.location} with address space ${space}`);
}

function subnetPrefixes(subnet: SubnetResource): Cidr[] {
  const texts = subnet.properties?.addressPrefixes ?? (subnet.properties?.addressPrefix ? [subnet.properties.addressPrefix] : []);
  return texts.flatMap((text) => tryParseCidr(text) ?? []);
}

const isDelegatedToGitHub = (subnet: SubnetResource) =>
  (subnet.properties?.delegations ?? []).some((d) => d.properties?.serviceName?.toLowerCase() === SUBNET_DELEGATION_SERVICE.toLowerCase());

/** Existing subnets of the VNET that share addresses with the planned subnet. */
export function subnetsInRange(vnet: VirtualNetwork, subnetPrefix: string): SubnetResource[] {
  const planned = parseCidr(subnetPrefix);
  return (vnet.properties?.subnets ?? []).filter((subnet) => subnetPrefixes(subnet).some((prefix) => overlaps(prefix, planned)));
}

/** The planned range sits inside the VNET and is free, or is the runner subnet deployed earlier. */
export function subnetRangeCheck(network: string, vnet: VirtualNetwork, subnetPrefix: string): CheckResult {
  const check = `subnet range ${network}`;
  const planned = parseCidr(subnetPrefix);
  const spaces = vnetPrefixes(vnet);
  const inside = spaces.some((space) => containsCidr(space, planned));
  const taken = (vnet.properties?.subnets ?? []).flatMap(subnetPrefixes);
  const suggestion = () => spaces.map((space) => firstFreeBlock(space, planned.prefixLength, taken)).find((block) => block !== undefined);
  const suggest = () => {
    const free = suggestion();
    return free ? `, such as ${formatCidr(free)}` : "; the VNET has no free block of that size, so add an address prefix to it first";
  };
  if (!inside) {
    return fail(
      check,
      `${subnetPrefix} is outside VNET ${vnet.name}'s address space ${spaces.map(formatCidr).join(", ") || "(none)"}`,
      `set subnetPrefix to a free range inside the VNET${suggest()}`,
    );
  }
  const blocking = subnetsInRange(vnet, subnetPrefix);
  if (!blocking.length) return ok(check, `${subnetPrefix} is inside VNET ${vnet.name} and no subnet uses it`);
  const [only] = blocking;
  if (blocking.length === 1 && isDelegatedToGitHub(only) && subnetPrefixes(only).some((p) => formatCidr(p) === subnetPrefix)) {
    return ok(check, `${subnetPrefix} is subnet ${only.name}, already delegated to ${SUBNET_DELEGATION_SERVICE} (deployed earlier)`);
  }
  return fail(
    check,
    `${subnetPrefix} overlaps ${blocking.map((s) => `subnet ${s.name} (${subnetPrefixes(s).map(formatCidr).join(", ")})`).join(", ")} in VNET ${vnet.name}`,
    `set subnetPrefix to a free range${suggest()}`,
  );
}

/** NIC name from an ipConfiguration ID: .../networkInterfaces/{nic}/ipConfigurations/{name}. */
function nicName(ipConfigurationId: string): string {
  return /\/networkInterfaces\/([^/]+)/i.exec(ipConfigurationId)?.[1] ?? ipConfigurationId;
}

/**
 * NICs in subnets that overlap the planned range. GitHub's docs: NICs left in a subnet stop the
 * service from adding its service association link when the subnet is delegated.
 */
export function nicCheck(network: string, vnet: VirtualNetwork, subnetPrefix: string): CheckResult {
  const check = `subnet NICs ${network}`;
  const withNics = subnetsInRange(vnet, subnetPrefix)
    .filter((subnet) => !isDelegatedToGitHub(subnet))
    .map((subnet) => ({ subnet, nics: [...new Set((subnet.properties?.ipConfigurations ?? []).map((c) => nicName(c.id)))].sort() }))
    .filter((entry) => entry.nics.length > 0);
  if (!withNics.length) return ok(check, `no NICs in ${subnetPrefix} would block delegation`);
  return fail(
    check,
    withNics
      .map(({ subnet, nics }) => `subnet ${subnet.name} has ${nics.length} NIC${nics.length === 1 ? "" : "s"} (${nics.join(", ")})`)
      .join("; "),
    "delete or move those NICs before the subnet is delegated to GitHub.Network, or choose another subnetPrefix: the service cannot add its service association link while NICs are attached",
  );
}

export function networkSettingsOnSubnetCheck(
  network: string,
  location: string,
  subnet: SubnetResource,
  bound: readonly NetworkSettings[],
  businessId: string,
): CheckResult {
  const check = `network settings on subnet ${network}`;
  if (!bound.length) return ok(check, `no networkSettings holds subnet ${subnet.name}`);
  const described = bound.map(
    (s) =>
      `${s.name} (resource group ${resourceGroupOf(s.id)}, businessId ${s.properties?.businessId ?? "unknown"}, GitHubId ${s.tags?.[NETWORK_SETTINGS.gitHubIdTag] ?? "none"})`,
  );
  const sameBusiness = bound.every((s) => s.properties?.businessId === businessId);
  if (sameBusiness && bound.length === 1 && isOwnNetworkSettings(bound[0], network, location)) {
    return ok(check, `subnet ${subnet.name} is held by this stack's own ${described[0]}, deployed earlier`);
  }
  const fix = `if it is no longer used, delete the GitHub network configuration that uses it, then: az resource delete --ids ${bound[0].id} --api-version ${NETWORK_SETTINGS.apiVersion}; otherwise choose another subnetPrefix`;
  return sameBusiness
    ? warn(
        check,
        `subnet ${subnet.name} is already held by ${described.join(", ")}, with this config's businessId (another stack or a manual setup)`,
        fix,
      )
    : fail(check, `subnet ${subnet.name} is already held by ${described.join(", ")}, for another GitHub business`, fix);
}

// ---------------------------------------------------------------------------------------------
// After deploy

/** networkSettings this stack created for a network: `<network>-network-settings` (auto-named), in the network's region. */
export function isOwnNetworkSettings(settings: NetworkSettings, network: string, location: string): boolean {
  return (
    autonamedFrom(`${network}-network-settings`).test(settings.name) && canonicalRegion(settings.location) === canonicalRegion(location)
  );
}

export function deployedSettingsCheck(network: string, found: readonly NetworkSettings[], businessId: string): CheckResult {
  const check = `deployed ${network}`;
  if (!found.length)
    return fail(
      check,
      "no networkSettings for this network was found in the subscription",
      "run pulumi up for this stack (and check --subscription is the stack's subscription)",
    );
  if (found.length > 1)
    return warn(
      check,
      `several networkSettings match: ${found.map((s) => s.name).join(", ")}`,
      "delete the ones no GitHub network configuration uses",
    );
  const [settings] = found;
  const gitHubId = settings.tags?.[NETWORK_SETTINGS.gitHubIdTag];
  if (settings.properties?.businessId !== businessId) {
    return fail(
      check,
      `${settings.name} has businessId ${settings.properties?.businessId ?? "none"}, but the config says ${businessId}`,
      "businessId is immutable: run pulumi up to replace the networkSettings with the configured one",
    );
  }
  if (!gitHubId)
    return fail(
      check,
      `${settings.name} has no ${NETWORK_SETTINGS.gitHubIdTag} tag yet`,
      "GitHub's service writes the tag when it accepts the resource; if it stays missing, check businessId and the subnet delegation",
    );
  return ok(check, `${settings.name} GitHubId ${gitHubId} (paste it into the GitHub network configuration)`);
}

export function deployedSubnetCheck(network: string, subnet: SubnetResource | undefined, subnetId: string | undefined): CheckResult {
  const check = `deployed subnet ${network}`;
  if (!subnetId) return fail(check, "the networkSettings names no subnet", "run pulumi up to recreate it");
  if (!subnet) return fail(check, `subnet ${subnetId} no longer exists`, "run pulumi up to recreate the subnet and the networkSettings");
  const delegations = (subnet.properties?.delegations ?? []).map((d) => d.properties?.serviceName ?? "?");
  const nsg = subnet.properties?.networkSecurityGroup?.id;
  const problems = [
    ...(isDelegatedToGitHub(subnet)
      ? []
      : [`not delegated to ${SUBNET_DELEGATION_SERVICE} (delegations: ${delegations.join(", ") || "none"})`]),
    ...(nsg ? [] : ["has no NSG attached"]),
  ];
  const summary = `subnet ${subnet.name}, delegation ${delegations.join(", ") || "none"}, NSG ${nsg ? (nsg.split("/").pop() ?? nsg) : "none"}`;
  if (problems.length)
    return fail(
      check,
      `${summary}: ${problems.join("; ")}`,
      "run pulumi up to restore the delegation and NSG (someone changed the subnet outside Pulumi)",
    );
  return ok(check, summary);
}

// ---------------------------------------------------------------------------------------------
// After deploy: GitHub's view

/** Where the stack's GitHub side is: the owner, and the configuration the stack manages, if any. */
export interface GitHubSide {
  scope: "organization" | "enterprise";
  slug: string;
  /** github.networkConfiguration.name, when the stack manages the configuration. */
  managedConfiguration?: string;
}

const ownerText = (side: GitHubSide) => `${side.scope} "${side.slug}"`;
const hostedComputeSettings = (side: GitHubSide) =>
  side.scope === "enterprise" ? "Enterprise settings > Hosted compute networking" : "Settings > Hosted compute networking";

/**
 * doctor --deployed could not ask GitHub: no credentials. Only the environment is read, GITHUB_TOKEN
 * or GITHUB_APP_* (the stack's secrets cannot be decrypted offline).
 */
export function gitHubViewNotReadCheck(side: GitHubSide): CheckResult {
  const token =
    side.scope === "enterprise"
      ? "a classic token of an enterprise owner (GitHub Apps and fine-grained tokens cannot read enterprise network settings)"
      : 'a token that can read network configurations (fine-grained: "Network configurations" read; classic: read:network_configurations), or set GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY for a GitHub App with that permission';
  return warn("github", `GitHub's view of the deployed networks was not read: no GitHub token`, `set GITHUB_TOKEN to ${token}`);
}

/**
 * GitHub's view of one deployed network: whether GitHub knows its networkSettings' GitHubId, which
 * network configuration uses it, and whether GitHub's subnet and region are Azure's. One check per
 * aspect, so each mismatch has its own fix.
 */
export function gitHubViewChecks(network: string, azure: NetworkSettings, view: GitHubSettingsView, side: GitHubSide): CheckResult[] {
  const gitHubId = azure.tags?.[NETWORK_SETTINGS.gitHubIdTag] ?? "";
  const check = `github ${network}`;
  if (!view.known) {
    return [
      fail(
        check,
        `GitHub does not know network settings ${gitHubId} (of ${azure.name}) in ${ownerText(side)}`,
        `GitHub answers 404 when the networkSettings was made with another owner's businessId, or when github.slug or github.scope name another owner, or when the token cannot see ${ownerText(side)}: check them; with github.businessId corrected, pulumi up replaces the networkSettings`,
      ),
    ];
  }
  const { settings, configuration } = view;
  const named = configuration
    ? `network configuration ${configuration.name === undefined ? "" : `"${configuration.name}" `}(id ${configuration.id})`
    : undefined;
  const managed = side.managedConfiguration;
  const usage = !configuration
    ? warn(
        check,
        `GitHub knows network settings ${gitHubId} (${settings.name}), but no network configuration uses it`,
        managed === undefined
          ? `create a network configuration with this GitHubId in GitHub (${hostedComputeSettings(side)}), or set github.networkConfiguration and run pulumi up`
          : `run pulumi up: the stack's network configuration "${managed}" takes it`,
      )
    : managed !== undefined && configuration.name !== managed
      ? warn(
          check,
          `GitHub knows network settings ${gitHubId} (${settings.name}); ${named} uses it, not the stack's "${managed}"`,
          `remove it from that configuration in GitHub (${hostedComputeSettings(side)}), then run pulumi up`,
        )
      : ok(check, `GitHub knows network settings ${gitHubId} (${settings.name}); ${named} uses it`);
  const recreate = `the GitHubId tag on ${azure.name} names another network settings resource: never edit that tag; replace the networkSettings (pulumi up --replace with its URN) so GitHub's service writes its own`;
  const azureSubnet = azure.properties?.subnetId ?? "";
  const subnetCheck = `github subnet ${network}`;
  // ARM IDs compare without regard to case.
  const subnet =
    settings.subnetId.toLowerCase() === azureSubnet.toLowerCase()
      ? ok(subnetCheck, `GitHub and Azure agree: subnet ${settings.subnetId.split("/").pop() ?? settings.subnetId}`)
      : fail(subnetCheck, `GitHub has subnet ${settings.subnetId}, Azure's ${azure.name} has ${azureSubnet || "none"}`, recreate);
  const regionCheck = `github region ${network}`;
  const region =
    canonicalRegion(settings.region) === canonicalRegion(azure.location)
      ? ok(regionCheck, `GitHub and Azure agree: ${canonicalRegion(settings.region)}`)
      : fail(regionCheck, `GitHub has region ${settings.region}, Azure's ${azure.name} is in ${azure.location}`, recreate);
  return [usage, subnet, region];
}

/** A GitHub read that failed (refused, unreachable): the message names the cause and, for a refusal, the permission. */
export function gitHubViewFailedCheck(network: string, message: string, refused: boolean): CheckResult {
  return fail(
    `github ${network}`,
    `could not read GitHub's view: ${message}`,
    refused ? "give GITHUB_TOKEN the permission the message names" : "run doctor --deployed again later",
  );
}

/** Exit code of the contract: 1 when any check failed, else 0. */
export function doctorExitCode(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

/** One line per check (`ok    region primary: ...`), with the fix indented below warn and fail. */
export function renderChecks(results: readonly CheckResult[]): string {
  const width = Math.max(...CHECK_STATUSES.map((s) => s.length));
  return results
    .map((r) => `${r.status.padEnd(width)}  ${r.check}: ${r.detail}${r.fix ? `\n${" ".repeat(width + 2)}fix: ${r.fix}` : ""}`)
    .join("\n");
}
