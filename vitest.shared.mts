/** Settings every test command shares, and those of the tiers that drive whole builds or deployments. */

/**
 * The build first (dist/ and policy-pack/, incrementally), since tests run the compiled CLI and the
 * built package; and each test process set up as the CLI sets itself up (compile cache, Pulumi's
 * serializer on first use).
 */
export const BUILT_AND_SET_UP = {
  globalSetup: ["test/support/global-setup.ts"],
  setupFiles: ["test/support/worker-setup.ts"],
};

/** One file at a time, with minutes to spare: files that install, build or deploy whole stacks. */
export const ONE_FILE_AT_A_TIME = {
  pool: "forks",
  fileParallelism: false,
  testTimeout: 300_000,
  hookTimeout: 900_000,
} as const;
