/** The benchmark's arithmetic: medians, spreads, paired ratios and the time-per-network slope. */

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The smallest and largest value: with a handful of runs, the whole spread says more than quartiles. */
export function spread(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) throw new Error("spread of no values");
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The median of the ratios of paired runs (the two runs of a pair ran one after the other, so
 * they saw the same load on a shared machine; a ratio of medians would mix pairs).
 */
export function pairedRatio(numerators: readonly number[], denominators: readonly number[]): number {
  if (numerators.length !== denominators.length) throw new Error(`unpaired runs: ${numerators.length} and ${denominators.length}`);
  return median(numerators.map((value, index) => value / denominators[index]));
}

/** Least-squares line through the points: time per added network (slope) and the fixed part (intercept). */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  if (new Set(points.map((p) => p.x)).size < 2) throw new Error("a line needs points at two different x at least");
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  const covariance = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const slope = covariance / variance;
  return { slope, intercept: meanY - slope * meanX };
}
