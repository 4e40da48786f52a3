/** The GitHub emulator for one vitest file (kept apart so the emulator itself loads outside vitest). */
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { CallContext } from "../../components/github/errors";
import { GitHubEmulator, type EmulatorOptions } from "./github-emulator";

/** The call client tests make most: listing my-org's network configurations. */
export const ORGANIZATION_LISTING: { context: CallContext; path: string } = {
  context: {
    operation: "list network configurations",
    endpoint: "network-configurations",
    owner: { scope: "organization", slug: "my-org" },
  },
  path: "/orgs/my-org/settings/network-configurations",
};

/**
 * An emulator for one test file: started before its tests (then `setUp` runs), stopped after them;
 * after each test, no violation may have been recorded, the request log starts empty again and
 * the emulator stops reflecting the Authorization header.
 */
export function useGitHubEmulator(
  options: EmulatorOptions,
  setUp?: (emulator: GitHubEmulator) => Promise<void> | void,
): () => GitHubEmulator {
  let emulator: GitHubEmulator | undefined;
  beforeAll(async () => {
    emulator = await GitHubEmulator.start(options);
    await setUp?.(emulator);
    emulator.requests.length = 0;
  });
  afterAll(() => emulator?.stop());
  afterEach(() => {
    expect(emulator?.violations).toEqual([]);
    emulator!.requests.length = 0;
    emulator!.reflectAuthorization = false;
  });
  return () => emulator!;
}
