import type { LiveInterface, LiveSnapshot } from '../api/model.js';
import type { HistoryRing } from '../history/ring.js';
import { matchesFilter, sortInterfaces, type SortKey } from './sort.js';

/** One agent on screen: the local pipeline, or a remote agent's /api/v1/interfaces. */
export interface Section {
  /** Stable identity: "local" or the remote URL. */
  id: string;
  /** What the section bar says: the URL for remote agents. */
  label: string;
  remote: boolean;
  snapshot: LiveSnapshot | undefined;
  /** The last failure to reach it; cleared by the next success. */
  error: string | undefined;
  history: HistoryRing;
}

export function rowId(section: Section, name: string): string {
  return `${section.id}/${name}`;
}

export function visibleInterfaces(section: Section, sort: SortKey, filter: string): LiveInterface[] {
  if (section.snapshot === undefined || section.error !== undefined) return [];
  return sortInterfaces(section.snapshot.interfaces.filter((i) => matchesFilter(i.name, filter)), sort);
}

/** Identities of the rows on screen, in screen order: what the key reducer moves through. */
export function visibleRowIds(sections: readonly Section[], sort: SortKey, filter: string): string[] {
  return sections.flatMap((s) => visibleInterfaces(s, sort, filter).map((i) => rowId(s, i.name)));
}

/** How far apart the section's history points are: its agent's sampling interval, at least ours. */
export function sectionInterval(s: Section, fallbackMs: number): number {
  return Math.max(fallbackMs, s.snapshot?.intervalMs ?? 0);
}

/** "500ms", "1s", "1.5s", "2m", "1m30s", "1h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest ? `${rest}s` : ''}`;
}
