import type { Attributes } from '@opentelemetry/api';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';

export interface RateProcessorConfig {
  /** Keep the N busiest interfaces by name in the rate gauges, fold the rest into "other"; 0 = off. */
  topN: number;
  /** Capacity used for utilization when the link speed is unknown, bytes per second; 0 = none. */
  maxBandwidthBytesPerSecond: number;
}

/** One rate computed this round, before top-N folding: for local views (console, top, API). */
export interface RateSeries {
  /** The derived gauge's name, e.g. system.network.io.rate. */
  metric: string;
  attributes: Attributes;
  value: number;
}

export interface RateResult {
  /**
   * The gauges to export, with top-N folding applied. Without top-N their values are the columns
   * the process() call after next refills: read them (or their dataPoints, a copy) before that; a
   * later read throws RecycledValuesError.
   */
  scopeMetrics: ScopeMetrics;
  /**
   * Every rate and utilization computed this round, unfolded. Built on first read, which must come
   * before the process() call after next (the processor then refills the columns behind it; a later
   * first read throws).
   */
  series: RateSeries[];
  /**
   * The same as `series`, one call per rate in the same order, without an object per rate;
   * `metrics`: only the rates of these gauges. Like a first read of `series`, only until the
   * process() call after next.
   */
  forEachRate(fn: (metric: string, attributes: Attributes, value: number) => void, metrics?: ReadonlySet<string>): void;
}
