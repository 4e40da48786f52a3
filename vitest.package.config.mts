import { defineConfig } from "vitest/config";

// The package tier (npm run test:package): the packed package installed as users install it
// (tarball and git, test/consumer), and the weekly catalog update rehearsed in a built copy of
// the checkout. Minutes, not seconds (npm installs and full builds), so not in npm test; .ci/run
// runs it after npm test. See ARCHITECTURE.md "Tests".
export default defineConfig({
  test: {
    include: ["test/consumer/**/*.test.ts", "test/workflows/endpoints-weekly-update.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Each test process loads what it uses as the CLI does (compile cache, Pulumi's serializer on first use).
    setupFiles: ["test/support/worker-setup.ts"],
    pool: "forks",
    // One file at a time: npm pack rebuilds dist/ from scratch (prepare), which the rehearsal copies.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
