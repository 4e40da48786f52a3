import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { parseArmId, PRIVATE_DNS_ZONE_ID, VIRTUAL_NETWORK_ID, type ArmIdKind } from "./lib/arm-ids";
import { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import { ProviderRegistration } from "./azure/provider-registration";
import type { DomainLevel } from "./lib/catalog";
import { parseFirewallPolicyId, planFirewallRules, type FirewallPolicyRef } from "./lib/firewall-rules";
import type { DataResidency } from "./lib/ghecom";
import type { ExtraSecurityRule, OutboundMode } from "./lib/nsg-rules";
import type { RunnerPlatform } from "./lib/regions";
import { GITHUB_RUNNER_NETWORK_TYPE, NETWORK_SETTINGS, SUBNET_DELEGATION_SERVICE } from "./lib/resource-types";
import { validateComponentArgs, type RunnerNetworkDesign } from "./lib/network-design";
import { fitDeployedSubnet, deployedSubnetConflictHeading } from "./lib/subnet-growth";
import { runnerSubnetUrn, savedSubnetPrefix, subnetChildName } from "./deployed-subnet";
import { runErrorAsWritten } from "./pulumi-internals";
import { validateResolvedField, type EgressMode } from "./lib/network-schema";
import { holdsDeferred } from "./lib/schema-helpers";
import { invalidArgumentsMessage, problemReport, quoted, type Problem } from "./lib/problems";

export { GITHUB_RUNNER_NETWORK_TYPE, NETWORK_SETTINGS, SUBNET_DELEGATION_SERVICE };

export interface ExistingVirtualNetworkArgs {
  /** Name of the VNET the runner subnet is added to. */
  name: pulumi.Input<string>;
  /** Resource group of that VNET. */
  resourceGroupName: pulumi.Input<string>;
}

export interface GitHubRunnerNetworkArgs {
  /** Azure region of every resource; one GitHub supports for private networking (e.g. `eastus`). */
  location: string;
  /** GraphQL `databaseId` of the GitHub enterprise or organization (digits). Changing it replaces the network settings. */
  businessId: pulumi.Input<string>;
  /** Existing resource group for the resources; by default one is created (or, with an existing VNET, that VNET's group is used). */
  resourceGroupName?: pulumi.Input<string>;
  /** Address space of the new VNET. Default `10.0.0.0/16`. */
  addressSpace?: string;
  /** Add the runner subnet to this VNET instead of creating one; `subnetPrefix` is then required. */
  existingVirtualNetwork?: ExistingVirtualNetworkArgs;
  /** Runner subnet; by default the first free block that holds `maxConcurrentRunners`. A deployed subnet cannot move. */
  subnetPrefix?: string;
  /**
   * Peak concurrent runners; the subnet holds this plus 30 % and Azure's 5 reserved addresses. A
   * deployed subnet keeps its prefix while it holds them.
   */
  maxConcurrentRunners?: number;
  /** Runner platforms the region must support. Default `["x64"]`. */
  runnerPlatforms?: RunnerPlatform[];
  /** `natGateway` (default): static public IPs; `firewall`: default route to `firewallPrivateIp`; `none`: bring your own. */
  egress?: EgressMode;
  /** Static public IPs on the NAT gateway, 1-16. Default 1. */
  natGatewayPublicIpCount?: number;
  /** Private IP of the firewall the default route points at (egress `firewall`). */
  firewallPrivateIp?: pulumi.Input<string>;
  /** `restricted` (default unless egress is `firewall`): GitHub ranges and Azure tags only; `https`: 443 anywhere. */
  outbound?: OutboundMode;
  /** More NSG rules; priorities are kept clear of the planned ones. */
  extraSecurityRules?: ExtraSecurityRule[];
  /** Tags for every Azure resource the component creates. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Register the GitHub.Network and Microsoft.Network resource providers in the subscription
   * (and wait until they are) before the subnet and networkSettings are created. Default true;
   * set false when subscriptions come pre-registered or the deploying identity may not register.
   */
  registerResourceProvider?: boolean;
  /**
   * Existing Azure Firewall policy (ARM ID) to add the runners' domain allow-list to, as a rule
   * collection group named `github-runners-<name>`. Only with egress `firewall`; the policy must be
   * in the subscription of the azure-native provider the component uses.
   */
  firewallPolicyId?: pulumi.Input<string>;
  /**
   * Which of GitHub's published domain lists the firewall allows on 443: `exact`
   * (domains.actions_inbound.full_domains), `standard` (domains.actions, default) or `wildcard`
   * (domains.actions_inbound.wildcard_domains). Only with `firewallPolicyId`.
   */
  domainAllowList?: DomainLevel;
  /** Priority of the rule collection group in the policy, 100-65000, unique in the policy. Default 2000. */
  firewallRuleCollectionGroupPriority?: number;
  /**
   * Your own hosts the firewall allows on HTTPS 443, besides GitHub's: host names or `*.` wildcards,
   * no public suffix (`com`, `*.co.uk`). Only with `firewallPolicyId`.
   */
  extraDomains?: string[];
  /**
   * The hub VNET (ARM ID) to peer the new VNET with: the spoke side is created, with forwarded
   * traffic allowed; the hub side too when the `hubProvider` resource option is given.
   */
  hubVirtualNetworkId?: pulumi.Input<string>;
  /**
   * Also create the hub-to-spoke peering, through the `hubProvider` resource option or else a
   * provider for the hub's subscription made with the caller's credentials (when it is not the
   * stack's own). Default false, true when `hubProvider` is given.
   */
  hubSidePeering?: boolean;
  /** The spoke uses the hub's VPN or ExpressRoute gateway (the hub side allows gateway transit). Default false. */
  useHubGateway?: boolean;
  /** DNS servers of the new VNET (such as the hub's DNS resolver); the NSG allows DNS to exactly these. */
  dnsServers?: string[];
  /** Existing private DNS zones (ARM IDs) to link to the new VNET, so runners resolve private endpoints. */
  privateDnsZoneIds?: pulumi.Input<string>[];
  /** Take a region none of GitHub's lists names yet (the design warns; `doctor` asks ARM). Default false. */
  acceptUnlistedRegion?: boolean;
  /**
   * A GHE.com enterprise (data residency): the geography's regions, GHE.com's ingress ranges in the
   * NSG and the enterprise's hosts on the firewall instead of github.com's.
   */
  dataResidency?: DataResidency;
}

/**
 * Resource options of the component, plus one that only TypeScript programs need (it is not an
 * argument, so the multi-language schema, which cannot hold a dynamic resource, stays as it is).
 */
export interface GitHubRunnerNetworkOptions extends pulumi.ComponentResourceOptions {
  /**
   * A registration to wait for instead of creating one: registration is per subscription, so
   * networks that share a subscription share one (the stack passes its own). Create it with the
   * `locations` of every network that waits for it.
   */
  providerRegistration?: ProviderRegistration;
  /**
   * The azure-native provider for the firewall policy's subscription (`firewallPolicyId`), where
   * the rule collection group is written. By default the component makes one for that
   * subscription with the caller's credentials when it is not the subscription the stack's
   * azure-native config (or ARM_SUBSCRIPTION_ID) names.
   */
  firewallPolicyProvider?: pulumi.ProviderResource;
  /**
   * Resources the rule collection group waits for: a firewall policy takes one rule collection
   * group write at a time, so networks sharing a policy write theirs one after another (the stack
   * passes the previous network's group).
   */
  firewallRulesAfter?: pulumi.Resource[];
  /**
   * The azure-native provider for the hub VNET's subscription: with it the component also creates
   * the hub-to-spoke peering, and links the private DNS zones through it.
   */
  hubProvider?: pulumi.ProviderResource;
  /**
   * The address prefix the stack's saved state holds for this component's subnet (`null`: none,
   * not deployed), from a caller that read the state itself: the stack does, for all its
   * networks at once. Without it the component reads the state before registering its children.
   * A deployed subnet keeps its prefix while it holds `maxConcurrentRunners`; a change Azure would
   * refuse (a subnet in use cannot be resized or moved) is refused first.
   */
  deployedSubnetPrefix?: string | null;
}

/**
 * A subnet in Azure that GitHub-hosted larger runners join: VNET (or an existing one), delegated
 * subnet, NSG, egress, and the `GitHub.Network/networkSettings` resource whose `GitHubId` links
 * the subnet to a GitHub enterprise or organization.
 */
export class GitHubRunnerNetwork extends pulumi.ComponentResource {
  /** Paste into a GitHub network configuration (Settings, Hosted compute networking). */
  public readonly gitHubId!: pulumi.Output<string>;
  public readonly networkSettingsId!: pulumi.Output<string>;
  public readonly subnetId!: pulumi.Output<string>;
  public readonly virtualNetworkId!: pulumi.Output<string>;
  public readonly networkSecurityGroupId!: pulumi.Output<string>;
  public readonly resourceGroupName!: pulumi.Output<string>;
  /** Static egress IPs (NAT gateway); empty for other egress modes. */
  public readonly egressPublicIpAddresses!: pulumi.Output<string[]>;
  /** Concurrent runners the subnet holds with GitHub's 30 % buffer kept free. */
  public readonly runnerCapacity!: pulumi.Output<number>;

  constructor(name: string, args: GitHubRunnerNetworkArgs, opts?: GitHubRunnerNetworkOptions) {
    // Refuse bad input before anything, the component included, is registered.
    const validated = validateComponentArgs(args);
    if (!validated.ok) throw invalidArguments(name, validated.issues);
    const { deployedSubnetPrefix, providerRegistration, firewallPolicyProvider, firewallRulesAfter, hubProvider, ...resourceOptions } =
      opts ?? {};
    // A deployed subnet keeps its prefix, or the change is refused, before any child is registered:
    // at once when the caller read the saved state, else once it is read here.
    const fit = (deployed: string | null | undefined) => fittedDesign(name, args, validated.value, deployed ?? undefined);
    const design =
      deployedSubnetPrefix !== undefined
        ? fit(deployedSubnetPrefix)
        : runnerSubnetUrn(name, resourceOptions.parent).then(savedSubnetPrefix).then(fit);
    super(GITHUB_RUNNER_NETWORK_TYPE, name, designSummary(design, validated.value), resourceOptions);

    const childOptions = { providerRegistration, firewallPolicyProvider, firewallRulesAfter, hubProvider };
    const children =
      design instanceof Promise
        ? design.then((fitted) => this.createChildren(name, args, fitted, childOptions))
        : this.createChildren(name, args, design, childOptions);
    const output = <K extends keyof RunnerNetworkOutputs>(key: K): RunnerNetworkOutputs[K] =>
      children instanceof Promise ? (pulumi.output(children.then((built) => built[key])) as RunnerNetworkOutputs[K]) : children[key];
    this.gitHubId = output("gitHubId");
    this.networkSettingsId = output("networkSettingsId");
    this.subnetId = output("subnetId");
    this.virtualNetworkId = output("virtualNetworkId");
    this.networkSecurityGroupId = output("networkSecurityGroupId");
    this.resourceGroupName = output("resourceGroupName");
    this.egressPublicIpAddresses = output("egressPublicIpAddresses");
    this.runnerCapacity = output("runnerCapacity");
    this.registerOutputs({
      gitHubId: this.gitHubId,
      networkSettingsId: this.networkSettingsId,
      subnetId: this.subnetId,
      virtualNetworkId: this.virtualNetworkId,
      networkSecurityGroupId: this.networkSecurityGroupId,
      resourceGroupName: this.resourceGroupName,
      egressPublicIpAddresses: this.egressPublicIpAddresses,
      runnerCapacity: this.runnerCapacity,
    });
  }

  /** Every child, from the design that fits what is deployed; returns the component's outputs. */
  private createChildren(
    name: string,
    args: GitHubRunnerNetworkArgs,
    design: RunnerNetworkDesign,
    options: Pick<GitHubRunnerNetworkOptions, "providerRegistration" | "firewallPolicyProvider" | "firewallRulesAfter" | "hubProvider">,
  ): RunnerNetworkOutputs {
    const { providerRegistration: sharedRegistration, firewallPolicyProvider, firewallRulesAfter, hubProvider } = options;
    const parent = { parent: this };
    const location = design.location;
    const tags = args.tags === undefined ? {} : checkResolvedField(name, "tags", args.tags);
    const existing = args.existingVirtualNetwork;

    // In the Azure provider's own subscription; a registration is never undone on delete.
    const registration =
      args.registerResourceProvider === false
        ? undefined
        : (sharedRegistration ??
          new ProviderRegistration(
            `${name}-provider-registration`,
            { subscriptionId: authorization.getClientConfigOutput(parent).subscriptionId, locations: [location] },
            parent,
          ));
    const afterRegistration = registration ? [registration] : [];

    const resourceGroupName: pulumi.Output<string> = args.resourceGroupName
      ? pulumi.output(checkResolvedField(name, "resourceGroupName", args.resourceGroupName))
      : existing
        ? pulumi.output(existing.resourceGroupName)
        : new resources.ResourceGroup(`${name}-rg`, { location, tags }, parent).name;

    const vnet = existing
      ? undefined
      : new network.VirtualNetwork(
          `${name}-vnet`,
          // No inline subnets: the subnet is its own resource, so VNET updates never touch it.
          {
            resourceGroupName,
            location,
            addressSpace: { addressPrefixes: [design.addressSpace!] },
            ...(design.dnsServers ? { dhcpOptions: { dnsServers: design.dnsServers } } : {}),
            tags,
          },
          parent,
        );
    if (vnet) this.connectToHub(name, args, vnet, resourceGroupName, hubProvider);

    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg`,
      { resourceGroupName, location, securityRules: design.securityRules, tags },
      parent,
    );

    const publicIps = Array.from(
      { length: design.natGatewayPublicIpCount },
      (_, index) =>
        new network.PublicIPAddress(
          `${name}-egress-ip-${index + 1}`,
          {
            resourceGroupName,
            location,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            tags,
          },
          parent,
        ),
    );
    const natGateway =
      design.egress === "natGateway"
        ? new network.NatGateway(
            `${name}-nat`,
            { resourceGroupName, location, sku: { name: "Standard" }, publicIpAddresses: publicIps.map((ip) => ({ id: ip.id })), tags },
            parent,
          )
        : undefined;
    const routeTable =
      design.egress === "firewall"
        ? new network.RouteTable(
            `${name}-rt`,
            {
              resourceGroupName,
              location,
              // Learned routes must not let runner traffic bypass the firewall.
              disableBgpRoutePropagation: true,
              routes: [
                {
                  name: "default-via-firewall",
                  addressPrefix: "0.0.0.0/0",
                  nextHopType: "VirtualAppliance",
                  nextHopIpAddress: checkResolvedField(name, "firewallPrivateIp", args.firewallPrivateIp!),
                },
              ],
              tags,
            },
            parent,
          )
        : undefined;

    const subnet = new network.Subnet(
      subnetChildName(name),
      {
        resourceGroupName: existing ? existing.resourceGroupName : resourceGroupName,
        virtualNetworkName: existing ? existing.name : vnet!.name,
        addressPrefix: design.subnetPrefix,
        delegations: [{ name: "github-network-settings", serviceName: SUBNET_DELEGATION_SERVICE }],
        networkSecurityGroup: { id: nsg.id },
        natGateway: natGateway ? { id: natGateway.id } : undefined,
        routeTable: routeTable ? { id: routeTable.id } : undefined,
        // New subnets get no implicit internet access; egress is explicit above.
        defaultOutboundAccess: false,
      },
      // The delegation names GitHub.Network's service, so that namespace must be registered first.
      { parent: this, dependsOn: afterRegistration },
    );

    if (design.domainRules) {
      // GitHub's domains on the hub firewall: an NSG cannot hold domain names.
      const policy = firewallPolicyRef(name, args.firewallPolicyId!);
      const provider = firewallPolicyProvider ?? this.policySubscriptionProvider(name, args.firewallPolicyId!);
      const group = new network.FirewallPolicyRuleCollectionGroup(
        `${name}-firewall-rules`,
        {
          resourceGroupName: policy.resourceGroupName,
          firewallPolicyName: policy.firewallPolicyName,
          ...planFirewallRules({
            networkName: name,
            subnetPrefix: design.subnetPrefix,
            level: design.domainRules.level,
            priority: design.domainRules.priority,
            extraDomains: design.domainRules.extraDomains,
            dataResidency: design.dataResidency,
          }),
        },
        { parent: this, ...(provider ? { provider } : {}), ...(firewallRulesAfter ? { dependsOn: firewallRulesAfter } : {}) },
      );
      ruleCollectionGroups.set(this, group);
    }

    const networkSettings = new resources.Resource(
      `${name}-network-settings`,
      {
        resourceGroupName,
        resourceProviderNamespace: NETWORK_SETTINGS.namespace,
        parentResourcePath: "",
        resourceType: NETWORK_SETTINGS.type,
        apiVersion: NETWORK_SETTINGS.apiVersion,
        location,
        properties: { businessId: checkResolvedField(name, "businessId", args.businessId), subnetId: subnet.id },
        tags,
      },
      {
        parent: this,
        dependsOn: afterRegistration,
        // businessId is immutable and a subnet holds one networkSettings: replace, old one first.
        replaceOnChanges: ["properties.businessId"],
        deleteBeforeReplace: true,
        // GitHub's service writes this tag; it is not ours to diff or remove.
        ignoreChanges: [`tags.${NETWORK_SETTINGS.gitHubIdTag}`],
      },
    );

    return {
      // Through the id: before the resource exists its tags are only our inputs, so a preview would
      // see "" for a GitHubId the service has not written yet; the id keeps it unknown until then.
      gitHubId: pulumi.all([networkSettings.id, networkSettings.tags]).apply(([, tags]) => tags?.[NETWORK_SETTINGS.gitHubIdTag] ?? ""),
      networkSettingsId: networkSettings.id,
      subnetId: subnet.id,
      virtualNetworkId: vnet ? vnet.id : subnet.id.apply((id) => id.replace(/\/subnets\/[^/]+$/i, "")),
      networkSecurityGroupId: nsg.id,
      resourceGroupName,
      egressPublicIpAddresses: pulumi.all(publicIps.map((ip) => ip.ipAddress.apply((a) => a ?? ""))),
      runnerCapacity: pulumi.output(design.runnerCapacity),
    };
  }

  /** Hub peering (both sides with the hub's provider) and private DNS zone links for a new VNET. */
  private connectToHub(
    name: string,
    args: GitHubRunnerNetworkArgs,
    vnet: network.VirtualNetwork,
    resourceGroupName: pulumi.Input<string>,
    hubProvider: pulumi.ProviderResource | undefined,
  ): void {
    if (args.hubVirtualNetworkId !== undefined) {
      const hubId = checkResolvedField(name, "hubVirtualNetworkId", args.hubVirtualNetworkId);
      const useHubGateway = args.useHubGateway ?? false;
      new network.VirtualNetworkPeering(
        `${name}-to-hub`,
        {
          resourceGroupName,
          virtualNetworkName: vnet.name,
          remoteVirtualNetwork: { id: hubId },
          allowVirtualNetworkAccess: true,
          // Traffic the hub's firewall forwards comes back through the peering.
          allowForwardedTraffic: true,
          allowGatewayTransit: false,
          useRemoteGateways: useHubGateway,
        },
        { parent: this },
      );
      if (args.hubSidePeering ?? hubProvider !== undefined) {
        const hub = armRef(name, "hubVirtualNetworkId", hubId, VIRTUAL_NETWORK_ID);
        const provider = hubProvider ?? this.subscriptionProvider(name, hubId);
        new network.VirtualNetworkPeering(
          `${name}-from-hub`,
          {
            resourceGroupName: hub.resourceGroupName,
            virtualNetworkName: hub.name,
            remoteVirtualNetwork: { id: vnet.id },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: true,
            allowGatewayTransit: useHubGateway,
            useRemoteGateways: false,
          },
          { parent: this, ...(provider ? { provider } : {}) },
        );
      }
    }
    (args.privateDnsZoneIds ?? []).forEach((zoneId, index) => {
      const zone = armRef(name, `privateDnsZoneIds[${index}]`, zoneId, PRIVATE_DNS_ZONE_ID);
      new privatedns.VirtualNetworkLink(
        `${name}-dns-link-${index + 1}`,
        {
          resourceGroupName: zone.resourceGroupName,
          privateZoneName: zone.name,
          virtualNetworkLinkName: `${name}-runners`,
          location: "global",
          virtualNetwork: { id: vnet.id },
          // Runners resolve the zone's records; they do not register their own.
          registrationEnabled: false,
        },
        // A link lives in its zone's subscription, often the hub's (the landing zone's connectivity subscription).
        { parent: this, ...withProvider(hubProvider ?? this.subscriptionProvider(name, zoneId)) },
      );
    });
  }

  /**
   * The rule collection group on the firewall policy, when the network plans domain rules (to order
   * other groups after it). Registered in the constructor when the resource option
   * `deployedSubnetPrefix` is given (the stack gives it), else once the saved state is read.
   */
  public firewallRules(): network.FirewallPolicyRuleCollectionGroup | undefined {
    return ruleCollectionGroups.get(this);
  }

  /**
   * A provider for the firewall policy's subscription when it is known to differ from the
   * stack's own (or the stack's is not configured): the group lives where the policy does.
   */
  private policySubscriptionProvider(name: string, policyId: pulumi.Input<string>): pulumi.ProviderResource | undefined {
    const subscription = typeof policyId === "string" ? otherSubscriptionOf(policyId) : undefined;
    return subscription
      ? new AzureNativeProvider(`${name}-policy-subscription`, { subscriptionId: subscription }, { parent: this })
      : undefined;
  }

  /**
   * A provider for the subscription an ARM ID names (the hub VNET's, a DNS zone's) when it is known
   * to differ from the stack's own: one per subscription and component.
   */
  private subscriptionProvider(name: string, id: pulumi.Input<string>): pulumi.ProviderResource | undefined {
    const subscription = typeof id === "string" ? otherSubscriptionOf(id) : undefined;
    if (subscription === undefined) return undefined;
    const providers = subscriptionProviders.get(this) ?? new Map<string, pulumi.ProviderResource>();
    subscriptionProviders.set(this, providers);
    const provider =
      providers.get(subscription) ??
      new AzureNativeProvider(`${name}-subscription-${subscription}`, { subscriptionId: subscription }, { parent: this });
    providers.set(subscription, provider);
    return provider;
  }
}

const withProvider = (provider: pulumi.ProviderResource | undefined) => (provider ? { provider } : {});

/** Each component's providers for other subscriptions, kept off the instance (see `ruleCollectionGroups`). */
const subscriptionProviders = new WeakMap<GitHubRunnerNetwork, Map<string, pulumi.ProviderResource>>();

/**
 * The subscription of an ARM ID (a firewall policy's, a hub VNET's, a DNS zone's), unless it is
 * known to be the one the stack's own azure-native provider uses (its config, or
 * ARM_SUBSCRIPTION_ID, as that provider reads them).
 */
export function otherSubscriptionOf(id: string): string | undefined {
  const subscription = /^\/subscriptions\/([0-9a-f-]{36})\//i.exec(id.trim())?.[1].toLowerCase();
  const own = new pulumi.Config("azure-native").get("subscriptionId") ?? process.env.ARM_SUBSCRIPTION_ID;
  return own !== undefined && own.toLowerCase() === subscription ? undefined : subscription;
}

/**
 * Each component's rule collection group, kept off the instance: Pulumi's component analyzer turns
 * every instance property, private ones included, into an output of the multi-language schema.
 */
const ruleCollectionGroups = new WeakMap<GitHubRunnerNetwork, network.FirewallPolicyRuleCollectionGroup>();

/** One line per problem and no stack trace: these are the user's mistakes, not ours. */
function invalidArguments(component: string, issues: readonly Problem[]): pulumi.RunError {
  return new pulumi.RunError(invalidArgumentsMessage("GitHubRunnerNetwork", component, issues));
}

/**
 * Arguments that were outputs are checked when they resolve; plain ones were checked up front
 * and pass through unchanged.
 */
function checkResolvedField<T>(
  component: string,
  key: "businessId" | "tags" | "resourceGroupName" | "firewallPrivateIp" | "firewallPolicyId" | "hubVirtualNetworkId",
  value: pulumi.Input<T>,
): pulumi.Input<T> {
  if (!holdsDeferred(value)) return value;
  return pulumi.output(value).apply((resolved) => {
    const issues = validateResolvedField(key, resolved);
    if (issues.length) throw invalidArguments(component, issues);
    return resolved;
  }) as pulumi.Output<T>;
}

/** The resource group and name of an ARM ID known now, or of one that resolves later (checked then). */
function armRef(
  component: string,
  path: string,
  id: pulumi.Input<string>,
  kind: ArmIdKind,
): { resourceGroupName: pulumi.Input<string>; name: pulumi.Input<string> } {
  if (typeof id === "string") return parseArmId(id, kind)!;
  const parsed = pulumi.output(id).apply((text) => {
    const ref = parseArmId(text, kind);
    if (!ref) throw invalidArguments(component, [{ path, message: `${quoted(text)} is not ${kind.what}; expected ${kind.example}` }]);
    return ref;
  });
  return { resourceGroupName: parsed.resourceGroupName, name: parsed.name };
}

/** The policy's resource group and name, from an ID known now or checked once it resolves. */
function firewallPolicyRef(component: string, id: pulumi.Input<string>): { [K in keyof FirewallPolicyRef]: pulumi.Input<string> } {
  if (typeof id === "string") return parseFirewallPolicyId(id)!;
  const parsed = pulumi.output(checkResolvedField(component, "firewallPolicyId", id)).apply((text) => parseFirewallPolicyId(text)!);
  return {
    subscriptionId: parsed.subscriptionId,
    resourceGroupName: parsed.resourceGroupName,
    firewallPolicyName: parsed.firewallPolicyName,
  };
}

/** The component's outputs, as its children give them. */
type RunnerNetworkOutputs = Pick<
  GitHubRunnerNetwork,
  | "gitHubId"
  | "networkSettingsId"
  | "subnetId"
  | "virtualNetworkId"
  | "networkSecurityGroupId"
  | "resourceGroupName"
  | "egressPublicIpAddresses"
  | "runnerCapacity"
>;

/** The design that fits the deployed subnet (undefined: none deployed); a change Azure would refuse is thrown. */
function fittedDesign(component: string, args: GitHubRunnerNetworkArgs, design: RunnerNetworkDesign, deployed: string | undefined) {
  const fitted = fitDeployedSubnet(design, args, deployed, (key) => key, { kind: "component" });
  // Read late, the refusal reaches the user through the component's inputs and outputs: told as written.
  if (!fitted.design)
    throw runErrorAsWritten(problemReport(deployedSubnetConflictHeading(`GitHubRunnerNetwork "${component}"`), fitted.issues));
  return fitted.design;
}

/**
 * Recorded as the component's inputs, so previews and policies see the sizing decisions; each
 * one follows the design that fits the deployed subnet when that is still being read.
 */
function designSummary(design: RunnerNetworkDesign | Promise<RunnerNetworkDesign>, requested: RunnerNetworkDesign): pulumi.Inputs {
  if (!(design instanceof Promise)) return summaryOf(design);
  return Object.fromEntries(
    Object.keys(summaryOf(requested)).map((key) => [key, design.then((fitted) => summaryOf(fitted)[key] as unknown)]),
  );
}

function summaryOf(design: RunnerNetworkDesign): pulumi.Inputs {
  return {
    location: design.location,
    runnerPlatforms: design.runnerPlatforms,
    addressSpace: design.addressSpace,
    subnetPrefix: design.subnetPrefix,
    maxConcurrentRunners: design.maxConcurrentRunners,
    runnerCapacity: design.runnerCapacity,
    egress: design.egress,
    outbound: design.outbound,
    natGatewayPublicIpCount: design.natGatewayPublicIpCount,
    domainAllowList: design.domainRules?.level,
    dataResidency: design.dataResidency,
  };
}
