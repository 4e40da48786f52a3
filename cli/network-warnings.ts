/** Warnings about networks, each said once with every network it concerns (23 networks, one line). */

/** `warning: network "a": …` or `warning: networks "a", "b": …`, in the order the warnings first came. */
export function warningsNamingNetworks(entries: Iterable<readonly [network: string, warning: string]>): string[] {
  const byText = new Map<string, string[]>();
  for (const [network, warning] of entries) byText.set(warning, [...(byText.get(warning) ?? []), network]);
  return [...byText].map(
    ([warning, names]) =>
      `warning: ${names.length === 1 ? "network" : "networks"} ${names.map((name) => `"${name}"`).join(", ")}: ${warning}`,
  );
}
