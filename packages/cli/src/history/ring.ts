/** The rates one history slot keeps per interface, all per second. */
export const HISTORY_FIELDS = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type HistoryPoint = Record<HistoryField, number | undefined>;

/** Bytes one interface costs per slot (Float32 per field); the docs quote this. */
export const BYTES_PER_INTERFACE_SLOT = HISTORY_FIELDS.length * Float32Array.BYTES_PER_ELEMENT;
/**
 * Significant digits a history value is given back with: a Float32 holds about 7.2, and a chart
 * shows three. A rate stored as a Float32 then reads as 9.99, not 9.989999771118164.
 */
export const HISTORY_DIGITS = 7;
/** 1 h at a 5 s interval. */
export const DEFAULT_HISTORY_SIZE = 720;
export const MAX_HISTORY_SIZE = 1_000_000;
/**
 * What the rates of busy interfaces may take, all together: the full 720 slots for up to 45 of
 * them. A buffer of 720 slots per busy interface was 22.5 KiB each (Float64 then): at 1000 veths
 * with traffic VmRSS read 81-82 thousand kB against 59-60 thousand with one slot (2026-12-05), a
 * third of the agent's memory for a page nobody may open. Past it, the ring keeps fewer slots (see
 * HistoryRing). Float32 values halved what a slot takes, and the budget with them (1 MiB before),
 * so the ring keeps as many slots as before in half the memory.
 */
export const DEFAULT_HISTORY_MEMORY = 512 * 1024;
/** The ring never keeps fewer slots than this for the budget's sake: the last two rates. */
export const MIN_HISTORY_SLOTS = 2;

export interface HistoryWindow {
  /** Wall-clock milliseconds of each slot, oldest first. */
  t: number[];
  /** Per interface, per field, one value per entry of `t`; null where unknown (first sample, not yet present). */
  interfaces: Map<string, Record<HistoryField, (number | null)[]>>;
}

/**
 * One interface's rates in the ring: a handle, so whoever records every round writes it without a
 * lookup by name. Its row of the ring's memory (capacity × fields Float32s) is taken when the
 * interface first has traffic: most interfaces of a node with thousands are idle. Until then the
 * series only knows from which round its rates were 0 (before that: unknown, NaN).
 */
export class HistorySeries {
  /** Its row in the ring's memory; -1 while it has none. */
  row = -1;
  /** First round whose rates were all 0, while there is no row; -1 while they are still unknown. */
  zeroFrom = -1;

  constructor(readonly name: string) {}
}

/** Rows a shrink or a growth leaves room for beyond the busy interfaces it counts: new ones then do not shrink it again at once. */
const HEADROOM = 1.25;

/**
 * A number of sampling rounds of per-interface rates, within a memory budget. The rows of the busy
 * interfaces share one Float32Array, which grows (doubling) up to the budget. When one more row
 * would not fit, every row keeps fewer slots, the newest, moved in place: `capacity` goes down
 * from `maxCapacity` so that the busy interfaces, and a quarter more, fit (never below
 * MIN_HISTORY_SLOTS; past that the memory grows after all, 32 bytes per interface). When
 * interfaces go and twice the slots would fit, it goes back up towards `maxCapacity` (the slots it
 * dropped stay dropped). An interface missing from a round is dropped at once, and its row is free
 * for the next: churn cannot accumulate.
 */
export class HistoryRing {
  /** The most slots it keeps (--history-size); `capacity` is how many it keeps now. */
  readonly maxCapacity: number;
  private slots: number;
  private times: Float64Array;
  private readonly series = new Map<string, HistorySeries>();
  /** Rows of `capacity` slots × fields; only [0, rowsTaken) were ever handed out. */
  private memory = new Float32Array(0);
  private rowsTaken = 0;
  /** Rows handed out and given back since, for the next interface with traffic. */
  private readonly freeRows: number[] = [];
  /** The most values `memory` may hold while capacity can still go down. */
  private readonly budget: number;
  /** Index of the oldest slot. */
  private start = 0;
  private count = 0;
  /** Rounds begun so far: round r went to slot r % capacity. */
  private rounds = 0;
  /** Slot of the round being recorded. */
  private slot = 0;

  constructor(size: number = DEFAULT_HISTORY_SIZE, memoryBytes: number = DEFAULT_HISTORY_MEMORY) {
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_HISTORY_SIZE) {
      throw new RangeError(`history size must be a whole number from 1 to ${MAX_HISTORY_SIZE}, got ${size}`);
    }
    if (!Number.isFinite(memoryBytes) || memoryBytes < 0) throw new RangeError(`history memory must be a number of bytes, got ${memoryBytes}`);
    this.maxCapacity = this.slots = size;
    this.times = new Float64Array(size);
    this.budget = Math.floor(memoryBytes / Float32Array.BYTES_PER_ELEMENT);
  }

  /** How many slots it keeps now: `maxCapacity`, or fewer while the busy interfaces' rows would not fit the budget. */
  get capacity(): number {
    return this.slots;
  }

  /** Slots holding a round. */
  get size(): number {
    return this.count;
  }

  get interfaceNames(): string[] {
    return [...this.series.keys()];
  }

  /** Bytes held for the rates and the slot times (not the Map and name overhead). */
  get bytes(): number {
    return this.times.byteLength + this.memory.byteLength;
  }

  /** Records one round. Interfaces absent from `points` are forgotten. */
  push(timeMs: number, points: ReadonlyMap<string, HistoryPoint>): void {
    for (const s of this.series.values()) if (!points.has(s.name)) this.close(s);
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
    const before = this.series.get(series.name);
    if (before !== undefined && before !== series) this.close(before);
    this.series.set(series.name, series);
  }

  /** Forgets an interface: it vanished. Coming back, it starts a new series. */
  close(series: HistorySeries): void {
    if (this.series.get(series.name) !== series) return;
    this.series.delete(series.name);
    if (series.row >= 0) {
      this.freeRows.push(series.row);
      series.row = -1;
    }
  }

  /**
   * Starts a round at `timeMs`; then record() each open series once (one not recorded would show
   * whatever its slot held `capacity` rounds ago).
   */
  begin(timeMs: number): void {
    this.mayGrow();
    if (this.count < this.slots) {
      this.slot = (this.start + this.count) % this.slots;
      this.count++;
    } else {
      this.slot = this.start;
      this.start = (this.start + 1) % this.slots;
    }
    this.rounds++;
    this.times[this.slot] = timeMs;
  }

  /** One interface's rates (HISTORY_FIELDS order) in the round begun last; NaN or ±Infinity: unknown. */
  record(s: HistorySeries, rxBytes: number, txBytes: number, rxPackets: number, txPackets: number): void {
    if (s.row < 0) {
      if (rxBytes === 0 && txBytes === 0 && rxPackets === 0 && txPackets === 0) {
        if (s.zeroFrom < 0) s.zeroFrom = this.rounds - 1;
        return;
      }
      const unknown = !Number.isFinite(rxBytes) && !Number.isFinite(txBytes) && !Number.isFinite(rxPackets) && !Number.isFinite(txPackets);
      if (unknown && s.zeroFrom < 0) return;
      this.takeRow(s);
    }
    const at = (s.row * this.slots + this.slot) * HISTORY_FIELDS.length;
    const m = this.memory;
    m[at] = Number.isFinite(rxBytes) ? rxBytes : Number.NaN;
    m[at + 1] = Number.isFinite(txBytes) ? txBytes : Number.NaN;
    m[at + 2] = Number.isFinite(rxPackets) ? rxPackets : Number.NaN;
    m[at + 3] = Number.isFinite(txPackets) ? txPackets : Number.NaN;
  }

  /** A row for a series that had none, with the rounds before this one filled in as they were recorded. */
  private takeRow(s: HistorySeries): void {
    let row = this.freeRows.pop();
    if (row === undefined) {
      const busy = this.rowsTaken + 1;
      if (busy * this.slots * HISTORY_FIELDS.length > this.budget && this.slots > this.fewestSlots) this.relayout(Math.min(this.slots, this.slotsFitting(busy)));
      row = this.rowsTaken++;
      const need = this.rowsTaken * this.slots * HISTORY_FIELDS.length;
      const length = this.memory.length;
      // Doubling, up to the budget; past it only at the fewest slots (see the class comment).
      if (need > length) this.resize(need > this.budget ? Math.max(need, 2 * length) : Math.max(need, Math.min(2 * length, this.budget)));
    }
    s.row = row;
    const width = HISTORY_FIELDS.length;
    const base = row * this.slots * width;
    // NaN marks the slots from before the interface existed, or before its rates were known.
    this.memory.fill(Number.NaN, base, base + this.slots * width);
    const round = this.rounds - 1;
    if (s.zeroFrom >= 0) {
      for (let r = Math.max(s.zeroFrom, round - this.count + 1); r < round; r++) {
        const at = base + (r % this.slots) * width;
        this.memory.fill(0, at, at + width);
      }
    }
  }

  /** `memory` with room for `length` values, its rows as they were. */
  private resize(length: number): void {
    const bigger = new Float32Array(length);
    bigger.set(this.memory.subarray(0, Math.min(this.memory.length, length)));
    this.memory = bigger;
  }

  /** Back up towards maxCapacity when twice the slots (and headroom) fit the budget again: interfaces went. */
  private mayGrow(): void {
    if (this.slots >= this.maxCapacity) return;
    const fits = this.slotsFitting(this.rowsTaken - this.freeRows.length);
    if (fits >= 2 * this.slots) this.relayout(Math.min(this.maxCapacity, fits));
  }

  private get fewestSlots(): number {
    return Math.min(MIN_HISTORY_SLOTS, this.maxCapacity);
  }

  /** The most slots per row with which `rows` rows, and a quarter more, fit the budget (never fewer than fewestSlots). */
  private slotsFitting(rows: number): number {
    return Math.max(this.fewestSlots, Math.floor(this.budget / (Math.max(1, Math.ceil(rows * HEADROOM)) * HISTORY_FIELDS.length)));
  }

  /**
   * Makes every row `slots` slots, keeping the newest rounds each held (and their times), and
   * gives the busy series rows 0, 1, … in order: no row is free after it. Round r stays at slot
   * r % capacity. Shorter rows move down in place (row k's new place ends before the next busy
   * row's old one begins); longer ones go to new memory, which then holds just the busy rows.
   */
  private relayout(slots: number): void {
    const width = HISTORY_FIELDS.length;
    const old = this.slots;
    const keep = Math.min(this.count, slots, old);
    const first = this.rounds - keep;
    const busy: HistorySeries[] = [];
    for (const s of this.series.values()) if (s.row >= 0) busy.push(s);
    busy.sort((a, b) => a.row - b.row);
    const from = this.memory;
    const to = slots < old ? from : new Float32Array(busy.length * slots * width);
    const scratch = new Float32Array(keep * width);
    for (let k = 0; k < busy.length; k++) {
      const s = busy[k] as HistorySeries;
      const src = s.row * old * width;
      for (let r = first; r < this.rounds; r++) scratch.set(from.subarray(src + (r % old) * width, src + (r % old + 1) * width), (r - first) * width);
      const dst = k * slots * width;
      to.fill(Number.NaN, dst, dst + slots * width);
      for (let r = first; r < this.rounds; r++) to.set(scratch.subarray((r - first) * width, (r - first + 1) * width), dst + (r % slots) * width);
      s.row = k;
    }
    this.memory = to;
    const times = new Float64Array(slots);
    for (let r = first; r < this.rounds; r++) times[r % slots] = this.times[r % old] as number;
    this.times = times;
    this.slots = slots;
    this.count = keep;
    this.start = first % slots;
    this.slot = (this.rounds + slots - 1) % slots;
    this.rowsTaken = busy.length;
    this.freeRows.length = 0;
  }

  /** The value recorded in `slot` (round `round`) for an entry, to HISTORY_DIGITS. */
  private valueAt(entry: HistorySeries | undefined, slot: number, round: number, f: number): number {
    if (entry === undefined) return Number.NaN;
    if (entry.row >= 0) {
      const v = this.memory[(entry.row * this.slots + slot) * HISTORY_FIELDS.length + f] as number;
      return Number.isFinite(v) ? Number(v.toPrecision(HISTORY_DIGITS)) : v;
    }
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
      const slot = (this.start + i) % this.slots;
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
      const slot = (this.start + i) % this.slots;
      out.push(this.valueAt(entry, slot, this.roundOf(i), f));
    }
    return out;
  }

  /** Time of the newest slot, or undefined when empty. */
  latestTime(): number | undefined {
    if (this.count === 0) return undefined;
    return this.times[(this.start + this.count - 1) % this.slots];
  }
}
