/**
 * Regenerates components/data/github-endpoints.json from a saved `/meta` response.
 * Usage: tsx scripts/generate-catalog.ts <meta.json> <url> <taken-at> [via]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogFromMeta } from "../components/lib/catalog";

const [file, url, takenAt, via] = process.argv.slice(2);
if (!file || !url || !takenAt) {
  console.error("usage: tsx scripts/generate-catalog.ts <meta.json> <url> <taken-at> [via]");
  process.exit(2);
}
const catalog = catalogFromMeta(JSON.parse(readFileSync(file, "utf8")), { url, takenAt, ...(via ? { via } : {}) });
const target = join(__dirname, "..", "components", "data", "github-endpoints.json");
writeFileSync(target, `${JSON.stringify(catalog, null, 2)}\n`);
console.log(`wrote ${target}: ${catalog.ipv4.length} IPv4 + ${catalog.ipv6.length} IPv6 CIDRs`);
