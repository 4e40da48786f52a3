/**
 * This machine, as `URL.hostname` spells it: the only hosts plain http (and a sign-in token over
 * it) may go to, for local emulators in tests and the sandbox.
 */

/** An array, not a Set: Pulumi's closure serializer cannot carry Set or Map instances. */
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "[::1]", "localhost"];

/** True when the URL points at this machine (127.0.0.1, [::1] or localhost), whatever its protocol and port. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.includes(url.hostname);
}

/** The same for a URL given as text; text that is no URL is not this machine. */
export function isLoopbackUrlText(text: string): boolean {
  try {
    return isLoopbackUrl(new URL(text));
  } catch {
    return false;
  }
}
