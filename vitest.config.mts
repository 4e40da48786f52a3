import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/** Tiers with their own config and command: they build or install the package from scratch, or run the real engine. */
const SEPARATE_TIERS = [
  "test/engine/**/*.engine.test.ts", // npm run test:engine
  "test/consumer/**/*.test.ts", // npm run test:package
  "test/workflows/endpoints-weekly-update.test.ts", // npm run test:package
];

/**
 * Test files that run Pulumi's runtime in their own process (mocks, the offline engine, the plan
 * in process) or replace modules (vi.mock): each gets a fresh process. The others share their
 * worker's modules from file to file, which spares loading them again.
 */
const OWN_PROCESS = /\b(setMocks|pulumi\.runtime|startOfflineEngine|planStack|runProgram|vi\.mock)\b|support\/(offline|policy-views)"/;
const testFiles = readdirSync("test", { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => join("test", file));
const ownProcess = testFiles.filter((file) => OWN_PROCESS.test(readFileSync(file, "utf8")));

export default defineConfig({
  test: {
    // dist/ and policy-pack/ up to date before any file runs: the CLI tests run the compiled CLI.
    globalSetup: ["test/support/global-setup.ts"],
    // Each test process loads what it uses as the CLI does (compile cache, Pulumi's serializer on first use).
    setupFiles: ["test/support/worker-setup.ts"],
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
