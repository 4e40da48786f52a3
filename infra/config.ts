/** The stack's config namespace and how Pulumi's flat config becomes one object. No Pulumi import: the plan validates config before loading the engine. */

export const CONFIG_NAMESPACE = "azure-github-runner-network";

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
