import type { LiveFeed } from '../api/live.js';
import { historyPoints } from '../api/live.js';
import type { LiveHistory } from '../api/model.js';
import { API_PATHS } from '../api/routes.js';
import { HistoryRing } from '../history/ring.js';
import { displayRemote, fetchRemote, remoteGet } from './remote.js';
import type { Section } from './section.js';

/** Keeps one section filled; `onChange` asks for a redraw. */
export interface SectionSource {
  section: Section;
  start(onChange: () => void): void;
  stop(): void;
}

/** The local pipeline, through the same LiveFeed the HTTP API uses. */
export function localSource(feed: LiveFeed): SectionSource {
  const section: Section = { id: 'local', label: feed.host, remote: false, snapshot: feed.latest(), error: undefined, history: feed.history };
  let listener: (() => void) | undefined;
  return {
    section,
    start(onChange) {
      listener = () => {
        section.snapshot = feed.latest();
        onChange();
      };
      feed.on('update', listener);
    },
    stop() {
      if (listener) feed.off('update', listener);
    },
  };
}

export interface RemoteSourceOptions {
  intervalMs: number;
  historySize: number;
  fetchImpl?: typeof fetch;
}

/**
 * A remote agent polled every interval. A host that does not answer keeps its section with the
 * reason in it and is retried on the next tick; it never holds up the others (each has its own
 * loop and timeout). The first answer also backfills the sparklines from /api/v1/history.
 */
export function remoteSource(base: string, opts: RemoteSourceOptions): SectionSource {
  const section: Section = { id: base, label: displayRemote(base), remote: true, snapshot: undefined, error: undefined, history: new HistoryRing(opts.historySize) };
  const timeoutMs = Math.max(1000, Math.min(5000, opts.intervalMs * 2));
  const fetchImpl = opts.fetchImpl ?? fetch;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let backfilled = false;

  const backfill = async (): Promise<void> => {
    backfilled = true;
    try {
      const res = await remoteGet(`${base}${API_PATHS.history}?seconds=600`, timeoutMs, fetchImpl);
      if (!res.ok) return;
      const h = (await res.json()) as LiveHistory;
      h.t.forEach((t, k) => {
        const points = new Map(Object.entries(h.interfaces).map(([name, s]) => [name, {
          rxBytes: s.rxBytes[k] ?? undefined,
          txBytes: s.txBytes[k] ?? undefined,
          rxPackets: s.rxPackets[k] ?? undefined,
          txPackets: s.txPackets[k] ?? undefined,
        }]));
        section.history.push(t, points);
      });
    } catch {
      // Sparklines then fill from live samples only.
    }
  };

  return {
    section,
    start(onChange) {
      const tick = async (): Promise<void> => {
        try {
          const snap = await fetchRemote(base, timeoutMs, fetchImpl);
          if (!backfilled) await backfill();
          // Polling faster than the agent samples returns the same sample again: record it once.
          const newest = section.history.latestTime();
          if (newest === undefined || snap.timeUnixMs > newest) section.history.push(snap.timeUnixMs, historyPoints(snap));
          section.snapshot = snap;
          section.error = undefined;
        } catch (err) {
          section.error = (err as Error).message;
        }
        if (stopped) return;
        onChange();
        // onChange may have stopped us (top --once).
        if (!stopped) timer = setTimeout(() => void tick(), opts.intervalMs);
      };
      void tick();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
