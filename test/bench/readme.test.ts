import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { markdownTable, README_END, README_START, replaceBetweenMarkers } from "../../bench/readme";

describe("the benchmark's table in README.md", () => {
  it("replaces what lies between the markers and nothing else", () => {
    const text = `# Title\n\n${README_START}\nold table\n${README_END}\n\nAfter.\n`;
    expect(replaceBetweenMarkers(text, "new table\n")).toBe(`# Title\n\n${README_START}\nnew table\n${README_END}\n\nAfter.\n`);
  });

  it.each([
    ["no markers", "# Title\n"],
    ["the end before the start", `${README_END}\n${README_START}\n`],
    ["a marker twice", `${README_START}\n${README_END}\n${README_START}\n${README_END}\n`],
  ])("refuses a README with %s", (_, text) => {
    expect(() => replaceBetweenMarkers(text, "x")).toThrow(`README.md needs ${README_START} and then ${README_END}, once each`);
  });

  it("writes Markdown tables", () => {
    expect(markdownTable(["a", "b"], [["1", "2"]])).toEqual(["| a | b |", "| --- | --- |", "| 1 | 2 |"]);
  });

  it("README.md holds the markers once each, in order, around what npm run bench wrote", () => {
    const readme = readFileSync(join(resolve(__dirname, "..", ".."), "README.md"), "utf8");
    expect(readme.split(README_START)).toHaveLength(2);
    expect(readme.split(README_END)).toHaveLength(2);
    expect(readme.slice(readme.indexOf(README_START))).toMatch(
      /^<!-- bench:start -->\nMeasured by `npm run bench` on \d{4}-\d{2}-\d{2}: [^\n]+\n[\s\S]*\n<!-- bench:end -->/,
    );
  });
});
