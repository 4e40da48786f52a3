import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, sep } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { BUILT_AND_SET_UP } from "./vitest.shared.mjs";

/** Tiers with their own config and command: they build or install the package from scratch, or run the real engine. */
const SEPARATE_TIERS = [
  "test/engine/**/*.engine.test.ts", // npm run test:engine
  "test/consumer/**/*.test.ts", // npm run test:package
  "test/workflows/endpoints-weekly-update.test.ts", // npm run test:package
];

/**
 * Test files that run Pulumi's runtime in their own process (mocks, the offline engine, the plan
 * in process) or replace modules (vi.mock), directly or through a helper under test/ they import:
 * each gets a fresh process. The others share their worker's modules from file to file, which
 * spares loading them again.
 */
const RUNS_PULUMI_OR_MOCKS = /\b(setMocks|pulumi\.runtime|startOfflineEngine|planStack|runProgram|vi\.mock)\b/;
const LOCAL_IMPORT = /from "(\.{1,2}\/[^"]+)"/g;

function needsOwnProcess(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (RUNS_PULUMI_OR_MOCKS.test(text)) return true;
  // Helpers under test/ only: the sources name these functions where they define them.
  return [...text.matchAll(LOCAL_IMPORT)]
    .map((match) => `${join(dirname(file), match[1])}.ts`)
    .some((helper) => helper.startsWith(`test${sep}`) && existsSync(helper) && needsOwnProcess(helper, seen));
}

const testFiles = readdirSync("test", { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => join("test", file));
const ownProcess = testFiles.filter((file) => needsOwnProcess(file));

export default defineConfig({
  test: {
    ...BUILT_AND_SET_UP,
    pool: "forks",
    // A test file per core: Vitest's default keeps one core for its own process (one worker on a
    // 2-core machine), which mostly waits, as do the CLI tests for their child processes.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "own process", include: ownProcess, exclude: [...configDefaults.exclude, ...SEPARATE_TIERS] },
      },
      {
        extends: true,
        test: {
          name: "shared process",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SEPARATE_TIERS, ...ownProcess],
          isolate: false,
        },
      },
    ],
  },
});
