/**
 * The stack's config namespace and how Pulumi's flat config becomes one object. No Pulumi import:
 * the plan validates config before loading the engine.
 */

import { PRIVATE_KEY_SET_COMMAND } from "../components/lib/github-app";
import type { Problem } from "../components/lib/problems";

export const CONFIG_NAMESPACE = "azure-github-runner-network";
export const GITHUB_TOKEN_KEY = `${CONFIG_NAMESPACE}:githubToken`;
export const GITHUB_KEY = `${CONFIG_NAMESPACE}:github`;

/**
 * Whether the value read under a top-level config key is kept as a secret. `pulumi up` knows it
 * per top-level key only (a key holding any secret, as `github` does with a secret
 * `github.app.privateKey`); the offline plan sees each secret value as a marker.
 */
export type IsSecret = (key: string, value: unknown) => boolean;

/**
 * Credentials kept in plain text in the stack file are refused (they are stored encrypted only),
 * by `pulumi up` and the offline plan alike: githubToken, and github.app.privateKey. No message
 * quotes them.
 */
export function plainTextTokenProblems(allConfig: Readonly<Record<string, string>>, isSecret: IsSecret): Problem[] {
  const problems: Problem[] = [];
  const token = allConfig[GITHUB_TOKEN_KEY];
  if (token !== undefined && !isSecret(GITHUB_TOKEN_KEY, token))
    problems.push({
      path: "githubToken",
      message: `is stored in plain text; remove it and set it with pulumi config set --secret ${GITHUB_TOKEN_KEY}`,
    });
  const privateKey = (readStackConfig(allConfig).github as { app?: { privateKey?: unknown } } | undefined)?.app?.privateKey;
  if (privateKey !== undefined && !isSecret(GITHUB_KEY, privateKey))
    problems.push({
      path: "github.app.privateKey",
      message: `is stored in plain text; remove it and set it with ${PRIVATE_KEY_SET_COMMAND}, or set GITHUB_APP_PRIVATE_KEY`,
    });
  return problems;
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
