/**
 * Regenerates the endpoint catalog snapshot from a saved `/meta` response, with the same code
 * `endpoints update` uses for a live one.
 * Usage: tsx scripts/generate-catalog.ts <meta.json> <url> <taken-at> [via] [--out FILE] [--etag ETAG]
 * The committed snapshot comes from:
 *   tsx scripts/generate-catalog.ts components/data/meta/github-meta-2026-08-22.json https://api.github.com/meta 2026-08-22 "<via>"
 * with <via> as recorded in the snapshot's `source.via`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_SNAPSHOT_FILE, EndpointsError, generateSnapshot, renderIgnored, writeSnapshotFile } from "../cli/endpoints";

const USAGE = "usage: tsx scripts/generate-catalog.ts <meta.json> <url> <taken-at> [via] [--out FILE] [--etag ETAG]";

function main(): number {
  const { values, positionals } = parseArgs({
    options: { out: { type: "string" }, etag: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const [file, url, takenAt, via] = positionals;
  if (!file || !url || !takenAt || positionals.length > 4) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    process.stderr.write(`cannot read ${file} as JSON: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const { catalog, ignored } = generateSnapshot(meta, { url, takenAt, via, etag: values.etag });
    process.stderr.write(renderIgnored(ignored));
    const target = values.out ?? DEFAULT_SNAPSHOT_FILE;
    writeSnapshotFile(target, catalog);
    process.stdout.write(
      `wrote ${target}: ${catalog.ipv4.length} IPv4 + ${catalog.ipv6.length} IPv6 CIDRs, ${catalog.domains.exact.length}/${catalog.domains.standard.length}/${catalog.domains.wildcard.length} exact/standard/wildcard domains, ${catalog.attestationDomains.length} artifact attestation domains\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof EndpointsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
}

process.exitCode = main();
