import type { InterfaceCounters } from '@otel-netif/receiver-netif';

/** The counters summed, in the order of SessionTotal's array. */
const TRACKED = 6;

/**
 * What moved through one interface since this process first saw it ("since start" in top and
 * on the page). Summed from deltas rather than `now - first`, so a counter reset (driver reload,
 * interface recreated under the same name) loses one interval, not the whole total. Added to
 * every sample, watched or not: the counters at the last round and the sums live in one typed
 * array, updated in place.
 */
export class SessionTotal {
  /**
   * [0, TRACKED): the counters at the last round; [TRACKED, 2 × TRACKED): the sums. A plain array
   * of doubles (stored unboxed, in the JS heap): a Float64Array of 96 bytes is an object, an
   * ArrayBuffer object and memory outside the heap, some 300 bytes per interface. Filled with a
   * fraction first so it holds doubles from the start and never changes representation.
   */
  private readonly v: number[] = new Array<number>(2 * TRACKED).fill(0.5);
  private sinceIso: string | undefined;

  constructor(
    counters: InterfaceCounters,
    readonly sinceUnixMs: number,
  ) {
    const v = this.v;
    v.fill(0);
    v[0] = counters.rxBytes;
    v[1] = counters.txBytes;
    v[2] = counters.rxPackets;
    v[3] = counters.txPackets;
    v[4] = counters.rxErrs + counters.txErrs;
    v[5] = counters.rxDrop + counters.txDrop;
  }

  add(c: InterfaceCounters): void {
    const v = this.v;
    step(v, 0, c.rxBytes);
    step(v, 1, c.txBytes);
    step(v, 2, c.rxPackets);
    step(v, 3, c.txPackets);
    step(v, 4, c.rxErrs + c.txErrs);
    step(v, 5, c.rxDrop + c.txDrop);
  }

  get rxBytes(): number {
    return this.v[TRACKED] as number;
  }

  get txBytes(): number {
    return this.v[TRACKED + 1] as number;
  }

  get rxPackets(): number {
    return this.v[TRACKED + 2] as number;
  }

  get txPackets(): number {
    return this.v[TRACKED + 3] as number;
  }

  /** Receive and transmit errors. */
  get errors(): number {
    return this.v[TRACKED + 4] as number;
  }

  /** Receive and transmit drops. */
  get drops(): number {
    return this.v[TRACKED + 5] as number;
  }

  /** sinceUnixMs as ISO text, made once: every API snapshot repeats it. */
  get since(): string {
    return (this.sinceIso ??= new Date(this.sinceUnixMs).toISOString());
  }
}

function step(v: number[], k: number, now: number): void {
  const before = v[k] as number;
  // Gone down: the counter restarted from zero, so everything it shows is new.
  v[TRACKED + k] = (v[TRACKED + k] as number) + (now >= before ? now - before : now);
  v[k] = now;
}
