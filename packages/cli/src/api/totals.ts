import type { InterfaceCounters } from '@otel-netif/receiver-netif';

/**
 * What moved through one interface since this process first saw it ("since start" in top and on
 * the page). Summed from deltas rather than `now - first`, so a counter reset (driver reload,
 * interface recreated under the same name) loses one interval, not the whole total.
 */
export interface SessionTotals {
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxPackets: number;
  readonly txPackets: number;
  /** Receive and transmit errors. */
  readonly errors: number;
  /** Receive and transmit drops. */
  readonly drops: number;
  /** When this process first saw the interface, as ISO text. */
  readonly since: string;
}

/** The counters summed, in the order of a totals array. */
export const TRACKED = 6;

/**
 * A totals array: [0, TRACKED) the counters at the last round, [TRACKED, 2 × TRACKED) the sums.
 * A plain array of doubles (stored unboxed, in the JS heap): a Float64Array of 96 bytes is an
 * object, an ArrayBuffer object and memory outside the heap, some 300 bytes per interface. Filled
 * with a fraction first so it holds doubles from the start and never changes representation.
 */
export function startTotals(counters: InterfaceCounters): number[] {
  const v = new Array<number>(2 * TRACKED).fill(0.5);
  v.fill(0);
  v[0] = counters.rxBytes;
  v[1] = counters.txBytes;
  v[2] = counters.rxPackets;
  v[3] = counters.txPackets;
  v[4] = counters.rxErrs + counters.txErrs;
  v[5] = counters.rxDrop + counters.txDrop;
  return v;
}

/** Adds one round's counters to a totals array, in place. */
export function addTotals(v: number[], c: InterfaceCounters): void {
  step(v, 0, c.rxBytes);
  step(v, 1, c.txBytes);
  step(v, 2, c.rxPackets);
  step(v, 3, c.txPackets);
  step(v, 4, c.rxErrs + c.txErrs);
  step(v, 5, c.rxDrop + c.txDrop);
}

function step(v: number[], k: number, now: number): void {
  const before = v[k] as number;
  // Gone down: the counter restarted from zero, so everything it shows is new.
  v[TRACKED + k] = (v[TRACKED + k] as number) + (now >= before ? now - before : now);
  v[k] = now;
}
