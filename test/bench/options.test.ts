import { describe, expect, it } from "vitest";
import { benchOptions } from "../../bench/options";

describe("npm run bench's options", () => {
  it.each<[string, string[], ReturnType<typeof benchOptions>]>([
    ["the full run", [], { options: { runs: 5, writeReadme: true } }],
    ["--quick: 2 pairs, README left alone", ["--quick"], { options: { runs: 2, writeReadme: false } }],
    ["--no-readme", ["--no-readme", "--runs", "3"], { options: { runs: 3, writeReadme: false } }],
    ["--sizes: those sizes only, README left alone", ["--sizes", "2,23"], { options: { runs: 5, sizes: [2, 23], writeReadme: false } }],
    [
      "a size out of range and a bad run count, both named",
      ["--sizes", "2,0,101", "--runs", "1.5"],
      {
        problems: [
          "--sizes: 2,0,101; give network counts from 1 to 100, separated by commas",
          "--runs: 1.5; give a whole number, 1 or more",
        ],
      },
    ],
    [
      "sizes that are not numbers",
      ["--sizes", "two"],
      { problems: ["--sizes: two; give network counts from 1 to 100, separated by commas"] },
    ],
    ["an unknown option", ["--fast"], { problems: ["Unknown option '--fast'"] }],
  ])("%s", (_name, argv, expected) => {
    expect(benchOptions(argv)).toEqual(expected);
  });
});
