import { EventEmitter } from 'node:events';
import { pointCount } from '@otel-netif/metadata';
import { MONOTONIC_ORIGIN_MS, monotonicNowMs, monotonicToHrTime } from '@otel-netif/receiver-netif';
import type { Resource } from '@opentelemetry/resources';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { NetifReceiver, NetifSample } from '@otel-netif/receiver-netif';
import type { RateProcessor, RateResult, RateSeries } from '@otel-netif/processor-rate';
import type { Logger } from '../log.js';
import type { SelfTelemetry } from '../telemetry/self-telemetry.js';

/** Everything one sampling round produced; exporters and views only ever read these. */
export interface PipelineSnapshot {
  /** 1 for the first sample, +1 per round: lets exporters cache what they derived from it. */
  seq: number;
  sample: NetifSample;
  resource: Resource;
  /** Receiver counters and gauges, then the rate gauges (folded to top-N). */
  scopeMetrics: ScopeMetrics[];
  /** Unfolded rates for local views. */
  rates: RateSeries[];
  /** The same rates one call each, without building `rates` (an object per rate); absent on hand-made snapshots. */
  forEachRate?: RateResult['forEachRate'];
  sampleDurationMs: number;
  /**
   * Set only on what forExport() gives while sampling fails: why. Its interface data is empty and
   * its scopeMetrics hold only the self-telemetry.
   */
  failure?: string;
}

export interface PipelineOptions {
  receiver: NetifReceiver;
  processor: RateProcessor;
  resource: Resource;
  intervalMs: number;
  logger: Logger;
  /** The agent's own metrics, appended to every snapshot as a last ScopeMetrics; none when absent. */
  telemetry?: SelfTelemetry;
  /** Called after each round, once everything that follows a snapshot has had it (see GcPacer). */
  afterSample?: () => void;
}

/**
 * Samples on its own interval, independent of any exporter: every scraper and pusher reads the
 * same latest snapshot, so rates are consistent whatever their cadence.
 */
export class Pipeline extends EventEmitter<{ snapshot: [PipelineSnapshot]; sampleError: [Error] }> {
  private timer: NodeJS.Timeout | undefined;
  private current: PipelineSnapshot | undefined;
  private failed: PipelineSnapshot | undefined;
  private seq = 0;
  private consecutiveFailures = 0;

  constructor(private readonly opts: PipelineOptions) {
    super();
  }

  /** The last successful snapshot: what views show (with its time) while sampling fails. */
  latest(): PipelineSnapshot | undefined {
    return this.current;
  }

  /**
   * What exporters publish: the latest snapshot, or while sampling fails one with only the
   * self-telemetry. Repeating the last interface values would hide the outage from a backend (flat
   * counters, frozen rates); leaving them out lets Prometheus mark them stale, and
   * otelnetif_samples_total{outcome="failure"} says why.
   */
  forExport(): PipelineSnapshot | undefined {
    return this.failed ?? this.current;
  }

  get telemetry(): SelfTelemetry | undefined {
    return this.opts.telemetry;
  }

  /** Ready once a sample succeeded, and not while sampling keeps failing (e.g. /proc unreadable). */
  isReady(): boolean {
    return this.current !== undefined && this.consecutiveFailures === 0;
  }

  /** Takes the first sample now, then one every interval. */
  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: read, derive rates, publish. Public so `snapshot` and tests can drive it. */
  tick(): PipelineSnapshot | undefined {
    const started = monotonicNowMs();
    try {
      const sample = this.opts.receiver.sample();
      const receiverScope = this.opts.receiver.toScopeMetrics(sample);
      const rates = this.opts.processor.process([receiverScope]);
      for (const p of sample.problems) this.opts.logger.warn(p);
      const sampleDurationMs = monotonicNowMs() - started;
      const scopeMetrics = [receiverScope, rates.scopeMetrics];
      const { telemetry } = this.opts;
      if (telemetry) {
        telemetry.recordSample({
          durationSeconds: sampleDurationMs / 1000,
          seen: sample.listed ?? sample.interfaces.length,
          exported: sample.interfaces.length,
          series: countPoints(scopeMetrics),
          ...(this.opts.receiver.maxInterfaces > 0 ? { droppedSeries: (sample.capped ?? 0) * this.opts.receiver.counterSeriesPerInterface() } : {}),
        });
        scopeMetrics.push(telemetry.scopeMetrics(sample.time));
      }
      // `rates` is read through on first use: only local views need the unfolded series, and
      // building them for every sample cost an object per rate when nothing reads them.
      this.current = {
        seq: ++this.seq,
        sample,
        resource: this.opts.resource,
        scopeMetrics,
        get rates() {
          return rates.series;
        },
        forEachRate: rates.forEachRate,
        sampleDurationMs,
      };
      this.failed = undefined;
      if (this.consecutiveFailures > 0) this.opts.logger.info('sampling recovered');
      this.consecutiveFailures = 0;
      this.emit('snapshot', this.current);
      this.opts.afterSample?.();
      return this.current;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.publishFailure(e, started);
      // Log the first failure and then every 12th, so a long outage does not flood the log.
      if (this.consecutiveFailures++ % 12 === 0) this.opts.logger.error(`sampling failed: ${e.message}`);
      this.emit('sampleError', e);
      return undefined;
    }
  }

  private publishFailure(e: Error, started: number): void {
    const { telemetry } = this.opts;
    telemetry?.recordSampleFailure();
    const monotonicMs = monotonicNowMs();
    const time = monotonicToHrTime(MONOTONIC_ORIGIN_MS, monotonicMs);
    this.failed = {
      seq: ++this.seq,
      sample: { time, monotonicMs, interfaces: [], problems: [e.message] },
      resource: this.opts.resource,
      scopeMetrics: telemetry ? [telemetry.scopeMetrics(time)] : [],
      rates: [],
      sampleDurationMs: monotonicMs - started,
      failure: e.message,
    };
  }
}

function countPoints(scopes: readonly ScopeMetrics[]): number {
  let n = 0;
  for (const s of scopes) for (const m of s.metrics) n += pointCount(m);
  return n;
}
