import type { InterfaceCounters } from '@otel-netif/receiver-netif';

type Tracked = 'rxBytes' | 'txBytes' | 'rxPackets' | 'txPackets' | 'errors' | 'drops';
export type SessionTotals = Record<Tracked, number> & { sinceUnixMs: number };

interface State {
  /** Counters at the last round, in Tracked order. */
  last: Float64Array;
  acc: SessionTotals;
  round: number;
}

// The tracked values of one interface's counters, into `out` in Tracked order.
function pick(c: InterfaceCounters, out: Float64Array): void {
  out[0] = c.rxBytes;
  out[1] = c.txBytes;
  out[2] = c.rxPackets;
  out[3] = c.txPackets;
  out[4] = c.rxErrs + c.txErrs;
  out[5] = c.rxDrop + c.txDrop;
}

const TRACKED: readonly Tracked[] = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets', 'errors', 'drops'];

/**
 * What moved through each interface since this process first saw it ("since start" in top and
 * on the page). Summed from deltas rather than `now - first`, so a counter reset (driver reload,
 * interface recreated under the same name) loses one interval, not the whole total. Runs every
 * sample, watched or not, so it updates each interface's state in place.
 */
export class SessionCounter {
  private readonly states = new Map<string, State>();
  private readonly now = new Float64Array(TRACKED.length);
  private round = 0;

  /** Feeds one round; interfaces absent from it are forgotten. */
  update(nowUnixMs: number, interfaces: ReadonlyArray<{ name: string; counters: InterfaceCounters }>): void {
    const round = ++this.round;
    const now = this.now;
    for (const { name, counters } of interfaces) {
      const s = this.states.get(name);
      if (s === undefined) {
        const last = new Float64Array(TRACKED.length);
        pick(counters, last);
        this.states.set(name, { last, acc: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0, sinceUnixMs: nowUnixMs }, round });
        continue;
      }
      s.round = round;
      pick(counters, now);
      const { last, acc } = s;
      for (let k = 0; k < TRACKED.length; k++) {
        const v = now[k] as number;
        const before = last[k] as number;
        // Gone down: the counter restarted from zero, so everything it shows is new.
        acc[TRACKED[k] as Tracked] += v >= before ? v - before : v;
        last[k] = v;
      }
    }
    if (this.states.size > interfaces.length) {
      for (const [name, s] of this.states) if (s.round !== round) this.states.delete(name);
    }
  }

  get(name: string): SessionTotals | undefined {
    return this.states.get(name)?.acc;
  }
}
