import { defineConfig } from "vitest/config";
import { BUILT_AND_SET_UP, ONE_FILE_AT_A_TIME } from "./vitest.shared.mjs";

// The engine suite (npm run test:engine): the real Pulumi CLI against local emulators, running the
// built package. Files run one at a time: each drives whole deployments, and the machine has two cores.
export default defineConfig({
  test: {
    include: ["test/engine/**/*.engine.test.ts"],
    ...BUILT_AND_SET_UP,
    ...ONE_FILE_AT_A_TIME,
  },
});
