/**
 * `npm run bench [-- --quick] [-- --runs N] [-- --no-readme] [-- --sizes 2,23]`: the README's own command,
 * `npm run --silent plan -- --json`, on generated stacks of 1 to 100 networks, against a
 * hand-written program that registers the same resources under the same mocks
 * (bench/baseline-program.cjs, which imports nothing from this repository). Every run is a fresh
 * process tree; runs are paired and interleaved (the first of each pair alternates), so the two
 * sides of a ratio saw the same load. Reports medians and spreads, paired ratios, peak memory, the
 * time per added network of both, and the human plan against the JSON plan at 100 networks;
 * writes the table into README.md between its bench markers (not with --quick or --sizes, which
 * measures the listed sizes only, with no slope). Exit 1 when a target is missed, 2 when the two
 * sides do not register the same resources or an option is wrong (bench/options.ts).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { benchOptions } from "./options";
import { markdownTable, replaceBetweenMarkers } from "./readme";
import { registrationDifferences, type Registration } from "./registrations";
import { baselineSpec, benchNetworks, stackConfigYaml } from "./stacks";
import { linearFit, median, pairedRatio, spread } from "./stats";

const ROOT = resolve(__dirname, "..");
const WORK = join(ROOT, ".bench");
const PEAK_RSS = join(ROOT, "bench", "peak-rss.cjs");
const BASELINE = join(ROOT, "bench", "baseline-program.cjs");
const PROJECT = "azure-github-runner-network";

/** Sizes in the table, sizes the slope is fitted over, and where the human plan is timed. */
const REPORTED_SIZES = [1, 2, 23, 50, 100];
const SLOPE_SIZES = [1, 10, 50, 100];
const HUMAN_PLAN_SIZE = 100;
/** Where the hand-written program also runs with Node's compile cache. */
const COMPILE_CACHE_SIZE = 2;
/** Issue 15's targets: at most this many times the hand-written program's time and peak memory. */
const TARGETS: Record<number, { time: number; memory: number }> = { 2: { time: 0.8, memory: 1.0 }, 23: { time: 1.0, memory: 1.1 } };
/** The human plan may take at most this many times the JSON plan's time. */
const HUMAN_OVER_JSON = 1.3;

const parsed = benchOptions(process.argv.slice(2));
if ("problems" in parsed) {
  process.stderr.write(`${parsed.problems.join("\n")}\n`);
  process.exit(2);
}
const { runs, sizes: onlySizes, writeReadme } = parsed.options;

interface Sample {
  seconds: number;
  peakBytes: number;
}

interface Subject {
  label: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** npm as the user runs it: the npm running this script, else the one on PATH. */
const npm = (args: string[]): Pick<Subject, "command" | "args"> =>
  process.env.npm_execpath ? { command: process.execPath, args: [process.env.npm_execpath, ...args] } : { command: "npm", args };

const planSubject = (configFile: string, json: boolean): Subject => ({
  label: json ? "plan --json" : "plan",
  ...npm(["run", "--silent", "plan", "--", ...(json ? ["--json"] : []), "--config", configFile]),
});
const baselineSubject = (specFile: string): Subject => ({ label: "hand-written", command: process.execPath, args: [BASELINE, specFile] });
/** The hand-written program with Node's compile cache on too, as the CLI turns it on for itself: what the cache alone is worth. */
const cachedBaselineSubject = (specFile: string): Subject => ({
  ...baselineSubject(specFile),
  label: "hand-written, compile cache",
  env: { NODE_COMPILE_CACHE: join(WORK, "compile-cache") },
});

/** Runs a command to its end: wall time, the largest peak RSS among its Node processes, and its stdout. */
function measure(subject: Subject): Promise<Sample & { stdout: string }> {
  const rssDir = mkdtempSync(join(WORK, "rss-"));
  const env = { ...process.env, ...subject.env, NODE_OPTIONS: `--require ${JSON.stringify(PEAK_RSS)}`, BENCH_RSS_DIR: rssDir };
  const started = process.hrtime.bigint();
  const child = spawn(subject.command, subject.args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peaks = readdirSync(rssDir).map((file) => Number(readFileSync(join(rssDir, file), "utf8")));
      rmSync(rssDir, { recursive: true, force: true });
      if (code !== 0) return fail(new Error(`${subject.label} exited ${code}:\n${Buffer.concat(stderr).toString()}`));
      if (peaks.length === 0) return fail(new Error(`${subject.label}: no process reported its peak memory`));
      done({ seconds, peakBytes: Math.max(...peaks), stdout: Buffer.concat(stdout).toString() });
    });
  });
}

interface SizeResult {
  networks: number;
  samples: Map<string, Sample[]>;
}

async function benchmarkSize(networks: number): Promise<SizeResult> {
  const stack = `bench-${networks}`;
  const configFile = join(WORK, `Pulumi.${stack}.yaml`);
  const specFile = join(WORK, `${stack}.json`);
  const layout = benchNetworks(networks);
  writeFileSync(configFile, stackConfigYaml(layout));
  writeFileSync(specFile, JSON.stringify(baselineSpec(layout, PROJECT, stack)));
  const subjects = [
    planSubject(configFile, true),
    baselineSubject(specFile),
    ...(networks === HUMAN_PLAN_SIZE ? [planSubject(configFile, false)] : []),
    ...(networks === COMPILE_CACHE_SIZE ? [cachedBaselineSubject(specFile)] : []),
  ];

  // One untimed run of each first: it fills caches, and shows that both sides register the same resources.
  const plan = (await measure(subjects[0])).stdout;
  const baseline = (await measure(subjects[1])).stdout;
  const differences = registrationDifferences(
    (JSON.parse(plan) as { resources: Registration[] }).resources,
    (JSON.parse(baseline) as { resources: Registration[] }).resources,
  );
  if (differences.length) {
    process.stderr.write(
      `${networks} networks: the plan and the hand-written program differ:\n${differences.map((d) => `  ${d}`).join("\n")}\n`,
    );
    process.exit(2);
  }
  for (const subject of subjects.slice(2)) await measure(subject);

  const samples = new Map<string, Sample[]>(subjects.map((subject) => [subject.label, []]));
  for (let round = 0; round < runs; round++) {
    // Rotated each round: no side always runs first.
    const order = subjects.map((_, index) => subjects[(index + round) % subjects.length]);
    for (const subject of order) {
      const { seconds, peakBytes } = await measure(subject);
      samples.get(subject.label)!.push({ seconds, peakBytes });
    }
    process.stderr.write(`  ${networks} networks: round ${round + 1}/${runs}\n`);
  }
  return { networks, samples };
}

/** One subject's runs at one size: wall times and peak memory, in run order (paired with the other subjects' runs). */
function series(results: Map<number, SizeResult>, networks: number, label: string): { seconds: number[]; bytes: number[] } {
  const samples = results.get(networks)!.samples.get(label)!;
  return { seconds: samples.map((s) => s.seconds), bytes: samples.map((s) => s.peakBytes) };
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const timeSpread = (values: number[]) => {
  const { min, max } = spread(values);
  return `${seconds(median(values))} (${min.toFixed(2)}–${max.toFixed(2)})`;
};
const memorySpread = (values: number[]) => {
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  const { min, max } = spread(values);
  return `${mib(median(values))} MiB (${mib(min)}–${mib(max)})`;
};

async function main() {
  mkdirSync(WORK, { recursive: true });
  const loadBefore = loadavg()[0];
  const sizes = [...new Set(onlySizes ?? [...REPORTED_SIZES, ...SLOPE_SIZES])].sort((a, b) => a - b);
  const results = new Map<number, SizeResult>();
  for (const networks of sizes) {
    process.stderr.write(`${networks} networks\n`);
    results.set(networks, await benchmarkSize(networks));
  }
  const loadAfter = loadavg()[0];

  let allMet = true;
  const verdict = (met: boolean) => {
    allMet &&= met;
    return met ? "met" : "**missed**";
  };
  const rows = (onlySizes ? sizes : REPORTED_SIZES).map((networks) => {
    const plan = series(results, networks, "plan --json");
    const baseline = series(results, networks, "hand-written");
    const timeRatio = pairedRatio(plan.seconds, baseline.seconds);
    const memoryRatio = pairedRatio(plan.bytes, baseline.bytes);
    const target = TARGETS[networks];
    const met = target && verdict(timeRatio <= target.time && memoryRatio <= target.memory);
    return [
      String(networks),
      timeSpread(plan.seconds),
      timeSpread(baseline.seconds),
      timeRatio.toFixed(2),
      memorySpread(plan.bytes),
      memorySpread(baseline.bytes),
      memoryRatio.toFixed(2),
      target ? `time ≤ ${target.time}, memory ≤ ${target.memory}: ${met}` : "",
    ];
  });
  const fit = (label: string) =>
    linearFit(SLOPE_SIZES.map((networks) => ({ x: networks, y: median(series(results, networks, label).seconds) })));
  const summary: string[] = [];
  if (SLOPE_SIZES.every((networks) => results.has(networks))) {
    const [planSlope, baselineSlope] = [fit("plan --json").slope, fit("hand-written").slope];
    summary.push(
      `Time per added network (least squares over ${SLOPE_SIZES.join(", ")} networks): the plan ${seconds(planSlope)}, the hand-written`,
      `program ${seconds(baselineSlope)}; target no steeper: ${verdict(planSlope <= baselineSlope)}.`,
    );
  }
  if (results.has(HUMAN_PLAN_SIZE)) {
    const humanRatio = pairedRatio(
      series(results, HUMAN_PLAN_SIZE, "plan").seconds,
      series(results, HUMAN_PLAN_SIZE, "plan --json").seconds,
    );
    summary.push(
      `The human plan at ${HUMAN_PLAN_SIZE} networks takes ${humanRatio.toFixed(2)}x the JSON plan's time; target ≤ ${HUMAN_OVER_JSON}: ${verdict(humanRatio <= HUMAN_OVER_JSON)}.`,
    );
  }
  if (results.has(COMPILE_CACHE_SIZE)) {
    const cached = series(results, COMPILE_CACHE_SIZE, "hand-written, compile cache");
    const cachedRatio = pairedRatio(series(results, COMPILE_CACHE_SIZE, "plan --json").seconds, cached.seconds);
    summary.push(
      `The CLI turns on Node's compile cache; with it on for the hand-written program too, that program takes ${timeSpread(cached.seconds)}`,
      `at ${COMPILE_CACHE_SIZE} networks and the plan ${cachedRatio.toFixed(2)}x its time (no target).`,
    );
  }

  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const lines = [
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpu}, ${availableParallelism()} cores, Node ${process.versions.node};`,
    `load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end; ${runs} paired runs per size;`,
    "median (fastest–slowest); ratios are medians of the paired runs' ratios.",
    "",
    ...markdownTable(
      [
        "networks",
        "`plan --json` time",
        "hand-written time",
        "time ratio",
        "`plan --json` peak memory",
        "hand-written peak memory",
        "memory ratio",
        "target",
      ],
      rows,
    ),
    "",
    ...summary,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (writeReadme) {
    const readme = join(ROOT, "README.md");
    writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, "utf8"), lines.join("\n")));
    process.stderr.write("README.md: the table between the bench markers is rewritten\n");
  }
  process.exitCode = allMet ? 0 : 1;
}

void main();
