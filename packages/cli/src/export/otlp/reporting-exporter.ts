import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { pointCount } from '@otel-netif/metadata';
import { formatDuration } from '../../config/values.js';
import type { Logger } from '../../log.js';
import type { ExportReporter } from '../../telemetry/self-telemetry.js';
import { describeExportError, exportHint } from './export-error.js';

export interface ReportingExporterOptions {
  create: () => PushMetricExporter;
  /**
   * Replace the inner exporter after each failure. For gRPC: grpc-js backs off reconnecting up to
   * two minutes, so after a long outage a fresh channel reaches a restarted collector sooner.
   */
  recreateAfterFailure: boolean;
  /** Endpoint as shown in logs (no credentials). */
  target: string;
  intervalMs: number;
  timeoutMs: number;
  /** Header values, scrubbed from every logged reason. */
  secrets: readonly string[];
  /** The pipeline's resource; the SDK would otherwise send the MeterProvider's. */
  resource: () => Resource | undefined;
  logger: Logger;
  /** Self-telemetry: every export's outcome, and the points of failed ones as dropped. */
  reporter?: ExportReporter;
}

/**
 * Wraps the SDK's OTLP exporter to report per failure streak, not per attempt: a collector that is
 * down for an hour gives one warning and one recovery line, not one line per interval.
 */
export class ReportingExporter implements PushMetricExporter {
  private inner: PushMetricExporter;
  private failures = 0;
  private exports = 0;

  constructor(private readonly opts: ReportingExporterOptions) {
    this.inner = opts.create();
  }

  /** Exports attempted so far (tests and debugging). */
  get attempts(): number {
    return this.exports;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const resource = this.opts.resource() ?? metrics.resource;
    this.exports++;
    // Counted now: the points' values are only valid for a round or two (the export may take longer).
    const points = countPoints(metrics);
    this.inner.export({ resource, scopeMetrics: metrics.scopeMetrics }, (result) => {
      this.opts.reporter?.recordExport('otlp', result.code === ExportResultCode.SUCCESS ? 'success' : 'failure', points);
      this.report(result);
      resultCallback(result);
    });
  }

  private report(result: ExportResult): void {
    const { logger, target } = this.opts;
    if (result.code === ExportResultCode.SUCCESS) {
      if (this.failures > 0) {
        logger.info(`OTLP export to ${target} recovered after ${this.failures} failed attempt${this.failures === 1 ? '' : 's'}`);
      }
      this.failures = 0;
      return;
    }
    const reason = describeExportError(result.error, this.opts.timeoutMs, this.opts.secrets);
    if (this.failures++ === 0) {
      logger.warn(`OTLP export to ${target} failed: ${reason} — retrying every ${formatDuration(this.opts.intervalMs)}; ${exportHint(result.error)}`);
    } else {
      logger.debug(`OTLP export to ${target} failed again (${this.failures} in a row): ${reason}`);
    }
    if (this.opts.recreateAfterFailure) {
      const old = this.inner;
      this.inner = this.opts.create();
      old.shutdown().catch(() => {});
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    // Only SDK instruments are affected, and this provider has none; the pipeline's own data
    // keeps the temporality it carries.
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }
}

function countPoints(metrics: ResourceMetrics): number {
  let n = 0;
  for (const s of metrics.scopeMetrics) for (const m of s.metrics) n += pointCount(m);
  return n;
}
