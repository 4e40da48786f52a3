import { describe, expect, it } from "vitest";
import { ENDPOINT_CATALOG, catalogFromLists } from "../../../components/lib/catalog";
import { MAX_PREFIXES_PER_DIRECTION, MAX_RULES_PER_NSG } from "../../../components/lib/nsg-limits";
import { checkSecurityRules, planSecurityRules, type ExtraSecurityRule, type PlannedSecurityRule } from "../../../components/lib/nsg-rules";

/** The n-th /32 of 198.18.0.0/15 (RFC 2544 benchmarking space), every other address so nothing merges. */
const spreadAddress = (n: number) => `198.${18 + Math.floor((2 * n) / 65536)}.${Math.floor(((2 * n) % 65536) / 256)}.${(2 * n) % 256}`;
const addresses = (count: number, from = 0) => Array.from({ length: count }, (_, i) => spreadAddress(from + i));

const inboundDeny = (index: number, priority?: number): ExtraSecurityRule => ({
  name: `DenyInbound${index}`,
  direction: "Inbound",
  access: "Deny",
  sourceAddressPrefixes: [spreadAddress(index)],
  ...(priority === undefined ? {} : { priority }),
});

function plan(extraRules: ExtraSecurityRule[], outbound: "restricted" | "https" = "restricted") {
  return planSecurityRules({ outbound, extraRules });
}

const ok = (result: ReturnType<typeof plan>) => {
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.rules;
};

describe("the rules planned for each outbound mode", () => {
  it.each([
    [
      "restricted",
      [
        "4096 Inbound DenyAllInbound",
        "200 Outbound AllowVirtualNetworkHttpsOutbound",
        "210 Outbound AllowStorageHttpsOutbound",
        "220 Outbound AllowAzureCloudHttpsOutbound",
        "230 Outbound AllowGitHubIPv4HttpsOutbound",
        "240 Outbound AllowGitHubIPv6HttpsOutbound",
        "250 Outbound AllowAzureCloudHttpOutbound",
        "260 Outbound AllowEntraIdHttpsOutbound",
        "270 Outbound AllowMcrHttpsOutbound",
        "280 Outbound AllowFrontDoorFirstPartyHttpsOutbound",
        "4096 Outbound DenyInternetOutbound",
      ],
    ],
    [
      "https",
      [
        "4096 Inbound DenyAllInbound",
        "200 Outbound AllowVirtualNetworkHttpsOutbound",
        "210 Outbound AllowInternetHttpsOutbound",
        "4096 Outbound DenyInternetOutbound",
      ],
    ],
  ] as const)("%s", (outbound, expected) => {
    const rules = ok(plan([], outbound));
    expect(rules.map((r) => `${r.priority} ${r.direction} ${r.name}`)).toEqual(expected);
    expect(checkSecurityRules(rules)).toEqual([]);
  });

  it("puts GitHub's IPv4 and IPv6 ranges in separate rules, as the catalog merged them", () => {
    const rules = ok(plan([]));
    expect(rules.find((r) => r.name === "AllowGitHubIPv4HttpsOutbound")!.destinationAddressPrefixes).toEqual(ENDPOINT_CATALOG.ipv4);
    expect(rules.find((r) => r.name === "AllowGitHubIPv6HttpsOutbound")!.destinationAddressPrefixes).toEqual([
      "2606:50c0::/32",
      "2a0a:a440::/29",
    ]);
  });
});

describe("Azure's limit of 1,000 rules per NSG", () => {
  // restricted plans 11 rules: 9 allows and 2 denies.
  it("accepts exactly 1,000 rules", () => {
    const extras = Array.from({ length: MAX_RULES_PER_NSG - 11 }, (_, i) => inboundDeny(i, 100 + i));
    expect(ok(plan(extras))).toHaveLength(1000);
  });

  it("refuses 1,001 and says how many are its own", () => {
    const extras = Array.from({ length: MAX_RULES_PER_NSG - 10 }, (_, i) => inboundDeny(i, 100 + i));
    expect(plan(extras)).toEqual({
      ok: false,
      problems: [
        {
          path: "extraSecurityRules",
          message: "1001 rules; Azure allows 1000 per NSG (11 planned by this component, 990 from extraSecurityRules)",
        },
      ],
    });
  });
});

describe("Azure's limit of 4,000 addresses per direction, sources and destinations apart", () => {
  const outboundTo = (count: number): ExtraSecurityRule => ({
    name: "AllowPartners",
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    destinationAddressPrefixes: addresses(count),
    destinationPortRanges: ["443"],
  });
  const inboundFrom = (count: number): ExtraSecurityRule => ({
    name: "AllowScanners",
    direction: "Inbound",
    access: "Allow",
    sourceAddressPrefixes: addresses(count),
  });
  const githubCount = ENDPOINT_CATALOG.ipv4.length + ENDPOINT_CATALOG.ipv6.length;

  it("accepts 4,000 outbound destinations (GitHub's ranges included) and 4,000 inbound sources together", () => {
    const rules = ok(plan([outboundTo(MAX_PREFIXES_PER_DIRECTION - githubCount), inboundFrom(MAX_PREFIXES_PER_DIRECTION)]));
    expect(rules.find((r) => r.name === "AllowPartners")!.destinationAddressPrefixes).toHaveLength(
      MAX_PREFIXES_PER_DIRECTION - githubCount,
    );
  });

  it("refuses 4,001 outbound destinations", () => {
    expect(plan([outboundTo(MAX_PREFIXES_PER_DIRECTION - githubCount + 1)])).toEqual({
      ok: false,
      problems: [
        {
          path: "extraSecurityRules",
          message: `Outbound rules list 4001 destination addresses and ranges; Azure allows 4000 per NSG (${githubCount} in the rules this component plans, ${4001 - githubCount} in extraSecurityRules)`,
        },
      ],
    });
  });

  it("refuses 4,001 inbound sources", () => {
    expect(plan([inboundFrom(4001)])).toEqual({
      ok: false,
      problems: [
        {
          path: "extraSecurityRules",
          message:
            "Inbound rules list 4001 source addresses and ranges; Azure allows 4000 per NSG (0 in the rules this component plans, 4001 in extraSecurityRules)",
        },
      ],
    });
  });

  it("blames the outbound mode when GitHub's published ranges alone are too many", () => {
    // Built from the lists, not from a /meta response: parsing one drops the benchmarking range these addresses come from.
    const catalog = catalogFromLists(
      { services: { web: addresses(4001), api: [], git: [], packages: [] }, domains: { exact: [], standard: [], wildcard: [] } },
      { url: "u", takenAt: "t" },
    );
    expect(catalog.ipv4).toHaveLength(4001);
    expect(planSecurityRules({ outbound: "restricted", catalog })).toEqual({
      ok: false,
      problems: [
        {
          path: "outbound",
          message:
            'Outbound rules list 4001 destination addresses and ranges; Azure allows 4000 per NSG; GitHub\'s published ranges alone exceed it, so use outbound "https" behind a firewall that filters by domain',
        },
      ],
    });
    expect(planSecurityRules({ outbound: "https", catalog }).ok).toBe(true);
  });
});

describe("priorities: 100-4096, unique per direction", () => {
  const rule = (priority: number | undefined, direction: "Inbound" | "Outbound" = "Inbound", name = "Custom"): ExtraSecurityRule => ({
    name,
    direction,
    access: "Allow",
    ...(priority === undefined ? {} : { priority }),
  });
  it.each([
    [100, undefined],
    [4095, undefined],
    [99, "99 is outside Azure's range; allowed: whole numbers 100-4096"],
    [4097, "4097 is outside Azure's range; allowed: whole numbers 100-4096"],
    [150.5, "150.5 is outside Azure's range; allowed: whole numbers 100-4096"],
    [4096, "4096 (Inbound) collides with DenyAllInbound; allowed: a priority 100-4095 no other Inbound rule uses"],
  ])("priority %s", (priority, problem) => {
    const result = plan([rule(priority)]);
    if (problem === undefined) expect(ok(result).find((r) => r.name === "Custom")!.priority).toBe(priority);
    else expect(result).toEqual({ ok: false, problems: [{ path: "extraSecurityRules[0].priority", message: problem }] });
  });

  it("refuses a priority another extra rule of the same direction took, and allows it in the other direction", () => {
    expect(plan([rule(300, "Inbound", "A"), rule(300, "Inbound", "B")])).toEqual({
      ok: false,
      problems: [
        {
          path: "extraSecurityRules[1].priority",
          message: "300 (Inbound) collides with extraSecurityRules[0]; allowed: a priority 100-4095 no other Inbound rule uses",
        },
      ],
    });
    expect(ok(plan([rule(300, "Inbound", "A"), rule(300, "Outbound", "B")])).map((r) => `${r.priority} ${r.name}`)).toEqual([
      "300 A",
      "4096 DenyAllInbound",
      "200 AllowVirtualNetworkHttpsOutbound",
      "210 AllowStorageHttpsOutbound",
      "220 AllowAzureCloudHttpsOutbound",
      "230 AllowGitHubIPv4HttpsOutbound",
      "240 AllowGitHubIPv6HttpsOutbound",
      "250 AllowAzureCloudHttpOutbound",
      "260 AllowEntraIdHttpsOutbound",
      "270 AllowMcrHttpsOutbound",
      "280 AllowFrontDoorFirstPartyHttpsOutbound",
      "300 B",
      "4096 DenyInternetOutbound",
    ]);
  });

  it("moves the planned allows past a priority the caller chose", () => {
    const rules = ok(plan([rule(210, "Outbound", "Mine")]));
    expect(rules.filter((r) => r.direction === "Outbound").map((r) => `${r.priority} ${r.name}`)).toEqual([
      "200 AllowVirtualNetworkHttpsOutbound",
      "210 Mine",
      "220 AllowStorageHttpsOutbound",
      "230 AllowAzureCloudHttpsOutbound",
      "240 AllowGitHubIPv4HttpsOutbound",
      "250 AllowGitHubIPv6HttpsOutbound",
      "260 AllowAzureCloudHttpOutbound",
      "270 AllowEntraIdHttpsOutbound",
      "280 AllowMcrHttpsOutbound",
      "290 AllowFrontDoorFirstPartyHttpsOutbound",
      "4096 DenyInternetOutbound",
    ]);
  });

  it("numbers extra rules from 1000 in steps of 10 per direction, then fills the gaps once the grid is full", () => {
    const extras = Array.from({ length: 312 }, (_, i) => inboundDeny(i));
    const byName = new Map(ok(plan(extras)).map((r) => [r.name, r.priority]));
    const priorities = extras.map((rule) => byName.get(rule.name));
    expect(priorities.slice(0, 3)).toEqual([1000, 1010, 1020]);
    // The grid 1000, 1010, ... 4090 holds 310 rules; the next ones take the free priorities in between.
    expect(priorities.slice(308)).toEqual([4080, 4090, 1001, 1011]);
    expect(new Set(priorities).size).toBe(312);
  });

  it("says when no priority is left for a rule without one", () => {
    const extras = [...Array.from({ length: 3096 }, (_, i) => inboundDeny(i, 1000 + i)), inboundDeny(5000)];
    const result = plan(extras);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toContainEqual({
      path: "extraSecurityRules[3096].priority",
      message:
        "no free Inbound priority is left between 1000 and 4095 for DenyInbound5000; give extra rules explicit priorities from 100 on",
    });
  });
});

describe("names", () => {
  it.each([
    [
      [{ name: "DenyAllInbound", direction: "Inbound", access: "Deny" }],
      "extraSecurityRules[0].name",
      '"DenyAllInbound" is the name of a rule this component plans; choose another name',
    ],
    [
      [
        { name: "Mine", direction: "Inbound", access: "Deny" },
        { name: "MINE", direction: "Outbound", access: "Deny" },
      ],
      "extraSecurityRules[1].name",
      '"MINE" is already used by extraSecurityRules[0]; rule names must be unique',
    ],
  ] as [ExtraSecurityRule[], string, string][])("refuses %j", (extras, path, message) => {
    expect(plan(extras)).toEqual({ ok: false, problems: [{ path, message }] });
  });
});

describe("checkSecurityRules (any rule set, e.g. the policy pack's)", () => {
  const base: PlannedSecurityRule = {
    name: "R",
    description: "",
    priority: 500,
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  };
  it.each([
    ["a valid rule", { ...base }, []],
    [
      "a tag inside an address list",
      { ...base, destinationAddressPrefix: undefined, destinationAddressPrefixes: ["Storage", "10.0.0.0/8"] },
      [
        {
          rule: "R",
          field: "destinationAddressPrefixes",
          message: "Storage must stand alone: Azure allows one service tag (or *) per rule side and none inside address lists",
        },
      ],
    ],
    [
      "two service tags",
      { ...base, destinationAddressPrefix: undefined, destinationAddressPrefixes: ["Storage", "AzureCloud"] },
      [
        {
          rule: "R",
          field: "destinationAddressPrefixes",
          message: "Storage, AzureCloud must stand alone: Azure allows one service tag (or *) per rule side and none inside address lists",
        },
      ],
    ],
    [
      "IPv4 and IPv6 in one rule",
      { ...base, sourceAddressPrefix: "10.0.0.0/8", destinationAddressPrefix: "2001:db8::/32" },
      [
        {
          rule: "R",
          field: "destinationAddressPrefixes",
          message: "mixes IPv4 and IPv6 addresses; Azure needs one address family per rule, so split it in two",
        },
      ],
    ],
    [
      "both the single and the list field",
      { ...base, destinationAddressPrefixes: ["10.0.0.0/8"] },
      [
        {
          rule: "R",
          field: "destinationAddressPrefixes",
          message: "give destination addresses in one field, not both destinationAddressPrefix and destinationAddressPrefixes",
        },
      ],
    ],
    [
      "a malformed address",
      { ...base, destinationAddressPrefix: "10.0.0.300/8" },
      [{ rule: "R", field: "destinationAddressPrefixes", message: '"10.0.0.300/8" is not an IP address, CIDR, service tag or *' }],
    ],
    [
      "a port out of range",
      { ...base, destinationPortRange: undefined, destinationPortRanges: ["443", "70000", "9-8"] },
      [
        { rule: "R", field: "destinationPortRanges", message: '"70000" is not a port 0-65535, a range low-high, or *' },
        { rule: "R", field: "destinationPortRanges", message: '"9-8" is not a port 0-65535, a range low-high, or *' },
      ],
    ],
    [
      "a name Azure refuses",
      { ...base, name: "-bad" },
      [
        {
          rule: "-bad",
          field: "name",
          message:
            "must be 1-80 letters, digits, '_', '.' or '-', starting with a letter, digit or '_' and ending with a letter, digit or '_'",
        },
      ],
    ],
  ] as [string, PlannedSecurityRule, unknown[]][])("%s", (_, rule, problems) => {
    expect(checkSecurityRules([rule])).toEqual(problems);
  });

  it("finds duplicate names (any case) and priorities within a direction", () => {
    expect(checkSecurityRules([base, { ...base, name: "r" }, { ...base, name: "Other", direction: "Inbound" }])).toEqual([
      { rule: "r", field: "name", message: '"r" is already used by rule "R"; names must be unique in an NSG' },
      { rule: "r", field: "priority", message: '500 (Outbound) is already used by rule "R"; priorities must be unique per direction' },
    ]);
  });

  it("maps an extra rule's problem to its argument path", () => {
    expect(
      plan([
        {
          name: "Mixed",
          direction: "Outbound",
          access: "Allow",
          sourceAddressPrefixes: ["10.0.0.0/8"],
          destinationAddressPrefixes: ["2001:db8::/32"],
        },
      ]),
    ).toEqual({
      ok: false,
      problems: [
        {
          path: "extraSecurityRules[0].destinationAddressPrefixes",
          message: "mixes IPv4 and IPv6 addresses; Azure needs one address family per rule, so split it in two",
        },
      ],
    });
  });
});

describe("what common jobs need from Microsoft's platform (outbound restricted)", () => {
  it("allows the Ubuntu mirror in Azure over HTTP, Entra ID, MCR and its Front Door data endpoints, one tag per rule", () => {
    const rules = ok(plan([]));
    const shape = (name: string) => {
      const found = rules.find((r) => r.name === name)!;
      return [found.protocol, found.destinationAddressPrefix, found.destinationPortRange];
    };
    expect(
      ["AllowAzureCloudHttpOutbound", "AllowEntraIdHttpsOutbound", "AllowMcrHttpsOutbound", "AllowFrontDoorFirstPartyHttpsOutbound"].map(
        shape,
      ),
    ).toEqual([
      ["Tcp", "AzureCloud", "80"],
      ["Tcp", "AzureActiveDirectory", "443"],
      ["Tcp", "MicrosoftContainerRegistry", "443"],
      ["Tcp", "AzureFrontDoor.FirstParty", "443"],
    ]);
  });

  it("lets web traffic through to a firewall, HTTP included, and leaves the filtering to it", () => {
    const rules = planSecurityRules({ outbound: "https", behindFirewall: true });
    expect(
      rules.ok && rules.rules.filter((r) => r.direction === "Outbound").map((r) => `${r.priority} ${r.name} ${r.destinationPortRange}`),
    ).toEqual([
      "200 AllowVirtualNetworkHttpsOutbound 443",
      "210 AllowInternetHttpsOutbound 443",
      "220 AllowInternetHttpOutbound 80",
      "4096 DenyInternetOutbound *",
    ]);
  });
});
