/**
 * How a change of the registration resource's inputs is applied. Kept apart and free of imports,
 * so a preview with nothing to change never loads the ARM client.
 */

/** The inputs that decide what a registration does; Pulumi's own keys (`__provider`) are ignored. */
const REGISTRATION_INPUT_KEYS = ["subscriptionId", "namespaces", "locations", "timeoutSeconds", "pollIntervalSeconds"] as const;

/**
 * Another subscription means a new registration (the old one is left alone, as every delete is);
 * any other change re-runs the check in place.
 */
export function registrationDiff(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[] } {
  const changed = REGISTRATION_INPUT_KEYS.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
  return { changes: changed.length > 0, replaces: changed.filter((key) => key === "subscriptionId") };
}
