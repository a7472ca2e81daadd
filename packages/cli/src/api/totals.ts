import type { InterfaceCounters } from '@otel-netif/receiver-netif';

type Tracked = 'rxBytes' | 'txBytes' | 'rxPackets' | 'txPackets' | 'errors' | 'drops';
export type SessionTotals = Record<Tracked, number> & { sinceUnixMs: number };

interface State {
  last: Record<Tracked, number>;
  acc: SessionTotals;
}

function pick(c: InterfaceCounters): Record<Tracked, number> {
  return {
    rxBytes: c.rxBytes,
    txBytes: c.txBytes,
    rxPackets: c.rxPackets,
    txPackets: c.txPackets,
    errors: c.rxErrs + c.txErrs,
    drops: c.rxDrop + c.txDrop,
  };
}

/**
 * What moved through each interface since this process first saw it ("since start" in top and
 * on the page). Summed from deltas rather than `now - first`, so a counter reset (driver reload,
 * interface recreated under the same name) loses one interval, not the whole total.
 */
export class SessionCounter {
  private readonly states = new Map<string, State>();

  /** Feeds one round; interfaces absent from it are forgotten. */
  update(nowUnixMs: number, interfaces: ReadonlyArray<{ name: string; counters: InterfaceCounters }>): void {
    const seen = new Set<string>();
    for (const { name, counters } of interfaces) {
      seen.add(name);
      const now = pick(counters);
      const s = this.states.get(name);
      if (s === undefined) {
        this.states.set(name, { last: now, acc: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0, sinceUnixMs: nowUnixMs } });
        continue;
      }
      for (const k of Object.keys(now) as Tracked[]) {
        // Gone down: the counter restarted from zero, so everything it shows is new.
        s.acc[k] += now[k] >= s.last[k] ? now[k] - s.last[k] : now[k];
      }
      s.last = now;
    }
    for (const name of this.states.keys()) if (!seen.has(name)) this.states.delete(name);
  }

  get(name: string): SessionTotals | undefined {
    return this.states.get(name)?.acc;
  }
}
