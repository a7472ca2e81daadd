import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import type { FoldGroup, InterfaceEntry } from './ranking.js';
import { attributesKey, isImmutable } from './series-key.js';

export interface SeriesState {
  readonly key: string;
  value: number;
  startSec: number;
  startNanos: number;
  /** Our own copy: output points share it, and it is replaced, never mutated. */
  end: HrTime;
  round: number;
  /** Where it was observed in the latest round that saw it; its position last round while a round is under way. */
  position: number;
  /** The frozen attributes object it was last seen with, matched by identity; undefined if not frozen. */
  attributes: Attributes | undefined;
  /** Top-N's entry for its interface (null: no interface name); set by top-N. */
  iface: InterfaceEntry | null | undefined;
  /** The "other" series it folds into; set by top-N. */
  group: FoldGroup | undefined;
}

/** Where observeAll() puts rate points, and (when asked) the state of each. */
export interface RateSink {
  points: DataPoint<number>[];
  /** Filled in step with `points` when not undefined (top-N needs the states). */
  states: SeriesState[] | undefined;
}

/**
 * The series of one metric, by attributesKey(). Building that key for each of thousands of points
 * every round was most of the processor's cost, so a state is first looked for where it was last
 * round: a producer emits its series in the same order, with the same frozen attributes objects,
 * round after round (the receiver does). When an interface comes or goes, the positions after it
 * shift; the first miss finds the state by key and the shift, and the next points hit again.
 * Only frozen attributes are matched by identity: a mutable object could have been rewritten.
 */
export class MetricSeries {
  readonly states = new Map<string, SeriesState>();
  /** The state at each input position last round, and this round (swapped every round). */
  private last: (SeriesState | undefined)[] = [];
  private next: (SeriesState | undefined)[] = [];
  /** Position of the next point in this round (a metric split across scopes keeps counting). */
  private position = 0;
  /** Last round's position minus this round's, for the points seen so far. */
  private shift = 0;
  /** States seen this round for the first time this round: when all are, sweep has nothing to do. */
  private seen = 0;

  constructor(private readonly tracker: RateTracker) {}

  /** Called by the tracker at the start of each round. */
  beginRound(): void {
    // Swapped, so the arrays are reused instead of reallocated every round.
    const old = this.last;
    this.last = this.next;
    this.next = old;
    old.length = 0;
    this.position = 0;
    this.shift = 0;
    this.seen = 0;
  }

  /**
   * Records a round's cumulative points and adds a rate point to `sink` for each one that has an
   * honest rate: not the first sample, no counter reset (value went down or startTime moved), and
   * time passed. Every point becomes its series' new baseline. One loop for all points, with the
   * per-round values in locals: this runs for every series every round.
   */
  observeAll(points: readonly DataPoint<number>[], sink: RateSink): void {
    const { last, next, tracker } = this;
    const round = tracker.round;
    const out = sink.points;
    const outStates = sink.states;
    let position = this.position;
    let shift = this.shift;
    let seen = this.seen;
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as DataPoint<number>;
      const value = p.value;
      const attributes = p.attributes;
      const here = position++;
      // Nothing sane to compare the next sample with; left unmarked, the sweep drops the series.
      if (!Number.isFinite(value)) continue;
      let s = last[here + shift];
      if (s === undefined || s.attributes !== attributes) {
        const key = attributesKey(attributes);
        s = this.states.get(key);
        const frozen = isImmutable(attributes);
        if (s === undefined) {
          s = {
            key,
            value,
            startSec: p.startTime[0],
            startNanos: p.startTime[1],
            end: tracker.ownCopy(p.endTime),
            round,
            position: here,
            attributes: frozen ? attributes : undefined,
            iface: undefined,
            group: undefined,
          };
          this.states.set(key, s);
          seen++;
          if (frozen) next[here] = s;
          continue;
        }
        if (s.round === round - 1) shift = s.position - here;
        s.attributes = frozen ? attributes : undefined;
      }
      if (s.attributes !== undefined) next[here] = s;
      const startTime = p.startTime;
      const end = tracker.ownCopy(p.endTime);
      const previousValue = s.value;
      const previousEnd = s.end;
      const sameStart = s.startSec === startTime[0] && s.startNanos === startTime[1];
      if (s.round !== round) seen++;
      s.value = value;
      s.startSec = startTime[0];
      s.startNanos = startTime[1];
      s.end = end;
      s.round = round;
      s.position = here;
      if (!sameStart || value < previousValue) continue;
      // Seconds and nanoseconds apart, so large epochs lose no precision.
      const dt = end[0] - previousEnd[0] + (end[1] - previousEnd[1]) / 1e9;
      if (!(dt > 0)) continue;
      out.push({ attributes, startTime: previousEnd, endTime: end, value: (value - previousValue) / dt });
      if (outStates !== undefined) outStates.push(s);
    }
    this.position = position;
    this.shift = shift;
    this.seen = seen;
  }

  /** Forgets the series not observed in `round`; returns how many are left. */
  sweep(round: number): number {
    if (this.seen !== this.states.size) {
      for (const [key, state] of this.states) if (state.round !== round) this.states.delete(key);
    }
    return this.states.size;
  }
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
    for (const [name, m] of this.metrics) if (m.sweep(this.round) === 0) this.metrics.delete(name);
  }
}
