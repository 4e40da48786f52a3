/**
 * `endpoints`: the catalog of what runners must reach, kept in step with GitHub's meta endpoint.
 *   show   [--level L] [--format text|fqdn|json] [--json]   print the allow-list
 *   check  [--api-url URL]   compare the live /meta with the snapshot (exit 0 same, 1 drift, 2 error)
 *   update [--api-url URL]   rewrite the snapshot from the live /meta
 * Every subcommand takes `--snapshot FILE` (default: the committed components/data/github-endpoints.json).
 *
 * GitHub asks for a weekly check: a domain is published at least a week before it is used, and
 * the endpoint carries no "last updated" date (shared/reference/github-docs-private-networking-excerpts.md,
 * "DNS/domain control"). The check therefore compares content, and sends the stored ETag so an
 * unchanged list costs a 304 (openapi-meta-path.yaml lists 304 for GET /meta).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  AZURE_SERVICE_TAGS,
  CATALOG_LISTS,
  DEFAULT_DOMAIN_LEVEL,
  DOMAIN_LEVEL_META_PATHS,
  DOMAIN_LEVELS,
  GITHUB_RANGE_SERVICES,
  catalogFromLists,
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
import { isLoopbackUrl } from "../components/lib/loopback";
import { redactSecrets } from "../components/lib/redact";
import { parseRetryAfter } from "../components/lib/retry-after";
import { EXIT, isParseArgsError } from "./command";

export const DEFAULT_SNAPSHOT_FILE = join(__dirname, "..", "components", "data", "github-endpoints.json");
export const DEFAULT_API_URL = GITHUB_API_URL;
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

/** Writes the snapshot through a temporary file, so an interrupted write never leaves half a file. */
export function writeSnapshotFile(file: string, catalog: EndpointCatalog): void {
  const temporary = join(dirname(file), `.${process.pid}.github-endpoints.tmp`);
  writeFileSync(temporary, formatCatalogSnapshot(catalog));
  renameSync(temporary, file);
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
  "api-url": { type: "string", default: DEFAULT_API_URL },
  timeout: { type: "string", default: String(DEFAULT_TIMEOUT_SECONDS) },
} as const;

async function fetchForSnapshot(values: { snapshot?: string; "api-url"?: string; timeout?: string }) {
  const snapshotFile = values.snapshot ?? DEFAULT_SNAPSHOT_FILE;
  const snapshot = readSnapshotFile(snapshotFile);
  const url = metaUrl(values["api-url"]!);
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 600))
    throw new EndpointsError(`--timeout: "${values.timeout}" is not allowed; allowed: seconds, 1-600`);
  // The stored ETag only describes the URL it came from.
  const etag = snapshot.source.url === url ? snapshot.source.etag : undefined;
  const response = await fetchMeta({ url, token: process.env.GITHUB_TOKEN || undefined, etag, timeoutSeconds });
  return { snapshotFile, snapshot, url, response };
}

const display = (file: string) => (relative(process.cwd(), file).startsWith("..") ? file : relative(process.cwd(), file) || file);

async function check(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, options: REMOTE_OPTIONS, strict: true });
  const { snapshotFile, snapshot, url, response } = await fetchForSnapshot(values);
  const against = `${display(snapshotFile)} (taken ${snapshot.source.takenAt})`;
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
  const updateCommand = [
    "endpoints update",
    ...(values["api-url"] !== DEFAULT_API_URL ? [`--api-url ${values["api-url"]}`] : []),
    ...(values.snapshot ? [`--snapshot ${values.snapshot}`] : []),
  ].join(" ");
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

async function update(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, options: REMOTE_OPTIONS, strict: true });
  const { snapshotFile, snapshot, url, response } = await fetchForSnapshot(values);
  if (response.kind === "notModified") {
    io.out(`${url} answered 304 Not Modified; ${display(snapshotFile)} is current and was left as it is.\n`);
    return EXIT.ok;
  }
  const { catalog, ignored } = generateSnapshot(response.body, { url, takenAt: new Date().toISOString(), etag: response.etag });
  io.err(renderIgnored(ignored));
  const drift = diffCatalogs(snapshot, catalog);
  writeSnapshotFile(snapshotFile, catalog);
  io.out(
    [
      `Wrote ${display(snapshotFile)} from ${url} (${catalog.source.takenAt}${catalog.source.etag ? `, ETag ${catalog.source.etag}` : ""}).`,
      drift.length === 0 ? "The lists are unchanged." : `${drift.length} of ${CATALOG_LISTS.length} lists changed:`,
      ...renderDrift(drift),
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

function show(argv: string[], io: Output): number {
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
  io.out(renderAllowList(values.snapshot ? readSnapshotFile(values.snapshot) : readSnapshotFile(DEFAULT_SNAPSHOT_FILE), level, format));
  return EXIT.ok;
}

export const ENDPOINTS_USAGE = `  endpoints show [--level exact|standard|wildcard] [--format text|fqdn|json | --json] [--snapshot FILE]
                                  print the allow-list for your own firewall (default level: standard)
  endpoints check [--api-url URL] [--snapshot FILE] [--timeout SECONDS]
                                  compare GitHub's live /meta with the snapshot
                                  (exit 0 no drift, 1 drift, 2 error; GITHUB_TOKEN is used when set)
  endpoints update [--api-url URL] [--snapshot FILE] [--timeout SECONDS]
                                  rewrite the snapshot from GitHub's live /meta
`;

/** `endpoints --help`. */
export const ENDPOINTS_HELP = `usage: azure-github-runner-network endpoints <show|check|update> [options]

The endpoint catalog: what runners must reach, from GitHub's meta endpoint. --snapshot FILE
defaults to the catalog this package ships (components/data/github-endpoints.json).

${ENDPOINTS_USAGE}
exit codes: ${EXIT.ok} done (check: no drift); ${EXIT.drift} check: drift; ${EXIT.invalidInput} usage, an unreadable snapshot, or GitHub
  unreachable or answering with an error (the snapshot is left as it was); ${EXIT.internal} internal error
`;

/** Runs `endpoints <subcommand>`; returns the exit code. Errors a user can fix print one line. */
export async function runEndpointsCommand(argv: string[], io: Output = stdio): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    switch (subcommand) {
      case "show":
        return show(rest, io);
      case "check":
        return await check(rest, io);
      case "update":
        return await update(rest, io);
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
