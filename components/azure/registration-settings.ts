/**
 * The settings of a provider registration and their limits. Kept apart and free of imports, so
 * that declaring a ProviderRegistration (and the offline plan) never loads the ARM client: only
 * the provider process does, through registration.ts.
 */

export const DEFAULT_REGISTRATION_TIMEOUT_SECONDS = 15 * 60;
export const DEFAULT_REGISTRATION_POLL_SECONDS = 10;

export interface RegistrationSettings {
  namespaces: string[];
  timeoutSeconds: number;
  pollIntervalSeconds: number;
}

/** Longest wait allowed: registration has been seen to hang for days, a deploy should not. */
export const MAX_REGISTRATION_TIMEOUT_SECONDS = 24 * 60 * 60;

/** Problems with the registration settings, each naming the argument and what is allowed. */
export function registrationSettingsProblems(settings: RegistrationSettings): string[] {
  const problems: string[] = [];
  const namespacePattern = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
  if (!Array.isArray(settings.namespaces) || settings.namespaces.length === 0)
    problems.push("namespaces: must list at least one namespace, such as GitHub.Network");
  else
    for (const [index, namespace] of settings.namespaces.entries()) {
      if (typeof namespace !== "string" || !namespacePattern.test(namespace))
        problems.push(`namespaces[${index}]: ${JSON.stringify(namespace)} is not a resource provider namespace such as GitHub.Network`);
    }
  const wholeSeconds = (key: "timeoutSeconds" | "pollIntervalSeconds", max: number) => {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1 || value > max)
      problems.push(`${key}: ${JSON.stringify(value)} is not allowed; use whole seconds 1-${max}`);
  };
  wholeSeconds("timeoutSeconds", MAX_REGISTRATION_TIMEOUT_SECONDS);
  wholeSeconds("pollIntervalSeconds", 600);
  return problems;
}
