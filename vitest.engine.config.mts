import { defineConfig } from "vitest/config";

// The engine suite (npm run test:engine): the real Pulumi CLI against local emulators. Files run
// one at a time: each drives whole deployments, and the machine has two cores.
export default defineConfig({
  test: {
    include: ["test/engine/**/*.engine.test.ts"],
    // The programs run the built package (dist/): up to date before any file runs.
    globalSetup: ["test/support/global-setup.ts"],
    // Each test process loads what it uses as the CLI does (compile cache, Pulumi's serializer on first use).
    setupFiles: ["test/support/worker-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
