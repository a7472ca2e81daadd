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
 * A fixed number of sampling rounds of per-interface rates. Memory is allocated once per
 * interface (capacity × fields Float64s) and never grows; an interface missing from a round is
 * dropped at once, so churning veths cannot accumulate.
 */
export class HistoryRing {
  private readonly times: Float64Array;
  private readonly series = new Map<string, Float64Array>();
  /** Index of the oldest slot. */
  private start = 0;
  private count = 0;

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
    return this.times.byteLength + this.series.size * this.capacity * BYTES_PER_INTERFACE_SLOT;
  }

  /** Records one round. Interfaces absent from `points` are forgotten. */
  push(timeMs: number, points: ReadonlyMap<string, HistoryPoint>): void {
    for (const name of this.series.keys()) if (!points.has(name)) this.series.delete(name);
    let slot: number;
    if (this.count < this.capacity) {
      slot = (this.start + this.count) % this.capacity;
      this.count++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.times[slot] = timeMs;
    const width = HISTORY_FIELDS.length;
    for (const [name, point] of points) {
      let buf = this.series.get(name);
      if (buf === undefined) {
        // NaN marks the slots from before the interface existed.
        buf = new Float64Array(this.capacity * width).fill(Number.NaN);
        this.series.set(name, buf);
      }
      for (let f = 0; f < width; f++) {
        const v = point[HISTORY_FIELDS[f] as HistoryField];
        buf[slot * width + f] = v === undefined || !Number.isFinite(v) ? Number.NaN : v;
      }
    }
  }

  /** Slots with a time at or after `sinceMs` (all when undefined), oldest first. */
  window(sinceMs?: number): HistoryWindow {
    const slots: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (sinceMs === undefined || (this.times[slot] as number) >= sinceMs) slots.push(slot);
    }
    const width = HISTORY_FIELDS.length;
    const interfaces = new Map<string, Record<HistoryField, (number | null)[]>>();
    for (const [name, buf] of this.series) {
      const cols = { rxBytes: [], txBytes: [], rxPackets: [], txPackets: [] } as Record<HistoryField, (number | null)[]>;
      for (const slot of slots) {
        for (let f = 0; f < width; f++) {
          const v = buf[slot * width + f] as number;
          cols[HISTORY_FIELDS[f] as HistoryField].push(Number.isNaN(v) ? null : v);
        }
      }
      interfaces.set(name, cols);
    }
    return { t: slots.map((s) => this.times[s] as number), interfaces };
  }

  /** The last `n` values of one field for one interface, oldest first; NaN where unknown. */
  last(name: string, field: HistoryField, n: number): number[] {
    const buf = this.series.get(name);
    const take = Math.min(n, this.count);
    const out: number[] = [];
    const f = HISTORY_FIELDS.indexOf(field);
    for (let i = this.count - take; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      out.push(buf ? (buf[slot * HISTORY_FIELDS.length + f] as number) : Number.NaN);
    }
    return out;
  }

  /** Time of the newest slot, or undefined when empty. */
  latestTime(): number | undefined {
    if (this.count === 0) return undefined;
    return this.times[(this.start + this.count - 1) % this.capacity];
  }
}
