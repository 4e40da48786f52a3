/**
 * The stack's config namespace and how Pulumi's flat config becomes one object. No Pulumi import:
 * the plan validates config before loading the engine.
 */

import type { Problem } from "../components/lib/problems";

export const CONFIG_NAMESPACE = "azure-github-runner-network";
export const GITHUB_TOKEN_KEY = `${CONFIG_NAMESPACE}:githubToken`;

/**
 * A githubToken kept in plain text in the stack file is refused (tokens are stored encrypted
 * only), by `pulumi up` and the offline plan alike.
 */
export function plainTextTokenProblems(allConfig: Readonly<Record<string, string>>, isSecret: (key: string) => boolean): Problem[] {
  if (allConfig[GITHUB_TOKEN_KEY] === undefined || isSecret(GITHUB_TOKEN_KEY)) return [];
  return [
    { path: "githubToken", message: `is stored in plain text; remove it and set it with pulumi config set --secret ${GITHUB_TOKEN_KEY}` },
  ];
}

/** Turns Pulumi's flat `namespace:key` config (structured values as JSON text) into one object. */
export function readStackConfig(allConfig: Readonly<Record<string, string>>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const config: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(prefix)) continue;
    let value: unknown = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) value = parsed;
    } catch {
      // A plain string value.
    }
    config[fullKey.slice(prefix.length)] = value;
  }
  return config;
}
