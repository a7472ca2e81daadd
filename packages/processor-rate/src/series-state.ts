import type { HrTime } from '@opentelemetry/api';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { secondsBetween } from './hr-time.js';

interface SeriesState {
  value: number;
  startSec: number;
  startNanos: number;
  /** Our own copy: output points share it, and it is replaced, never mutated. */
  end: HrTime;
  round: number;
}

/** The series of one metric, by attributesKey(). */
export class MetricSeries {
  readonly states = new Map<string, SeriesState>();

  constructor(private readonly tracker: RateTracker) {}

  /**
   * Records a cumulative point and returns its rate point, or undefined when no rate can be told
   * honestly: first sample, counter reset (value went down or startTime moved), or no time passed.
   * In every case the point becomes the new baseline.
   */
  observe(key: string, point: DataPoint<number>): DataPoint<number> | undefined {
    const { value, startTime, endTime } = point;
    // Nothing sane to compare the next sample with; left unmarked, the sweep drops the series.
    if (!Number.isFinite(value)) return undefined;
    const end = this.tracker.ownCopy(endTime);
    const round = this.tracker.round;
    const prev = this.states.get(key);
    if (prev === undefined) {
      this.states.set(key, { value, startSec: startTime[0], startNanos: startTime[1], end, round });
      return undefined;
    }
    const previousValue = prev.value;
    const previousEnd = prev.end;
    const sameStart = prev.startSec === startTime[0] && prev.startNanos === startTime[1];
    prev.value = value;
    prev.startSec = startTime[0];
    prev.startNanos = startTime[1];
    prev.end = end;
    prev.round = round;
    if (!sameStart || value < previousValue) return undefined;
    const dt = secondsBetween(previousEnd, end);
    if (!(dt > 0)) return undefined;
    return { attributes: point.attributes, startTime: previousEnd, endTime: end, value: (value - previousValue) / dt };
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
  }

  forMetric(name: string): MetricSeries {
    let m = this.metrics.get(name);
    if (m === undefined) {
      m = new MetricSeries(this);
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
    for (const [name, m] of this.metrics) {
      for (const [key, state] of m.states) if (state.round !== this.round) m.states.delete(key);
      if (m.states.size === 0) this.metrics.delete(name);
    }
  }
}
