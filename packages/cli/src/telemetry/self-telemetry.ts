import { monotonicToHrTime } from '@otel-netif/receiver-netif';
import { DATA_POINT_GAUGE, DATA_POINT_SUM, INSTRUMENT_COUNTER, INSTRUMENT_OBSERVABLE_GAUGE, TEMPORALITY_CUMULATIVE, VALUE_DOUBLE, VALUE_INT } from '@otel-netif/metadata';
import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, MetricData, MetricDescriptor, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricMetadata } from '@otel-netif/metadata';
import { selfTelemetryMetadata } from './metadata.js';
import type { SelfMetricKey, SelfTelemetryMetadata } from './metadata.js';

export type Outcome = 'success' | 'failure';

/** What one successful sampling round reports. */
export interface SampleReport {
  durationSeconds: number;
  /** Interfaces listed in /proc/net/dev. */
  seen: number;
  /** Interfaces left after include/exclude and the cap. */
  exported: number;
  /** Interface series in the snapshot (receiver and rate scopes). */
  series: number;
  /** Counter series the cap left out; undefined when no cap is set. */
  droppedSeries?: number;
}

/** What exporters report into; a narrow type so they need not know the recorder. */
export interface ExportReporter {
  /** One export finished; its `points` count as dropped when it failed (they are not sent again). */
  recordExport(exporter: string, outcome: Outcome, points: number): void;
}

export interface SelfTelemetryOptions {
  /** Exporters whose counters start at 0, so a first failure is an increase, not a new series. */
  exporters?: readonly string[];
  /** Of those, the ones that push and so can drop points: their dropped-points counter starts at 0 too. */
  pushExporters?: readonly string[];
  /** Wall-clock start of every cumulative series; the recorder's creation by default. */
  startTime?: HrTime;
  version?: string;
}

interface Descriptor extends MetricDescriptor {
  readonly type: InstrumentType;
}

const OUTCOMES: readonly Outcome[] = ['success', 'failure'];

/**
 * The agent's own metrics, kept as plain numbers and turned into one ScopeMetrics per snapshot.
 * Built by hand like the interface metrics, so they ride along in the same snapshot to /metrics
 * and OTLP without a second MeterProvider or reader.
 */
export class SelfTelemetry implements ExportReporter {
  private readonly meta: SelfTelemetryMetadata;
  private readonly startTime: HrTime;
  private readonly version: string;
  private readonly descriptors = new Map<SelfMetricKey, Descriptor>();
  // Attribute objects are reused across snapshots: the Prometheus encoder caches labels by identity.
  private readonly attrs = new Map<string, Attributes>();
  private readonly samples: Record<Outcome, number> = { success: 0, failure: 0 };
  private readonly exports = new Map<string, Record<Outcome, number>>();
  private readonly dropped = new Map<string, number>();
  private last: SampleReport | undefined;

  constructor(opts: SelfTelemetryOptions = {}) {
    this.meta = selfTelemetryMetadata();
    this.startTime = opts.startTime ?? monotonicToHrTime(0, Date.now());
    this.version = opts.version ?? '0.0.0';
    for (const e of opts.exporters ?? []) this.exporterCounts(e);
    for (const e of opts.pushExporters ?? []) this.dropped.set(e, 0);
  }

  recordSample(report: SampleReport): void {
    this.samples.success++;
    this.last = report;
  }

  recordSampleFailure(): void {
    this.samples.failure++;
  }

  recordExport(exporter: string, outcome: Outcome, points: number): void {
    this.exporterCounts(exporter)[outcome]++;
    if (outcome === 'failure' && points > 0) this.dropped.set(exporter, (this.dropped.get(exporter) ?? 0) + points);
  }

  /** Sampling rounds so far, by outcome (tests and the readiness reason). */
  sampleCount(outcome: Outcome): number {
    return this.samples[outcome];
  }

  scopeMetrics(time: HrTime): ScopeMetrics {
    const metrics: MetricData[] = [];
    const at = (attributes: Attributes, value: number, startTime = this.startTime): DataPoint<number> => ({ attributes, startTime, endTime: time, value });
    const none = this.attributes({});
    const last = this.last;
    if (last) {
      metrics.push(this.gauge('sampleDuration', [at(none, last.durationSeconds, time)]));
    }
    metrics.push(this.sum('samples', OUTCOMES.map((o) => at(this.attributes({ outcome: o }), this.samples[o]))));
    if (last) {
      metrics.push(this.gauge('interfaces', [at(this.attributes({ state: 'seen' }), last.seen, time), at(this.attributes({ state: 'exported' }), last.exported, time)]));
      metrics.push(this.gauge('series', [at(none, last.series, time)]));
      if (last.droppedSeries !== undefined) metrics.push(this.gauge('seriesDropped', [at(none, last.droppedSeries, time)]));
    }
    const exportPoints: DataPoint<number>[] = [];
    for (const [exporter, counts] of this.exports) {
      for (const o of OUTCOMES) exportPoints.push(at(this.attributes({ exporter, outcome: o }), counts[o]));
    }
    if (exportPoints.length > 0) metrics.push(this.sum('exports', exportPoints));
    const droppedPoints = [...this.dropped].map(([exporter, n]) => at(this.attributes({ exporter }), n));
    if (droppedPoints.length > 0) metrics.push(this.sum('droppedPoints', droppedPoints));
    return { scope: { name: this.meta.scopeName, version: this.version }, metrics };
  }

  private exporterCounts(exporter: string): Record<Outcome, number> {
    let c = this.exports.get(exporter);
    if (!c) this.exports.set(exporter, (c = { success: 0, failure: 0 }));
    return c;
  }

  private attributes(a: Record<string, string>): Attributes {
    const key = JSON.stringify(a);
    let v = this.attrs.get(key);
    if (!v) this.attrs.set(key, (v = Object.freeze({ ...a })));
    return v;
  }

  private descriptor(key: SelfMetricKey, type: InstrumentType): Descriptor {
    let d = this.descriptors.get(key);
    if (!d) {
      const m: MetricMetadata = this.meta.metrics[key];
      d = Object.freeze({ name: m.name, description: m.description, unit: m.unit, type, valueType: m.valueType === 'double' ? VALUE_DOUBLE : VALUE_INT });
      this.descriptors.set(key, d);
    }
    return d;
  }

  private gauge(key: SelfMetricKey, dataPoints: DataPoint<number>[]): MetricData {
    return { descriptor: this.descriptor(key, INSTRUMENT_OBSERVABLE_GAUGE), dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPoints };
  }

  private sum(key: SelfMetricKey, dataPoints: DataPoint<number>[]): MetricData {
    return {
      descriptor: this.descriptor(key, INSTRUMENT_COUNTER),
      dataPointType: DATA_POINT_SUM,
      isMonotonic: true,
      aggregationTemporality: TEMPORALITY_CUMULATIVE,
      dataPoints,
    };
  }
}
