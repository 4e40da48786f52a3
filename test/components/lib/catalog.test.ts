import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  ENDPOINT_CATALOG,
  GITHUB_RANGE_SERVICES,
  NON_ROUTABLE_RANGES,
  catalogFromLists,
  catalogFromMeta,
  diffCatalogs,
  domainProblem,
  formatCatalogSnapshot,
  isEmptyCatalog,
  parseCatalogSnapshot,
  parseMeta,
} from "../../../components/lib/catalog";
import { REPO, runCli } from "../../support/cli";

const SNAPSHOT_FILE = join(REPO, "components", "data", "github-endpoints.json");
const META_FILE = join(REPO, "components", "data", "meta", "github-meta-2026-08-22.json");
const meta = () => JSON.parse(readFileSync(META_FILE, "utf8")) as Record<string, unknown> & { domains: Record<string, unknown> };
const SOURCE = { url: "https://api.github.com/meta", takenAt: "2026-08-22" };
/** The catalog of the saved response: a fixture that never changes, unlike the committed snapshot. */
const SAVED_SOURCE = {
  ...SOURCE,
  via: "third-party mirror fernvenue/github-cidr-list @ d7d1dc827a8ac8c2ca890ba973c3b23b22dbf810 (copy: components/data/meta/github-meta-2026-08-22.json)",
};
const SAVED = catalogFromMeta(meta(), SAVED_SOURCE);

/** The saved response a snapshot names in `source.via`, if it was made from one (the first one was). */
function savedCopyOf(via: string | undefined): string | undefined {
  const copy = via && /\(copy: ([^)]+)\)$/.exec(via)?.[1];
  return copy ? join(REPO, copy) : undefined;
}

describe("the committed catalog snapshot (whatever week it is from)", () => {
  it("is in the generator's form: rebuilt from its own lists, it is the same bytes", () => {
    const lists = {
      services: Object.fromEntries(GITHUB_RANGE_SERVICES.map((service) => [service, [...ENDPOINT_CATALOG.services[service]]])),
      domains: {
        exact: [...ENDPOINT_CATALOG.domains.exact],
        standard: [...ENDPOINT_CATALOG.domains.standard],
        wildcard: [...ENDPOINT_CATALOG.domains.wildcard],
      },
      attestationDomains: [...ENDPOINT_CATALOG.attestationDomains],
    } as Parameters<typeof catalogFromLists>[0];
    expect(formatCatalogSnapshot(catalogFromLists(lists, ENDPOINT_CATALOG.source))).toBe(readFileSync(SNAPSHOT_FILE, "utf8"));
  });

  it("records where and when the response was taken", () => {
    expect(ENDPOINT_CATALOG.source.url).toMatch(/^https?:\/\/.+\/meta$/);
    expect(Number.isNaN(Date.parse(ENDPOINT_CATALOG.source.takenAt))).toBe(false);
    const copy = savedCopyOf(ENDPOINT_CATALOG.source.via);
    if (copy) expect(existsSync(copy)).toBe(true);
  });

  it.runIf(savedCopyOf(ENDPOINT_CATALOG.source.via))("is exactly what the generator makes of the saved response it names", () => {
    const saved = JSON.parse(readFileSync(savedCopyOf(ENDPOINT_CATALOG.source.via)!, "utf8")) as unknown;
    expect(formatCatalogSnapshot(catalogFromMeta(saved, ENDPOINT_CATALOG.source))).toBe(readFileSync(SNAPSHOT_FILE, "utf8"));
  });

  it("holds GitHub's lists, none of them empty", () => {
    for (const list of [...Object.values(ENDPOINT_CATALOG.domains), ENDPOINT_CATALOG.ipv4]) expect(list.length).toBeGreaterThan(0);
  });
});

describe("the generator, on the saved /meta response", () => {
  it("scripts/generate-catalog.ts writes the same bytes as the generator and says what it holds", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "egress-catalog-")), "catalog.json");
    const { stdout } = await promisify(execFile)(
      join(REPO, "node_modules", ".bin", "tsx"),
      [join(REPO, "scripts", "generate-catalog.ts"), META_FILE, SAVED_SOURCE.url, SAVED_SOURCE.takenAt, SAVED_SOURCE.via, "--out", out],
      { cwd: REPO },
    );
    expect(stdout).toBe(`wrote ${out}: 69 IPv4 + 2 IPv6 CIDRs, 98/72/6 exact/standard/wildcard domains, 4 artifact attestation domains\n`);
    expect(readFileSync(out, "utf8")).toBe(formatCatalogSnapshot(SAVED));
  });

  it("holds the three domain levels with GitHub's counts and anchors, and the attestation hosts", () => {
    expect([SAVED.domains.exact.length, SAVED.domains.standard.length, SAVED.domains.wildcard.length]).toEqual([98, 72, 6]);
    expect(SAVED.domains.wildcard).toEqual([
      "*.core.windows.net",
      "*.github.com",
      "*.githubapp.com",
      "*.githubusercontent.com",
      "ghcr.io",
      "github.com",
    ]);
    expect(SAVED.domains.exact).toContain("results-receiver.actions.githubusercontent.com");
    expect(SAVED.domains.standard).toContain("*.actions.githubusercontent.com");
    expect(SAVED.attestationDomains).toEqual([
      "*.actions.githubusercontent.com",
      "fulcio.githubapp.com",
      "timestamp.githubapp.com",
      "tuf-repo.github.com",
    ]);
  });

  it("drops nothing of GitHub's real response", () => {
    expect(parseMeta(meta()).ignored).toEqual([]);
  });
});

/** Python's ipaddress.collapse_addresses, per family: an implementation independent of ours. */
function pythonCollapse(lists: Record<string, string[]>): Record<string, { ipv4: string[]; ipv6: string[] }> {
  const script = [
    "import ipaddress, json, sys",
    "lists = json.load(sys.stdin)",
    "def collapse(entries, version):",
    "    nets = [ipaddress.ip_network(e, strict=False) for e in entries]",
    "    return [str(n) for n in ipaddress.collapse_addresses(n for n in nets if n.version == version)]",
    "print(json.dumps({k: {'ipv4': collapse(v, 4), 'ipv6': collapse(v, 6)} for k, v in lists.items()}))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(lists) }).toString());
}

describe("GitHub's ranges in the catalog", () => {
  it("are the minimal CIDR cover per family, equal to Python's collapse_addresses on the real response", () => {
    const raw = meta();
    const lists: Record<string, string[]> = Object.fromEntries(GITHUB_RANGE_SERVICES.map((service) => [service, raw[service] as string[]]));
    lists.union = GITHUB_RANGE_SERVICES.flatMap((service) => raw[service] as string[]);
    const expected = pythonCollapse(lists);
    expect({ ipv4: SAVED.ipv4, ipv6: SAVED.ipv6 }).toEqual(expected.union);
    for (const service of GITHUB_RANGE_SERVICES) {
      expect(SAVED.services[service]).toEqual([...expected[service].ipv4, ...expected[service].ipv6]);
    }
    expect([SAVED.ipv4.length, SAVED.ipv6.length]).toEqual([69, 2]);
  });

  it("also match Python on a synthetic list with adjacent, nested and unaligned blocks", () => {
    const entries = [
      "20.0.0.0/25",
      "20.0.0.128/25",
      "20.0.1.0/24",
      "20.0.2.1/32",
      "20.0.2.0/32",
      "20.0.0.64/26",
      "4.2.2.7",
      "2606:50c0::/33",
      "2606:50c0:8000::/33",
      "2606:50c0::1/128",
    ];
    const catalog = catalogFromMeta({ web: entries }, SOURCE);
    expect({ ipv4: catalog.ipv4, ipv6: catalog.ipv6 }).toEqual(pythonCollapse({ web: entries }).web);
    expect(catalog.ipv4).toEqual(["4.2.2.7/32", "20.0.0.0/23", "20.0.2.0/31"]);
    expect(catalog.ipv6).toEqual(["2606:50c0::/32"]);
  });

  it("do not depend on the order GitHub lists them in", () => {
    const raw = meta();
    const reversed = {
      ...raw,
      ...Object.fromEntries(GITHUB_RANGE_SERVICES.map((s) => [s, [...(raw[s] as string[])].reverse()])),
      domains: { ...raw.domains, actions: [...(raw.domains.actions as string[])].reverse() },
    };
    expect(formatCatalogSnapshot(catalogFromMeta(reversed, SOURCE))).toBe(formatCatalogSnapshot(catalogFromMeta(raw, SOURCE)));
  });
});

describe("parseMeta tolerates what the live endpoint does differently", () => {
  const cases: {
    name: string;
    meta: unknown;
    web?: string[];
    standard?: string[];
    exact?: string[];
    ignored: { list: string; value: string; reason: string }[];
  }[] = [
    { name: "an empty object", meta: {}, web: [], standard: [], ignored: [] },
    { name: "not an object at all", meta: ["web"], web: [], standard: [], ignored: [] },
    {
      name: "unknown and schema-only keys",
      meta: { commit_signing_keys: ["k"], future: { x: 1 }, web: ["192.30.252.0/22"] },
      web: ["192.30.252.0/22"],
      ignored: [],
    },
    {
      name: "a list that is a string",
      meta: { web: "192.30.252.0/22" },
      web: [],
      ignored: [{ list: "web", value: '"192.30.252.0/22"', reason: "not a list" }],
    },
    {
      name: "entries of the wrong type or form",
      meta: { web: [42, "999.1.1.1/8", "192.30.252.0/22", "140.82.112.5/20", "4.208.26.197"] },
      web: ["192.30.252.0/22", "140.82.112.5/20", "4.208.26.197"],
      ignored: [
        { list: "web", value: "42", reason: "not a string" },
        { list: "web", value: "999.1.1.1/8", reason: "not an IP address or CIDR" },
      ],
    },
    {
      name: "domains in odd case, with a root dot, duplicated or malformed",
      meta: { domains: { actions: ["GitHub.com.", "github.com", "*.GitHub.com", "foo.*.com", "not a domain"] } },
      standard: ["github.com", "github.com", "*.github.com"],
      ignored: [
        { list: "domains.actions", value: "foo.*.com", reason: "not a domain name or *.domain pattern" },
        { list: "domains.actions", value: "not a domain", reason: "not a domain name or *.domain pattern" },
      ],
    },
    { name: "actions_inbound that is not an object", meta: { domains: { actions_inbound: ["github.com"] } }, exact: [], ignored: [] },
  ];
  it.each(cases)("$name", ({ meta: input, web, standard, exact, ignored }) => {
    const result = parseMeta(input);
    if (web) expect(result.lists.services.web).toEqual(web);
    if (standard) expect(result.lists.domains.standard).toEqual(standard);
    if (exact) expect(result.lists.domains.exact).toEqual(exact);
    expect(result.ignored).toEqual(ignored);
  });

  it("normalizes domains and ranges in the catalog: lower case, unique, sorted, host bits cleared", () => {
    const catalog = catalogFromMeta(
      { web: ["140.82.112.5/20", "4.208.26.197"], domains: { actions: ["GitHub.com.", "github.com", "*.GitHub.com", "api.github.com"] } },
      SOURCE,
    );
    expect(catalog.services.web).toEqual(["4.208.26.197/32", "140.82.112.0/20"]);
    expect(catalog.domains.standard).toEqual(["*.github.com", "api.github.com", "github.com"]);
  });

  it("calls a response without any catalog list empty", () => {
    expect(isEmptyCatalog(catalogFromMeta({ message: "Not Found" }, SOURCE))).toBe(true);
    expect(isEmptyCatalog(catalogFromMeta({ domains: { actions_inbound: { wildcard_domains: ["github.com"] } } }, SOURCE))).toBe(false);
  });
});

describe("a hostile or broken /meta cannot widen egress", () => {
  it.each([
    ["com", "a public suffix, under which anyone can register a domain"],
    ["*.com", "a wildcard over the public suffix com, under which anyone can register a domain"],
    ["co.uk", "a public suffix, under which anyone can register a domain"],
    ["*.co.uk", "a wildcard over the public suffix co.uk, under which anyone can register a domain"],
    ["*.foo.ck", "a wildcard over the public suffix foo.ck, under which anyone can register a domain"],
    ["localhost", "a public suffix, under which anyone can register a domain"],
    ["*.internal", "a wildcard over the public suffix internal, under which anyone can register a domain"],
    ["140.82.112.3", "an IP address, not a domain name"],
    ["*", "not a domain name or *.domain pattern"],
    [`${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(60)}.com`, "longer than 253 characters"],
  ])("refuses the domain %s", (domain, reason) => {
    expect(domainProblem(domain)).toBe(reason);
  });

  // The Public Suffix List's private section names hosting platforms, GitHub's own among them.
  it.each([
    "github.com",
    "*.github.com",
    "*.githubusercontent.com",
    "github-cloud.s3.amazonaws.com",
    "*.blob.core.windows.net",
    "ghcr.io",
    "*.co.uk.example.com",
  ])("keeps %s", (domain) => {
    expect(domainProblem(domain)).toBeUndefined();
  });

  it("leaves public suffixes out of every domain list, reporting each", () => {
    const result = parseMeta({
      domains: {
        actions: ["github.com", "*.com", "COM."],
        actions_inbound: { full_domains: ["co.uk", "api.github.com"], wildcard_domains: ["*.github.com", "*.co.uk"] },
        artifact_attestations: { services: ["fulcio.githubapp.com", "*.app"] },
      },
    });
    expect(result.lists.domains).toEqual({ exact: ["api.github.com"], standard: ["github.com"], wildcard: ["*.github.com"] });
    expect(result.lists.attestationDomains).toEqual(["fulcio.githubapp.com"]);
    expect(result.ignored.map((entry) => `${entry.list}: ${entry.value}`)).toEqual([
      "domains.actions_inbound.full_domains: co.uk",
      "domains.actions: *.com",
      "domains.actions: COM.",
      "domains.actions_inbound.wildcard_domains: *.co.uk",
      "domains.artifact_attestations.services: *.app",
    ]);
  });

  it.each(NON_ROUTABLE_RANGES.map(([range]) => range))("drops %s and what lies inside or around it", (range) => {
    const result = parseMeta({ web: [range], api: ["140.82.112.0/20"] });
    expect(result.lists.services.web).toEqual([]);
    expect(result.ignored).toEqual([
      { list: "web", value: range, reason: expect.stringMatching(/^not a public range: inside /) as unknown },
    ]);
  });

  it("says why each range is dropped, and keeps the public ones", () => {
    const web = [
      "10.1.0.0/16",
      "169.254.169.254",
      "0.0.0.0/0",
      "128.0.0.0/1",
      "::ffff:10.0.0.1",
      "::ffff:140.82.112.3",
      "::/0",
      "fd00::/8",
      "140.82.112.0/20",
      "2606:50c0::/32",
    ];
    const result = parseMeta({ web });
    expect(result.lists.services.web).toEqual(["140.82.112.0/20", "2606:50c0::/32"]);
    expect(result.ignored.map((entry) => `${entry.value}: ${entry.reason}`)).toEqual([
      "10.1.0.0/16: not a public range: inside 10.0.0.0/8, private (RFC 1918)",
      "169.254.169.254: not a public range: inside 169.254.0.0/16, link-local (RFC 3927), where Azure's instance metadata service answers",
      '0.0.0.0/0: not a public range: covers 0.0.0.0/8, "this network" (RFC 791)',
      "128.0.0.0/1: not a public range: covers 169.254.0.0/16, link-local (RFC 3927), where Azure's instance metadata service answers",
      "::ffff:10.0.0.1: not a public range: inside ::ffff:0:0/96, IPv4-mapped (RFC 4291)",
      "::ffff:140.82.112.3: not a public range: inside ::ffff:0:0/96, IPv4-mapped (RFC 4291)",
      "::/0: not a public range: covers ::/128, the unspecified address (RFC 4291)",
      "fd00::/8: not a public range: inside fc00::/7, unique local (RFC 4193)",
    ]);
  });

  it("loads the public-suffix library only where domains are read, not with the offline plan", async () => {
    // A fresh process: the test runner's own module cache says nothing about Node's.
    const probe = join(mkdtempSync(join(tmpdir(), "egress-probe-")), "probe.cjs");
    writeFileSync(
      probe,
      'process.on("exit", () => process.stderr.write(`tldts loaded: ${Object.keys(require.cache).some((f) => /node_modules[\\\\/]tldts/.test(f))}\\n`));\n',
    );
    const plan = await runCli(["plan"], { env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(plan.code).toBe(0);
    // The plan's process (and any it starts) says what it loaded.
    expect(new Set(plan.stderr.match(/tldts loaded: \w+/g))).toEqual(new Set(["tldts loaded: false"]));
    const script = 'require("./components/lib/catalog.ts").parseMeta({ domains: { actions: ["github.com"] } });';
    const parsed = await promisify(execFile)(join(REPO, "node_modules", ".bin", "tsx"), ["--require", probe, "-e", script], { cwd: REPO });
    expect(parsed.stderr).toBe("tldts loaded: true\n");
  }, 120_000);
});

describe("diffCatalogs", () => {
  it("reports added and removed entries per list, and nothing for unchanged lists", () => {
    const before = catalogFromMeta(meta(), SOURCE);
    const changed = meta();
    const inbound = changed.domains.actions_inbound as { full_domains: string[] };
    changed.domains = {
      ...changed.domains,
      actions: [...(changed.domains.actions as string[]), "new-service.actions.githubusercontent.com"],
      actions_inbound: { ...inbound, full_domains: inbound.full_domains.filter((d) => d !== "cafe.github.com") },
    };
    changed.api = [...(changed.api as string[]), "20.175.192.160/28"];
    expect(diffCatalogs(before, catalogFromMeta(changed, SOURCE))).toEqual([
      { id: "domains.actions_inbound.full_domains", label: "exact domains", added: [], removed: ["cafe.github.com"] },
      { id: "domains.actions", label: "standard domains", added: ["new-service.actions.githubusercontent.com"], removed: [] },
      { id: "api", label: "api ranges (merged)", added: ["20.175.192.160/28"], removed: [] },
    ]);
    expect(diffCatalogs(before, catalogFromMeta(meta(), { ...SOURCE, takenAt: "2026-09-01", etag: 'W/"x"' }))).toEqual([]);
  });

  it("shows a merge as the blocks that replaced the old ones", () => {
    const before = catalogFromMeta({ git: ["20.201.28.152/32"] }, SOURCE);
    const after = catalogFromMeta({ git: ["20.201.28.152/32", "20.201.28.153/32"] }, SOURCE);
    expect(diffCatalogs(before, after)).toEqual([
      { id: "git", label: "git ranges (merged)", added: ["20.201.28.152/31"], removed: ["20.201.28.152/32"] },
    ]);
  });
});

describe("parseCatalogSnapshot", () => {
  it.each([
    [{}, "not an endpoint catalog snapshot: source: Invalid input: expected object, received undefined"],
    [
      { ...ENDPOINT_CATALOG, domains: { exact: [], standard: "x", wildcard: [] } },
      "not an endpoint catalog snapshot: domains.standard: Invalid input: expected array, received string",
    ],
  ])("names the first bad key", (value, message) => {
    expect(() => parseCatalogSnapshot(value)).toThrow(message);
  });

  it("reads a snapshot written before the attestation hosts were kept", () => {
    const { attestationDomains, ...older } = ENDPOINT_CATALOG;
    expect(attestationDomains).toBeDefined();
    expect(parseCatalogSnapshot(JSON.parse(JSON.stringify(older))).attestationDomains).toEqual([]);
  });

  it("keeps the ETag and writes keys in a fixed order", () => {
    const text = formatCatalogSnapshot({ ...ENDPOINT_CATALOG, source: { etag: 'W/"abc"', takenAt: "t", url: "u" } });
    expect(
      text.startsWith(
        '{\n  "source": {\n    "url": "u",\n    "takenAt": "t",\n    "etag": "W/\\"abc\\""\n  },\n  "services": {\n    "web": [',
      ),
    ).toBe(true);
    expect(parseCatalogSnapshot(JSON.parse(text)).source).toEqual({ url: "u", takenAt: "t", etag: 'W/"abc"' });
  });
});
