import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, GaugeMetricData, MetricData, SumMetricData } from '@opentelemetry/sdk-metrics';

/**
 * A metric's points, column by column. The receiver and the rate processor emit their metrics with
 * these behind them, and the agent's hot path (rates, /metrics) reads the columns: one object per
 * point per sample was most of what a sample allocated, and the garbage collector's share of the
 * agent's CPU with it. `dataPoints` is still there for every other consumer (OTLP, tests), built
 * from the columns on first read.
 */
export interface PointColumns {
  readonly length: number;
  readonly attributes: readonly Attributes[];
  readonly values: ArrayLike<number>;
  /** Each point's start time; absent when every point starts at `startTime`. */
  readonly startTimes?: readonly HrTime[] | undefined;
  /** The start time of every point when `startTimes` is absent (else of the first). */
  readonly startTime: HrTime;
  /** Each point's end time; absent when every point ends at `endTime`. */
  readonly endTimes?: readonly HrTime[] | undefined;
  readonly endTime: HrTime;
}

// On the metric under symbols it does not enumerate, so they show in no deepEqual, JSON or spread.
const COLUMNS = Symbol('point columns');
const POINTS = Symbol('data points');

interface WithColumns {
  [COLUMNS]?: PointColumns;
  [POINTS]?: DataPoint<number>[] | undefined;
}

/** The `dataPoints` getter of every metric withColumns() makes: one function, see withColumns. */
function dataPointsOf(this: WithColumns): DataPoint<number>[] {
  return (this[POINTS] ??= materialize(this[COLUMNS] as PointColumns));
}

function materialize(c: PointColumns): DataPoint<number>[] {
  const points = new Array<DataPoint<number>>(c.length);
  const { attributes, values, startTimes, startTime, endTimes, endTime } = c;
  for (let i = 0; i < c.length; i++) {
    points[i] = { startTime: startTimes?.[i] ?? startTime, endTime: endTimes?.[i] ?? endTime, attributes: attributes[i] as Attributes, value: values[i] as number };
  }
  return points;
}

/**
 * `base` with `dataPoints` built from `columns` when first read (an own, enumerable getter). The
 * same getter function for every metric, and no object spread: `{ ...base, get dataPoints() {} }`
 * gave each metric a hidden class, descriptors and accessor pair of its own, allocated in V8's old
 * generation, ~0.3 KB of garbage there per metric per sample (a dozen per sample), which only a
 * full collection frees (2026-12-05: 20,000 of them, 6 MB of old generation against 0.2 MB).
 */
export function withColumns<M extends SumMetricData | GaugeMetricData>(base: Omit<M, 'dataPoints'>, columns: PointColumns): M {
  const metric = Object.assign({}, base);
  Object.defineProperty(metric, COLUMNS, { value: columns });
  Object.defineProperty(metric, POINTS, { value: undefined, writable: true });
  Object.defineProperty(metric, 'dataPoints', { enumerable: true, configurable: true, get: dataPointsOf });
  return metric as M;
}

/** A metric's points as columns: its own when it has them, else read off its data points. */
export function pointColumns(m: MetricData): PointColumns {
  const own = (m as WithColumns)[COLUMNS];
  if (own !== undefined) return own;
  const points = m.dataPoints as DataPoint<unknown>[];
  const n = points.length;
  const attributes = new Array<Attributes>(n);
  const values = new Array<number>(n);
  const startTimes = new Array<HrTime>(n);
  const endTimes = new Array<HrTime>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i] as DataPoint<unknown>;
    attributes[i] = p.attributes;
    values[i] = typeof p.value === 'number' ? p.value : NaN;
    startTimes[i] = p.startTime;
    endTimes[i] = p.endTime;
  }
  return { length: n, attributes, values, startTimes, startTime: startTimes[0] ?? [0, 0], endTimes, endTime: endTimes[0] ?? [0, 0] };
}

/** How many points a metric has, without building them. */
export function pointCount(m: MetricData): number {
  return (m as WithColumns)[COLUMNS]?.length ?? m.dataPoints.length;
}

/**
 * Arrays their producer will never write again (a layout of attributes or start times, published
 * with its metric). Not frozen instead: V8 reads a frozen array's elements through a slow path, four
 * times slower per element (measured, Node 20), and these are read element by element every round.
 */
const published = new WeakSet<readonly unknown[]>();

/**
 * Promises that `array`, and every object in it, is never written again. A consumer that saw the
 * same published array last round may then take it as the same content without reading it (the rate
 * processor's fast path). Returns the array.
 */
export function publishArray<T extends readonly unknown[]>(array: T): T {
  published.add(array);
  return array;
}

/** Whether `array` was published (see publishArray): the same array then means the same content. */
export function isPublishedArray(array: readonly unknown[] | undefined): boolean {
  return array !== undefined && published.has(array);
}
