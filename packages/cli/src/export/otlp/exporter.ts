import { createRequire } from 'node:module';
import { emptyResource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import type { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { formatDuration } from '../../config/values.js';
import { UsageError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { cliVersion } from '../../resource.js';
import type { Exporter } from '../exporter.js';
import { resolveOtlpTarget } from './endpoint.js';
import type { OtlpProtocol } from './endpoint.js';
import { SDK_HEADER_ENV, withEnvHidden } from './env-shield.js';
import { ReportingExporter } from './reporting-exporter.js';
import { SnapshotProducer } from './snapshot-producer.js';

export interface OtlpExporterOptions {
  /** Base URL as OTEL_EXPORTER_OTLP_ENDPOINT gives it; default http://localhost:4318 (gRPC :4317). */
  endpoint: string | undefined;
  /** The endpoint is a full metrics URL (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT): no /v1/metrics appended. */
  signalSpecific?: boolean;
  protocol: OtlpProtocol;
  /** Sent with every export; values are secrets and never logged. */
  headers: Record<string, string>;
  exportIntervalMs: number;
  timeoutMs: number;
}

export type OtlpExporter = Exporter & {
  /** The endpoint as logs show it. */
  readonly target: string;
};

type GrpcMetadata = NonNullable<NonNullable<ConstructorParameters<typeof GrpcMetricExporter>[0]>['metadata']>;

// The final flush gets most of the shutdown budget; the provider's own shutdown sends nothing more.
const FINAL_FLUSH_MS = 3000;
const PROVIDER_SHUTDOWN_MS = 1000;
// A first export soon after start shows a wrong endpoint or key within a second, not a minute.
const FIRST_EXPORT_MS = 1000;

function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    p.then(
      () => resolve(true),
      () => resolve(true),
    ).finally(() => clearTimeout(timer));
  });
}

async function exporterFactory(protocol: OtlpProtocol, url: string, headers: Record<string, string>, timeoutMillis: number): Promise<() => PushMetricExporter> {
  const common = {
    url,
    timeoutMillis,
    // Only SDK instruments follow this (there are none); said explicitly so that
    // OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE does not look like it applies.
    temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
    userAgent: `otel-netif/${cliVersion()}`,
  };
  const make = <T>(fn: () => T) => () => withEnvHidden(SDK_HEADER_ENV, fn);
  switch (protocol) {
    case 'http/protobuf': {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-proto');
      return make(() => new OTLPMetricExporter({ ...common, headers: { ...headers } }));
    }
    case 'http/json': {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
      return make(() => new OTLPMetricExporter({ ...common, headers: { ...headers } }));
    }
    case 'grpc': {
      // Loaded only for gRPC: grpc-js is the heaviest dependency by far.
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
      // The exporter's own grpc-js copy, so its Metadata is the class the exporter expects.
      const requireFromExporter = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/exporter-metrics-otlp-grpc'));
      const { Metadata } = requireFromExporter('@grpc/grpc-js') as { Metadata: new () => GrpcMetadata };
      return make(() => {
        const metadata = new Metadata();
        for (const [k, v] of Object.entries(headers)) metadata.set(k.toLowerCase(), v);
        return new OTLPMetricExporter({ ...common, metadata });
      });
    }
    default:
      throw new UsageError(`unknown OTLP protocol ${JSON.stringify(protocol)}: use http/protobuf, http/json or grpc`);
  }
}

/**
 * Pushes the pipeline's latest snapshot over OTLP through the SDK's reader and exporters. The
 * export runs on its own timer against already-sampled data: a slow or dead collector delays
 * nothing but its own exports.
 */
export function createOtlpExporter(source: Pick<Pipeline, 'latest'>, opts: OtlpExporterOptions, logger: Logger): OtlpExporter {
  if (!(opts.exportIntervalMs > 0)) throw new UsageError(`OTLP export interval must be positive (got ${opts.exportIntervalMs} ms)`);
  if (!(opts.timeoutMs > 0)) throw new UsageError(`OTLP timeout must be positive (got ${opts.timeoutMs} ms)`);
  const target = resolveOtlpTarget(opts.endpoint, opts.protocol, opts.signalSpecific ?? false);
  // The reader refuses a timeout longer than the interval; overlapping exports would pile up anyway.
  const timeoutMs = Math.min(opts.timeoutMs, opts.exportIntervalMs);
  const producer = new SnapshotProducer(source);
  let provider: MeterProvider | undefined;
  let firstExport: NodeJS.Timeout | undefined;

  return {
    name: 'otlp',
    target: target.display,

    async start() {
      if (provider) return;
      const create = await exporterFactory(opts.protocol, target.url, opts.headers, timeoutMs);
      const exporter = new ReportingExporter({
        create,
        recreateAfterFailure: opts.protocol === 'grpc',
        target: target.display,
        intervalMs: opts.exportIntervalMs,
        timeoutMs,
        secrets: Object.values(opts.headers),
        resource: () => source.latest()?.resource,
        logger,
      });
      const reader = new PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: opts.exportIntervalMs,
        exportTimeoutMillis: timeoutMs,
        metricProducers: [producer],
      });
      const p = new MeterProvider({ resource: source.latest()?.resource ?? emptyResource(), readers: [reader] });
      provider = p;
      if (opts.exportIntervalMs > FIRST_EXPORT_MS) {
        firstExport = setTimeout(() => void p.forceFlush().catch(() => {}), FIRST_EXPORT_MS);
        firstExport.unref();
      }
      logger.info(`exporting OTLP (${opts.protocol}) to ${target.display} every ${formatDuration(opts.exportIntervalMs)}`);
    },

    async shutdown() {
      const p = provider;
      if (!p) return;
      provider = undefined;
      clearTimeout(firstExport);
      if (!(await within(p.forceFlush(), FINAL_FLUSH_MS))) {
        logger.warn(`OTLP: the final export to ${target.display} did not finish within ${formatDuration(FINAL_FLUSH_MS)}; dropped`);
      }
      producer.drained = true;
      await within(p.shutdown(), PROVIDER_SHUTDOWN_MS);
    },
  };
}
