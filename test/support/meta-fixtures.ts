/**
 * GitHub's saved `/meta` response as a fixture (it never changes, unlike the committed snapshot,
 * which the weekly update rewrites), and a throwaway HTTP server on 127.0.0.1 to answer as `/meta`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogFromMeta, formatCatalogSnapshot } from "../../components/lib/catalog";
import { REPO } from "./cli";

export const SAVED_META_FILE = join(REPO, "components", "data", "meta", "github-meta-2026-08-22.json");
export const SAVED_META_TEXT = readFileSync(SAVED_META_FILE, "utf8");
/** The catalog of the saved response, as the first snapshot was taken. */
export const SAVED_CATALOG = catalogFromMeta(JSON.parse(SAVED_META_TEXT), { url: "https://api.github.com/meta", takenAt: "2026-08-22" });

/** A snapshot file of SAVED_CATALOG in a fresh temp folder. */
export function savedSnapshotFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "egress-snapshot-")), "github-endpoints.json");
  writeFileSync(file, formatCatalogSnapshot(SAVED_CATALOG));
  return file;
}

/** Serves `handler` on 127.0.0.1 at a free port until `close`. */
export async function serveOnLoopback(handler: RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
