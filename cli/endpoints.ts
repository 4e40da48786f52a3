/**
 * `endpoints`: the catalog of what runners must reach, kept in step with GitHub's meta endpoint.
 *   show   [--level L] [--format text|fqdn|json] [--json]   print the allow-list
 *   check  [--api-url URL]   compare the live /meta with the snapshot (exit 0 same, 1 drift, 2 error)
 *   update [--api-url URL]   rewrite the snapshot from the live /meta
 * Every subcommand takes `--snapshot FILE` (default: the committed components/data/github-endpoints.json).
 * check and update take `--data-residency SUBDOMAIN` for a GHE.com enterprise: its own
 * `https://api.SUBDOMAIN.ghe.com/meta`, kept as one entry of components/data/ghecom-endpoints.json.
 *
 * GitHub asks for a weekly check: a domain is published at least a week before it is used, and
 * the endpoint carries no "last updated" date (shared/reference/github-docs-private-networking-excerpts.md,
 * "DNS/domain control"). The check therefore compares content, and sends the stored ETag so an
 * unchanged list costs a 304 (openapi-meta-path.yaml lists 304 for GET /meta).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  AZURE_SERVICE_TAGS,
  CATALOG_LISTS,
  DEFAULT_DOMAIN_LEVEL,
  DOMAIN_LEVEL_META_PATHS,
  DOMAIN_LEVELS,
  GITHUB_RANGE_SERVICES,
  catalogFromLists,
  compareText,
  diffCatalogs,
  formatCatalogSnapshot,
  isEmptyCatalog,
  parseCatalogSnapshot,
  parseMeta,
  type CatalogSource,
  type DomainLevel,
  type EndpointCatalog,
  type IgnoredMetaEntry,
  type ListDrift,
} from "../components/lib/catalog";
import { documentedAdditions, levelDomains } from "../components/lib/firewall-rules";
import { describeFailure, readAnswerText } from "../components/github/client";
import { GITHUB_API_URL, GITHUB_API_VERSION } from "../components/lib/github-rules";
import { GHECOM_SUBDOMAIN_PATTERN, gheComApiUrl } from "../components/lib/ghecom";
import { isLoopbackUrl, isLoopbackUrlText } from "../components/lib/loopback";
import { redactSecrets } from "../components/lib/redact";
import { parseRetryAfter } from "../components/lib/retry-after";
import { EXIT, isParseArgsError } from "./command";

/**
 * Where a data file the commands read and `update` rewrites is: components/data/ of a checkout,
 * also when this runs compiled from dist/cli/ (npm run endpoints), where the build's copies beside
 * the compiled code would be the wrong ones to rewrite; in an installed package, which ships only
 * the build, those copies.
 */
export function defaultDataFile(moduleDir: string, name: string, exists: (path: string) => boolean = existsSync): string {
  const committed = join(moduleDir, "..", "..", "components", "data");
  const fromCheckoutBuild = basename(dirname(moduleDir)) === "dist" && exists(committed);
  return join(fromCheckoutBuild ? committed : join(moduleDir, "..", "components", "data"), name);
}

export const DEFAULT_SNAPSHOT_FILE = defaultDataFile(__dirname, "github-endpoints.json");
/** GHE.com enterprises' snapshots, one entry per subdomain (components/lib/ghecom.ts reads them). */
export const DEFAULT_TENANT_SNAPSHOTS_FILE = defaultDataFile(__dirname, "ghecom-endpoints.json");
export const DEFAULT_API_URL = GITHUB_API_URL;

/** Where snapshots and meta endpoints are by default; tests point them at temp files and a local server. */
export interface EndpointsPlaces {
  snapshotFile: string;
  tenantSnapshotsFile: string;
  apiUrl: string;
  tenantApiUrl: (subdomain: string) => string;
}

const PLACES: EndpointsPlaces = {
  snapshotFile: DEFAULT_SNAPSHOT_FILE,
  tenantSnapshotsFile: DEFAULT_TENANT_SNAPSHOTS_FILE,
  apiUrl: DEFAULT_API_URL,
  tenantApiUrl: (subdomain) => gheComApiUrl({ subdomain }),
};
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** A failure the user can act on: printed as one line, exit 2, snapshot untouched. */
export class EndpointsError extends Error {}

export function readSnapshotFile(file: string): EndpointCatalog {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new EndpointsError(`cannot read snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseCatalogSnapshot(JSON.parse(text));
  } catch (error) {
    throw new EndpointsError(`snapshot ${file} is unusable: ${(error as Error).message}`);
  }
}

/** Writes a file through a temporary one, so an interrupted write never leaves half a file. */
function replaceFile(file: string, text: string): void {
  const temporary = join(dirname(file), `.${process.pid}.github-endpoints.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export function writeSnapshotFile(file: string, catalog: EndpointCatalog): void {
  replaceFile(file, formatCatalogSnapshot(catalog));
}

/** Where check and update read and write a snapshot: a snapshot file, or one enterprise's entry in the GHE.com file. */
interface SnapshotStore {
  /** How messages name it. */
  label: string;
  /** The stored catalog; undefined for an enterprise never snapshotted. */
  read(): EndpointCatalog | undefined;
  write(catalog: EndpointCatalog): void;
  /** The options that name it again, for the update command a check suggests. */
  flags: string[];
}

function fileStore(file: string, given: string | undefined): SnapshotStore {
  return {
    label: display(file),
    read: () => readSnapshotFile(file),
    write: (catalog) => writeSnapshotFile(file, catalog),
    flags: given ? [`--snapshot ${given}`] : [],
  };
}

function readTenantSnapshots(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new EndpointsError(`cannot read the GHE.com snapshots ${display(file)}: ${reason}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new EndpointsError(`${display(file)} is not a map of GHE.com subdomains to snapshots`);
  return parsed as Record<string, unknown>;
}

function tenantStore(file: string, subdomain: string, given: string | undefined): SnapshotStore {
  return {
    label: `${display(file)} (${subdomain})`,
    read: () => {
      const snapshots = readTenantSnapshots(file);
      if (!Object.hasOwn(snapshots, subdomain)) return undefined;
      try {
        return parseCatalogSnapshot(snapshots[subdomain]);
      } catch (error) {
        throw new EndpointsError(`the snapshot of ${subdomain} in ${display(file)} is unusable: ${(error as Error).message}`);
      }
    },
    write: (catalog) => {
      const snapshots = { ...readTenantSnapshots(file), [subdomain]: JSON.parse(formatCatalogSnapshot(catalog)) as unknown };
      const sorted = Object.fromEntries(
        Object.keys(snapshots)
          .sort(compareText)
          .map((key) => [key, snapshots[key]]),
      );
      replaceFile(file, `${JSON.stringify(sorted, null, 2)}\n`);
    },
    flags: [`--data-residency ${subdomain}`, ...(given ? [`--snapshot ${given}`] : [])],
  };
}

/** The generator `endpoints update` and scripts/generate-catalog.ts share. */
export function generateSnapshot(meta: unknown, source: CatalogSource): { catalog: EndpointCatalog; ignored: IgnoredMetaEntry[] } {
  const { lists, ignored } = parseMeta(meta);
  const catalog = catalogFromLists(lists, source);
  if (isEmptyCatalog(catalog)) {
    throw new EndpointsError(
      `the response holds none of the lists the catalog reads (${CATALOG_LISTS.map((l) => l.id).join(", ")}); is it a GitHub /meta response?`,
    );
  }
  return { catalog, ignored };
}

/** The `/meta` URL under an API root. The root is echoed in messages with any user-info redacted. */
export function metaUrl(apiUrl: string): string {
  const shown = redactSecrets(apiUrl);
  let url: URL;
  try {
    url = new URL(apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  } catch {
    throw new EndpointsError(
      `--api-url "${shown}" is not a URL; expected the API root, such as ${DEFAULT_API_URL} or https://api.SUBDOMAIN.ghe.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new EndpointsError(`--api-url "${shown}" must use https (or http)`);
  if (url.username || url.password)
    throw new EndpointsError(`--api-url "${shown}" must not carry credentials; set GITHUB_TOKEN to send a token`);
  return new URL("meta", url).toString();
}

export type MetaResponse = { kind: "notModified" } | { kind: "fetched"; body: unknown; etag?: string };

/**
 * GETs `/meta`. With `etag`, asks for the body only if it changed. Rate limits (403/429 with
 * `x-ratelimit-remaining: 0` or `retry-after`, docs.github.com "Rate limits for the REST API")
 * are reported with the time they end. The timeout covers the whole answer: one that stalls or
 * breaks off after its headers fails as a dropped connection does. No message holds the token
 * or anything shaped like a secret, even when the server quotes the request back.
 */
export async function fetchMeta(options: {
  url: string;
  token?: string;
  etag?: string;
  timeoutSeconds: number;
  now?: () => Date;
}): Promise<MetaResponse> {
  const url = new URL(options.url);
  // Every failure is told through this: redacted as a whole, after any excerpt was cut from redacted text.
  const failure = (message: string) => new EndpointsError(redactSecrets(message, [options.token]));
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "x-github-api-version": GITHUB_API_VERSION,
    "user-agent": "azure-github-runner-network-endpoints",
  };
  if (options.token) {
    // Never send a token in clear text over the network.
    if (url.protocol !== "https:" && !isLoopbackUrl(url))
      throw failure(`refusing to send GITHUB_TOKEN over plain http to ${url.host}; use https`);
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.etag) headers["if-none-match"] = options.etag;
  const signal = AbortSignal.timeout(options.timeoutSeconds * 1000);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: "follow" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${options.timeoutSeconds} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw failure(`cannot reach ${url.href}: ${reason}`);
  }
  let text: string;
  try {
    text = await readAnswerText(response, signal);
  } catch (error) {
    throw failure(
      `cannot reach ${url.href}: the answer stopped after its headers (${describeFailure(error, `${options.timeoutSeconds} s`)})`,
    );
  }
  if (response.status === 304) {
    // Only an answer to If-None-Match says "unchanged"; otherwise a cache or proxy is in the way.
    if (!options.etag)
      throw failure(
        `${url.href} answered 304 Not Modified, but no ETag was sent to compare with; the response says nothing about the lists`,
      );
    return { kind: "notModified" };
  }
  if (response.status === 403 || response.status === 429) {
    const remaining = response.headers.get("x-ratelimit-remaining");
    const reset = response.headers.get("x-ratelimit-reset");
    const retryAfter = response.headers.get("retry-after");
    if (remaining === "0" || retryAfter !== null) {
      const now = (options.now ?? (() => new Date()))();
      // Without a usable reset time or Retry-After, a minute is GitHub's advice for secondary limits.
      const resetAt =
        remaining === "0" && reset !== null && /^\d+$/.test(reset)
          ? new Date(Number(reset) * 1000)
          : new Date(now.getTime() + (parseRetryAfter(retryAfter, now.getTime()) ?? 60_000));
      const hint = options.token ? "" : "; set GITHUB_TOKEN for a higher limit";
      throw failure(`${url.href} is rate limited (HTTP ${response.status}); the limit resets at ${resetAt.toISOString()}${hint}`);
    }
  }
  if (!response.ok) {
    throw failure(`${url.href} answered HTTP ${response.status} ${response.statusText}${errorMessage(text)}`);
  }
  try {
    return { kind: "fetched", body: JSON.parse(text), etag: response.headers.get("etag") ?? undefined };
  } catch {
    const start = redactSecrets(text, [options.token]).slice(0, 40);
    throw failure(`${url.href} did not answer with JSON (body starts with ${JSON.stringify(start)})`);
  }
}

/** GitHub's error bodies carry a `message`; show it when there is one. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === "string" ? `: ${message}` : "";
  } catch {
    return "";
  }
}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new EndpointsError(`${flag}: "${value}" is not allowed; allowed: ${allowed.join(", ")}`);
  return value as T;
}

const FORMATS = ["text", "fqdn", "json"] as const;

/** The allow-list for one level, as the `show` command prints it: the meta list and the documented hosts it lacks. */
export function renderAllowList(catalog: EndpointCatalog, level: DomainLevel, format: (typeof FORMATS)[number]): string {
  const domains = levelDomains(catalog, level);
  const added = documentedAdditions(catalog, level).filter((addition) => addition.port === 443);
  const why = new Map(added.map((addition) => [addition.host, addition.why]));
  if (format === "fqdn") return domains.map((domain) => `${domain}\n`).join("");
  if (format === "json") {
    const document = {
      source: catalog.source,
      level,
      metaPath: DOMAIN_LEVEL_META_PATHS[level],
      domains,
      added: added.map(({ host, why }) => ({ host, why })),
      ipv4: catalog.ipv4,
      ipv6: catalog.ipv6,
      serviceTags: AZURE_SERVICE_TAGS,
    };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const taken = `${catalog.source.url}, taken ${catalog.source.takenAt}${catalog.source.via ? ` via ${catalog.source.via}` : ""}`;
  return [
    `Endpoints GitHub-hosted runners must reach (from ${taken})`,
    "",
    `Domains, ${level} list (${DOMAIN_LEVEL_META_PATHS[level]}, ${catalog.domains[level].length}, and ${added.length} more GitHub documents for runners): allow HTTPS (443) from the runner subnet`,
    ...domains.map((domain) => `  ${domain}${why.has(domain) ? `  (${why.get(domain)})` : ""}`),
    "",
    `GitHub IP ranges (${GITHUB_RANGE_SERVICES.join(", ")}), merged: ${catalog.ipv4.length} IPv4, ${catalog.ipv6.length} IPv6`,
    ...[...catalog.ipv4, ...catalog.ipv6].map((range) => `  ${range}`),
    "",
    "Azure service tags the runner NSG uses",
    ...Object.entries(AZURE_SERVICE_TAGS).map(([tag, why]) => `  ${tag.padEnd(15)} ${why}`),
    "",
  ].join("\n");
}

function renderDrift(drift: readonly ListDrift[]): string[] {
  return drift.flatMap((list) => [
    `  ${list.id} (${list.label}): ${list.added.length} added, ${list.removed.length} removed`,
    ...list.added.map((entry) => `    + ${entry}`),
    ...list.removed.map((entry) => `    - ${entry}`),
  ]);
}

export function renderIgnored(ignored: readonly IgnoredMetaEntry[]): string {
  return ignored.map((entry) => `warning: ignored ${JSON.stringify(entry.value)} in ${entry.list}: ${entry.reason}\n`).join("");
}

const REMOTE_OPTIONS = {
  snapshot: { type: "string" },
  "api-url": { type: "string" },
  "data-residency": { type: "string" },
  timeout: { type: "string", default: String(DEFAULT_TIMEOUT_SECONDS) },
} as const;

type RemoteValues = { snapshot?: string; "api-url"?: string; "data-residency"?: string; timeout?: string };

/** The API root to ask and the snapshot to compare with: github.com's, or a GHE.com enterprise's. */
function remoteTarget(values: RemoteValues, places: EndpointsPlaces): { apiUrl: string; store: SnapshotStore; apiUrlFlag: string[] } {
  const subdomain = values["data-residency"];
  if (subdomain === undefined) {
    const apiUrl = values["api-url"] ?? places.apiUrl;
    return {
      apiUrl,
      store: fileStore(values.snapshot ?? places.snapshotFile, values.snapshot),
      apiUrlFlag: values["api-url"] === undefined || apiUrl === DEFAULT_API_URL ? [] : [`--api-url ${apiUrl}`],
    };
  }
  if (!GHECOM_SUBDOMAIN_PATTERN.test(subdomain))
    throw new EndpointsError(
      `--data-residency: ${JSON.stringify(redactSecrets(subdomain))} is not allowed; allowed: a GHE.com subdomain (one DNS label of a-z, 0-9 and '-')`,
    );
  const own = places.tenantApiUrl(subdomain);
  const given = values["api-url"];
  // Another API root only for an emulator on this machine: the snapshot must describe the enterprise's own /meta.
  if (given !== undefined && given.replace(/\/+$/, "") !== own && !isLoopbackUrlText(given))
    throw new EndpointsError(
      `--api-url ${redactSecrets(given)} contradicts --data-residency ${subdomain}; allowed: ${own} (the default) or a localhost URL`,
    );
  return {
    apiUrl: given ?? own,
    store: tenantStore(values.snapshot ?? places.tenantSnapshotsFile, subdomain, values.snapshot),
    apiUrlFlag: given === undefined ? [] : [`--api-url ${given}`],
  };
}

/** What check and update work on: the stored snapshot (undefined for an enterprise never snapshotted) and where /meta is. */
function prepareRemote(values: RemoteValues, places: EndpointsPlaces) {
  const { apiUrl, store, apiUrlFlag } = remoteTarget(values, places);
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 600))
    throw new EndpointsError(`--timeout: "${values.timeout}" is not allowed; allowed: seconds, 1-600`);
  return { store, snapshot: store.read(), url: metaUrl(apiUrl), timeoutSeconds, flags: [...apiUrlFlag, ...store.flags] };
}

function fetchFor(remote: { snapshot?: EndpointCatalog; url: string; timeoutSeconds: number }): Promise<MetaResponse> {
  // The stored ETag only describes the URL it came from.
  const etag = remote.snapshot?.source.url === remote.url ? remote.snapshot.source.etag : undefined;
  return fetchMeta({ url: remote.url, token: process.env.GITHUB_TOKEN || undefined, etag, timeoutSeconds: remote.timeoutSeconds });
}

const display = (file: string) => (relative(process.cwd(), file).startsWith("..") ? file : relative(process.cwd(), file) || file);

async function checkOne(values: RemoteValues, io: Output, places: EndpointsPlaces): Promise<number> {
  const remote = prepareRemote(values, places);
  const { store, snapshot, url, flags } = remote;
  if (!snapshot)
    throw new EndpointsError(`${store.label} holds no snapshot yet; take the first with \`endpoints update ${flags.join(" ")}\``);
  const response = await fetchFor({ ...remote, snapshot });
  const against = `${store.label} (taken ${snapshot.source.takenAt})`;
  if (response.kind === "notModified") {
    io.out(`No drift: ${url} answered 304 Not Modified for the snapshot's ETag ${snapshot.source.etag}; ${against} is current.\n`);
    return EXIT.ok;
  }
  const { catalog, ignored } = generateSnapshot(response.body, { url, takenAt: new Date().toISOString(), etag: response.etag });
  io.err(renderIgnored(ignored));
  const drift = diffCatalogs(snapshot, catalog);
  if (drift.length === 0) {
    io.out(`No drift: the ${CATALOG_LISTS.length} lists at ${url} match ${against}.\n`);
    return EXIT.ok;
  }
  const updateCommand = ["endpoints update", ...flags].join(" ");
  io.out(
    [
      `Drift: ${drift.length} of ${CATALOG_LISTS.length} lists at ${url} differ from ${against}.`,
      ...renderDrift(drift),
      `Refresh the snapshot with \`${updateCommand}\`, then plan and deploy so firewall and NSG rules follow.`,
      "",
    ].join("\n"),
  );
  return EXIT.drift;
}

async function updateOne(values: RemoteValues, io: Output, places: EndpointsPlaces): Promise<number> {
  const remote = prepareRemote(values, places);
  const { store, snapshot, url } = remote;
  const response = await fetchFor(remote);
  if (response.kind === "notModified") {
    io.out(`${url} answered 304 Not Modified; ${store.label} is current and was left as it is.\n`);
    return EXIT.ok;
  }
  const { catalog, ignored } = generateSnapshot(response.body, { url, takenAt: new Date().toISOString(), etag: response.etag });
  io.err(renderIgnored(ignored));
  const drift = snapshot ? diffCatalogs(snapshot, catalog) : [];
  store.write(catalog);
  io.out(
    [
      `Wrote ${store.label} from ${url} (${catalog.source.takenAt}${catalog.source.etag ? `, ETag ${catalog.source.etag}` : ""}).`,
      !snapshot
        ? "It is the first snapshot of this enterprise."
        : drift.length === 0
          ? "The lists are unchanged."
          : `${drift.length} of ${CATALOG_LISTS.length} lists changed:`,
      ...renderDrift(drift),
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

/**
 * check or update of one snapshot, or with `--all` of every snapshot kept here: github.com's and
 * each GHE.com enterprise's (the weekly workflow). With --all, one target's error does not stop
 * the others; the exit code is the worst of them (error, then drift).
 */
async function remoteCommand(
  argv: string[],
  io: Output,
  places: EndpointsPlaces,
  one: (values: RemoteValues, io: Output, places: EndpointsPlaces) => Promise<number>,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...REMOTE_OPTIONS, all: { type: "boolean", default: false } }, strict: true });
  const { all, ...target } = values;
  if (!all) return one(target, io, places);
  const conflicting = (["api-url", "data-residency", "snapshot"] as const).filter((flag) => target[flag] !== undefined);
  if (conflicting.length)
    throw new EndpointsError(`--all covers every snapshot kept here; leave out ${conflicting.map((f) => `--${f}`).join(", ")}`);
  const targets: RemoteValues[] = [
    { timeout: target.timeout },
    ...Object.keys(readTenantSnapshots(places.tenantSnapshotsFile))
      .sort(compareText)
      .map((subdomain) => ({ timeout: target.timeout, "data-residency": subdomain })),
  ];
  const codes: number[] = [];
  for (const each of targets) {
    try {
      codes.push(await one(each, io, places));
    } catch (error) {
      if (!(error instanceof EndpointsError)) throw error;
      io.err(`${each["data-residency"] ?? "github.com"}: ${error.message}\n`);
      codes.push(EXIT.invalidInput);
    }
  }
  return codes.includes(EXIT.invalidInput) ? EXIT.invalidInput : codes.includes(EXIT.drift) ? EXIT.drift : EXIT.ok;
}

function show(argv: string[], io: Output, places: EndpointsPlaces): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      level: { type: "string", default: DEFAULT_DOMAIN_LEVEL },
      format: { type: "string" },
      json: { type: "boolean", default: false },
      snapshot: { type: "string" },
    },
    strict: true,
  });
  const level = oneOf("--level", values.level, DOMAIN_LEVELS);
  if (values.json && values.format !== undefined && values.format !== "json")
    throw new EndpointsError(`--json contradicts --format ${values.format}; give one of them`);
  const format = values.json ? "json" : oneOf("--format", values.format ?? "text", FORMATS);
  io.out(renderAllowList(readSnapshotFile(values.snapshot ?? places.snapshotFile), level, format));
  return EXIT.ok;
}

export const ENDPOINTS_USAGE = `  endpoints show [--level exact|standard|wildcard] [--format text|fqdn|json | --json] [--snapshot FILE]
                                  print the allow-list for your own firewall (default level: standard)
  endpoints check [--api-url URL | --data-residency SUBDOMAIN] [--snapshot FILE] [--timeout SECONDS]
                                  compare GitHub's live /meta with the snapshot
                                  (exit 0 no drift, 1 drift, 2 error; GITHUB_TOKEN is used when set)
  endpoints update [--api-url URL | --data-residency SUBDOMAIN] [--snapshot FILE] [--timeout SECONDS]
                                  rewrite the snapshot from GitHub's live /meta
  endpoints check --all, endpoints update --all
                                  the same for github.com's snapshot and every GHE.com enterprise's
`;

/** `endpoints --help`. */
export const ENDPOINTS_HELP = `usage: azure-github-runner-network endpoints <show|check|update> [options]

The endpoint catalog: what runners must reach, from GitHub's meta endpoint. --snapshot FILE
defaults to the catalog this package ships (components/data/github-endpoints.json).
--data-residency SUBDOMAIN checks or updates a GHE.com enterprise's own snapshot instead
(https://api.SUBDOMAIN.ghe.com/meta, kept in components/data/ghecom-endpoints.json).

${ENDPOINTS_USAGE}
exit codes: ${EXIT.ok} done (check: no drift); ${EXIT.drift} check: drift; ${EXIT.invalidInput} usage, an unreadable snapshot, or GitHub
  unreachable or answering with an error (the snapshot is left as it was); ${EXIT.internal} internal error
`;

/** Runs `endpoints <subcommand>`; returns the exit code. Errors a user can fix print one line. */
export async function runEndpointsCommand(argv: string[], io: Output = stdio, places: EndpointsPlaces = PLACES): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    switch (subcommand) {
      case "show":
        return show(rest, io, places);
      case "check":
        return await remoteCommand(rest, io, places, checkOne);
      case "update":
        return await remoteCommand(rest, io, places, updateOne);
      default:
        io.err(
          `${subcommand === undefined ? "missing" : `unknown`} endpoints subcommand${subcommand ? ` "${subcommand}"` : ""}; usage:\n${ENDPOINTS_USAGE}`,
        );
        return EXIT.invalidInput;
    }
  } catch (error) {
    if (error instanceof EndpointsError || isParseArgsError(error)) {
      io.err(`endpoints ${subcommand}: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
}
