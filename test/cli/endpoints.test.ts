/**
 * `endpoints` end to end: the CLI runs as a user runs it, against a local HTTP server on
 * 127.0.0.1 that answers like GitHub's /meta (the saved real response, a changed one, 304,
 * rate limits, errors and garbage). Snapshots live in temp folders; the committed one is never written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SNAPSHOT_FILE,
  DEFAULT_TENANT_SNAPSHOTS_FILE,
  defaultDataFile,
  ENDPOINTS_USAGE,
  EndpointsError,
  fetchMeta,
  metaUrl,
  renderAllowList,
  runEndpointsCommand,
  type EndpointsPlaces,
} from "../../cli/endpoints";
import {
  CATALOG_LISTS,
  DOMAIN_LEVELS,
  ENDPOINT_CATALOG,
  catalogFromMeta,
  formatCatalogSnapshot,
  parseCatalogSnapshot,
} from "../../components/lib/catalog";
import { domainCovered } from "../../components/lib/firewall-rules";
import { GITHUB_DOCUMENTED_REQUIREMENTS } from "../../components/lib/runner-requirements";
import { REPO, runCli } from "../support/cli";
import { expectNoTokenIn } from "../support/doctor-fixtures";
import { cutAnswer, firstHalf, quoteAuthorization, type Cut } from "../support/faulty-answers";

const META_TEXT = readFileSync(join(REPO, "components", "data", "meta", "github-meta-2026-08-22.json"), "utf8");
/**
 * The catalog of the saved response, as the first snapshot was taken: the tests compare with it,
 * not with the committed snapshot, which the weekly update changes.
 */
const SAVED = catalogFromMeta(JSON.parse(META_TEXT), { url: "https://api.github.com/meta", takenAt: "2026-08-22" });
const LISTS = CATALOG_LISTS.length;
const RESET_EPOCH = 1787400000;
const LIVE_ETAG = 'W/"meta-v1"';

/** The real response with one domain added to domains.actions and one range dropped from git. */
function changedMeta(): string {
  const meta = JSON.parse(META_TEXT);
  meta.domains.actions.push("new-service.actions.githubusercontent.com");
  meta.git = meta.git.filter((range: string) => range !== "20.201.28.152/32");
  return JSON.stringify(meta);
}

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let base = "";
const seen: Seen[] = [];

type Answer = { status: number; statusText?: string; headers?: Record<string, string>; body?: string; cut?: Cut } | "hang";
/** What a server that quotes the request's Authorization header back puts into its answers. */
const quote = (headers: IncomingHttpHeaders) => `Authorization: ${headers.authorization ?? "none"}`;
const routes: Record<string, (headers: IncomingHttpHeaders) => Answer> = {
  "/ghe-octocorp/meta": (headers): Answer =>
    headers["if-none-match"] === LIVE_ETAG
      ? { status: 304, headers: { etag: LIVE_ETAG } }
      : { status: 200, headers: { etag: LIVE_ETAG, "content-type": "application/json" }, body: META_TEXT },
  "/ghe-fabrikam/meta": () => ({ status: 200, headers: { etag: LIVE_ETAG }, body: META_TEXT }),
  "/same/meta": (headers): Answer =>
    headers["if-none-match"] === LIVE_ETAG
      ? { status: 304, headers: { etag: LIVE_ETAG } }
      : { status: 200, headers: { etag: LIVE_ETAG, "content-type": "application/json" }, body: META_TEXT },
  "/changed/meta": () => ({ status: 200, headers: { etag: 'W/"meta-v2"' }, body: changedMeta() }),
  "/limited/meta": () => ({
    status: 403,
    headers: { "x-ratelimit-remaining": "0", "x-ratelimit-limit": "60", "x-ratelimit-reset": String(RESET_EPOCH) },
    body: '{"message":"API rate limit exceeded for 127.0.0.1."}',
  }),
  "/secondary/meta": () => ({
    status: 429,
    headers: { "retry-after": "120" },
    body: '{"message":"You have exceeded a secondary rate limit."}',
  }),
  "/dated/meta": () => ({
    status: 429,
    headers: { "retry-after": "Sat, 22 Aug 2026 10:05:00 GMT" },
    body: '{"message":"You have exceeded a secondary rate limit."}',
  }),
  "/forbidden/meta": () => ({ status: 403, body: '{"message":"Resource not accessible by integration"}' }),
  "/error/meta": () => ({ status: 500, body: '{"message":"boom"}' }),
  "/garbage/meta": () => ({ status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" }),
  "/not-meta/meta": () => ({ status: 200, body: '{"message":"hello","documentation_url":"https://docs.github.com"}' }),
  "/slow/meta": () => "hang",
  // Answers that quote the token back: in GitHub's message, in the status line, at the start of a page.
  "/reflect/meta": (headers): Answer => ({
    status: 403,
    body: JSON.stringify(quoteAuthorization({ message: "Resource not accessible by integration" }, headers.authorization)),
  }),
  "/reflect-status/meta": (headers): Answer => ({ status: 502, statusText: `Bad Gateway (${quote(headers)})`, body: "" }),
  "/reflect-page/meta": (headers): Answer => ({
    status: 200,
    headers: { "content-type": "text/html" },
    body: `${quote(headers)}<html></html>`,
  }),
  // Answers that break off after their headers.
  "/stall-body/meta": () => ({ status: 200, headers: { "content-type": "application/json" }, body: META_TEXT, cut: "stall" }),
  "/reset-body/meta": () => ({ status: 200, headers: { "content-type": "application/json" }, body: META_TEXT, cut: "reset" }),
};

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? "", headers: request.headers });
    const answer = routes[request.url ?? ""]?.(request.headers) ?? { status: 404, body: '{"message":"Not Found"}' };
    if (answer === "hang") return; // never answers; the client's timeout must end it
    if (answer.cut) return cutAnswer(response, answer.status, answer.headers ?? {}, firstHalf(answer.body ?? ""), answer.cut);
    if (answer.statusText) response.writeHead(answer.status, answer.statusText, answer.headers);
    else response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function tempSnapshot(): string {
  const file = join(mkdtempSync(join(tmpdir(), "egress-endpoints-")), "github-endpoints.json");
  writeFileSync(file, formatCatalogSnapshot(SAVED));
  return file;
}

const check = (route: string, snapshot: string, env: NodeJS.ProcessEnv = { GITHUB_TOKEN: "" }) =>
  runCli(["endpoints", "check", "--api-url", `${base}/${route}`, "--snapshot", snapshot], { env });

describe("endpoints check (CLI, local /meta server)", () => {
  it("exits 0 when the live lists match the snapshot", async () => {
    const snapshot = tempSnapshot();
    const result = await check("same", snapshot);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: `No drift: the ${LISTS} lists at ${base}/same/meta match ${snapshot} (taken 2026-08-22).\n`,
    });
    // The snapshot's ETag belongs to api.github.com, so none was sent to another host.
    expect(seen.filter((s) => s.path === "/same/meta").at(-1)!.headers["if-none-match"]).toBeUndefined();
  });

  it("exits 1 and lists what was added and removed per list when GitHub changed", async () => {
    const snapshot = tempSnapshot();
    const before = readFileSync(snapshot, "utf8");
    const result = await check("changed", snapshot);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      `Drift: 2 of ${LISTS} lists at ${base}/changed/meta differ from ${snapshot} (taken 2026-08-22).`,
      "  domains.actions (standard domains): 1 added, 0 removed",
      "    + new-service.actions.githubusercontent.com",
      "  git (git ranges (merged)): 0 added, 1 removed",
      "    - 20.201.28.152/32",
      `Refresh the snapshot with \`endpoints update --api-url ${base}/changed --snapshot ${snapshot}\`, then plan and deploy so firewall and NSG rules follow.`,
      "",
    ]);
    expect(readFileSync(snapshot, "utf8")).toBe(before);
  });

  it("update rewrites the snapshot with the ETag; the next check is a conditional request answered 304", async () => {
    const snapshot = tempSnapshot();
    const updated = await runCli(["endpoints", "update", "--api-url", `${base}/same`, "--snapshot", snapshot], {
      env: { GITHUB_TOKEN: "" },
    });
    expect(updated.code).toBe(0);
    const catalog = parseCatalogSnapshot(JSON.parse(readFileSync(snapshot, "utf8")));
    expect(catalog.source.url).toBe(`${base}/same/meta`);
    expect(catalog.source.etag).toBe(LIVE_ETAG);
    expect(catalog.source.via).toBeUndefined();
    expect(catalog.source.takenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect({ ...catalog, source: undefined }).toEqual({ ...SAVED, source: undefined });
    expect(updated.stdout).toBe(
      `Wrote ${snapshot} from ${base}/same/meta (${catalog.source.takenAt}, ETag ${LIVE_ETAG}).\nThe lists are unchanged.\n`,
    );

    const again = await check("same", snapshot);
    expect(seen.filter((s) => s.path === "/same/meta").at(-1)!.headers["if-none-match"]).toBe(LIVE_ETAG);
    expect(again).toEqual({
      code: 0,
      stderr: "",
      stdout: `No drift: ${base}/same/meta answered 304 Not Modified for the snapshot's ETag ${LIVE_ETAG}; ${snapshot} (taken ${catalog.source.takenAt}) is current.\n`,
    });
  });

  it.each([
    [
      "limited",
      `${"BASE"}/limited/meta is rate limited (HTTP 403); the limit resets at ${new Date(RESET_EPOCH * 1000).toISOString()}; set GITHUB_TOKEN for a higher limit`,
    ],
    ["error", `${"BASE"}/error/meta answered HTTP 500 Internal Server Error: boom`],
    ["garbage", `${"BASE"}/garbage/meta did not answer with JSON (body starts with "<html>maintenance</html>")`],
    [
      "not-meta",
      "the response holds none of the lists the catalog reads (domains.actions_inbound.full_domains, domains.actions, domains.actions_inbound.wildcard_domains, domains.artifact_attestations.services, web, api, git, packages); is it a GitHub /meta response?",
    ],
  ])("exits 2 without touching the snapshot when the server answers %s", async (route, message) => {
    const snapshot = tempSnapshot();
    const before = readFileSync(snapshot, "utf8");
    const result = await check(route, snapshot);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `endpoints check: ${message.replace("BASE", base)}\n` });
    expect(readFileSync(snapshot, "utf8")).toBe(before);
  });

  it("exits 2 when nothing listens at the address", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCli(["endpoints", "check", "--api-url", `http://127.0.0.1:${port}`, "--snapshot", tempSnapshot()]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `endpoints check: cannot reach http://127.0.0.1:${port}/meta: ECONNREFUSED\n` });
  });
});

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
};

describe("endpoints check and update (in process)", () => {
  it("update refuses an error answer and leaves the snapshot as it was", async () => {
    const snapshot = tempSnapshot();
    const before = readFileSync(snapshot, "utf8");
    const { io, out, err } = capture();
    expect(await runEndpointsCommand(["update", "--api-url", `${base}/error`, "--snapshot", snapshot], io)).toBe(2);
    expect([out.join(""), err.join("")]).toEqual([
      "",
      `endpoints update: ${base}/error/meta answered HTTP 500 Internal Server Error: boom\n`,
    ]);
    expect(readFileSync(snapshot, "utf8")).toBe(before);
  });

  it("update writes the changed lists and says what changed", async () => {
    const snapshot = tempSnapshot();
    const { io, out } = capture();
    expect(await runEndpointsCommand(["update", "--api-url", `${base}/changed`, "--snapshot", snapshot], io)).toBe(0);
    const catalog = parseCatalogSnapshot(JSON.parse(readFileSync(snapshot, "utf8")));
    expect(catalog.domains.standard).toContain("new-service.actions.githubusercontent.com");
    expect(catalog.services.git).toContain("20.201.28.151/32");
    expect(catalog.services.git).not.toContain("20.201.28.152/32");
    expect(out.join("").split("\n").slice(1)).toEqual([
      `2 of ${LISTS} lists changed:`,
      "  domains.actions (standard domains): 1 added, 0 removed",
      "    + new-service.actions.githubusercontent.com",
      "  git (git ranges (merged)): 0 added, 1 removed",
      "    - 20.201.28.152/32",
      "",
    ]);
  });

  it("sends GITHUB_TOKEN as a bearer token, and the API version and JSON media type", async () => {
    await fetchMeta({ url: `${base}/same/meta`, token: "t0ken", timeoutSeconds: 5 });
    const headers = seen.at(-1)!.headers;
    expect([headers.authorization, headers.accept, headers["x-github-api-version"], headers["user-agent"]]).toEqual([
      "Bearer t0ken",
      "application/vnd.github+json",
      "2022-11-28",
      "azure-github-runner-network-endpoints",
    ]);
  });

  it("never sends a token over plain http to another host", async () => {
    await expect(fetchMeta({ url: "http://api.example.test/meta", token: "t0ken", timeoutSeconds: 1 })).rejects.toThrow(
      "refusing to send GITHUB_TOKEN over plain http to api.example.test; use https",
    );
  });

  it.each([
    ["secondary", "is rate limited (HTTP 429); the limit resets at 2026-08-22T10:02:00.000Z; set GITHUB_TOKEN for a higher limit"],
    ["dated", "is rate limited (HTTP 429); the limit resets at 2026-08-22T10:05:00.000Z; set GITHUB_TOKEN for a higher limit"],
    ["forbidden", "answered HTTP 403 Forbidden: Resource not accessible by integration"],
  ])("reports %s answers with what to do", async (route, message) => {
    const attempt = fetchMeta({ url: `${base}/${route}/meta`, timeoutSeconds: 5, now: () => new Date("2026-08-22T10:00:00Z") });
    await expect(attempt).rejects.toThrow(new EndpointsError(`${base}/${route}/meta ${message}`));
  });

  it("gives up after the timeout when the server never answers", async () => {
    const { io, err } = capture();
    expect(await runEndpointsCommand(["check", "--api-url", `${base}/slow`, "--snapshot", tempSnapshot(), "--timeout", "1"], io)).toBe(2);
    expect(err.join("")).toBe(`endpoints check: cannot reach ${base}/slow/meta: no answer within 1 s\n`);
  });

  it.each([
    [
      ["check", "--api-url", "not a url"],
      'endpoints check: --api-url "not a url" is not a URL; expected the API root, such as https://api.github.com or https://api.SUBDOMAIN.ghe.com\n',
    ],
    [["check", "--api-url", "ftp://x"], 'endpoints check: --api-url "ftp://x" must use https (or http)\n'],
    [["check", "--timeout", "0"], 'endpoints check: --timeout: "0" is not allowed; allowed: seconds, 1-600\n'],
    [["check", "--snapshot", "/nonexistent/x.json"], "endpoints check: cannot read snapshot /nonexistent/x.json: ENOENT\n"],
    [["show", "--level", "loose"], 'endpoints show: --level: "loose" is not allowed; allowed: exact, standard, wildcard\n'],
    [["show", "--json", "--format", "fqdn"], "endpoints show: --json contradicts --format fqdn; give one of them\n"],
    [["show", "--colour"], "endpoints show: Unknown option '--colour'\n"],
    [["list"], `unknown endpoints subcommand "list"; usage:\n${ENDPOINTS_USAGE}`],
  ])("refuses %j with one line and exit 2", async (argv, message) => {
    const { io, out, err } = capture();
    expect(await runEndpointsCommand(argv, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("")).toBe(message);
  });

  it("says what an unusable snapshot file lacks", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "egress-bad-")), "x.json");
    writeFileSync(file, '{"source":{"url":"u"}}');
    const { io, err } = capture();
    expect(await runEndpointsCommand(["show", "--snapshot", file], io)).toBe(2);
    expect(err.join("")).toBe(
      `endpoints show: snapshot ${file} is unusable: not an endpoint catalog snapshot: source.takenAt: Invalid input: expected string, received undefined\n`,
    );
  });

  it("builds the meta URL under the API root, keeping a path prefix", () => {
    expect(metaUrl("https://api.github.com")).toBe("https://api.github.com/meta");
    expect(metaUrl("https://api.octocorp.ghe.com/")).toBe("https://api.octocorp.ghe.com/meta");
    expect(metaUrl("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/api/v3/meta");
  });
});

describe("the default snapshots", () => {
  it.each([
    ["the sources (cli/), in a checkout", "/repo/cli", ["/repo/components/data"], "/repo/components/data/github-endpoints.json"],
    [
      "the build (dist/cli/), in a checkout: the committed file, which update rewrites",
      "/repo/dist/cli",
      ["/repo/components/data"],
      "/repo/components/data/github-endpoints.json",
    ],
    [
      "the build of an installed package, which ships no components/data",
      "/app/node_modules/azure-github-runner-network/dist/cli",
      [],
      "/app/node_modules/azure-github-runner-network/dist/components/data/github-endpoints.json",
    ],
  ])("run from %s", (_, moduleDir, existing, expected) => {
    expect(defaultDataFile(moduleDir, "github-endpoints.json", (path) => existing.includes(path))).toBe(expected);
  });

  it("are this checkout's committed files, for the compiled CLI too", () => {
    expect([DEFAULT_SNAPSHOT_FILE, DEFAULT_TENANT_SNAPSHOTS_FILE]).toEqual([
      join(REPO, "components", "data", "github-endpoints.json"),
      join(REPO, "components", "data", "ghecom-endpoints.json"),
    ]);
    expect(defaultDataFile(join(REPO, "dist", "cli"), "ghecom-endpoints.json")).toBe(DEFAULT_TENANT_SNAPSHOTS_FILE);
  });
});

describe("endpoints show", () => {
  it("prints one domain per line for --format fqdn (CLI)", async () => {
    const result = await runCli(["endpoints", "show", "--level", "wildcard", "--format", "fqdn", "--snapshot", tempSnapshot()]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      // GitHub's wildcard list, and Git LFS on S3, which GitHub documents for runners and the list lacks.
      stdout:
        "*.core.windows.net\n*.github.com\n*.githubapp.com\n*.githubusercontent.com\nghcr.io\ngithub-cloud.s3.amazonaws.com\ngithub.com\n",
    });
  });

  it("prints the level's domains, GitHub's ranges and the tags as JSON", () => {
    const document = JSON.parse(renderAllowList(SAVED, "exact", "json"));
    expect(Object.keys(document)).toEqual(["source", "level", "metaPath", "domains", "added", "ipv4", "ipv6", "serviceTags"]);
    expect([document.level, document.metaPath, document.domains.length, document.ipv4.length, document.ipv6]).toEqual([
      "exact",
      "domains.actions_inbound.full_domains",
      105,
      69,
      ["2606:50c0::/32", "2a0a:a440::/29"],
    ]);
    expect(Object.keys(document.serviceTags)).toEqual(["VirtualNetwork", "Storage", "AzureCloud", "Internet"]);
    expect(document.added).toContainEqual({
      host: "github-cloud.s3.amazonaws.com",
      why: "Git LFS; GitHub's runner communication requirements",
    });
  });

  // Checked on the shipped catalog, whatever week it is from.
  it.each(DOMAIN_LEVELS)("--format fqdn covers every host of GitHub's communication requirements at the %s level", (level) => {
    const shown = renderAllowList(ENDPOINT_CATALOG, level, "fqdn").split("\n").filter(Boolean);
    const hosts = [...new Set(GITHUB_DOCUMENTED_REQUIREMENTS.map((requirement) => requirement.host))];
    // At exact, only names: GitHub's exact list names the hosts under its wildcards, and the Storage rule covers blob storage.
    const expected = level === "exact" ? hosts.filter((host) => !host.startsWith("*.")) : hosts;
    expect(expected.filter((host) => !domainCovered(host, shown))).toEqual([]);
    if (level === "exact")
      expect(
        hosts.filter(
          (host) =>
            host.startsWith("*.") &&
            host !== "*.blob.core.windows.net" &&
            !ENDPOINT_CATALOG.domains.exact.some((name) => domainCovered(name, [host])),
        ),
      ).toEqual([]);
  });

  it("prints a readable text allow-list, standard level by default", async () => {
    const { io, out } = capture();
    expect(await runEndpointsCommand(["show", "--snapshot", tempSnapshot()], io)).toBe(0);
    const text = out.join("").split("\n");
    expect(text[2]).toBe(
      "Domains, standard list (domains.actions, 72, and 4 more GitHub documents for runners): allow HTTPS (443) from the runner subnet",
    );
    expect(text[3]).toBe("  *.actions.githubusercontent.com");
    expect(text[4]).toBe(
      "  *.blob.core.windows.net  (Job summaries, logs, artifacts and caches; GitHub's runner communication requirements)",
    );
    expect(text).toContain("GitHub IP ranges (web, api, git, packages), merged: 69 IPv4, 2 IPv6");
    expect(text).toContain("  Storage         Azure Storage: Actions logs, artifacts, caches and job summaries live in blob storage");
  });
});

describe("endpoints and a server that quotes the token back", () => {
  const token = "ghp_endpointsToken0123456789abcdefABCD";

  it.each([
    [
      "reflect",
      `${"BASE"}/reflect/meta answered HTTP 403 Forbidden: Resource not accessible by integration (request had Authorization: Bearer [redacted])`,
    ],
    ["reflect-status", `${"BASE"}/reflect-status/meta answered HTTP 502 Bad Gateway (Authorization: Bearer [redacted])`],
    // The excerpt keeps 40 characters: the token would have been cut, not found.
    ["reflect-page", `${"BASE"}/reflect-page/meta did not answer with JSON (body starts with "Authorization: Bearer [redacted]<html></")`],
  ])("%s: exit 2 with what the server said, the token redacted", async (route, message) => {
    const result = await check(route, tempSnapshot(), { GITHUB_TOKEN: token });
    expect(result).toEqual({ code: 2, stdout: "", stderr: `endpoints check: ${message.replace("BASE", base)}\n` });
    expectNoTokenIn(token, result.stderr);
  });

  it("refuses an API URL with user-info, without echoing it", async () => {
    const { io, err } = capture();
    expect(await runEndpointsCommand(["check", "--api-url", "https://me:pa55word@api.github.com", "--snapshot", tempSnapshot()], io)).toBe(
      2,
    );
    expect(err.join("")).toBe(
      'endpoints check: --api-url "https://[redacted]@api.github.com" must not carry credentials; set GITHUB_TOKEN to send a token\n',
    );
    const { io: io2, err: err2 } = capture();
    expect(await runEndpointsCommand(["check", "--api-url", "https://me:pa55word@api.github.com:port"], io2)).toBe(2);
    expect(err2.join("")).not.toContain("pa55word");
  });
});

describe("endpoints and an answer that breaks off after its headers", () => {
  it.each([
    ["stall-body", "no complete answer within 1 s"],
    ["reset-body", "terminated: other side closed"],
  ])("%s: exit 2, reported as a dropped connection naming the URL, not as an answer that is not JSON", async (route, cause) => {
    const { io, err } = capture();
    expect(await runEndpointsCommand(["check", "--api-url", `${base}/${route}`, "--snapshot", tempSnapshot(), "--timeout", "1"], io)).toBe(
      2,
    );
    expect(err.join("")).toBe(`endpoints check: cannot reach ${base}/${route}/meta: the answer stopped after its headers (${cause})\n`);
  });
});

describe("endpoints for GHE.com enterprises (--data-residency, --all)", () => {
  /** Snapshots in a temp folder; github.com at `githubRoute`, each enterprise at `/ghe-SUBDOMAIN` unless `tenantRoute` says otherwise. */
  function places(tenants: Record<string, unknown>, options: { githubRoute?: string; tenantRoute?: string } = {}): EndpointsPlaces {
    const tenantSnapshotsFile = join(mkdtempSync(join(tmpdir(), "egress-ghecom-")), "ghecom-endpoints.json");
    writeFileSync(tenantSnapshotsFile, JSON.stringify(tenants));
    return {
      snapshotFile: tempSnapshot(),
      tenantSnapshotsFile,
      apiUrl: `${base}/${options.githubRoute ?? "same"}`,
      tenantApiUrl: (subdomain) => `${base}/${options.tenantRoute ?? `ghe-${subdomain}`}`,
    };
  }
  const tenantsIn = (where: EndpointsPlaces) => JSON.parse(readFileSync(where.tenantSnapshotsFile, "utf8")) as Record<string, unknown>;

  it("update takes an enterprise's first snapshot into its entry, keeping the others", async () => {
    const where = places({ fabrikam: JSON.parse(formatCatalogSnapshot(SAVED)) });
    const { io, out } = capture();
    expect(await runEndpointsCommand(["update", "--data-residency", "octocorp"], io, where)).toBe(0);
    const tenants = tenantsIn(where);
    expect(Object.keys(tenants)).toEqual(["fabrikam", "octocorp"]);
    const catalog = parseCatalogSnapshot(tenants.octocorp);
    expect([catalog.source.url, catalog.source.etag, catalog.domains, catalog.ipv4]).toEqual([
      `${base}/ghe-octocorp/meta`,
      LIVE_ETAG,
      SAVED.domains,
      SAVED.ipv4,
    ]);
    expect(out.join("").split("\n").slice(1)).toEqual(["It is the first snapshot of this enterprise.", ""]);
  });

  it("check compares with the enterprise's entry: 304 for its ETag, drift when its lists changed", async () => {
    const where = places({});
    await runEndpointsCommand(["update", "--data-residency", "octocorp"], capture().io, where);
    const same = capture();
    expect(await runEndpointsCommand(["check", "--data-residency", "octocorp"], same.io, where)).toBe(0);
    expect(same.out.join("")).toMatch(/^No drift: .*\/ghe-octocorp\/meta answered 304 Not Modified/);
    const changed = capture();
    expect(
      await runEndpointsCommand(["check", "--data-residency", "octocorp"], changed.io, { ...where, tenantApiUrl: () => `${base}/changed` }),
    ).toBe(1);
    expect(changed.out.join("").split("\n").at(-2)).toBe(
      `Refresh the snapshot with \`endpoints update --data-residency octocorp\`, then plan and deploy so firewall and NSG rules follow.`,
    );
  });

  it.each<[string, string[], string]>([
    [
      "an enterprise never snapshotted",
      ["check", "--data-residency", "fabrikam"],
      "endpoints check: ghecom-endpoints.json (fabrikam) holds no snapshot yet; take the first with `endpoints update --data-residency fabrikam`\n",
    ],
    [
      "a subdomain that is no DNS label",
      ["update", "--data-residency", "Octo_Corp"],
      `endpoints update: --data-residency: "Octo_Corp" is not allowed; allowed: a GHE.com subdomain (one DNS label of a-z, 0-9 and '-')\n`,
    ],
    [
      "another host's API",
      ["check", "--data-residency", "octocorp", "--api-url", "https://api.github.com"],
      "endpoints check: --api-url https://api.github.com contradicts --data-residency octocorp; allowed: ",
    ],
    [
      "--all with a target of its own",
      ["check", "--all", "--snapshot", "x.json"],
      "endpoints check: --all covers every snapshot kept here; leave out --snapshot\n",
    ],
  ])("refuses %s (exit 2, nothing fetched or written)", async (_what, argv, message) => {
    const where = places({});
    const before = readFileSync(where.tenantSnapshotsFile, "utf8");
    const requests = seen.length;
    const { io, out, err } = capture();
    const code = await runEndpointsCommand(argv, io, where);
    expect([code, out.join("")]).toEqual([2, ""]);
    expect(err.join("").replace(where.tenantSnapshotsFile, "ghecom-endpoints.json")).toContain(message);
    expect([seen.length, readFileSync(where.tenantSnapshotsFile, "utf8")]).toEqual([requests, before]);
  });

  it("--all checks github.com's snapshot and every enterprise's, and exits with the worst outcome", async () => {
    const where = places({});
    await runEndpointsCommand(["update", "--data-residency", "octocorp"], capture().io, where);
    await runEndpointsCommand(["update", "--data-residency", "fabrikam"], capture().io, where);
    expect(await runEndpointsCommand(["check", "--all"], capture().io, where)).toBe(0);
    const drift = capture();
    expect(
      await runEndpointsCommand(["check", "--all"], drift.io, {
        ...where,
        tenantApiUrl: (s) => (s === "fabrikam" ? `${base}/changed` : `${base}/ghe-${s}`),
      }),
    ).toBe(1);
    expect(
      drift.out
        .join("")
        .split("\n")
        .filter((line) => /^(No drift|Drift)/.test(line))
        .map((line) => line.split(":")[0]),
    ).toEqual(["No drift", "Drift", "No drift"]);
    const failing = capture();
    expect(await runEndpointsCommand(["check", "--all"], failing.io, { ...where, apiUrl: `${base}/error` })).toBe(2);
    expect(failing.err.join("")).toBe(`github.com: ${base}/error/meta answered HTTP 500 Internal Server Error: boom\n`);
  });

  it("update --all refreshes every snapshot that changed", async () => {
    const where = places({});
    await runEndpointsCommand(["update", "--data-residency", "octocorp"], capture().io, where);
    expect(await runEndpointsCommand(["update", "--all"], capture().io, { ...where, tenantApiUrl: () => `${base}/changed` })).toBe(0);
    expect(parseCatalogSnapshot(tenantsIn(where).octocorp).domains.standard).toContain("new-service.actions.githubusercontent.com");
  });
});
