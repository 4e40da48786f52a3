import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  ENDPOINT_CATALOG,
  GITHUB_RANGE_SERVICES,
  catalogFromMeta,
  diffCatalogs,
  formatCatalogSnapshot,
  isEmptyCatalog,
  parseCatalogSnapshot,
  parseMeta,
} from "../../../components/lib/catalog";
import { REPO } from "../../support/cli";

const SNAPSHOT_FILE = join(REPO, "components", "data", "github-endpoints.json");
const META_FILE = join(REPO, "components", "data", "meta", "github-meta-2026-08-22.json");
const meta = () => JSON.parse(readFileSync(META_FILE, "utf8")) as Record<string, unknown> & { domains: Record<string, unknown> };
const SOURCE = { url: "https://api.github.com/meta", takenAt: "2026-08-22" };

describe("the committed catalog snapshot", () => {
  it("is exactly what the generator makes of the saved /meta response", () => {
    const regenerated = formatCatalogSnapshot(catalogFromMeta(meta(), ENDPOINT_CATALOG.source));
    expect(regenerated).toBe(readFileSync(SNAPSHOT_FILE, "utf8"));
  });

  it("is reproduced byte for byte by scripts/generate-catalog.ts", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "egress-catalog-")), "catalog.json");
    const { source } = ENDPOINT_CATALOG;
    const { stdout } = await promisify(execFile)(
      join(REPO, "node_modules", ".bin", "tsx"),
      [join(REPO, "scripts", "generate-catalog.ts"), META_FILE, source.url, source.takenAt, source.via!, "--out", out],
      { cwd: REPO },
    );
    expect(stdout).toBe(`wrote ${out}: 69 IPv4 + 2 IPv6 CIDRs, 98/72/6 exact/standard/wildcard domains\n`);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(SNAPSHOT_FILE, "utf8"));
  });

  it("records where and when the response was taken", () => {
    expect(ENDPOINT_CATALOG.source.url).toBe("https://api.github.com/meta");
    expect(ENDPOINT_CATALOG.source.takenAt).toBe("2026-08-22");
    expect(ENDPOINT_CATALOG.source.via).toContain("d7d1dc827a8ac8c2ca890ba973c3b23b22dbf810");
  });

  it("holds the three domain levels with GitHub's counts and anchors", () => {
    expect([
      ENDPOINT_CATALOG.domains.exact.length,
      ENDPOINT_CATALOG.domains.standard.length,
      ENDPOINT_CATALOG.domains.wildcard.length,
    ]).toEqual([98, 72, 6]);
    expect(ENDPOINT_CATALOG.domains.wildcard).toEqual([
      "*.core.windows.net",
      "*.github.com",
      "*.githubapp.com",
      "*.githubusercontent.com",
      "ghcr.io",
      "github.com",
    ]);
    expect(ENDPOINT_CATALOG.domains.exact).toContain("results-receiver.actions.githubusercontent.com");
    expect(ENDPOINT_CATALOG.domains.standard).toContain("*.actions.githubusercontent.com");
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
    expect({ ipv4: ENDPOINT_CATALOG.ipv4, ipv6: ENDPOINT_CATALOG.ipv6 }).toEqual(expected.union);
    for (const service of GITHUB_RANGE_SERVICES) {
      expect(ENDPOINT_CATALOG.services[service]).toEqual([...expected[service].ipv4, ...expected[service].ipv6]);
    }
    expect([ENDPOINT_CATALOG.ipv4.length, ENDPOINT_CATALOG.ipv6.length]).toEqual([69, 2]);
  });

  it("also match Python on a synthetic list with adjacent, nested and unaligned blocks", () => {
    const entries = [
      "10.0.0.0/25",
      "10.0.0.128/25",
      "10.0.1.0/24",
      "10.0.2.1/32",
      "10.0.2.0/32",
      "10.0.0.64/26",
      "192.0.2.7",
      "2001:db8::/33",
      "2001:db8:8000::/33",
      "2001:db8::1/128",
    ];
    const catalog = catalogFromMeta({ web: entries }, SOURCE);
    expect({ ipv4: catalog.ipv4, ipv6: catalog.ipv6 }).toEqual(pythonCollapse({ web: entries }).web);
    expect(catalog.ipv4).toEqual(["10.0.0.0/23", "10.0.2.0/31", "192.0.2.7/32"]);
    expect(catalog.ipv6).toEqual(["2001:db8::/32"]);
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
    changed.api = [...(changed.api as string[]), "203.0.113.0/24"];
    expect(diffCatalogs(before, catalogFromMeta(changed, SOURCE))).toEqual([
      { id: "domains.actions_inbound.full_domains", label: "exact domains", added: [], removed: ["cafe.github.com"] },
      { id: "domains.actions", label: "standard domains", added: ["new-service.actions.githubusercontent.com"], removed: [] },
      { id: "api", label: "api ranges (merged)", added: ["203.0.113.0/24"], removed: [] },
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
