/** The interface name the folded series carry. */
export const OTHER_INTERFACE_NAME = 'other';

/**
 * The ranking order: highest score (bytes/s) first, ties by name. A strict total order, so which
 * interfaces are kept never depends on the input order.
 */
export function rankedBefore(a: string, scoreA: number, b: string, scoreB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && a < b);
}

/**
 * The names of the `n` interfaces with the highest score (bytes/s), ties broken by name so the
 * choice does not depend on input order; undefined when every interface fits and nothing folds.
 */
export function selectTopInterfaces(scores: ReadonlyMap<string, number>, n: number): Set<string> | undefined {
  if (n <= 0 || scores.size <= n) return undefined;
  // The usual N (10–20) is far below the interface count: keep a sorted window of the best n
  // instead of sorting them all; most interfaces are rejected by one comparison with the worst kept.
  const names: string[] = [];
  const values: number[] = [];
  for (const [name, score] of scores) {
    let i = names.length;
    if (i === n) {
      if (!rankedBefore(name, score, names[n - 1] as string, values[n - 1] as number)) continue;
      i = n - 1;
    }
    while (i > 0 && rankedBefore(name, score, names[i - 1] as string, values[i - 1] as number)) {
      names[i] = names[i - 1] as string;
      values[i] = values[i - 1] as number;
      i--;
    }
    names[i] = name;
    values[i] = score;
  }
  return new Set(names);
}
