import { DATA_POINT_GAUGE, DATA_POINT_SUM, INSTRUMENT_OBSERVABLE_GAUGE, pointColumns, TEMPORALITY_CUMULATIVE, VALUE_DOUBLE, withColumns } from '@otel-netif/metadata';
import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { GaugeMetricData, MetricData, MetricDescriptor, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import type { PointColumns } from '@otel-netif/metadata';
import { validateRateProcessorConfig } from './config.js';
import { INTERFACE_ATTRIBUTE, INTERFACE_SPEED_METRIC, rateMetadata } from './metadata.js';
import type { RateMetadata } from './metadata.js';
import { RateColumns, RateTracker } from './series-state.js';
import type { HandedAttributes, SeriesState } from './series-state.js';
import { TopN } from './ranking.js';
import { capacityFor, LinkSpeeds } from './utilization.js';
import type { RateProcessorConfig, RateResult, RateSeries } from './types.js';

/** Suffix that turns a counter's name into its rate gauge's name. */
const RATE_SUFFIX = '.rate';

// The SDK's own collected data carries the instrument type in the descriptor, and the receiver
// keeps it too; consumers that look at it see what an observable gauge would give.
interface GaugeDescriptor extends MetricDescriptor {
  readonly type: InstrumentType;
}

/** A rate gauge being built: its rates in columns, folded (top-N) once the round is in. */
interface PendingGauge {
  descriptor: GaugeDescriptor;
  columns: RateColumns;
}

/** One run of rates from one input metric, in input order: what `series` lists. */
interface Segment {
  metric: string;
  /** Read once the round is over: the arrays may be replaced while they grow. */
  rates: RateColumns;
  from: number;
  to: number;
}

function rateUnit(unit: string): string {
  // "/s" alone is not a valid UCUM unit; a unitless counter counts "1"s.
  return unit === '' ? '1/s' : `${unit}/s`;
}

function isRateSource(m: MetricData): m is SumMetricData {
  return (
    m.dataPointType === DATA_POINT_SUM &&
    m.isMonotonic &&
    m.aggregationTemporality === TEMPORALITY_CUMULATIVE
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
  private readonly linkSpeeds = new LinkSpeeds();
  /** Rounds processed: a result's columns belong to its round until recycled (see spare). */
  private round = 0;
  /**
   * Gauge columns of the last round and of the one before, by gauge name: a round refills those of
   * the round before last (what their views handed out is never written, see RateColumns.view). At
   * 1000 interfaces a round's columns were ~125 KB of pointer arrays that lived exactly one round,
   * long enough for V8 to copy them out of the young generation and collect them later as old
   * garbage; most of what each scavenge copied (heap sampling, 2026-12-04).
   */
  private lastColumns = new Map<string, RateColumns>();
  /** What the gauges' columns handed out last, for the next one with the same attributes (see RateColumns). */
  private readonly handed: HandedAttributes = { last: undefined };
  private spare = new Map<string, RateColumns>();

  /** @throws TypeError listing every problem when the config is invalid (see validateRateProcessorConfig). */
  constructor(config: RateProcessorConfig) {
    const problems = validateRateProcessorConfig(config);
    if (problems.length > 0) throw new TypeError(`invalid rate processor config: ${problems.join('; ')}`);
    this.config = Object.freeze({ topN: config.topN, maxBandwidthBytesPerSecond: config.maxBandwidthBytesPerSecond });
    this.meta = rateMetadata();
    this.topN = config.topN > 0 ? new TopN(INTERFACE_ATTRIBUTE, config.topN) : undefined;
    const { name, description, unit } = this.meta.utilization;
    this.utilizationDescriptor = Object.freeze({ name, description, unit, type: INSTRUMENT_OBSERVABLE_GAUGE, valueType: VALUE_DOUBLE });
  }

  /** Series whose previous sample is remembered: those present in the last process() input. */
  get trackedSeriesCount(): number {
    return this.tracker.size;
  }

  process(input: ScopeMetrics[]): RateResult {
    const { meta, config } = this;
    const gauges = new Map<string, PendingGauge>();
    const linkSpeeds = this.linkSpeeds;
    linkSpeeds.beginRound();
    const segments: Segment[] = [];
    const round = ++this.round;

    this.tracker.beginRound();
    for (const scope of input) {
      for (const metric of scope.metrics) {
        if (isRateSource(metric)) {
          this.rates(metric, gauges, segments);
        } else if (metric.dataPointType === DATA_POINT_GAUGE && metric.descriptor.name === INTERFACE_SPEED_METRIC) {
          linkSpeeds.collect(metric, INTERFACE_ATTRIBUTE);
        }
      }
    }
    this.tracker.sweep();

    const utilization = this.utilization(gauges.get(meta.ioRateMetric), linkSpeeds, round);

    const { topN } = this;
    const metrics: GaugeMetricData[] = [];
    let folds = false;
    if (topN) {
      topN.beginRound();
      for (const [name, g] of gauges) topN.score(g.columns, name === meta.ioRateMetric);
      folds = topN.select();
    }
    for (const g of gauges.values()) {
      const points = topN ? topN.points(g.columns, folds) : g.columns.view();
      if (points.length > 0) metrics.push(gauge(g.descriptor, points));
    }
    // Utilization only for the named interfaces: summed traffic over no single link's capacity means nothing.
    const named = topN && folds ? topN.named(utilization) : utilization;
    if (named.length > 0) metrics.push(gauge(this.utilizationDescriptor, named.view()));

    this.keepForRecycling(gauges, utilization);

    const scopeMetrics: ScopeMetrics = { scope: { name: meta.scopeName, version: meta.scopeVersion }, metrics };
    const utilizationMetric = meta.utilization.name;
    let series: RateSeries[] | undefined;
    // `series` is built on first read: the agent's exporters never read it (only local views do),
    // and an object per rate per round was a tenth of a sample's allocation. An own, enumerable
    // getter, so the result still looks like a plain { scopeMetrics, series } to whoever inspects it.
    const all: readonly Segment[] = [...segments, { metric: utilizationMetric, rates: utilization, from: 0, to: utilization.length }];
    return {
      scopeMetrics,
      get series(): RateSeries[] {
        return (series ??= unfoldedSeries(unrecycled(all, round)));
      },
      forEachRate(fn, metrics) {
        for (const { metric, rates, from, to } of unrecycled(all, round)) {
          if (metrics !== undefined && !metrics.has(metric)) continue;
          for (let i = from; i < to; i++) fn(metric, rates.attributes[i] as Attributes, rates.values[i] as number);
        }
      },
    };
  }

  private rates(metric: SumMetricData, gauges: Map<string, PendingGauge>, segments: Segment[]): void {
    const source = metric.descriptor;
    const name = source.name + RATE_SUFFIX;
    let g = gauges.get(name);
    const points = pointColumns(metric);
    if (g === undefined) {
      g = { descriptor: this.rateDescriptor(source), columns: this.columnsFor(name, points.length) };
      gauges.set(name, g);
    }
    const from = g.columns.length;
    this.tracker.forMetric(source.name).observeAll(points, g.columns);
    const to = g.columns.length;
    if (to > from) segments.push({ metric: name, rates: g.columns, from, to });
  }

  private capacityOf(attributes: Attributes, linkSpeeds: LinkSpeeds): number | undefined {
    const name = attributes[INTERFACE_ATTRIBUTE];
    return typeof name === 'string' ? capacityFor(linkSpeeds.get(name), this.config.maxBandwidthBytesPerSecond) : undefined;
  }

  /** io.rate ÷ capacity per interface and direction, with the series states (top-N keeps the named ones). */
  private utilization(io: PendingGauge | undefined, linkSpeeds: LinkSpeeds, round: number): RateColumns {
    const max = this.config.maxBandwidthBytesPerSecond;
    if (io === undefined || (!linkSpeeds.any && max <= 0)) return new RateColumns(0, round, this.handed);
    const columns = this.columnsFor(this.meta.utilization.name, io.columns.length);
    const rates = io.columns;
    const { attributes, values, states } = rates;
    // The byte rates are one published array's points: each one's link speed by position.
    const speeds = rates.whole !== undefined ? linkSpeeds.refsFor(rates.whole, INTERFACE_ATTRIBUTE) : undefined;
    for (let i = 0; i < rates.length; i++) {
      const a = attributes[i] as Attributes;
      const speed = speeds?.[i];
      const capacity = speeds === undefined ? this.capacityOf(a, linkSpeeds) : speed === null ? undefined : capacityFor(linkSpeeds.current(speed), max);
      // Not clamped: above 1 means the capacity (usually --max-bandwidth) is wrong, worth seeing.
      if (capacity !== undefined) columns.push(a, rates.startOf(i), rates.endOf(i), (values[i] as number) / capacity, states[i] as SeriesState);
    }
    // Every rate had a capacity: the same attributes, in the same order, as the byte rates.
    if (rates.whole !== undefined && columns.length === rates.length) columns.whole = rates.whole;
    return columns;
  }

  /** Empty columns for this round's `name` gauge: the round before last's, refilled. */
  private columnsFor(name: string, capacity: number): RateColumns {
    const spare = this.spare.get(name);
    // Not one kept from a much larger round (interfaces deleted in bulk): its arrays would stay that size.
    if (spare === undefined || spare.values.length > 4 * capacity + 64) return new RateColumns(capacity, this.round, this.handed);
    this.spare.delete(name);
    spare.reset(this.round);
    spare.reserve(capacity);
    return spare;
  }

  /** This round's columns become the spares of the round after next (what they handed out stays theirs). */
  private keepForRecycling(gauges: ReadonlyMap<string, PendingGauge>, utilization: RateColumns): void {
    const kept = this.spare;
    kept.clear();
    for (const [name, g] of gauges) kept.set(name, g.columns);
    if (utilization.values.length > 0) kept.set(this.meta.utilization.name, utilization);
    this.spare = this.lastColumns;
    this.lastColumns = kept;
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
        type: INSTRUMENT_OBSERVABLE_GAUGE,
        valueType: VALUE_DOUBLE,
      });
      // The bound only guards against a producer that invents metrics.
      if (this.descriptors.size >= 1000) this.descriptors.clear();
      this.descriptors.set(cacheKey, d);
    }
    return d;
  }
}

/**
 * The segments, when their columns still hold round `round`'s rates; a clear error otherwise: a
 * result's unfolded rates are valid until the round after next refills its columns.
 */
function unrecycled(all: readonly Segment[], round: number): readonly Segment[] {
  for (const { rates } of all) {
    if (rates.round !== round) {
      throw new Error(`unfolded rates of processing round ${round} were read after round ${rates.round} reused them: read series/forEachRate before the next process() but one`);
    }
  }
  return all;
}

function gauge(descriptor: GaugeDescriptor, points: PointColumns): GaugeMetricData {
  return withColumns<GaugeMetricData>({ descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE }, points);
}

function unfoldedSeries(segments: readonly Segment[]): RateSeries[] {
  const out: RateSeries[] = [];
  for (const { metric, rates, from, to } of segments) {
    for (let i = from; i < to; i++) out.push({ metric, attributes: rates.attributes[i] as Attributes, value: rates.values[i] as number });
  }
  return out;
}
