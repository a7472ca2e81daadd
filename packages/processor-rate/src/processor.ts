import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, GaugeMetricData, MetricData, MetricDescriptor, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { validateRateProcessorConfig } from './config.js';
import { INTERFACE_ATTRIBUTE, INTERFACE_SPEED_METRIC, rateMetadata } from './metadata.js';
import type { RateMetadata } from './metadata.js';
import { RateTracker } from './series-state.js';
import type { SeriesState } from './series-state.js';
import { TopN } from './ranking.js';
import { capacityFor, collectLinkSpeeds } from './utilization.js';
import type { RateProcessorConfig, RateResult, RateSeries } from './types.js';

/** Suffix that turns a counter's name into its rate gauge's name. */
const RATE_SUFFIX = '.rate';

// The SDK's own collected data carries the instrument type in the descriptor, and the receiver
// keeps it too; consumers that look at it see what an observable gauge would give.
interface GaugeDescriptor extends MetricDescriptor {
  readonly type: InstrumentType;
}

interface PendingGauge {
  descriptor: GaugeDescriptor;
  points: DataPoint<number>[];
  /** The series state of each point, in step with `points`; only with top-N. */
  states: SeriesState[] | undefined;
}

/** One run of rate points from one input metric, in input order: what `series` lists. */
interface Segment {
  metric: string;
  points: DataPoint<number>[];
  from: number;
  to: number;
}

function rateUnit(unit: string): string {
  // "/s" alone is not a valid UCUM unit; a unitless counter counts "1"s.
  return unit === '' ? '1/s' : `${unit}/s`;
}

function isRateSource(m: MetricData): m is SumMetricData {
  return (
    m.dataPointType === DataPointType.SUM &&
    m.isMonotonic &&
    m.aggregationTemporality === AggregationTemporality.CUMULATIVE
  );
}

/**
 * Turns cumulative counters into per-second gauges, folds interfaces outside the top N into
 * "other", and derives bandwidth utilization. Keeps one previous sample per live series and
 * nothing else, so call process() with every round's full input, from one caller.
 */
export class RateProcessor {
  private readonly config: Readonly<RateProcessorConfig>;
  private readonly meta: RateMetadata;
  private readonly tracker = new RateTracker();
  private readonly descriptors = new Map<string, GaugeDescriptor>();
  /** Undefined when topN is 0: nothing folds, and no per-point bookkeeping is kept for it. */
  private readonly topN: TopN | undefined;
  private readonly utilizationDescriptor: GaugeDescriptor;

  /** @throws TypeError listing every problem when the config is invalid (see validateRateProcessorConfig). */
  constructor(config: RateProcessorConfig) {
    const problems = validateRateProcessorConfig(config);
    if (problems.length > 0) throw new TypeError(`invalid rate processor config: ${problems.join('; ')}`);
    this.config = Object.freeze({ topN: config.topN, maxBandwidthBytesPerSecond: config.maxBandwidthBytesPerSecond });
    this.meta = rateMetadata();
    this.topN = config.topN > 0 ? new TopN(INTERFACE_ATTRIBUTE, config.topN) : undefined;
    const { name, description, unit } = this.meta.utilization;
    this.utilizationDescriptor = Object.freeze({ name, description, unit, type: InstrumentType.OBSERVABLE_GAUGE, valueType: ValueType.DOUBLE });
  }

  /** Series whose previous sample is remembered: those present in the last process() input. */
  get trackedSeriesCount(): number {
    return this.tracker.size;
  }

  process(input: ScopeMetrics[]): RateResult {
    const { meta, config } = this;
    const gauges = new Map<string, PendingGauge>();
    const linkSpeeds = new Map<string, number>();
    const segments: Segment[] = [];

    this.tracker.beginRound();
    for (const scope of input) {
      for (const metric of scope.metrics) {
        if (isRateSource(metric)) {
          this.rates(metric, gauges, segments);
        } else if (metric.dataPointType === DataPointType.GAUGE && metric.descriptor.name === INTERFACE_SPEED_METRIC) {
          collectLinkSpeeds(metric, INTERFACE_ATTRIBUTE, linkSpeeds);
        }
      }
    }
    this.tracker.sweep();

    const utilization: DataPoint<number>[] = [];
    const utilizationStates: SeriesState[] = [];
    const io = gauges.get(meta.ioRateMetric);
    if (io && (linkSpeeds.size > 0 || config.maxBandwidthBytesPerSecond > 0)) {
      for (let i = 0; i < io.points.length; i++) {
        const p = io.points[i] as DataPoint<number>;
        const name = p.attributes[INTERFACE_ATTRIBUTE];
        if (typeof name !== 'string') continue;
        const capacity = capacityFor(name, linkSpeeds, config.maxBandwidthBytesPerSecond);
        if (capacity === undefined) continue;
        // Not clamped: above 1 means the capacity (usually --max-bandwidth) is wrong, worth seeing.
        utilization.push({ attributes: p.attributes, startTime: p.startTime, endTime: p.endTime, value: p.value / capacity });
        if (io.states) utilizationStates.push(io.states[i] as SeriesState);
      }
    }

    const { topN } = this;
    let folds = false;
    if (topN) {
      topN.beginRound();
      for (const [name, g] of gauges) topN.score(g.points, g.states as SeriesState[], name === meta.ioRateMetric);
      folds = topN.select();
    }
    const metrics: GaugeMetricData[] = [];
    for (const g of gauges.values()) {
      const points = folds && topN ? topN.fold(g.points, g.states as SeriesState[]) : g.points;
      if (points.length > 0) metrics.push(gauge(g.descriptor, points));
    }
    const named = folds && topN ? utilization.filter((_p, i) => topN.isNamed(utilizationStates[i] as SeriesState)) : utilization;
    if (named.length > 0) metrics.push(gauge(this.utilizationDescriptor, named));

    const scopeMetrics: ScopeMetrics = { scope: { name: meta.scopeName, version: meta.scopeVersion }, metrics };
    const utilizationMetric = meta.utilization.name;
    let series: RateSeries[] | undefined;
    // `series` is built on first read: the agent's exporters never read it (only local views do),
    // and an object per rate per round was a tenth of a sample's allocation. An own, enumerable
    // getter, so the result still looks like a plain { scopeMetrics, series } to whoever inspects it.
    return {
      scopeMetrics,
      get series(): RateSeries[] {
        return (series ??= unfoldedSeries(segments, utilizationMetric, utilization));
      },
    };
  }

  private rates(metric: SumMetricData, gauges: Map<string, PendingGauge>, segments: Segment[]): void {
    const source = metric.descriptor;
    const name = source.name + RATE_SUFFIX;
    let g = gauges.get(name);
    if (g === undefined) {
      // States are kept in step with the points only for top-N, which needs them.
      g = { descriptor: this.rateDescriptor(source), points: [], states: this.topN ? [] : undefined };
      gauges.set(name, g);
    }
    const { points } = g;
    const from = points.length;
    this.tracker.forMetric(source.name).observeAll(metric.dataPoints, g);
    if (points.length > from) segments.push({ metric: name, points, from, to: points.length });
  }

  /** One descriptor object per rate gauge, kept across rounds, so consumers can cache by it. */
  private rateDescriptor(source: MetricDescriptor): GaugeDescriptor {
    const cacheKey = `${source.name}\0${source.unit}\0${source.description}`;
    let d = this.descriptors.get(cacheKey);
    if (d === undefined) {
      const name = source.name + RATE_SUFFIX;
      const listed = this.meta.metrics[name];
      d = Object.freeze({
        name,
        description: listed?.description ?? `Per-second rate of ${source.name}, over the last sampling interval.`,
        // From the input, not metadata.yaml: it must follow the counter's actual unit.
        unit: rateUnit(source.unit),
        type: InstrumentType.OBSERVABLE_GAUGE,
        valueType: ValueType.DOUBLE,
      });
      // The bound only guards against a producer that invents metrics.
      if (this.descriptors.size >= 1000) this.descriptors.clear();
      this.descriptors.set(cacheKey, d);
    }
    return d;
  }
}

function gauge(descriptor: GaugeDescriptor, dataPoints: DataPoint<number>[]): GaugeMetricData {
  return {
    descriptor,
    dataPointType: DataPointType.GAUGE,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints,
  };
}

function unfoldedSeries(segments: readonly Segment[], utilizationMetric: string, utilization: readonly DataPoint<number>[]): RateSeries[] {
  const out: RateSeries[] = [];
  for (const { metric, points, from, to } of segments) {
    for (let i = from; i < to; i++) {
      const p = points[i] as DataPoint<number>;
      out.push({ metric, attributes: p.attributes, value: p.value });
    }
  }
  for (const u of utilization) out.push({ metric: utilizationMetric, attributes: u.attributes, value: u.value });
  return out;
}
