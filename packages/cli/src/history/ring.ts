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
 * An interface with no traffic yet: no buffer, only when it appeared and from which round its
 * rates were 0 (before that: unknown, NaN). Most interfaces of a node with thousands are idle,
 * and a buffer each (capacity × 4 Float64s, 23 KB at the default size) was most of the agent's
 * memory at 1000 interfaces.
 */
interface Idle {
  /** Round (count of pushes before it) in which the interface first appeared. */
  seen: number;
  /** First round whose rates were all 0; undefined while they are still unknown. */
  zeroFrom: number | undefined;
}

/**
 * A fixed number of sampling rounds of per-interface rates. An interface's buffer (capacity ×
 * fields Float64s) is allocated when it first has traffic, once, and never grows; an interface
 * missing from a round is dropped at once, so churning veths cannot accumulate.
 */
export class HistoryRing {
  private readonly times: Float64Array;
  private readonly series = new Map<string, Float64Array | Idle>();
  /** Index of the oldest slot. */
  private start = 0;
  private count = 0;
  /** Pushes so far: round r went to slot r % capacity. */
  private rounds = 0;

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
    for (const s of this.series.values()) if (s instanceof Float64Array) buffers++;
    return this.times.byteLength + buffers * this.capacity * BYTES_PER_INTERFACE_SLOT;
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
    const round = this.rounds++;
    this.times[slot] = timeMs;
    const width = HISTORY_FIELDS.length;
    for (const [name, point] of points) {
      let entry = this.series.get(name);
      if (entry === undefined) {
        entry = { seen: round, zeroFrom: undefined };
        this.series.set(name, entry);
      }
      if (!(entry instanceof Float64Array)) {
        const kind = idleKind(point);
        if (kind === 'unknown' && entry.zeroFrom === undefined) continue;
        if (kind === 'zero') {
          entry.zeroFrom ??= round;
          continue;
        }
        entry = this.materialize(entry, round);
        this.series.set(name, entry);
      }
      for (let f = 0; f < width; f++) {
        const v = point[HISTORY_FIELDS[f] as HistoryField];
        entry[slot * width + f] = v === undefined || !Number.isFinite(v) ? Number.NaN : v;
      }
    }
  }

  /** An idle interface's buffer, with the rounds before `round` filled in as they were recorded. */
  private materialize(idle: Idle, round: number): Float64Array {
    const width = HISTORY_FIELDS.length;
    // NaN marks the slots from before the interface existed, or before its rates were known.
    const buf = new Float64Array(this.capacity * width).fill(Number.NaN);
    if (idle.zeroFrom !== undefined) {
      for (let r = Math.max(idle.zeroFrom, round - this.capacity + 1); r < round; r++) buf.fill(0, (r % this.capacity) * width, (r % this.capacity) * width + width);
    }
    return buf;
  }

  /** The value recorded in `slot` (round `round`) for an entry. */
  private valueAt(entry: Float64Array | Idle | undefined, slot: number, round: number, f: number): number {
    if (entry === undefined) return Number.NaN;
    if (entry instanceof Float64Array) return entry[slot * HISTORY_FIELDS.length + f] as number;
    return entry.zeroFrom !== undefined && round >= entry.zeroFrom ? 0 : Number.NaN;
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

/** 'zero': every rate 0; 'unknown': every rate missing; 'traffic': anything else (needs a buffer). */
function idleKind(p: HistoryPoint): 'zero' | 'unknown' | 'traffic' {
  let zeros = 0;
  let unknown = 0;
  for (const f of HISTORY_FIELDS) {
    const v = p[f];
    if (v === undefined || !Number.isFinite(v)) unknown++;
    else if (v === 0) zeros++;
  }
  return zeros === HISTORY_FIELDS.length ? 'zero' : unknown === HISTORY_FIELDS.length ? 'unknown' : 'traffic';
}
