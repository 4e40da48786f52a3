/**
 * The one way to point this package's ARM calls at a local emulator (the engine test suite and
 * `npm run sandbox`): an environment variable, read only where a process starts (the CLI's
 * commands and the dynamic provider process), honoured for loopback HTTP only, so a sign-in
 * token can never be sent anywhere but this machine.
 */
import { isLoopbackUrl } from "../lib/loopback";

export const TEST_ARM_ENDPOINT_VARIABLE = "AZURE_GITHUB_RUNNER_NETWORK_TEST_ARM_ENDPOINT";

/** `{}` when unset, the origin for a loopback URL, else the problem to report. */
export function testArmEndpoint(env: Readonly<Record<string, string | undefined>>): { baseUrl?: string; problem?: string } {
  const value = env[TEST_ARM_ENDPOINT_VARIABLE];
  if (!value) return {};
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && url.protocol === "http:" && isLoopbackUrl(url);
  return loopback
    ? { baseUrl: url!.origin }
    : { problem: `${TEST_ARM_ENDPOINT_VARIABLE} is for tests against a local emulator and must be http://127.0.0.1:<port>; unset it` };
}

/** The emulator's origin, or undefined for Azure itself; a non-loopback value is an error. */
export function testArmEndpointFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { baseUrl, problem } = testArmEndpoint(env);
  if (problem) throw new Error(problem);
  return baseUrl;
}
