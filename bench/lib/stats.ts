/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Slope of log(cost) against log(N) between two sizes: 1 is linear, 2 quadratic. */
export function growthExponent(n1: number, cost1: number, n2: number, cost2: number): number {
  return Math.log(cost2 / cost1) / Math.log(n2 / n1);
}
