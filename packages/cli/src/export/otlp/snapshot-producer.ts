import { emptyResource } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Pipeline } from '../../pipeline/pipeline.js';

/**
 * Hands the SDK the pipeline's latest snapshot as-is. The pipeline builds its own SumMetricData
 * (start times per series, cumulative temporality), which the SDK's async instruments could not
 * express; a producer's data passes through the reader and OTLP transformer unchanged.
 */
export class SnapshotProducer implements MetricProducer {
  /** Set for the provider's shutdown, after the final flush already sent the latest snapshot. */
  drained = false;

  constructor(private readonly source: Pick<Pipeline, 'latest'> & Partial<Pick<Pipeline, 'forExport'>>) {}

  async collect(): Promise<CollectionResult> {
    // While sampling fails, forExport() holds only self-telemetry: the backend sees the failures
    // counted instead of the last interface values sent again with an old timestamp.
    const snapshot = this.drained ? undefined : (this.source.forExport?.() ?? this.source.latest());
    return {
      resourceMetrics: {
        // The reader replaces this with the MeterProvider's resource; see ReportingExporter.
        resource: snapshot?.resource ?? emptyResource(),
        // Empty before the first sample: the reader then skips the export altogether.
        scopeMetrics: snapshot?.scopeMetrics ?? [],
      },
      errors: [],
    };
  }
}
