/**
 * GHE.com data residency: each geography's region rules, the NSG's addresses, the firewall's hosts
 * per level and the requirements report, with and without a snapshot of the enterprise's /meta.
 * The figures come from GitHub's GHE.com page (components/lib/ghecom.ts); the github.com snapshot
 * is not pinned here.
 */
import { describe, expect, it } from "vitest";
import { catalogFromLists } from "../../../components/lib/catalog";
import { gheComLevelDomains, planFirewallRules } from "../../../components/lib/firewall-rules";
import {
  GHECOM_GEOGRAPHIES,
  gheComAddressLists,
  gheComApiUrl,
  networkCatalog,
  tenantCatalog,
  type DataResidency,
  type GheComGeography,
} from "../../../components/lib/ghecom";
import { validateComponentArgs } from "../../../components/lib/network-design";
import { planSecurityRules } from "../../../components/lib/nsg-rules";
import { anyListedRegions, regionTable, SUPPORTED_REGIONS } from "../../../components/lib/regions";
import { documentedRequirements, evaluateRequirements, allRequirements } from "../../../components/lib/runner-requirements";
import { validateStackConfig } from "../../../components/lib/stack-config";

const residency = (geography: GheComGeography): DataResidency => ({ subdomain: "octocorp", geography });
const network = (location: string, extra: Record<string, unknown> = {}) => ({
  name: "runners",
  location,
  addressSpace: "10.70.0.0/16",
  maxConcurrentRunners: 50,
  ...extra,
});
const stack = (geography: string, networks: unknown[], github: Record<string, unknown> = {}) => ({
  github: { businessId: "12345678", scope: "enterprise", slug: "octocorp", dataResidency: { subdomain: "octocorp", geography }, ...github },
  networks,
});
const issuesOf = (result: ReturnType<typeof validateStackConfig>) => (result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`));

describe("GHE.com regions, per geography and platform", () => {
  it.each<[GheComGeography, string, string[] | undefined, string[]]>([
    ["eu", "swedencentral", undefined, []],
    ["eu", "italynorth", ["gpu"], []],
    [
      "eu",
      "italynorth",
      undefined,
      [
        "networks[0].runnerPlatforms: italynorth has no x64 runners on GHE.com in the EU; x64 regions: francecentral, germanywestcentral, northeurope, swedencentral",
      ],
    ],
    [
      "eu",
      "swedencentral",
      ["arm64"],
      [
        "networks[0].runnerPlatforms: swedencentral has no arm64 runners on GHE.com in the EU; arm64 regions: francecentral, germanywestcentral, northeurope",
      ],
    ],
    [
      "eu",
      "eastus",
      undefined,
      [
        'networks[0].location: "eastus" is not a region GHE.com in the EU supports for Azure private networking; allowed: francecentral, germanywestcentral, italynorth, northeurope, swedencentral (for a region GitHub added since, set acceptUnlistedRegion: true)',
      ],
    ],
    ["australia", "australiacentral", ["x64", "arm64", "gpu"], []],
    [
      "australia",
      "australiasoutheast",
      undefined,
      [
        'networks[0].location: "australiasoutheast" is not a region GHE.com in Australia supports for Azure private networking; allowed: australiacentral, australiaeast (for a region GitHub added since, set acceptUnlistedRegion: true)',
      ],
    ],
    ["us", "westus3", ["gpu"], []],
    [
      "us",
      "westus2",
      undefined,
      [
        'networks[0].location: "westus2" is not a region GHE.com in the US supports for Azure private networking; allowed: centralus, eastus2, westus3 (for a region GitHub added since, set acceptUnlistedRegion: true)',
      ],
    ],
    ["japan", "japaneast", ["gpu"], []],
    [
      "japan",
      "japanwest",
      ["x64", "gpu"],
      ["networks[0].runnerPlatforms: japanwest has no gpu runners on GHE.com in Japan; gpu regions: japaneast"],
    ],
  ])("%s: %s %j", (geography, location, runnerPlatforms, expected) => {
    const entry = network(location, runnerPlatforms ? { runnerPlatforms } : {});
    expect(issuesOf(validateStackConfig(stack(geography, [entry])))).toEqual(expected);
  });

  it("checks the regions against the geography also when another github key is wrong, naming both problems", () => {
    expect(issuesOf(validateStackConfig(stack("eu", [network("eastus")], { runnerGroup: "x" })))).toEqual([
      "github.runnerGroup: unknown key; allowed: businessId, scope, slug, dataResidency, apiUrl, networkConfiguration, app",
      'networks[0].location: "eastus" is not a region GHE.com in the EU supports for Azure private networking; allowed: francecentral, germanywestcentral, italynorth, northeurope, swedencentral (for a region GitHub added since, set acceptUnlistedRegion: true)',
    ]);
  });

  it("takes a region outside the geography's list with acceptUnlistedRegion, and warns", () => {
    const result = validateStackConfig(stack("us", [network("westus2", { acceptUnlistedRegion: true })]));
    expect(result.ok && result.value.networks[0].design.warnings[0]).toBe(
      "westus2 is in none of GHE.com in the US's region lists (acceptUnlistedRegion): run doctor, which asks ARM whether GitHub.Network/networkSettings is offered there",
    );
  });

  it("keeps github.com's table, and its disagreement warnings, without dataResidency", () => {
    expect(regionTable().regions).toBe(SUPPORTED_REGIONS);
    const github = { businessId: "12345678", scope: "organization", slug: "my-org" };
    expect(issuesOf(validateStackConfig({ github, networks: [network("italynorth")] }))[0]).toMatch(
      /^networks\[0\]\.location: "italynorth" is not a region GitHub supports/,
    );
  });

  it("lists every geography's regions among the regions any table names", () => {
    for (const geography of GHECOM_GEOGRAPHIES)
      for (const platform of ["x64", "arm64", "gpu"] as const)
        for (const region of regionTable(geography).regions[platform]) expect(anyListedRegions()).toContain(region);
  });
});

describe("the GHE.com settings themselves", () => {
  it.each([
    [{ subdomain: "Octo_Corp", geography: "eu" }, "github.dataResidency.subdomain"],
    [{ subdomain: "octocorp", geography: "asia" }, "github.dataResidency.geography"],
    [{ subdomain: "octocorp" }, "github.dataResidency.geography"],
    [{ subdomain: "octocorp", geography: "eu", region: "x" }, "github.dataResidency.region"],
  ])("refuses %j at %s", (dataResidency, path) => {
    const result = validateStackConfig({
      ...stack("eu", [network("swedencentral")]),
      github: { ...stack("eu", []).github, dataResidency },
    });
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toContain(path);
  });

  it("defaults the API URL to the enterprise's, takes a local emulator, and refuses another host", () => {
    const ok = validateStackConfig(stack("eu", [network("swedencentral")]));
    expect(ok.ok && ok.value.github.apiUrl).toBe("https://api.octocorp.ghe.com");
    const emulator = validateStackConfig(stack("eu", [network("swedencentral")], { apiUrl: "http://127.0.0.1:8080" }));
    expect(emulator.ok && emulator.value.github.apiUrl).toBe("http://127.0.0.1:8080");
    expect(issuesOf(validateStackConfig(stack("eu", [network("swedencentral")], { apiUrl: "https://api.github.com" })))).toEqual([
      'github.apiUrl: "https://api.github.com" is not the API of octocorp.ghe.com; allowed: https://api.octocorp.ghe.com (the default with dataResidency; leave apiUrl out), or an http://localhost URL for an emulator',
    ]);
  });

  it("is one setting per stack: a network entry cannot carry its own", () => {
    const entry = network("swedencentral", { dataResidency: { subdomain: "other", geography: "eu" } });
    expect(issuesOf(validateStackConfig(stack("eu", [entry]))).map((line) => line.split(":")[0])).toEqual(["networks[0].dataResidency"]);
  });

  it("reaches the component, where it is an argument of its own", () => {
    const { name: _name, ...args } = network("japaneast");
    const design = validateComponentArgs({ ...args, businessId: "1", dataResidency: residency("japan") });
    expect(design.ok && design.value.dataResidency).toEqual(residency("japan"));
    expect(gheComApiUrl(residency("japan"))).toBe("https://api.octocorp.ghe.com");
  });
});

describe("the NSG of a GHE.com network", () => {
  it("allows the geography's ingress ranges, its Actions addresses and github.com's ranges for GHE.com, in one rule", () => {
    const plan = planSecurityRules({ outbound: "restricted", dataResidency: residency("australia") });
    const rule = plan.ok ? plan.rules.find((r) => r.name === "AllowGheComIPv4HttpsOutbound") : undefined;
    expect(rule).toEqual({
      name: "AllowGheComIPv4HttpsOutbound",
      description: "GHE.com ranges for Australia and github.com's",
      priority: 230,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefixes: [
        "4.147.140.77/32",
        "4.208.26.197/32",
        "4.225.11.198/32",
        "4.237.22.38/32",
        "4.237.73.192/28",
        "20.5.226.112/28",
        "20.26.156.215/32",
        "20.27.177.113/32",
        "20.29.134.23/32",
        "20.53.114.78/32",
        "20.87.245.0/32",
        "20.175.192.147/32",
        "20.199.39.232/32",
        "20.200.245.247/32",
        "20.201.28.151/32",
        "20.205.243.166/32",
        "20.207.73.82/32",
        "20.217.135.5/32",
        "20.233.83.145/32",
        "20.248.163.176/28",
        "140.82.112.0/20",
        "143.55.64.0/20",
        "185.199.108.0/22",
        "192.30.252.0/22",
      ],
      destinationPortRange: "443",
    });
    expect(plan.ok && plan.rules.some((r) => r.name.startsWith("AllowGitHubIPv"))).toBe(false);
  });

  it("adds the ranges of the enterprise's own /meta snapshot, IPv6 in a rule of its own", () => {
    const tenant = catalogFromLists(
      {
        services: { web: ["198.18.0.0/32", "20.240.211.208/28"], api: ["2a0a:a440::/29"], git: [], packages: [] },
        domains: { exact: [], standard: [], wildcard: [] },
      },
      { url: "https://api.octocorp.ghe.com/meta", takenAt: "2026-12-01" },
    );
    const lists = gheComAddressLists(residency("eu"), tenant);
    expect(lists.ipv6).toEqual(["2a0a:a440::/29"]);
    expect(lists.ipv4).toContain("198.18.0.0/32");
    expect(lists.ipv4.filter((range) => range === "20.240.211.208/28")).toHaveLength(1);
  });
});

/** The hosts every geography and level allows, less octocorp.ghe.com itself (it sorts after storage accounts). */
const EVERY_LEVEL = [
  "*.githubassets.com",
  "*.githubusercontent.com",
  "*.octocorp.ghe.com",
  "*.web.core.windows.net",
  "auth.ghe.com",
  "github.com",
];

describe("the firewall's hosts for a GHE.com enterprise", () => {
  it.each<[GheComGeography, "exact" | "standard" | "wildcard", string[]]>([
    ["eu", "standard", ["*.blob.core.windows.net", ...EVERY_LEVEL, "octocorp.ghe.com"]],
    [
      "japan",
      "exact",
      [
        ...EVERY_LEVEL,
        "memoryalphaprodjpw01.blob.core.windows.net",
        "octocorp.ghe.com",
        "prodjpw01resultssa0.blob.core.windows.net",
        "prodjpw01resultssa1.blob.core.windows.net",
        "prodjpw01resultssa2.blob.core.windows.net",
        "prodjpw01resultssa3.blob.core.windows.net",
      ],
    ],
    // GitHub lists no storage accounts for the US: the Storage network rule carries blob storage.
    ["us", "exact", [...EVERY_LEVEL, "octocorp.ghe.com"]],
  ])("%s at %s", (geography, level, expected) => {
    expect(gheComLevelDomains(residency(geography), level, undefined)).toEqual(expected);
  });

  it("adds the level's list of the enterprise's snapshot, without names another entry covers", () => {
    const tenant = catalogFromLists(
      {
        services: { web: [], api: [], git: [], packages: [] },
        domains: { exact: [], standard: ["api.octocorp.ghe.com", "octocorp-assets.example.net"], wildcard: [] },
      },
      { url: "https://api.octocorp.ghe.com/meta", takenAt: "2026-12-01" },
    );
    const domains = gheComLevelDomains(residency("eu"), "standard", tenant);
    expect(domains).toContain("octocorp-assets.example.net");
    expect(domains).not.toContain("api.octocorp.ghe.com");
  });

  it("writes them into the rule collection group, with extraDomains", () => {
    const group = planFirewallRules({
      networkName: "runners",
      subnetPrefix: "10.70.0.0/24",
      level: "wildcard",
      extraDomains: ["mcr.microsoft.com"],
      dataResidency: residency("eu"),
    });
    const rules = group.ruleCollections[1].rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: "github-wildcard-domains-https",
      description:
        "Hosts GitHub documents for GHE.com (octocorp.ghe.com, the EU) and the enterprise's domains.actions_inbound.wildcard_domains when snapshotted, your extraDomains",
      targetFqdns: [...gheComLevelDomains(residency("eu"), "wildcard"), "mcr.microsoft.com"].sort(),
    });
  });
});

describe("the requirements report of a GHE.com network", () => {
  it("judges the enterprise's hosts against the geography's ranges in the planned NSG", () => {
    const plan = planSecurityRules({ outbound: "restricted", dataResidency: residency("us") });
    if (!plan.ok) throw new Error("planned");
    const catalog = networkCatalog(residency("us"));
    const results = evaluateRequirements(
      { rules: plan.rules, virtualNetworkPrefixes: ["10.70.0.0/16"], subnetPrefix: "10.70.0.0/24", egress: "natGateway", catalog },
      allRequirements(catalog, documentedRequirements(residency("us"))),
    );
    expect(results.slice(0, 10).map((r) => [r.host, r.verdict, r.rule ?? r.reason])).toEqual([
      ["octocorp.ghe.com", "allowed", "AllowGheComIPv4HttpsOutbound"],
      ["api.octocorp.ghe.com", "allowed", "AllowGheComIPv4HttpsOutbound"],
      ["*.actions.octocorp.ghe.com", "allowed", "AllowGheComIPv4HttpsOutbound"],
      ["*.octocorp.ghe.com", "allowed", "AllowGheComIPv4HttpsOutbound"],
      ["auth.ghe.com", "depends", "its addresses are not published"],
      ["github.com", "allowed", "AllowGheComIPv4HttpsOutbound"],
      ["*.githubusercontent.com", "depends", "served by GitHub's content network, whose addresses GitHub does not publish per host"],
      ["*.githubassets.com", "depends", "its addresses are not published"],
      ["*.blob.core.windows.net", "allowed", "AllowStorageHttpsOutbound"],
      ["*.web.core.windows.net", "allowed", "AllowStorageHttpsOutbound"],
    ]);
  });

  it("has no enterprise snapshot committed for an enterprise never snapshotted", () => {
    expect(tenantCatalog("octocorp")).toBeUndefined();
    expect(tenantCatalog("constructor")).toBeUndefined();
    expect(networkCatalog(residency("eu")).ipv4).toEqual([]);
  });
});
