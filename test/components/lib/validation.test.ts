import { describe, expect, it } from "vitest";
import { validateComponentArgs, withDesign } from "../../../components/lib/network-design";
import { validateStackConfig } from "../../../components/lib/stack-config";

const github = { businessId: "12345678", scope: "organization", slug: "my-org" };
const primary = { name: "primary", location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 };
const stack = (networks: unknown[], extra: Record<string, unknown> = {}) => ({ github, networks, ...extra });
const issuesOf = (result: ReturnType<typeof validateStackConfig> | ReturnType<typeof validateComponentArgs>) =>
  result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);

describe("stack config: every bad input is refused with its key path and what is allowed", () => {
  it.each([
    [
      "missing businessId",
      stack([primary], { github: { scope: "organization", slug: "my-org" } }),
      ["github.businessId: required; the GraphQL databaseId of your GitHub enterprise or organization (digits only)"],
    ],
    [
      "non-digit businessId",
      stack([primary], { github: { ...github, businessId: "12a4" } }),
      ['github.businessId: "12a4" is not allowed; use digits only: the GraphQL databaseId of your GitHub enterprise or organization'],
    ],
    [
      "unknown scope",
      stack([primary], { github: { ...github, scope: "org" } }),
      ['github.scope: "org" is not allowed; allowed: organization, enterprise'],
    ],
    [
      "unknown region",
      stack([{ ...primary, location: "westeurope" }]),
      [
        'networks[0].location: "westeurope" is not a region GitHub supports for Azure private networking; allowed: australiaeast, brazilsouth, canadacentral, canadaeast, centralus, eastasia, eastus, eastus2, francecentral, germanywestcentral, japaneast, japanwest, koreacentral, northcentralus, northeurope, norwayeast, southcentralus, southeastasia, southindia, swedencentral, switzerlandnorth, uksouth, ukwest, westus, westus2, westus3 (for a region GitHub added since, set acceptUnlistedRegion: true)',
      ],
    ],
    [
      "platform the region lacks",
      stack([{ ...primary, location: "uksouth", runnerPlatforms: ["x64", "arm64"] }]),
      [
        "networks[0].runnerPlatforms: uksouth has no arm64 runners; arm64 regions: centralus, eastus, eastus2, northcentralus, southcentralus, westus, westus2, westus3",
      ],
    ],
    [
      "malformed CIDR",
      stack([{ ...primary, addressSpace: "10.40.0/16" }]),
      [
        'networks[0].addressSpace: "10.40.0/16" does not start with a valid IPv4 or IPv6 address; expected an IPv4 CIDR with host bits clear, such as 10.40.0.0/16',
      ],
    ],
    [
      "IPv6 address space",
      stack([{ ...primary, addressSpace: "2001:db8::/48" }]),
      ['networks[0].addressSpace: "2001:db8::/48" is IPv6; expected an IPv4 CIDR with host bits clear, such as 10.40.0.0/16'],
    ],
    [
      "host bits set",
      stack([{ ...primary, subnetPrefix: "10.40.0.1/24" }]),
      ['networks[0].subnetPrefix: "10.40.0.1/24" has host bits set; the network address is 10.40.0.0/24'],
    ],
    [
      "subnet outside the address space",
      stack([{ ...primary, subnetPrefix: "10.50.0.0/24" }]),
      ["networks[0].subnetPrefix: 10.50.0.0/24 is outside addressSpace 10.40.0.0/16; allowed: a block inside it"],
    ],
    [
      "overlapping networks",
      stack([primary, { ...primary, name: "second", addressSpace: "10.40.128.0/17" }]),
      [
        "networks[1].addressSpace: 10.40.128.0/17 overlaps networks[0].addressSpace 10.40.0.0/16; networks must not overlap, so they can be peered with each other or a hub",
      ],
    ],
    [
      "subnet too small for the runners",
      stack([{ ...primary, subnetPrefix: "10.40.0.0/25" }]),
      [
        "networks[0].subnetPrefix: 10.40.0.0/25 holds 94 runners; maxConcurrentRunners 100 needs 135 addresses (ceil(1.3 x 100) + 5 reserved), a /24 or larger",
      ],
    ],
    [
      "subnet smaller than /29",
      stack([{ ...primary, maxConcurrentRunners: undefined, subnetPrefix: "10.40.0.0/30" }]),
      ["networks[0].subnetPrefix: /30 is smaller than Azure's smallest subnet; allowed: /29 or larger"],
    ],
    [
      "neither subnetPrefix nor maxConcurrentRunners",
      stack([{ ...primary, maxConcurrentRunners: undefined }]),
      ["networks[0].maxConcurrentRunners: give maxConcurrentRunners (the subnet is sized for it) or subnetPrefix"],
    ],
    [
      "runners beyond the address space",
      stack([{ ...primary, addressSpace: "10.40.0.0/24", maxConcurrentRunners: 500 }]),
      ["networks[0].maxConcurrentRunners: 500 runners need a /22 (655 addresses), more than addressSpace 10.40.0.0/24 holds"],
    ],
    [
      "non-integer runners",
      stack([{ ...primary, maxConcurrentRunners: 2.5 }]),
      ["networks[0].maxConcurrentRunners: must be a whole number; the peak number of runners running at once"],
    ],
    [
      "firewall egress without a private IP",
      stack([{ ...primary, egress: "firewall" }]),
      ['networks[0].firewallPrivateIp: required when egress is "firewall": the private IP the default route sends traffic to'],
    ],
    [
      "public firewall IP",
      stack([{ ...primary, egress: "firewall", firewallPrivateIp: "52.1.2.3" }]),
      [
        "networks[0].firewallPrivateIp: 52.1.2.3 is public; the next hop must be the firewall's private IP (10/8, 172.16/12, 192.168/16 or 100.64/10)",
      ],
    ],
    [
      "firewall IP without firewall egress",
      stack([{ ...primary, firewallPrivateIp: "10.0.1.4" }]),
      ['networks[0].firewallPrivateIp: applies only to egress "firewall" (egress is "natGateway")'],
    ],
    [
      "NAT IP count above 16",
      stack([{ ...primary, natGatewayPublicIpCount: 17 }]),
      ["networks[0].natGatewayPublicIpCount: 17 is out of range; allowed: whole numbers 1-16"],
    ],
    [
      "NAT IP count of 0",
      stack([{ ...primary, natGatewayPublicIpCount: 0 }]),
      ["networks[0].natGatewayPublicIpCount: 0 is out of range; allowed: whole numbers 1-16"],
    ],
    [
      "NAT IPs without a NAT gateway",
      stack([{ ...primary, egress: "none", natGatewayPublicIpCount: 2 }]),
      ['networks[0].natGatewayPublicIpCount: applies only to egress "natGateway" (egress is "none")'],
    ],
    [
      "unknown egress",
      stack([{ ...primary, egress: "vpn" }]),
      ['networks[0].egress: "vpn" is not allowed; allowed: natGateway, firewall, none'],
    ],
    [
      "duplicate network names",
      stack([primary, { ...primary, addressSpace: "10.41.0.0/16" }]),
      ['networks[1].name: "primary" is already used by networks[0]; names must be unique'],
    ],
    [
      "bad network name",
      stack([{ ...primary, name: "Primary_1" }]),
      ["networks[0].name: must be 1-40 of a-z, 0-9 and '-', not starting or ending with '-'"],
    ],
    [
      "more than one failover",
      stack([
        primary,
        { ...primary, name: "b", addressSpace: "10.41.0.0/16", role: "failover" },
        { ...primary, name: "c", addressSpace: "10.42.0.0/16", role: "failover" },
      ]),
      ["networks[2].role: networks[1] is already the failover; at most one network may have role failover"],
    ],
    [
      "failover without a primary",
      stack([{ ...primary, role: "failover" }]),
      ["networks[0].role: a failover network needs a primary network; give another network role primary (the default)"],
    ],
    ["empty tag key", stack([primary], { tags: { "": "x" } }), ['tags[""]: tag names must not be empty']],
    ["empty tag value", stack([primary], { tags: { owner: " " } }), ["tags.owner: empty value; allowed: 1-256 characters"]],
    [
      "tag value over 256",
      stack([primary], { tags: { owner: "x".repeat(257) } }),
      ["tags.owner: value is 257 characters; Azure allows 256"],
    ],
    [
      "tag key over 512",
      stack([primary], { tags: { ["k".repeat(513)]: "v" } }),
      [`tags.${"k".repeat(513)}: tag name is 513 characters; Azure allows 512`],
    ],
    [
      "tag key with a forbidden character",
      stack([primary], { tags: { "a/b": "v" } }),
      ['tags["a/b"]: tag names must not contain any of < > % & \\ ? /'],
    ],
    [
      "reserved tag prefix",
      stack([{ ...primary, tags: { "microsoft-x": "v" } }]),
      ["networks[0].tags.microsoft-x: tag names must not start with azure, microsoft, windows (reserved by Azure)"],
    ],
    [
      "more tags on a resource than Azure allows once the stack's tags are merged in",
      stack([{ ...primary, tags: { team: "runners" } }], {
        tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, "v"])),
      }),
      ["networks[0].tags: with the stack's tags merged in: 51 tags; Azure allows at most 50 per resource"],
    ],
    [
      "extra rules with colliding priorities",
      stack([
        {
          ...primary,
          extraSecurityRules: [
            { name: "a", direction: "Outbound", access: "Allow", priority: 300, destinationAddressPrefixes: ["10.1.0.0/16"] },
            { name: "b", direction: "Outbound", access: "Deny", priority: 300, destinationAddressPrefixes: ["10.2.0.0/16"] },
          ],
        },
      ]),
      [
        "networks[0].extraSecurityRules[1].priority: 300 (Outbound) collides with extraSecurityRules[0]; allowed: a priority 100-4095 no other Outbound rule uses",
      ],
    ],
    [
      "extra rule priority outside 100-4096",
      stack([
        {
          ...primary,
          extraSecurityRules: [{ name: "a", direction: "Inbound", access: "Allow", priority: 99, sourceAddressPrefixes: ["10.0.0.0/8"] }],
        },
      ]),
      ["networks[0].extraSecurityRules[0].priority: 99 is outside Azure's range; allowed: whole numbers 100-4096"],
    ],
    [
      "extra rule on the final deny's priority",
      stack([{ ...primary, extraSecurityRules: [{ name: "a", direction: "Inbound", access: "Allow", priority: 4096 }] }]),
      [
        "networks[0].extraSecurityRules[0].priority: 4096 (Inbound) collides with DenyAllInbound; allowed: a priority 100-4095 no other Inbound rule uses",
      ],
    ],
    [
      "extra rule named like a planned rule",
      stack([{ ...primary, extraSecurityRules: [{ name: "DenyAllInbound", direction: "Inbound", access: "Deny" }] }]),
      ['networks[0].extraSecurityRules[0].name: "DenyAllInbound" is the name of a rule this component plans; choose another name'],
    ],
    [
      "extra rule mixing address families",
      stack([
        {
          ...primary,
          extraSecurityRules: [
            { name: "a", direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["10.0.0.0/8", "2001:db8::/32"] },
          ],
        },
      ]),
      [
        "networks[0].extraSecurityRules[0].destinationAddressPrefixes: mixes IPv4 and IPv6; Azure needs one address family per rule, so split it in two",
      ],
    ],
    [
      "extra rule mixing families where the IPv6 prefix starts with a letter",
      stack([
        {
          ...primary,
          extraSecurityRules: [
            { name: "a", direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["10.0.0.0/8", "fd00::/8"] },
          ],
        },
      ]),
      [
        "networks[0].extraSecurityRules[0].destinationAddressPrefixes: mixes IPv4 and IPv6; Azure needs one address family per rule, so split it in two",
      ],
    ],
    [
      "extra rule with two service tags",
      stack([
        {
          ...primary,
          extraSecurityRules: [{ name: "a", direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["Storage", "Sql"] }],
        },
      ]),
      [
        "networks[0].extraSecurityRules[0].destinationAddressPrefixes: a service tag or * must stand alone: Azure allows one tag per rule and no tags in address lists",
      ],
    ],
    [
      "extra rule with a bad port",
      stack([
        { ...primary, extraSecurityRules: [{ name: "a", direction: "Outbound", access: "Allow", destinationPortRanges: ["70000"] }] },
      ]),
      [
        'networks[0].extraSecurityRules[0].destinationPortRanges[0]: "70000" is not allowed; use a port 0-65535, a range low-high, or * alone',
      ],
    ],
    [
      "unknown key in a network",
      stack([{ ...primary, subnet: "10.40.0.0/24" }]),
      [
        "networks[0].subnet: unknown key; allowed: name, role, location, resourceGroupName, addressSpace, existingVirtualNetwork, subnetPrefix, maxConcurrentRunners, runnerPlatforms, egress, natGatewayPublicIpCount, firewallPrivateIp, outbound, extraSecurityRules, tags, firewallPolicyId, domainAllowList, extraDomains, firewallRuleCollectionGroupPriority, hubVirtualNetworkId, hubSidePeering, useHubGateway, dnsServers, privateDnsZoneIds, acceptUnlistedRegion, registerResourceProvider",
      ],
    ],
    [
      "unknown top-level key",
      stack([primary], { region: "eastus" }),
      ["region: unknown key; allowed: github, githubToken, networks, tags"],
    ],
    ["no networks", stack([]), ["networks: must list at least one network"]],
    [
      "existing VNET without a subnet prefix",
      stack([
        {
          name: "lz",
          location: "eastus",
          maxConcurrentRunners: 10,
          existingVirtualNetwork: { name: "hub-spoke-1", resourceGroupName: "network-rg" },
        },
      ]),
      ["networks[0].subnetPrefix: required with existingVirtualNetwork: a free range inside that VNET (run `doctor` to check it is free)"],
    ],
    [
      "existing VNET with an address space",
      stack([
        {
          name: "lz",
          location: "eastus",
          addressSpace: "10.9.0.0/16",
          subnetPrefix: "10.9.0.0/24",
          existingVirtualNetwork: { name: "spoke", resourceGroupName: "rg" },
        },
      ]),
      [
        "networks[0].addressSpace: applies only to a new VNET; with existingVirtualNetwork give subnetPrefix, a free range inside that VNET",
      ],
    ],
    [
      "forbidden address space",
      stack([{ ...primary, addressSpace: "169.254.0.0/16", maxConcurrentRunners: 10 }]),
      ["networks[0].addressSpace: 169.254.0.0/16 overlaps 169.254.0.0/16, which Azure does not allow in a VNET"],
    ],
  ])("%s", (_, config, expected) => {
    expect(issuesOf(validateStackConfig(config))).toEqual(expected);
  });

  describe("a problem in one part does not hide the problems of the others", () => {
    const rule = (fields: Record<string, unknown>) => ({ name: "r", direction: "Outbound", access: "Allow", ...fields });
    it.each([
      [
        "an unknown key and a bad priority in the same rule",
        stack([{ ...primary, extraSecurityRules: [rule({ priority: 50, bogus: 1 })] }]),
        [
          "networks[0].extraSecurityRules[0].bogus: unknown key; allowed: name, description, priority, direction, access, protocol, sourceAddressPrefixes, sourcePortRanges, destinationAddressPrefixes, destinationPortRanges, sourceAddressPrefix, sourcePortRange, destinationAddressPrefix, destinationPortRange",
          "networks[0].extraSecurityRules[0].priority: 50 is outside Azure's range; allowed: whole numbers 100-4096",
        ],
      ],
      [
        "a broken rule beside two that collide",
        stack([
          {
            ...primary,
            extraSecurityRules: [
              rule({ name: "a", priority: 300 }),
              rule({ name: "b", priority: 300 }),
              rule({ name: "c", direction: "Sideways" }),
            ],
          },
        ]),
        [
          'networks[0].extraSecurityRules[2].direction: "Sideways" is not allowed; allowed: Inbound, Outbound',
          "networks[0].extraSecurityRules[1].priority: 300 (Outbound) collides with extraSecurityRules[0]; allowed: a priority 100-4095 no other Outbound rule uses",
        ],
      ],
      [
        "a broken rule that collides with a good one",
        stack([
          {
            ...primary,
            extraSecurityRules: [rule({ name: "a", priority: 300, protocol: "Carrier-Pigeon" }), rule({ name: "b", priority: 300 })],
          },
        ]),
        [
          'networks[0].extraSecurityRules[0].protocol: "Carrier-Pigeon" is not allowed; allowed: Tcp, Udp, Icmp, Esp, Ah, *',
          "networks[0].extraSecurityRules[1].priority: 300 (Outbound) collides with extraSecurityRules[0]; allowed: a priority 100-4095 no other Outbound rule uses",
        ],
      ],
      [
        "a network with a bad region that overlaps another",
        stack([primary, { ...primary, name: "second", location: "nowhere" }]),
        [
          'networks[1].location: "nowhere" is not a region GitHub supports for Azure private networking; allowed: australiaeast, brazilsouth, canadacentral, canadaeast, centralus, eastasia, eastus, eastus2, francecentral, germanywestcentral, japaneast, japanwest, koreacentral, northcentralus, northeurope, norwayeast, southcentralus, southeastasia, southindia, swedencentral, switzerlandnorth, uksouth, ukwest, westus, westus2, westus3',
          "networks[1].addressSpace: 10.40.0.0/16 overlaps networks[0].addressSpace 10.40.0.0/16; networks must not overlap, so they can be peered with each other or a hub",
        ],
      ],
      [
        "a bad stack tag beside a network configuration that names no network",
        stack([primary], {
          tags: { "": "x" },
          github: { ...github, networkConfiguration: { name: "runners", primaryNetwork: "elsewhere" } },
        }),
        [
          'tags[""]: tag names must not be empty',
          'github.networkConfiguration.primaryNetwork: "elsewhere" is not a network with role primary; allowed: primary',
        ],
      ],
    ])("%s", (_, config, expected) => {
      expect(issuesOf(validateStackConfig(config))).toEqual(expected);
    });
  });

  it.each([
    [
      1e30,
      "networks[0].maxConcurrentRunners: 1e+30 runners need more addresses than the whole IPv4 space holds; allowed: at most 50408 in addressSpace 10.40.0.0/16",
    ],
    [
      5e9,
      "networks[0].maxConcurrentRunners: 5000000000 runners need more addresses than the whole IPv4 space holds; allowed: at most 50408 in addressSpace 10.40.0.0/16",
    ],
    [2.5, "networks[0].maxConcurrentRunners: must be a whole number; the peak number of runners running at once"],
  ])("says in a sentence why %s runners make no sense", (runners, expected) => {
    expect(issuesOf(validateStackConfig(stack([{ ...primary, maxConcurrentRunners: runners }])))).toEqual([expected]);
  });

  it.each([
    [100, undefined, "10.40.0.0/24", 1],
    [1500, undefined, "10.40.0.0/21", 4],
    [1500, 2, "10.40.0.0/21", 2],
    [40000, undefined, "10.40.0.0/16", 16],
  ])(
    "gives %s runners (natGatewayPublicIpCount %s) a %s with %s NAT public IPs: one per 500 runners it holds, a given count kept",
    (runners, count, subnet, ips) => {
      const result = validateStackConfig(stack([{ ...primary, maxConcurrentRunners: runners, natGatewayPublicIpCount: count }]));
      expect(result.ok && [result.value.networks[0].design.subnetPrefix, result.value.networks[0].design.natGatewayPublicIpCount]).toEqual([
        subnet,
        ips,
      ]);
    },
  );

  it.each([
    [
      "hub settings with an existing VNET",
      {
        existingVirtualNetwork: { name: "spoke", resourceGroupName: "net-rg" },
        subnetPrefix: "10.40.1.0/24",
        addressSpace: undefined,
        maxConcurrentRunners: undefined,
        hubVirtualNetworkId:
          "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub",
        dnsServers: ["10.0.0.4"],
      },
      [
        "networks[0].hubVirtualNetworkId: applies only to a new VNET: with existingVirtualNetwork the landing zone owns its peering, DNS servers and DNS zone links",
        "networks[0].dnsServers: applies only to a new VNET: with existingVirtualNetwork the landing zone owns its peering, DNS servers and DNS zone links",
      ],
    ],
    [
      "the hub's gateway without a hub",
      { useHubGateway: true },
      ["networks[0].useHubGateway: applies only with hubVirtualNetworkId: the gateway is the hub's"],
    ],
    [
      "the hub side of a peering without a hub",
      { hubSidePeering: true },
      ["networks[0].hubSidePeering: applies only with hubVirtualNetworkId: it peers the hub back to this VNET"],
    ],
    [
      "a hub ID of another resource type",
      {
        hubVirtualNetworkId:
          "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/hub/providers/Microsoft.Network/networkSecurityGroups/x",
      },
      [
        'networks[0].hubVirtualNetworkId: "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/hub/provider… (124 characters) is not a virtual network resource ID; expected /subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>',
      ],
    ],
    [
      "a DNS server that is no IPv4 address",
      { dnsServers: ["dns.example"] },
      ['networks[0].dnsServers[0]: "dns.example" is not an IPv4 address; expected a DNS server such as 10.0.0.4'],
    ],
  ])("refuses %s", (_, fields, expected) => {
    expect(issuesOf(validateStackConfig(stack([{ ...primary, ...fields }])))).toEqual(expected);
  });

  it.each([
    ["eastus", undefined, []],
    [
      "japaneast",
      undefined,
      [
        'japaneast is listed by docs.github.com, "Troubleshooting Azure private network configurations for GitHub-hosted runners", Supported regions, but not by docs.github.com, "About Azure private networking for GitHub-hosted runners", About supported regions (shared/reference/github-docs-private-networking-excerpts.md); run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there',
      ],
    ],
    [
      "westeurope",
      true,
      [
        "westeurope is in none of GitHub's region lists (acceptUnlistedRegion): run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there",
      ],
    ],
  ] as const)("takes %s (acceptUnlistedRegion %s) with the warnings %j", (location, accept, warnings) => {
    const result = validateStackConfig(stack([{ ...primary, location, acceptUnlistedRegion: accept }]));
    expect(result.ok && result.value.networks[0].design.warnings).toEqual(warnings);
  });

  it("takes resource group names with letters of any script, as Azure does", () => {
    expect(issuesOf(validateStackConfig(stack([{ ...primary, resourceGroupName: "Grüße-Läufer_(ci)" }])))).toEqual([]);
    expect(issuesOf(validateStackConfig(stack([{ ...primary, resourceGroupName: "runners." }])))).toEqual([
      "networks[0].resourceGroupName: must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'",
    ]);
  });

  describe("Azure's single-value rule keys, as ARM, Bicep and azure-native write them", () => {
    const proxy = { name: "proxy", direction: "Outbound", access: "Allow", protocol: "Tcp" };
    it("plans a rule written with destinationAddressPrefix and destinationPortRange", () => {
      const result = validateStackConfig(
        stack([{ ...primary, extraSecurityRules: [{ ...proxy, destinationAddressPrefix: "10.1.2.3", destinationPortRange: "3128" }] }]),
      );
      expect(result.ok && result.value.networks[0].design.securityRules.find((r) => r.name === "proxy")).toEqual({
        name: "proxy",
        description: "Added by the stack owner",
        priority: 1000,
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "10.1.2.3",
        destinationPortRange: "3128",
      });
    });

    it.each([
      [
        { sourceAddressPrefix: "10.0.0.0/8", sourceAddressPrefixes: ["10.0.0.0/8"] },
        ["networks[0].extraSecurityRules[0].sourceAddressPrefix: give sourceAddressPrefix or sourceAddressPrefixes, not both"],
      ],
      [
        { destinationPortRange: "80", destinationPortRanges: ["443"] },
        ["networks[0].extraSecurityRules[0].destinationPortRange: give destinationPortRange or destinationPortRanges, not both"],
      ],
      [
        { sourceAddressPrefix: "fd00::/8", destinationAddressPrefix: "10.0.0.0/8" },
        [
          "networks[0].extraSecurityRules[0].destinationAddressPrefix: mixes IPv4 and IPv6; Azure needs one address family per rule, so split it in two",
        ],
      ],
      [
        { destinationPortRange: "70000" },
        ['networks[0].extraSecurityRules[0].destinationPortRange: "70000" is not allowed; use a port 0-65535, a range low-high, or *'],
      ],
      [
        { destinationAddressPrefix: "Storag" },
        ['networks[0].extraSecurityRules[0].destinationAddressPrefix: "Storag" is not one of Azure\'s service tags; did you mean Storage?'],
      ],
    ])("refuses %j with its key", (fields, expected) => {
      expect(issuesOf(validateStackConfig(stack([{ ...primary, extraSecurityRules: [{ ...proxy, ...fields }] }])))).toEqual(expected);
    });
  });

  it("reports every problem of every network in one run", () => {
    const result = validateStackConfig(
      stack([
        { ...primary, location: "mars", subnetPrefix: "10.40.0.0/28" },
        { ...primary, name: "b", addressSpace: "10.41.0.0/16", natGatewayPublicIpCount: 40, bogus: true },
      ]),
    );
    expect(issuesOf(result)).toEqual([
      expect.stringMatching(/^networks\[0\]\.location: "mars" is not a region/),
      "networks[0].subnetPrefix: 10.40.0.0/28 holds 8 runners; maxConcurrentRunners 100 needs 135 addresses (ceil(1.3 x 100) + 5 reserved), a /24 or larger",
      expect.stringMatching(/^networks\[1\]\.bogus: unknown key; allowed: /),
      "networks[1].natGatewayPublicIpCount: 40 is out of range; allowed: whole numbers 1-16",
    ]);
  });

  it("accepts the example config and designs both networks", () => {
    const result = validateStackConfig(
      stack(
        [primary, { name: "failover", location: "West US 2", addressSpace: "10.41.0.0/16", maxConcurrentRunners: 100, role: "failover" }],
        { tags: { owner: "platform-team" } },
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.networks.map((n) => [n.name, n.role, n.design.location, n.design.subnetPrefix, n.design.runnerCapacity])).toEqual([
      ["primary", "primary", "eastus", "10.40.0.0/24", 193],
      ["failover", "failover", "westus2", "10.41.0.0/24", 193],
    ]);
    expect(result.value.tags).toEqual({ owner: "platform-team" });
  });

  it("validates the same content once: the plan's check and the stack program's share one answer", () => {
    const first = validateStackConfig(stack([primary]));
    expect(validateStackConfig(structuredClone(stack([primary])))).toBe(first);
    expect(validateStackConfig(stack([{ ...primary, maxConcurrentRunners: 50 }]))).not.toBe(first);
  });

  it("takes a numeric businessId from YAML as its digits", () => {
    const result = validateStackConfig(stack([primary], { github: { ...github, businessId: 12345678 } }));
    expect(result.ok && result.value.github.businessId).toBe("12345678");
  });
});

describe("component arguments", () => {
  const base = { location: "eastus", businessId: "42", maxConcurrentRunners: 10 };
  const RULE = { name: "r", direction: "Outbound", access: "Allow" };

  it.each([
    ["unknown key", { ...base, vnetName: "x" }, [expect.stringMatching(/^vnetName: unknown key; allowed: location, resourceGroupName, /)]],
    ["missing location", { businessId: "42", maxConcurrentRunners: 10 }, ["location: required; an Azure region name such as eastus"]],
    [
      "bad resource group name",
      { ...base, resourceGroupName: "rg." },
      ["resourceGroupName: must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'"],
    ],
    ["bad outbound", { ...base, outbound: "open" }, ['outbound: "open" is not allowed; allowed: restricted, https']],
    [
      "non-boolean registerResourceProvider",
      { ...base, registerResourceProvider: "yes" },
      [
        'registerResourceProvider: "yes" is not allowed; true (default: register GitHub.Network and Microsoft.Network during pulumi up) or false',
      ],
    ],
    [
      "bad existing VNET name",
      {
        ...base,
        maxConcurrentRunners: undefined,
        subnetPrefix: "10.0.0.0/24",
        existingVirtualNetwork: { name: "-spoke", resourceGroupName: "rg" },
      },
      [
        "existingVirtualNetwork.name: must be 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
      ],
    ],
    [
      "unknown key in the existing VNET",
      {
        ...base,
        maxConcurrentRunners: undefined,
        subnetPrefix: "10.0.0.0/24",
        existingVirtualNetwork: { name: "spoke", resourceGroupName: "rg", subscription: "x" },
      },
      ["existingVirtualNetwork.subscription: unknown key; allowed: name, resourceGroupName"],
    ],
    [
      "unknown runner platform",
      { ...base, runnerPlatforms: ["riscv"] },
      ['runnerPlatforms[0]: "riscv" is not allowed; allowed: x64, arm64, gpu'],
    ],
    [
      "unknown domain list",
      {
        ...base,
        egress: "firewall",
        firewallPrivateIp: "10.0.0.4",
        firewallPolicyId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/p",
        domainAllowList: "loose",
      },
      ['domainAllowList: "loose" is not allowed; allowed: exact, standard, wildcard'],
    ],
    [
      "unknown rule protocol",
      { ...base, extraSecurityRules: [{ ...RULE, protocol: "Sctp" }] },
      ['extraSecurityRules[0].protocol: "Sctp" is not allowed; allowed: Tcp, Udp, Icmp, Esp, Ah, *'],
    ],
    [
      "unknown rule direction",
      { ...base, extraSecurityRules: [{ ...RULE, direction: "Both" }] },
      ['extraSecurityRules[0].direction: "Both" is not allowed; allowed: Inbound, Outbound'],
    ],
    [
      "rule description too long",
      { ...base, extraSecurityRules: [{ ...RULE, description: "d".repeat(141) }] },
      ["extraSecurityRules[0].description: must be at most 140 characters"],
    ],
    [
      "* among other source ports",
      { ...base, extraSecurityRules: [{ ...RULE, sourcePortRanges: ["*", "80"] }] },
      ['extraSecurityRules[0].sourcePortRanges[0]: "*" is not allowed; use a port 0-65535, a range low-high, or * alone'],
    ],
  ])("%s", (_, args, expected) => {
    expect(issuesOf(validateComponentArgs(args))).toEqual(expected);
  });

  it("takes IPv6 prefixes that start with a letter as addresses, not service tags", () => {
    const rule = { name: "ula", direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["fd00::/8", "fd01::/16"] };
    const result = validateComponentArgs({ ...base, extraSecurityRules: [rule] });
    expect(result.ok && result.value.securityRules.find((r) => r.name === "ula")?.destinationAddressPrefixes).toEqual([
      "fd00::/8",
      "fd01::/16",
    ]);
  });

  it("takes the design the stack config check made for these very arguments, and checks any other object", () => {
    const validated = validateStackConfig(stack([primary]));
    if (!validated.ok) throw new Error("the example network is valid");
    const design = validated.value.networks[0].design;
    const args = { ...base, location: "eastus", addressSpace: "10.40.0.0/16", maxConcurrentRunners: 100 };
    expect(validateComponentArgs(withDesign(args, design))).toEqual({ ok: true, value: design });
    expect(validateComponentArgs({ ...args })).toEqual({ ok: true, value: design });
    expect(issuesOf(validateComponentArgs({ ...args, maxConcurrentRunners: 0 }))).toEqual([
      "maxConcurrentRunners: must be at least 1; the peak number of runners running at once",
    ]);
  });

  it("lets values that are not known yet through, to be checked when they resolve", () => {
    const pending = { __pulumiOutput: true };
    const result = validateComponentArgs({
      ...base,
      businessId: pending,
      tags: { team: pending },
      egress: "firewall",
      firewallPrivateIp: Promise.resolve("x"),
    });
    expect(result.ok).toBe(true);
  });

  it("defaults: new 10.0.0.0/16 VNET, NAT gateway with one IP, restricted outbound; https behind a firewall", () => {
    const nat = validateComponentArgs(base);
    const firewall = validateComponentArgs({ ...base, egress: "firewall", firewallPrivateIp: "10.0.1.4" });
    expect(
      nat.ok && [nat.value.addressSpace, nat.value.subnetPrefix, nat.value.egress, nat.value.natGatewayPublicIpCount, nat.value.outbound],
    ).toEqual(["10.0.0.0/16", "10.0.0.0/27", "natGateway", 1, "restricted"]);
    expect(firewall.ok && [firewall.value.egress, firewall.value.natGatewayPublicIpCount, firewall.value.outbound]).toEqual([
      "firewall",
      0,
      "https",
    ]);
  });
});
