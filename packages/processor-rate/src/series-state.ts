import type { Attributes, HrTime } from '@opentelemetry/api';
import { isPublishedArray, RecycledValuesError, withGuardedValues } from '@otel-netif/metadata';
import type { PointColumns } from '@otel-netif/metadata';
import type { FoldGroup, InterfaceEntry } from './ranking.js';
import { attributesKey, isImmutable } from './series-key.js';

export interface SeriesState {
  /** Rewritten only when the state is reused for another series (see MetricSeries.spares). */
  key: string;
  /** The last round that observed it point by point (a round that took the fast path does not write it). */
  round: number;
  /** Its input position in the latest round that observed it (its previous observation is there). */
  position: number;
  /** Its start time, as numbers (a producer may reuse its HrTime arrays); rewritten only when it moves. */
  startSec: number;
  startNanos: number;
  /** The frozen attributes object it was last seen with, matched by identity; undefined if not frozen. */
  attributes: Attributes | undefined;
  /** Top-N's entry for its interface (null: no interface name); set by top-N. */
  iface: InterfaceEntry | null | undefined;
  /** The "other" series it folds into; set by top-N. */
  group: FoldGroup | undefined;
}

/**
 * One round's rates of one gauge, column by column: top-N folds most of them away, and an object per
 * rate that is summed into "other" right after was most of what a round allocated. Read-only once
 * the round is over (lazy `series` reads them) until the processor refills it two rounds later.
 *
 * Every rate of a round usually spans the same interval (the previous sample's time to this one's),
 * so the interval is kept once, and per rate only from the first rate that spans another: two
 * arrays of a pointer per rate were two fifths of what a round allocated.
 */
/** An attributes array handed out by one of a processor's columns, which its others may hand out too (never written). */
export interface HandedAttributes {
  last: Attributes[] | undefined;
}

export class RateColumns {
  /** The processor round that filled it: a recycled one is refilled by a later round. */
  round: number;
  /**
   * The attributes array view() last handed out: never written again, and handed out again while a
   * round's attributes are the same objects in the same order, so a steady host adds no array per round.
   */
  private handedAttributes: Attributes[] | undefined;
  /** The processor's last handed-out array, whichever columns handed it out (see handOutAttributes). */
  private readonly shared: HandedAttributes | undefined;
  attributes: Attributes[];
  /**
   * A published array (see publishArray) equal to `attributes`, when the rates are exactly one
   * input metric's points in order: view() hands it out instead of comparing or copying its own.
   */
  whole: readonly Attributes[] | undefined;
  /** A typed array: a plain one is first allocated for tagged values, then again for doubles. */
  values: Float64Array;
  states: SeriesState[];
  length = 0;
  /** The interval of every rate while `starts` is undefined; of the first rate after. */
  start: HrTime | undefined;
  end: HrTime | undefined;
  /** Each rate's interval, once two rates span different ones. */
  starts: HrTime[] | undefined;
  ends: HrTime[] | undefined;

  constructor(capacity = 0, round = 0, shared?: HandedAttributes) {
    this.round = round;
    this.shared = shared;
    this.attributes = new Array<Attributes>(capacity);
    this.values = new Float64Array(capacity);
    this.states = new Array<SeriesState>(capacity);
  }

  /** Empty again for another round, keeping its arrays; references to the last round's objects dropped. */
  reset(round: number): void {
    this.truncate(0);
    this.round = round;
  }

  /** Room for `n` more, in one step: arrays grown rate by rate allocated about as much again. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.values.length) return;
    this.attributes = grow(this.attributes, this.length, need);
    const values = new Float64Array(need);
    values.set(this.values.subarray(0, this.length));
    this.values = values;
    this.states = grow(this.states, this.length, need);
    if (this.starts !== undefined && this.ends !== undefined) {
      this.starts = grow(this.starts, this.length, need);
      this.ends = grow(this.ends, this.length, need);
    }
  }

  /** After reserve(). */
  push(attributes: Attributes, start: HrTime, end: HrTime, value: number, state: SeriesState): void {
    this.whole = undefined;
    const i = this.length++;
    this.attributes[i] = attributes;
    this.values[i] = value;
    this.states[i] = state;
    if (this.starts === undefined) {
      if (i === 0) {
        this.start = start;
        this.end = end;
        return;
      }
      if (sameTime(start, this.start as HrTime) && sameTime(end, this.end as HrTime)) return;
      this.split(i);
    }
    (this.starts as HrTime[])[i] = start;
    (this.ends as HrTime[])[i] = end;
  }

  /**
   * Whether rates spanning start..end can be written straight into the columns, after reserve():
   * every rate so far spans that interval (so no per-rate interval is kept). Sets it when empty.
   */
  spans(start: HrTime, end: HrTime): boolean {
    if (this.length === 0) {
      this.start = start;
      this.end = end;
      return true;
    }
    return this.starts === undefined && sameTime(start, this.start as HrTime) && sameTime(end, this.end as HrTime);
  }

  /** Drops the rates from `length` on (a fast path that gave up half way). */
  truncate(length: number): void {
    this.whole = undefined;
    this.attributes.fill(undefined as unknown as Attributes, length, this.length);
    this.states.fill(undefined as unknown as SeriesState, length, this.length);
    this.length = length;
    if (length === 0) {
      this.start = undefined;
      this.end = undefined;
      this.starts = undefined;
      this.ends = undefined;
    }
  }

  startOf(i: number): HrTime {
    return this.starts?.[i] ?? (this.start as HrTime);
  }

  endOf(i: number): HrTime {
    return this.ends?.[i] ?? (this.end as HrTime);
  }

  /** The rates at the positions `keep` accepts, in order. */
  filterByPosition(keep: (i: number) => boolean): RateColumns {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (keep(i)) n++;
    const out = new RateColumns(n);
    for (let i = 0; i < this.length; i++) {
      if (keep(i)) out.push(this.attributes[i] as Attributes, this.startOf(i), this.endOf(i), this.values[i] as number, this.states[i] as SeriesState);
    }
    return out;
  }

  /**
   * The round's rates as a metric's point columns. Their values are this object's own array, which
   * the round that recycles it refills: read after that, `values` throws (a new array per round
   * was garbage off the JS heap that only a full collection freed).
   */
  view(): PointColumns {
    const none: HrTime = [0, 0];
    const n = this.length;
    const round = this.round;
    const columns = {
      length: n,
      attributes: this.whole ?? this.handOutAttributes(),
      startTimes: this.starts?.slice(0, n),
      startTime: this.start ?? none,
      endTimes: this.ends?.slice(0, n),
      endTime: this.end ?? none,
    };
    return withGuardedValues(columns, this.values.subarray(0, n), () => (this.round === round ? undefined : new RecycledValuesError('processor-rate', round, this.round)));
  }

  /**
   * Its own last array again, or the one another gauge of the processor handed out last, when the
   * attributes are the same: a round in which interfaces came or went gives every rate gauge the
   * same new series, and an array each lived a round, long enough to reach V8's old generation.
   */
  private handOutAttributes(): Attributes[] {
    const n = this.length;
    const shared = this.shared;
    let handed = this.sameAttributes(this.handedAttributes) ? this.handedAttributes : shared !== undefined && this.sameAttributes(shared.last) ? shared.last : undefined;
    handed ??= this.attributes.slice(0, n);
    this.handedAttributes = handed;
    if (shared !== undefined) shared.last = handed;
    return handed;
  }

  private sameAttributes(a: Attributes[] | undefined): a is Attributes[] {
    const n = this.length;
    if (a === undefined || a.length !== n) return false;
    const attributes = this.attributes;
    for (let i = 0; i < n; i++) if (a[i] !== attributes[i]) return false;
    return true;
  }

  /** The first `n` rates all span start..end: from here on each keeps its own. */
  private split(n: number): void {
    const capacity = this.values.length;
    const starts = new Array<HrTime>(capacity);
    const ends = new Array<HrTime>(capacity);
    for (let i = 0; i < n; i++) {
      starts[i] = this.start as HrTime;
      ends[i] = this.end as HrTime;
    }
    this.starts = starts;
    this.ends = ends;
  }
}

function grow<T>(from: T[], length: number, capacity: number): T[] {
  const to = new Array<T>(capacity);
  for (let i = 0; i < length; i++) to[i] = from[i] as T;
  return to;
}

function sameTime(a: HrTime, b: HrTime): boolean {
  return a === b || (a[0] === b[0] && a[1] === b[1]);
}

/**
 * One round's observations of a metric, by input position: what the next round computes its rates
 * from. Columns rather than fields on each series' state: a round reads them in input order, while
 * thousands of state objects scattered over the heap cost a cache miss each (an idle agent's caches
 * are cold every round).
 */
class Observations {
  /** Positions observed this round (the first `length` of each column). */
  length = 0;
  /** The series at each position; undefined where the attributes are not frozen (never matched by identity) or the value was not finite. */
  readonly states: (SeriesState | undefined)[] = [];
  values: Float64Array = new Float64Array(0);
  /** The end time of every position while `mixed` is false (our own copy, see RateTracker.ownCopy). */
  sharedEnd: HrTime | undefined;
  /** Each position's end time, once two positions had different ones. */
  mixed = false;
  private readonly ends: HrTime[] = [];
  /** Positions that got a state (the fast path needs every one). */
  filled = 0;
  /**
   * What the round came with, for the next round's fast path: the attributes and startTimes arrays
   * (or the shared start); no attributes array when it came in more than one call (a metric split
   * across scopes).
   */
  attributesArray: readonly Attributes[] | undefined;
  startTimesArray: readonly HrTime[] | undefined;
  sharedStart: HrTime | undefined;

  begin(): void {
    this.length = 0;
    this.filled = 0;
    this.attributesArray = undefined;
    this.startTimesArray = undefined;
    this.sharedStart = undefined;
    this.sharedEnd = undefined;
    this.mixed = false;
  }

  /** Room for positions up to `n`. */
  reserve(n: number): void {
    if (n <= this.values.length) return;
    const values = new Float64Array(n + (n >> 3) + 8);
    values.set(this.values);
    this.values = values;
  }

  record(at: number, state: SeriesState | undefined, value: number, end: HrTime): void {
    this.states[at] = state;
    this.values[at] = value;
    this.recordEnd(at, end);
    if (state !== undefined) this.filled++;
  }

  /** One end time for the round, usually: per position only from the first that differs. */
  recordEnd(at: number, end: HrTime): void {
    if (!this.mixed) {
      if (this.sharedEnd === undefined) this.sharedEnd = end;
      if (end === this.sharedEnd) return;
      this.mixed = true;
      this.ends.length = at;
      this.ends.fill(this.sharedEnd, 0, at);
    }
    this.ends[at] = end;
  }

  endAt(at: number): HrTime {
    return this.mixed ? (this.ends[at] as HrTime) : (this.sharedEnd as HrTime);
  }
}

/**
 * The series of one metric, by attributesKey(). Building that key for each of thousands of points
 * every round was most of the processor's cost, so a state is first looked for where it was last
 * round: a producer emits its series in the same order, with the same frozen attributes objects,
 * round after round (the receiver does). When an interface comes or goes, the positions after it
 * shift; the first miss finds the state by key and the shift, and the next points hit again.
 * Only frozen attributes are matched by identity: a mutable object could have been rewritten.
 *
 * When a round comes with the very same published attributes array as the last one (and the same
 * published start times; see publishArray), every position holds the same series as last round:
 * the fast path computes the rates column by column without touching a state. The receiver hands
 * out the same arrays until an interface comes, goes or resets, so that is nearly every round.
 */
export class MetricSeries {
  readonly states = new Map<string, SeriesState>();
  /**
   * States swept away, for new series to reuse: with interfaces coming and going, a new series'
   * state lived one round, long enough to reach V8's old generation, and only a full collection
   * freed it. A swept state is in no observation a later round reads (it was not observed in the
   * round that swept it), and the columns that may still hold it are refilled before they are read.
   */
  private readonly spares: SeriesState[] = [];
  /** Last round's observations, and this round's (swapped every round, never shrunk). */
  private last = new Observations();
  private next = new Observations();
  /** Position of the next point in this round (a metric split across scopes keeps counting). */
  private position = 0;
  /** Last round's position minus this round's, for the points seen so far. */
  private shift = 0;
  /** States seen this round for the first time this round: when all are, sweep has nothing to do. */
  private seen = 0;
  /** The round whose first call took the fast path, and how many positions it covered. */
  private fastRound = 0;
  private fastLength = 0;

  constructor(private readonly tracker: RateTracker) {}

  /** Called by the tracker at the start of each round. */
  beginRound(): void {
    const old = this.last;
    this.last = this.next;
    this.next = old;
    old.begin();
    this.position = 0;
    this.shift = 0;
    this.seen = 0;
  }

  /**
   * Records a round's cumulative points and adds a rate point to `sink` for each one that has an
   * honest rate: not the first sample, no counter reset (value went down or startTime moved), and
   * time passed. Every point becomes its series' new baseline.
   */
  observeAll(points: PointColumns, columns: RateColumns): void {
    columns.reserve(points.length);
    const next = this.next;
    next.reserve(this.position + points.length);
    if (this.position === 0 && this.fastPath(points, columns)) return;
    this.observeEach(points, columns);
  }

  /**
   * The rates when this round's points are last round's series in the same places (see the class
   * comment); false, having changed nothing that observeEach() does not redo, when they are not.
   */
  private fastPath(points: PointColumns, columns: RateColumns): boolean {
    const { last, next } = this;
    const n = points.length;
    const { attributes, startTimes } = points;
    if (
      last.filled !== n ||
      this.states.size !== n ||
      points.endTimes !== undefined ||
      attributes !== last.attributesArray ||
      !isPublishedArray(attributes) ||
      last.sharedEnd === undefined ||
      last.mixed
    ) {
      return false;
    }
    if (startTimes !== undefined ? startTimes !== last.startTimesArray || !isPublishedArray(startTimes) : !sameStart(points.startTime, last.sharedStart)) return false;
    const values = points.values;
    const end = this.tracker.ownCopy(points.endTime);
    const previousEnd = last.sharedEnd;
    const dt = end[0] - previousEnd[0] + (end[1] - previousEnd[1]) / 1e9;
    // The metric's first call this round: its gauge's columns are still empty, so every rate spans
    // previousEnd..end and goes straight into them (spans() says so, or the point-by-point path runs).
    if (!columns.spans(previousEnd, end)) return false;
    const from = columns.length;
    const lastValues = last.values;
    const nextValues = next.values;
    const lastStates = last.states as SeriesState[];
    const { attributes: outAttributes, values: outValues, states: outStates } = columns;
    let k = from;
    for (let i = 0; i < n; i++) {
      const value = values[i] as number;
      // A value that is not finite drops its series: the point-by-point path does that.
      if (!Number.isFinite(value)) {
        columns.truncate(from);
        return false;
      }
      nextValues[i] = value;
      const previous = lastValues[i] as number;
      if (value < previous || !(dt > 0)) continue;
      outAttributes[k] = attributes[i] as Attributes;
      outValues[k] = (value - previous) / dt;
      outStates[k++] = lastStates[i] as SeriesState;
    }
    columns.length = k;
    columns.whole = from === 0 && k === n ? attributes : undefined;
    // The states keep their start times: the same start times came in again.
    const nextStates = next.states;
    for (let i = 0; i < n; i++) nextStates[i] = lastStates[i];
    next.length = n;
    next.filled = n;
    next.attributesArray = attributes;
    next.startTimesArray = startTimes;
    next.sharedStart = startTimes === undefined ? points.startTime : undefined;
    next.sharedEnd = end;
    this.position = n;
    this.seen = n;
    this.fastRound = this.tracker.round;
    this.fastLength = n;
    return true;
  }

  /** Whether `s` was observed earlier in this round (then its previous observation is this round's; the sweep keeps it). */
  private observedThisRound(s: SeriesState): boolean {
    const round = this.tracker.round;
    return s.round === round || (this.fastRound === round && s.position < this.fastLength && this.next.states[s.position] === s);
  }

  /** observeAll() point by point. One loop for all points, with the per-round values in locals. */
  private observeEach(points: PointColumns, columns: RateColumns): void {
    const { last, next, tracker } = this;
    const round = tracker.round;
    const lastLength = last.length;
    const lastStates = last.states;
    const { attributes: allAttributes, values, startTimes, endTimes } = points;
    // One private copy of the shared end time for the whole metric (see RateTracker.ownCopy).
    const sharedEnd = endTimes === undefined ? tracker.ownCopy(points.endTime) : undefined;
    const sharedStart = startTimes === undefined ? points.startTime : undefined;
    const first = this.position;
    let position = first;
    let shift = this.shift;
    let seen = this.seen;
    for (let i = 0; i < points.length; i++) {
      const value = values[i] as number;
      const attributes = allAttributes[i] as Attributes;
      const here = position++;
      // Nothing sane to compare the next sample with; left unmarked, the sweep drops the series.
      if (!Number.isFinite(value)) {
        next.record(here, undefined, NaN, sharedEnd ?? tracker.ownCopy((endTimes as readonly HrTime[])[i] as HrTime));
        continue;
      }
      const startTime = sharedStart ?? ((startTimes as readonly HrTime[])[i] as HrTime);
      const end = sharedEnd ?? tracker.ownCopy((endTimes as readonly HrTime[])[i] as HrTime);
      const guess = here + shift;
      let s = guess < lastLength ? lastStates[guess] : undefined;
      if (s === undefined || s.attributes !== attributes) {
        const key = attributesKey(attributes);
        s = this.states.get(key);
        const frozen = isImmutable(attributes);
        if (s === undefined) {
          s = this.spares.pop();
          if (s === undefined) {
            s = { key, round, position: here, startSec: startTime[0], startNanos: startTime[1], attributes: frozen ? attributes : undefined, iface: undefined, group: undefined };
          } else {
            s.key = key;
            s.round = round;
            s.position = here;
            s.startSec = startTime[0];
            s.startNanos = startTime[1];
            s.attributes = frozen ? attributes : undefined;
            s.iface = undefined;
            s.group = undefined;
          }
          this.states.set(key, s);
          seen++;
          next.record(here, frozen ? s : undefined, value, end);
          continue;
        }
        // Where it was last round: the positions after it moved by as much.
        if (s.position < lastLength && lastStates[s.position] === s) shift = s.position - here;
        s.attributes = frozen ? attributes : undefined;
      }
      // Its previous observation: last round's, or this round's when it came twice.
      const again = this.observedThisRound(s);
      const from = again ? next : last;
      const at = s.position;
      const previousValue = from.values[at] as number;
      const previousEnd = from.endAt(at);
      const sameStart = s.startSec === startTime[0] && s.startNanos === startTime[1];
      if (!sameStart) {
        s.startSec = startTime[0];
        s.startNanos = startTime[1];
      }
      if (!again) seen++;
      s.round = round;
      s.position = here;
      next.record(here, s.attributes !== undefined ? s : undefined, value, end);
      if (!sameStart || value < previousValue) continue;
      // Seconds and nanoseconds apart, so large epochs lose no precision.
      const dt = end[0] - previousEnd[0] + (end[1] - previousEnd[1]) / 1e9;
      if (!(dt > 0)) continue;
      columns.push(attributes, previousEnd, end, (value - previousValue) / dt, s);
    }
    next.length = position;
    // What the next round's fast path compares with: only a round that came in one call.
    if (first === 0) {
      next.attributesArray = allAttributes;
      next.startTimesArray = startTimes;
      next.sharedStart = sharedStart;
    } else {
      next.attributesArray = undefined;
    }
    this.position = position;
    this.shift = shift;
    this.seen = seen;
  }

  /** Forgets the series not observed in this round; returns how many are left. */
  sweep(): number {
    if (this.seen !== this.states.size) {
      // By value, deleting by the state's own key: iterating entries made a [key, value] array per
      // series, and took four times as long (1000 entries, Node 20).
      const spares = this.spares;
      for (const state of this.states.values()) {
        if (this.observedThisRound(state)) continue;
        this.states.delete(state.key);
        if (spares.length < MAX_SPARE_STATES) spares.push(state);
      }
    }
    return this.states.size;
  }
}

/** Swept states a metric keeps for reuse: a round's churn, not a mass deletion's (~100 bytes each). */
const MAX_SPARE_STATES = 256;

function sameStart(a: HrTime, b: HrTime | undefined): boolean {
  return b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/**
 * The previous sample of every cumulative series. Only series seen in the latest round are kept:
 * a node can create and destroy thousands of short-lived veths, and remembering them would grow
 * without bound. Keyed by metric, then by attribute set, so the hot-path keys stay short.
 */
export class RateTracker {
  private readonly metrics = new Map<string, MetricSeries>();
  round = 0;
  private lastEndIn: HrTime | undefined;
  private lastEndCopy: HrTime = [0, 0];

  /** Number of series remembered; bounded by the size of the last round's input. */
  get size(): number {
    let n = 0;
    for (const m of this.metrics.values()) n += m.states.size;
    return n;
  }

  beginRound(): void {
    this.round++;
    this.lastEndIn = undefined;
    for (const m of this.metrics.values()) m.beginRound();
  }

  forMetric(name: string): MetricSeries {
    let m = this.metrics.get(name);
    if (m === undefined) {
      m = new MetricSeries(this);
      m.beginRound();
      this.metrics.set(name, m);
    }
    return m;
  }

  /**
   * A private copy of `t`, so a producer reusing its arrays cannot rewrite our history. All points
   * of a round usually share one endTime array, so they share one copy too.
   */
  ownCopy(t: HrTime): HrTime {
    const c = this.lastEndCopy;
    if (t === this.lastEndIn && c[0] === t[0] && c[1] === t[1]) return c;
    this.lastEndIn = t;
    this.lastEndCopy = [t[0], t[1]];
    return this.lastEndCopy;
  }

  /** Forgets every series, and metric, not observed since the last beginRound(). */
  sweep(): void {
    for (const [name, m] of this.metrics) if (m.sweep() === 0) this.metrics.delete(name);
  }
}
