// The benchmark's yardstick (`npm run bench`): the resources the offline plan registers for a
// stack config, written by hand with @pulumi/azure-native and run under Pulumi's runtime mocks,
// as a team would unit-test its own program. It imports nothing from this repository; its data
// (the networks, and GitHub's ranges for the NSG) comes from the JSON file bench/run.ts writes.
// It does the same registrations as the plan and nothing else: no validation, no policy pack,
// no reachability or requirements report. The GitHub network configuration, runner group binding
// and provider registration are registered as custom resources of the dynamic resources' types
// with the same inputs, without provider code, as the plan registers this package's own
// providers (it checks the package resolves instead of serializing the code).
// Usage: node bench/baseline-program.cjs <spec.json>; prints { resources, outputs } as JSON.
"use strict";
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const authorization = require("@pulumi/azure-native/authorization");
const network = require("@pulumi/azure-native/network");
const resources = require("@pulumi/azure-native/resources");

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const hash = (text, length) => createHash("sha256").update(text).digest("hex").slice(0, length);
const registered = [];

// ---- Mocks that answer as Azure would: ARM IDs with a placeholder subscription ----------------

const COLLECTIONS = {
  "azure-native:network:VirtualNetwork": ["virtualNetworks", "virtualNetworkName"],
  "azure-native:network:NetworkSecurityGroup": ["networkSecurityGroups", "networkSecurityGroupName"],
  "azure-native:network:PublicIPAddress": ["publicIPAddresses", "publicIpAddressName"],
  "azure-native:network:NatGateway": ["natGateways", "natGatewayName"],
};

function armId(type, name, inputs) {
  const group = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName ?? name}`;
  if (type === "azure-native:resources:ResourceGroup") return group;
  if (type === "azure-native:resources:Resource")
    return `${group}/providers/${inputs.resourceProviderNamespace}/${inputs.resourceType}/${inputs.resourceName ?? name}`;
  if (type === "azure-native:network:Subnet")
    return `${group}/providers/Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}/subnets/${inputs.subnetName ?? name}`;
  const [collection, nameKey] = COLLECTIONS[type];
  return `${group}/providers/Microsoft.Network/${collection}/${inputs[nameKey] ?? name}`;
}

const mocks = {
  newResource({ type, name, inputs, custom }) {
    registered.push({ type, name, inputs });
    if (!custom) return { id: "", state: inputs };
    if (type.startsWith("pulumi-nodejs:dynamic/")) {
      const id = type.endsWith(":ProviderRegistration") ? `${name}-id` : `offline-plan-${hash(`${type}::${name}`, 12)}`;
      return { id, state: inputs };
    }
    const id = armId(type, name, inputs);
    const state = { ...inputs, id, name: id.split("/").pop() };
    if (type === "azure-native:network:PublicIPAddress") state.ipAddress = `203.0.113.${(parseInt(hash(id, 4), 16) % 254) + 1}`;
    if (type === "azure-native:resources:Resource") state.tags = { ...inputs.tags, GitHubId: `offline-plan-${hash(id, 12)}` };
    return { id, state };
  },
  call({ token }) {
    if (token === "azure-native:authorization:getClientConfig")
      return { subscriptionId: SUBSCRIPTION, tenantId: "11111111-1111-1111-1111-111111111111", clientId: "baseline", objectId: "baseline" };
    return {};
  },
};

// ---- The program -------------------------------------------------------------------------------

const PACKAGE = "azure-github-runner-network";
const dynamicType = (name) => `pulumi-nodejs:dynamic/${PACKAGE}:${name}`;

class RunnerNetwork extends pulumi.ComponentResource {
  constructor(entry, registration) {
    super(`${PACKAGE}:index:GitHubRunnerNetwork`, entry.name, {
      addressSpace: entry.addressSpace,
      egress: "natGateway",
      location: entry.location,
      maxConcurrentRunners: entry.maxConcurrentRunners,
      natGatewayPublicIpCount: 1,
      outbound: "restricted",
      runnerCapacity: entry.runnerCapacity,
      runnerPlatforms: ["x64"],
      subnetPrefix: entry.subnetPrefix,
    });
    const name = entry.name;
    const location = entry.location;
    const tags = spec.tags;
    const parent = { parent: this };
    const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, parent);
    const resourceGroupName = group.name;
    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      { resourceGroupName, location, addressSpace: { addressPrefixes: [entry.addressSpace] }, tags },
      parent,
    );
    const rule = (name, priority, direction, access, protocol, destination, port, description) => ({
      name,
      description,
      priority,
      direction,
      access,
      protocol,
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      ...(Array.isArray(destination) ? { destinationAddressPrefixes: destination } : { destinationAddressPrefix: destination }),
      destinationPortRange: port,
    });
    const github = "GitHub web, api, git and packages ranges from the meta endpoint";
    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg`,
      {
        resourceGroupName,
        location,
        securityRules: [
          rule("DenyAllInbound", 4096, "Inbound", "Deny", "*", "*", "*", "GitHub never needs inbound connections to runners"),
          rule(
            "AllowVirtualNetworkHttpsOutbound",
            200,
            "Outbound",
            "Allow",
            "Tcp",
            "VirtualNetwork",
            "443",
            "Runners reach the VNET and what is connected to it on 443",
          ),
          rule(
            "AllowStorageHttpsOutbound",
            210,
            "Outbound",
            "Allow",
            "Tcp",
            "Storage",
            "443",
            "Actions logs, artifacts and caches in Azure Storage",
          ),
          rule("AllowAzureCloudHttpsOutbound", 220, "Outbound", "Allow", "Tcp", "AzureCloud", "443", "Actions services hosted in Azure"),
          rule("AllowGitHubIPv4HttpsOutbound", 230, "Outbound", "Allow", "Tcp", spec.gitHubIpv4, "443", github),
          rule("AllowGitHubIPv6HttpsOutbound", 240, "Outbound", "Allow", "Tcp", spec.gitHubIpv6, "443", github),
          rule(
            "AllowAzureCloudHttpOutbound",
            250,
            "Outbound",
            "Allow",
            "Tcp",
            "AzureCloud",
            "80",
            "Ubuntu's package mirror in Azure (azure.archive.ubuntu.com) over HTTP",
          ),
          rule(
            "AllowEntraIdHttpsOutbound",
            260,
            "Outbound",
            "Allow",
            "Tcp",
            "AzureActiveDirectory",
            "443",
            "Microsoft Entra ID sign-in (azure/login, OIDC to Azure)",
          ),
          rule(
            "AllowMcrHttpsOutbound",
            270,
            "Outbound",
            "Allow",
            "Tcp",
            "MicrosoftContainerRegistry",
            "443",
            "Microsoft Container Registry",
          ),
          rule(
            "AllowFrontDoorFirstPartyHttpsOutbound",
            280,
            "Outbound",
            "Allow",
            "Tcp",
            "AzureFrontDoor.FirstParty",
            "443",
            "Microsoft Container Registry data endpoints on Front Door",
          ),
          rule("DenyInternetOutbound", 4096, "Outbound", "Deny", "*", "Internet", "*", "Nothing else leaves for the internet"),
        ],
        tags,
      },
      parent,
    );
    const ip = new network.PublicIPAddress(
      `${name}-egress-ip-1`,
      {
        resourceGroupName,
        location,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        tags,
      },
      parent,
    );
    const nat = new network.NatGateway(
      `${name}-nat`,
      { resourceGroupName, location, sku: { name: "Standard" }, publicIpAddresses: [{ id: ip.id }], tags },
      parent,
    );
    const subnet = new network.Subnet(
      `${name}-subnet`,
      {
        resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefix: entry.subnetPrefix,
        delegations: [{ name: "github-network-settings", serviceName: "GitHub.Network/networkSettings" }],
        networkSecurityGroup: { id: nsg.id },
        natGateway: { id: nat.id },
        defaultOutboundAccess: false,
        privateEndpointNetworkPolicies: "Disabled",
        privateLinkServiceNetworkPolicies: "Enabled",
      },
      { parent: this, dependsOn: [registration] },
    );
    const settings = new resources.Resource(
      `${name}-network-settings`,
      {
        resourceGroupName,
        resourceProviderNamespace: "GitHub.Network",
        parentResourcePath: "",
        resourceType: "networkSettings",
        apiVersion: "2024-04-02",
        location,
        properties: { businessId: spec.github.businessId, subnetId: subnet.id },
        tags,
      },
      {
        parent: this,
        dependsOn: [registration],
        replaceOnChanges: ["properties.businessId"],
        deleteBeforeReplace: true,
        ignoreChanges: ["tags.GitHubId"],
      },
    );
    this.outputs = {
      role: entry.role,
      location,
      gitHubId: settings.tags.apply((t) => t?.GitHubId),
      networkSettingsId: settings.id,
      subnetId: subnet.id,
      virtualNetworkId: vnet.id,
      networkSecurityGroupId: nsg.id,
      resourceGroupName,
      egressPublicIpAddresses: pulumi.all([ip.ipAddress]),
      runnerCapacity: entry.runnerCapacity,
    };
    this.registerOutputs(this.outputs);
  }
}

function program() {
  const { businessId, scope, slug, configurationName, runnerGroup } = spec.github;
  const registration = new pulumi.CustomResource(dynamicType("ProviderRegistration"), "provider-registration", {
    subscriptionId: authorization.getClientConfigOutput().subscriptionId,
    locations: [...new Set(spec.networks.map((entry) => entry.location))],
    namespaces: ["GitHub.Network", "Microsoft.Network"],
    pollIntervalSeconds: 10,
    timeoutSeconds: 900,
  });
  const networks = {};
  for (const entry of spec.networks) networks[entry.name] = new RunnerNetwork(entry, registration).outputs;
  const primary = spec.networks.find((entry) => entry.role === "primary").name;
  const failover = spec.networks.find((entry) => entry.role === "failover")?.name;
  const token = pulumi.secret("");
  const github = { apiUrl: "https://api.github.com", token };
  const configuration = new pulumi.CustomResource(
    dynamicType("GitHubNetworkConfiguration"),
    "github-network-configuration",
    {
      ...github,
      kind: "networkConfiguration",
      scope,
      slug,
      name: configurationName,
      computeService: "actions",
      gitHubId: networks[primary].gitHubId,
      gitHubIdSource: primary,
      ...(failover
        ? { failoverGitHubId: networks[failover].gitHubId, failoverGitHubIdSource: failover, failoverEnabled: false }
        : { failoverEnabled: false }),
    },
    { additionalSecretOutputs: ["token"] },
  );
  new pulumi.CustomResource(
    dynamicType("GitHubRunnerGroupBinding"),
    `github-runner-group-${runnerGroup}`,
    {
      ...github,
      kind: "runnerGroupBinding",
      organization: slug,
      networkConfigurationId: configuration.id,
      runnerGroupName: runnerGroup,
      createIfMissing: true,
      visibility: "all",
    },
    { additionalSecretOutputs: ["token"] },
  );
  return { networks, gitHub: { scope, slug, businessId, networkConfiguration: { id: configuration.id, name: configurationName } } };
}

async function main() {
  await pulumi.runtime.setMocks(mocks, spec.project, spec.stack, true);
  const outputs = await pulumi.runtime.runInPulumiStack(() => Promise.resolve(program()));
  process.stdout.write(`${JSON.stringify({ resources: registered, outputs })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 2;
});
