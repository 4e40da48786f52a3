import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/** Tiers with their own config and command: they build or install the package from scratch, or run the real engine. */
const SEPARATE_TIERS = [
  "test/engine/**/*.engine.test.ts", // npm run test:engine
  "test/consumer/**/*.test.ts", // npm run test:package
  "test/workflows/endpoints-weekly-update.test.ts", // npm run test:package
];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...SEPARATE_TIERS],
    // dist/ and policy-pack/ up to date before any file runs: the CLI tests run the compiled CLI.
    globalSetup: ["test/support/global-setup.ts"],
    // Each test process loads what it uses as the CLI does (compile cache, Pulumi's serializer on first use).
    setupFiles: ["test/support/worker-setup.ts"],
    // Pulumi's runtime (and its mocks) is process-wide: every test file gets its own process.
    pool: "forks",
    // A test file per core: Vitest's default keeps one core for its own process (one worker on a
    // 2-core machine), which mostly waits, as do the CLI tests for their child processes.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
