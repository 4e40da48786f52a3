/** `npm run bench`'s options, checked together: every wrong one is named at once, with what is allowed. */
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Paired runs per size. */
  runs: number;
  /** The sizes to measure instead of the full set (then no slope, and README is left alone). */
  sizes?: number[];
  writeReadme: boolean;
}

const parse = (argv: string[]) =>
  parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      runs: { type: "string" },
      "no-readme": { type: "boolean", default: false },
      sizes: { type: "string" },
    },
    strict: true,
  });

export function benchOptions(argv: string[]): { options: BenchOptions } | { problems: string[] } {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    // An unknown option or a missing value (Node's ERR_PARSE_ARGS_*): said as Node says it.
    return { problems: [(error as Error).message] };
  }
  const problems: string[] = [];
  const sizes = values.sizes?.split(",").map(Number);
  if (sizes?.some((size) => !Number.isInteger(size) || size < 1 || size > 100))
    problems.push(`--sizes: ${values.sizes}; give network counts from 1 to 100, separated by commas`);
  const runs = values.runs === undefined ? (values.quick ? 2 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) problems.push(`--runs: ${values.runs}; give a whole number, 1 or more`);
  if (problems.length) return { problems };
  return { options: { runs, ...(sizes ? { sizes } : {}), writeReadme: !values.quick && !values["no-readme"] && !sizes } };
}
