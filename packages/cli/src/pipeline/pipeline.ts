import { EventEmitter } from 'node:events';
import type { Resource } from '@opentelemetry/resources';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { NetifReceiver, NetifSample } from '@otel-netif/receiver-netif';
import type { RateProcessor, RateSeries } from '@otel-netif/processor-rate';
import type { Logger } from '../log.js';

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
  sampleDurationMs: number;
}

export interface PipelineOptions {
  receiver: NetifReceiver;
  processor: RateProcessor;
  resource: Resource;
  intervalMs: number;
  logger: Logger;
}

/**
 * Samples on its own interval, independent of any exporter: every scraper and pusher reads the
 * same latest snapshot, so rates are consistent whatever their cadence.
 */
export class Pipeline extends EventEmitter<{ snapshot: [PipelineSnapshot]; sampleError: [Error] }> {
  private timer: NodeJS.Timeout | undefined;
  private current: PipelineSnapshot | undefined;
  private seq = 0;
  private consecutiveFailures = 0;

  constructor(private readonly opts: PipelineOptions) {
    super();
  }

  latest(): PipelineSnapshot | undefined {
    return this.current;
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
    const started = performance.now();
    try {
      const sample = this.opts.receiver.sample();
      const receiverScope = this.opts.receiver.toScopeMetrics(sample);
      const rates = this.opts.processor.process([receiverScope]);
      for (const p of sample.problems) this.opts.logger.warn(p);
      this.current = {
        seq: ++this.seq,
        sample,
        resource: this.opts.resource,
        scopeMetrics: [receiverScope, rates.scopeMetrics],
        rates: rates.series,
        sampleDurationMs: performance.now() - started,
      };
      if (this.consecutiveFailures > 0) this.opts.logger.info('sampling recovered');
      this.consecutiveFailures = 0;
      this.emit('snapshot', this.current);
      return this.current;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      // Log the first failure and then every 12th, so a long outage does not flood the log.
      if (this.consecutiveFailures++ % 12 === 0) this.opts.logger.error(`sampling failed: ${e.message}`);
      this.emit('sampleError', e);
      return undefined;
    }
  }
}
