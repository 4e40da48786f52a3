/**
 * The benchmark compares like with like: the plan and the hand-written program must register the
 * same resources (type, name and inputs). This finds where they differ.
 */

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** How the plan shows a secret input (cli/secret-marker.ts); the other side's value there is not compared. */
const SECRET = "[secret]";

const key = (r: Registration) => `${r.type}::${r.name}`;

/** Object keys sorted at every level, so that two equal values print the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Each difference in one line: a resource only one side registers, or one registered with other inputs. */
export function registrationDifferences(plan: readonly Registration[], baseline: readonly Registration[]): string[] {
  const baselineByKey = new Map(baseline.map((r) => [key(r), r]));
  const planKeys = new Set(plan.map(key));
  const differences: string[] = [];
  for (const planned of plan) {
    const other = baselineByKey.get(key(planned));
    if (!other) {
      differences.push(`only the plan registers ${key(planned)}`);
      continue;
    }
    const otherInputs = Object.fromEntries(
      Object.entries(other.inputs).map(([name, value]) => [name, planned.inputs[name] === SECRET ? SECRET : value]),
    );
    const [a, b] = [JSON.stringify(canonical(planned.inputs)), JSON.stringify(canonical(otherInputs))];
    if (a !== b) differences.push(`${key(planned)} inputs differ: plan ${a.slice(0, 300)}, baseline ${b.slice(0, 300)}`);
  }
  for (const other of baseline) if (!planKeys.has(key(other))) differences.push(`only the baseline registers ${key(other)}`);
  return differences;
}
