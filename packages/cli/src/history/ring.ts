/** The rates one history slot keeps per interface, all per second. */
export const HISTORY_FIELDS = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type HistoryPoint = Record<HistoryField, number | undefined>;

/** Bytes one interface costs per slot (Float64 per field); the docs quote this. */
export const BYTES_PER_INTERFACE_SLOT = HISTORY_FIELDS.length * Float64Array.BYTES_PER_ELEMENT;
/** 1 h at a 5 s interval. */
export const DEFAULT_HISTORY_SIZE = 720;
export const MAX_HISTORY_SIZE = 1_000_000;

export interface HistoryWindow {
  /** Wall-clock milliseconds of each slot, oldest first. */
  t: number[];
  /** Per interface, per field, one value per entry of `t`; null where unknown (first sample, not yet present). */
  interfaces: Map<string, Record<HistoryField, (number | null)[]>>;
}

/**
 * One interface's rates in the ring: a handle, so whoever records every round writes it without a
 * lookup by name. Its buffer (capacity × fields Float64s) is allocated when the interface first
 * has traffic: most interfaces of a node with thousands are idle, and a buffer each (23 KB at the
 * default size) was most of the agent's memory at 1000 interfaces. Until then the series only
 * knows from which round its rates were 0 (before that: unknown, NaN).
 */
export class HistorySeries {
  buffer: Float64Array | undefined = undefined;
  /** First round whose rates were all 0, while there is no buffer; -1 while they are still unknown. */
  zeroFrom = -1;

  constructor(readonly name: string) {}
}

/**
 * A fixed number of sampling rounds of per-interface rates. A buffer never grows; an interface
 * missing from a round is dropped at once, so churning veths cannot accumulate.
 */
export class HistoryRing {
  private readonly times: Float64Array;
  private readonly series = new Map<string, HistorySeries>();
  /** Index of the oldest slot. */
  private start = 0;
  private count = 0;
  /** Rounds begun so far: round r went to slot r % capacity. */
  private rounds = 0;
  /** Slot of the round being recorded. */
  private slot = 0;

  constructor(readonly capacity: number = DEFAULT_HISTORY_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > MAX_HISTORY_SIZE) {
      throw new RangeError(`history size must be a whole number from 1 to ${MAX_HISTORY_SIZE}, got ${capacity}`);
    }
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get interfaceNames(): string[] {
    return [...this.series.keys()];
  }

  /** Approximate bytes held by the buffers (not the Map and name overhead). */
  get bytes(): number {
    let buffers = 0;
    for (const s of this.series.values()) if (s.buffer !== undefined) buffers++;
    return this.times.byteLength + buffers * this.capacity * BYTES_PER_INTERFACE_SLOT;
  }

  /** Records one round. Interfaces absent from `points` are forgotten. */
  push(timeMs: number, points: ReadonlyMap<string, HistoryPoint>): void {
    for (const name of this.series.keys()) if (!points.has(name)) this.series.delete(name);
    this.begin(timeMs);
    for (const [name, p] of points) this.record(this.open(name), p.rxBytes ?? Number.NaN, p.txBytes ?? Number.NaN, p.rxPackets ?? Number.NaN, p.txPackets ?? Number.NaN);
  }

  /** An interface's series, new (and last in order) if the ring does not have it. */
  open(name: string): HistorySeries {
    let s = this.series.get(name);
    if (s === undefined) this.series.set(name, (s = new HistorySeries(name)));
    return s;
  }

  /**
   * Makes `series` (new, of a subclass that carries more per interface) its interface's series, in
   * place of one it had under that name: what open() would do, without a second object per interface.
   */
  adopt(series: HistorySeries): void {
    this.series.delete(series.name);
    this.series.set(series.name, series);
  }

  /** Forgets an interface: it vanished. Coming back, it starts a new series. */
  close(series: HistorySeries): void {
    if (this.series.get(series.name) === series) this.series.delete(series.name);
  }

  /**
   * Starts a round at `timeMs`; then record() each open series once (one not recorded would show
   * whatever its slot held `capacity` rounds ago).
   */
  begin(timeMs: number): void {
    if (this.count < this.capacity) {
      this.slot = (this.start + this.count) % this.capacity;
      this.count++;
    } else {
      this.slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.rounds++;
    this.times[this.slot] = timeMs;
  }

  /** One interface's rates (HISTORY_FIELDS order) in the round begun last; NaN or ±Infinity: unknown. */
  record(s: HistorySeries, rxBytes: number, txBytes: number, rxPackets: number, txPackets: number): void {
    const round = this.rounds - 1;
    let buf = s.buffer;
    if (buf === undefined) {
      if (rxBytes === 0 && txBytes === 0 && rxPackets === 0 && txPackets === 0) {
        if (s.zeroFrom < 0) s.zeroFrom = round;
        return;
      }
      const unknown = !Number.isFinite(rxBytes) && !Number.isFinite(txBytes) && !Number.isFinite(rxPackets) && !Number.isFinite(txPackets);
      if (unknown && s.zeroFrom < 0) return;
      buf = s.buffer = this.materialize(s, round);
    }
    const at = this.slot * HISTORY_FIELDS.length;
    buf[at] = Number.isFinite(rxBytes) ? rxBytes : Number.NaN;
    buf[at + 1] = Number.isFinite(txBytes) ? txBytes : Number.NaN;
    buf[at + 2] = Number.isFinite(rxPackets) ? rxPackets : Number.NaN;
    buf[at + 3] = Number.isFinite(txPackets) ? txPackets : Number.NaN;
  }

  /** A buffer for a series that had none, with the rounds before `round` filled in as they were recorded. */
  private materialize(s: HistorySeries, round: number): Float64Array {
    const width = HISTORY_FIELDS.length;
    // NaN marks the slots from before the interface existed, or before its rates were known.
    const buf = new Float64Array(this.capacity * width).fill(Number.NaN);
    if (s.zeroFrom >= 0) {
      for (let r = Math.max(s.zeroFrom, round - this.capacity + 1); r < round; r++) buf.fill(0, (r % this.capacity) * width, (r % this.capacity) * width + width);
    }
    return buf;
  }

  /** The value recorded in `slot` (round `round`) for an entry. */
  private valueAt(entry: HistorySeries | undefined, slot: number, round: number, f: number): number {
    if (entry === undefined) return Number.NaN;
    if (entry.buffer !== undefined) return entry.buffer[slot * HISTORY_FIELDS.length + f] as number;
    return entry.zeroFrom >= 0 && round >= entry.zeroFrom ? 0 : Number.NaN;
  }

  /** Round of the i-th slot, oldest first. */
  private roundOf(i: number): number {
    return this.rounds - this.count + i;
  }

  /** Slots with a time at or after `sinceMs` (all when undefined), oldest first. */
  window(sinceMs?: number): HistoryWindow {
    const slots: number[] = [];
    const rounds: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (sinceMs === undefined || (this.times[slot] as number) >= sinceMs) {
        slots.push(slot);
        rounds.push(this.roundOf(i));
      }
    }
    const width = HISTORY_FIELDS.length;
    const interfaces = new Map<string, Record<HistoryField, (number | null)[]>>();
    for (const [name, entry] of this.series) {
      const cols = { rxBytes: [], txBytes: [], rxPackets: [], txPackets: [] } as Record<HistoryField, (number | null)[]>;
      for (let k = 0; k < slots.length; k++) {
        for (let f = 0; f < width; f++) {
          const v = this.valueAt(entry, slots[k] as number, rounds[k] as number, f);
          cols[HISTORY_FIELDS[f] as HistoryField].push(Number.isNaN(v) ? null : v);
        }
      }
      interfaces.set(name, cols);
    }
    return { t: slots.map((s) => this.times[s] as number), interfaces };
  }

  /** The last `n` values of one field for one interface, oldest first; NaN where unknown. */
  last(name: string, field: HistoryField, n: number): number[] {
    const entry = this.series.get(name);
    const take = Math.min(n, this.count);
    const out: number[] = [];
    const f = HISTORY_FIELDS.indexOf(field);
    for (let i = this.count - take; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      out.push(this.valueAt(entry, slot, this.roundOf(i), f));
    }
    return out;
  }

  /** Time of the newest slot, or undefined when empty. */
  latestTime(): number | undefined {
    if (this.count === 0) return undefined;
    return this.times[(this.start + this.count - 1) % this.capacity];
  }
}
