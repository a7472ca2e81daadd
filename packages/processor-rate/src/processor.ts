import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, GaugeMetricData, MetricData, MetricDescriptor, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { validateRateProcessorConfig } from './config.js';
import { INTERFACE_ATTRIBUTE, INTERFACE_SPEED_METRIC, rateMetadata } from './metadata.js';
import type { RateMetadata } from './metadata.js';
import { RateTracker } from './series-state.js';
import { attributesKey } from './series-key.js';
import { foldPoints, selectTopInterfaces } from './top-n.js';
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

  /** @throws TypeError listing every problem when the config is invalid (see validateRateProcessorConfig). */
  constructor(config: RateProcessorConfig) {
    const problems = validateRateProcessorConfig(config);
    if (problems.length > 0) throw new TypeError(`invalid rate processor config: ${problems.join('; ')}`);
    this.config = Object.freeze({ topN: config.topN, maxBandwidthBytesPerSecond: config.maxBandwidthBytesPerSecond });
    this.meta = rateMetadata();
  }

  /** Series whose previous sample is remembered: those present in the last process() input. */
  get trackedSeriesCount(): number {
    return this.tracker.size;
  }

  process(input: ScopeMetrics[]): RateResult {
    const { meta, config } = this;
    const gauges = new Map<string, PendingGauge>();
    const linkSpeeds = new Map<string, number>();
    const series: RateSeries[] = [];

    this.tracker.beginRound();
    for (const scope of input) {
      for (const metric of scope.metrics) {
        if (isRateSource(metric)) {
          this.rates(metric, gauges, series);
        } else if (metric.dataPointType === DataPointType.GAUGE && metric.descriptor.name === INTERFACE_SPEED_METRIC) {
          collectLinkSpeeds(metric, INTERFACE_ATTRIBUTE, linkSpeeds);
        }
      }
    }
    this.tracker.sweep();

    const utilization: DataPoint<number>[] = [];
    const ioPoints = gauges.get(meta.ioRateMetric)?.points ?? [];
    for (const p of ioPoints) {
      const name = p.attributes[INTERFACE_ATTRIBUTE];
      if (typeof name !== 'string') continue;
      const capacity = capacityFor(name, linkSpeeds, config.maxBandwidthBytesPerSecond);
      if (capacity === undefined) continue;
      // Not clamped: above 1 means the capacity (usually --max-bandwidth) is wrong, worth seeing.
      const u: DataPoint<number> = { attributes: p.attributes, startTime: p.startTime, endTime: p.endTime, value: p.value / capacity };
      utilization.push(u);
      series.push({ metric: meta.utilization.name, attributes: u.attributes, value: u.value });
    }

    const keep = config.topN > 0 ? selectTopInterfaces(this.scores(gauges), config.topN) : undefined;
    const metrics: GaugeMetricData[] = [];
    for (const [name, g] of gauges) {
      const points = keep ? foldPoints(g.points, keep, INTERFACE_ATTRIBUTE) : g.points;
      if (points.length > 0) metrics.push(gauge(g.descriptor, points));
    }
    const named = keep ? utilization.filter((p) => keep.has(p.attributes[INTERFACE_ATTRIBUTE] as string)) : utilization;
    if (named.length > 0) {
      const { name, description, unit } = meta.utilization;
      metrics.push(gauge({ name, description, unit, type: InstrumentType.OBSERVABLE_GAUGE, valueType: ValueType.DOUBLE }, named));
    }

    return {
      scopeMetrics: { scope: { name: meta.scopeName, version: meta.scopeVersion }, metrics },
      series,
    };
  }

  private rates(metric: SumMetricData, gauges: Map<string, PendingGauge>, series: RateSeries[]): void {
    const source = metric.descriptor;
    const name = source.name + RATE_SUFFIX;
    let g = gauges.get(name);
    if (g === undefined) {
      const listed = this.meta.metrics[name];
      g = {
        descriptor: {
          name,
          description: listed?.description ?? `Per-second rate of ${source.name}, over the last sampling interval.`,
          // From the input, not metadata.yaml: it must follow the counter's actual unit.
          unit: rateUnit(source.unit),
          type: InstrumentType.OBSERVABLE_GAUGE,
          valueType: ValueType.DOUBLE,
        },
        points: [],
      };
      gauges.set(name, g);
    }
    const states = this.tracker.forMetric(source.name);
    for (const p of metric.dataPoints) {
      const r = states.observe(attributesKey(p.attributes), p);
      if (r === undefined) continue;
      g.points.push(r);
      series.push({ metric: name, attributes: r.attributes, value: r.value });
    }
  }

  /** Total bytes/s per interface; interfaces with other rates but no byte rate score 0. */
  private scores(gauges: ReadonlyMap<string, PendingGauge>): Map<string, number> {
    const scores = new Map<string, number>();
    for (const [name, g] of gauges) {
      const isIo = name === this.meta.ioRateMetric;
      for (const p of g.points) {
        const iface = p.attributes[INTERFACE_ATTRIBUTE];
        if (typeof iface !== 'string') continue;
        scores.set(iface, (scores.get(iface) ?? 0) + (isIo ? p.value : 0));
      }
    }
    return scores;
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
