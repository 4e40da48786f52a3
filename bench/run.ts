/**
 * `npm run bench`: wall time and peak memory of the offline plan for 1 network and for one
 * network per supported region, beside a hand-written azure-native program that creates the same
 * resources under the same mocks. Each run is a fresh process; the median of several is reported.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SUPPORTED_REGIONS } from "../components/lib/regions";
import { table } from "../cli/render";

const ROOT = resolve(__dirname, "..");
const TSX_LOADER = join(ROOT, "node_modules", "tsx", "dist", "loader.mjs");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_RATIO = 1.3;
const work = mkdtempSync(join(tmpdir(), "agrn-bench-"));

function stackFile(networks: number): string {
  const entries = SUPPORTED_REGIONS.x64
    .slice(0, networks)
    .map(
      (region, index) =>
        `    - { name: net-${index + 1}, location: ${region}, addressSpace: 10.${index + 1}.0.0/16, maxConcurrentRunners: 100 }`,
    )
    .join("\n");
  const file = join(work, `Pulumi.bench${networks}.yaml`);
  writeFileSync(
    file,
    `config:\n  azure-github-runner-network:github: { businessId: "12345678", scope: organization, slug: my-org }\n  azure-github-runner-network:networks:\n${entries}\n  azure-github-runner-network:tags: { owner: platform-team }\n`,
  );
  return file;
}

function measure(args: string[]): { seconds: number; bytes: number } {
  const rssFile = join(work, "rss");
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ["--require", join(ROOT, "bench", "peak-rss.cjs"), "--import", TSX_LOADER, ...args], {
    cwd: ROOT,
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, bytes: Number(readFileSync(rssFile, "utf8")) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function series(args: string[]) {
  measure(args); // warm the transpile cache; not counted
  const samples = Array.from({ length: RUNS }, () => measure(args));
  return { seconds: median(samples.map((s) => s.seconds)), bytes: median(samples.map((s) => s.bytes)) };
}

const rows: string[][] = [["networks", "plan time", "baseline time", "ratio", "plan peak RSS", "baseline peak RSS", "ratio", "target met"]];
let allMet = true;
for (const networks of [1, SUPPORTED_REGIONS.x64.length]) {
  const plan = series([join(ROOT, "cli", "main.ts"), "plan", "--json", "--config", stackFile(networks)]);
  const baseline = series([join(ROOT, "bench", "baseline-program.ts"), String(networks)]);
  const timeRatio = plan.seconds / baseline.seconds;
  const memoryRatio = plan.bytes / baseline.bytes;
  const met = timeRatio <= TARGET_RATIO && memoryRatio <= TARGET_RATIO;
  allMet &&= met;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  rows.push([
    String(networks),
    `${plan.seconds.toFixed(2)} s`,
    `${baseline.seconds.toFixed(2)} s`,
    timeRatio.toFixed(2),
    mib(plan.bytes),
    mib(baseline.bytes),
    memoryRatio.toFixed(2),
    met ? "yes" : "no",
  ]);
}

console.log(`median of ${RUNS} runs each, Node ${process.versions.node}, target <= ${TARGET_RATIO}x baseline`);
for (const line of table(rows, "")) console.log(line);
process.exitCode = allMet ? 0 : 1;
