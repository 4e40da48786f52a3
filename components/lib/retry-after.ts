/**
 * `Retry-After` (RFC 9110 section 10.2.3): delay-seconds or an HTTP date. Azure Resource Manager
 * and GitHub both send it on throttled and busy answers; every client here reads it with this.
 * No imports: GitHub's dynamic provider carries this code by value.
 */

/**
 * Milliseconds a `Retry-After` header asks for, or undefined when it is missing or unreadable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the HTTP date forms (they all name a weekday or month); Date.parse accepts far more.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
