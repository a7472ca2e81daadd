import type { LiveInterface } from '../api/model.js';
import { totalRate } from '../api/model.js';

export const SORT_KEYS = ['total', 'rx', 'tx', 'packets', 'errors', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function nextSort(k: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(k) + 1) % SORT_KEYS.length] as SortKey;
}

function score(i: LiveInterface, k: Exclude<SortKey, 'name'>): number {
  const r = i.rates;
  switch (k) {
    case 'total':
      return totalRate(i);
    case 'rx':
      return r.rxBytes ?? 0;
    case 'tx':
      return r.txBytes ?? 0;
    case 'packets':
      return (r.rxPackets ?? 0) + (r.txPackets ?? 0);
    case 'errors':
      return (r.rxErrors ?? 0) + (r.txErrors ?? 0) + (r.rxDrops ?? 0) + (r.txDrops ?? 0);
  }
}

/** Busiest first (names A→Z for "name"); ties by name, so rows do not swap places between frames. */
export function sortInterfaces(list: readonly LiveInterface[], k: SortKey): LiveInterface[] {
  const byName = (a: LiveInterface, b: LiveInterface): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (k === 'name') return [...list].sort(byName);
  return [...list].sort((a, b) => score(b, k) - score(a, k) || byName(a, b));
}

/** Case-insensitive substring; an empty filter keeps everything. */
export function matchesFilter(name: string, filter: string): boolean {
  return filter === '' || name.toLowerCase().includes(filter.toLowerCase());
}
