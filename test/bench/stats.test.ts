import { describe, expect, it } from "vitest";
import { linearFit, median, pairedRatio, spread } from "../../bench/stats";

describe("the benchmark's arithmetic", () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[2, 2, 9], 2],
  ])("median of %j is %d", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("spread is the smallest and largest value", () => {
    expect(spread([1.5, 0.9, 3.25])).toEqual({ min: 0.9, max: 3.25 });
  });

  it("a paired ratio is the median of each pair's ratio, not the ratio of medians", () => {
    // Pairs ran under different loads; their ratios are 0.1, 2 and 3.33 (medians alone: 2 / 3).
    expect(pairedRatio([1, 2, 10], [10, 1, 3])).toBe(2);
    expect(pairedRatio([1, 4, 9], [2, 5, 10])).toBe(0.8);
    expect(() => pairedRatio([1, 2], [1])).toThrow("unpaired runs: 2 and 1");
  });

  it("fits time per added network by least squares", () => {
    expect(linearFit([1, 10, 50, 100].map((x) => ({ x, y: 0.5 + 0.25 * x })))).toEqual({ slope: 0.25, intercept: 0.5 });
    const { slope, intercept } = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
    ]);
    expect([slope, intercept]).toEqual([0.5, 1.5]);
    expect(() => linearFit([{ x: 1, y: 1 }])).toThrow("a line needs points at two different x at least");
  });
});
