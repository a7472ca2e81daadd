import type { Attributes } from '@opentelemetry/api';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { isBefore } from './hr-time.js';
import { attributesKey } from './series-key.js';

/** The interface name the folded series carry. */
export const OTHER_INTERFACE_NAME = 'other';

/**
 * The names of the `n` interfaces with the highest score (bytes/s), ties broken by name so the
 * choice does not depend on input order; undefined when every interface fits and nothing folds.
 */
export function selectTopInterfaces(scores: ReadonlyMap<string, number>, n: number): Set<string> | undefined {
  if (n <= 0 || scores.size <= n) return undefined;
  const ranked = Array.from(scores);
  ranked.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const keep = new Set<string>();
  for (let i = 0; i < n; i++) keep.add((ranked[i] as [string, number])[0]);
  return keep;
}

interface Folded {
  attributes: Attributes;
  startTime: DataPoint<number>['startTime'];
  endTime: DataPoint<number>['endTime'];
  value: number;
}

/**
 * Keeps the points of the interfaces in `keep` (and those without an interface name) and sums
 * all others into one "other" point per remaining attribute set (per direction, for netif).
 * The folded point spans the union of its members' intervals.
 */
export function foldPoints(
  points: DataPoint<number>[],
  keep: ReadonlySet<string>,
  interfaceAttribute: string,
): DataPoint<number>[] {
  const out: DataPoint<number>[] = [];
  let others: Map<string, Folded> | undefined;
  for (const p of points) {
    const name = p.attributes[interfaceAttribute];
    if (typeof name !== 'string' || keep.has(name)) {
      out.push(p);
      continue;
    }
    others ??= new Map();
    const key = attributesKey(p.attributes, interfaceAttribute, OTHER_INTERFACE_NAME);
    const acc = others.get(key);
    if (acc === undefined) {
      others.set(key, {
        attributes: { ...p.attributes, [interfaceAttribute]: OTHER_INTERFACE_NAME },
        startTime: p.startTime,
        endTime: p.endTime,
        value: p.value,
      });
    } else {
      acc.value += p.value;
      if (isBefore(p.startTime, acc.startTime)) acc.startTime = p.startTime;
      if (isBefore(acc.endTime, p.endTime)) acc.endTime = p.endTime;
    }
  }
  if (others) for (const f of others.values()) out.push(f);
  return out;
}
