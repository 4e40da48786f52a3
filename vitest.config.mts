import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The engine suite has its own config and command (npm run test:engine).
    exclude: [...configDefaults.exclude, "test/engine/**/*.engine.test.ts"],
    // Pulumi's runtime (and its mocks) is process-wide: every test file gets its own process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
