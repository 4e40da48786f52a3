/**
 * A hostile or broken `/meta` cannot widen egress: `endpoints check` and `update` run as a user runs
 * them, against a local server on 127.0.0.1 that answers GitHub's saved response with public
 * suffixes, non-public ranges, or an unsolicited 304.
 */
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCatalogSnapshot } from "../../components/lib/catalog";
import { levelDomains } from "../../components/lib/firewall-rules";
import { runCli } from "../support/cli";
import {
  SAVED_CATALOG as SAVED,
  SAVED_META_TEXT as META_TEXT,
  savedSnapshotFile as tempSnapshot,
  serveOnLoopback,
} from "../support/meta-fixtures";

type Meta = {
  web: string[];
  api: string[];
  domains: Record<string, unknown> & { actions: string[]; actions_inbound: Record<string, string[]> };
};

function withChanges(change: (meta: Meta) => void): string {
  const meta = JSON.parse(META_TEXT) as Meta;
  change(meta);
  return JSON.stringify(meta);
}

const PUBLIC_SUFFIXES = withChanges((meta) => {
  meta.domains.actions.push("*.com");
  meta.domains.actions_inbound.full_domains.push("co.uk");
  meta.domains.actions_inbound.wildcard_domains.push("*.co.uk", "com");
});

const NON_PUBLIC_RANGES = withChanges((meta) => {
  meta.web.push("0.0.0.0/0", "10.0.0.0/8", "169.254.169.254/32", "::ffff:0:0/96", "fe80::/10");
  meta.api.push("::1", "192.168.0.0/16");
});

let base = "";
let close: () => Promise<void>;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
const routes: Record<string, () => { status: number; headers?: Record<string, string>; body?: string }> = {
  "/suffixes/meta": () => ({ status: 200, headers: { etag: 'W/"suffixes"' }, body: PUBLIC_SUFFIXES }),
  "/ranges/meta": () => ({ status: 200, headers: { etag: 'W/"ranges"' }, body: NON_PUBLIC_RANGES }),
  // A 304 although no If-None-Match was sent: a broken cache or proxy, not "unchanged".
  "/unsolicited/meta": () => ({ status: 304, headers: { etag: 'W/"whatever"' } }),
};

beforeAll(async () => {
  ({ base, close } = await serveOnLoopback((request, response) => {
    seen.push({ path: request.url ?? "", headers: request.headers });
    const answer = routes[request.url ?? ""]?.() ?? { status: 404, body: '{"message":"Not Found"}' };
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }));
});

afterAll(() => close());

const endpoints = (command: "check" | "update", route: string, snapshot: string) =>
  runCli(["endpoints", command, "--api-url", `${base}/${route}`, "--snapshot", snapshot], { env: { GITHUB_TOKEN: "" } });

describe("a /meta that lists public suffixes", () => {
  const warnings = [
    'warning: ignored "co.uk" in domains.actions_inbound.full_domains: a public suffix, under which anyone can register a domain',
    'warning: ignored "*.com" in domains.actions: a wildcard over the public suffix com, under which anyone can register a domain',
    'warning: ignored "*.co.uk" in domains.actions_inbound.wildcard_domains: a wildcard over the public suffix co.uk, under which anyone can register a domain',
    'warning: ignored "com" in domains.actions_inbound.wildcard_domains: a public suffix, under which anyone can register a domain',
    "",
  ];

  it("check warns about each and finds no drift: nothing of them would be allowed", async () => {
    const result = await endpoints("check", "suffixes", tempSnapshot());
    expect(result.stderr.split("\n")).toEqual(warnings);
    expect([result.code, result.stdout.startsWith("No drift: ")]).toEqual([0, true]);
  });

  it("update writes a snapshot without them, and the firewall's lists stay GitHub's", async () => {
    const snapshot = tempSnapshot();
    const result = await endpoints("update", "suffixes", snapshot);
    expect([result.code, result.stderr.split("\n")]).toEqual([0, warnings]);
    const catalog = parseCatalogSnapshot(JSON.parse(readFileSync(snapshot, "utf8")));
    expect(catalog.domains).toEqual(SAVED.domains);
    const shown = await runCli(["endpoints", "show", "--level", "wildcard", "--format", "fqdn", "--snapshot", snapshot]);
    expect(shown.stdout).toBe(
      levelDomains(SAVED, "wildcard")
        .map((domain) => `${domain}\n`)
        .join(""),
    );
  });
});

describe("a /meta that lists ranges that are not public", () => {
  it("update drops each with its reason and keeps GitHub's ranges as they were", async () => {
    const snapshot = tempSnapshot();
    const result = await endpoints("update", "ranges", snapshot);
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n")).toEqual([
      'warning: ignored "0.0.0.0/0" in web: not a public range: covers 0.0.0.0/8, "this network" (RFC 791)',
      'warning: ignored "10.0.0.0/8" in web: not a public range: inside 10.0.0.0/8, private (RFC 1918)',
      'warning: ignored "169.254.169.254/32" in web: not a public range: inside 169.254.0.0/16, link-local (RFC 3927), where Azure\'s instance metadata service answers',
      'warning: ignored "::ffff:0:0/96" in web: not a public range: inside ::ffff:0:0/96, IPv4-mapped (RFC 4291)',
      'warning: ignored "fe80::/10" in web: not a public range: inside fe80::/10, link-local (RFC 4291)',
      'warning: ignored "::1" in api: not a public range: inside ::1/128, loopback (RFC 4291)',
      'warning: ignored "192.168.0.0/16" in api: not a public range: inside 192.168.0.0/16, private (RFC 1918)',
      "",
    ]);
    const catalog = parseCatalogSnapshot(JSON.parse(readFileSync(snapshot, "utf8")));
    expect([catalog.ipv4, catalog.ipv6, catalog.services]).toEqual([SAVED.ipv4, SAVED.ipv6, SAVED.services]);
  });
});

describe("an unsolicited 304 Not Modified", () => {
  it.each(["check", "update"] as const)("%s calls it an error, not 'no drift', and leaves the snapshot as it was", async (command) => {
    const snapshot = tempSnapshot();
    const before = readFileSync(snapshot, "utf8");
    const result = await endpoints(command, "unsolicited", snapshot);
    expect(seen.filter((s) => s.path === "/unsolicited/meta").at(-1)!.headers["if-none-match"]).toBeUndefined();
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `endpoints ${command}: ${base}/unsolicited/meta answered 304 Not Modified, but no ETag was sent to compare with; the response says nothing about the lists\n`,
    });
    expect(readFileSync(snapshot, "utf8")).toBe(before);
  });
});
