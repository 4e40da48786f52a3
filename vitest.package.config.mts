import { defineConfig } from "vitest/config";
import { BUILT_AND_SET_UP, ONE_FILE_AT_A_TIME } from "./vitest.shared.mjs";

// The package tier (npm run test:package): the packed package installed as users install it
// (tarball and git, test/consumer), and the weekly catalog update rehearsed in a built copy of
// the checkout. Minutes, not seconds (npm installs and full builds), so not in npm test; .ci/run
// runs it after npm test. See ARCHITECTURE.md "Tests". One file at a time: npm pack rebuilds
// dist/ from scratch (prepare), which the rehearsal copies.
export default defineConfig({
  test: {
    include: ["test/consumer/**/*.test.ts", "test/workflows/endpoints-weekly-update.test.ts"],
    ...BUILT_AND_SET_UP,
    ...ONE_FILE_AT_A_TIME,
  },
});
