import { createRequire } from 'node:module';
import { emptyResource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import type { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { keyMatchesCertificate } from '../../config/pem-file.js';
import type { PemFile } from '../../config/pem-file.js';
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
  /** CA bundle and client certificate for https:// and gRPC over TLS; the SDK's defaults without. */
  tls?: OtlpTlsFiles;
}

export interface OtlpTlsFiles {
  ca?: PemFile | undefined;
  cert?: PemFile | undefined;
  key?: PemFile | undefined;
}

export type OtlpExporter = Exporter & {
  /** The endpoint as logs show it. */
  readonly target: string;
};

type GrpcOptions = NonNullable<ConstructorParameters<typeof GrpcMetricExporter>[0]>;
type GrpcMetadata = NonNullable<GrpcOptions['metadata']>;
type GrpcCredentials = NonNullable<GrpcOptions['credentials']>;

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

/**
 * The TLS files, checked as a set. Passed to the SDK explicitly rather than left to its own reading
 * of OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY, which logs an unreadable file to a diag logger nobody
 * sees and then fails every handshake; and so a flag or the config file can set them too.
 */
function checkTls(tls: OtlpTlsFiles | undefined): OtlpTlsFiles | undefined {
  if (!tls || (!tls.ca && !tls.cert && !tls.key)) return undefined;
  const cert = tls.cert;
  if (!tls.cert !== !tls.key) {
    throw new UsageError(`--otlp-client-certificate and --otlp-client-key go together: only the ${cert ? 'certificate' : 'key'} is set (set ${cert ? '--otlp-client-key or OTEL_EXPORTER_OTLP_CLIENT_KEY' : '--otlp-client-certificate or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'} too)`);
  }
  if (tls.cert && tls.key && !keyMatchesCertificate(tls.cert, tls.key)) {
    throw new UsageError(`the OTLP client key ${tls.key.path} is not the key of the client certificate ${tls.cert.path}`);
  }
  return tls;
}

async function exporterFactory(protocol: OtlpProtocol, url: string, headers: Record<string, string>, timeoutMillis: number, tls: OtlpTlsFiles | undefined): Promise<() => PushMetricExporter> {
  // The SDK leaves ca/cert/key out for http:// itself; with https:// they replace its env-based agent.
  const httpAgentOptions = tls ? { keepAlive: true, ...(tls.ca ? { ca: tls.ca.pem } : {}), ...(tls.cert ? { cert: tls.cert.pem } : {}), ...(tls.key ? { key: tls.key.pem } : {}) } : undefined;
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
      return make(() => new OTLPMetricExporter({ ...common, headers: { ...headers }, ...(httpAgentOptions ? { httpAgentOptions } : {}) }));
    }
    case 'http/json': {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
      return make(() => new OTLPMetricExporter({ ...common, headers: { ...headers }, ...(httpAgentOptions ? { httpAgentOptions } : {}) }));
    }
    case 'grpc': {
      // Loaded only for gRPC: grpc-js is the heaviest dependency by far.
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
      // The exporter's own grpc-js copy, so its Metadata is the class the exporter expects.
      const requireFromExporter = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/exporter-metrics-otlp-grpc'));
      const grpcJs = requireFromExporter('@grpc/grpc-js') as {
        Metadata: new () => GrpcMetadata;
        credentials: { createSsl(ca: Buffer | null, key: Buffer | null, cert: Buffer | null): GrpcCredentials };
      };
      // Given credentials win over the URL's scheme in the SDK, so plaintext http:// gets none.
      const credentials = tls && !url.startsWith('http://') ? grpcJs.credentials.createSsl(tls.ca?.pem ?? null, tls.key?.pem ?? null, tls.cert?.pem ?? null) : undefined;
      return make(() => {
        const metadata = new grpcJs.Metadata();
        for (const [k, v] of Object.entries(headers)) metadata.set(k.toLowerCase(), v);
        return new OTLPMetricExporter({ ...common, metadata, ...(credentials ? { credentials } : {}) });
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
export function createOtlpExporter(source: Pick<Pipeline, 'latest'> & Partial<Pick<Pipeline, 'forExport' | 'telemetry'>>, opts: OtlpExporterOptions, logger: Logger): OtlpExporter {
  if (!(opts.exportIntervalMs > 0)) throw new UsageError(`OTLP export interval must be positive (got ${opts.exportIntervalMs} ms)`);
  if (!(opts.timeoutMs > 0)) throw new UsageError(`OTLP timeout must be positive (got ${opts.timeoutMs} ms)`);
  const target = resolveOtlpTarget(opts.endpoint, opts.protocol, opts.signalSpecific ?? false);
  const tls = checkTls(opts.tls);
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
      if (tls && target.url.startsWith('http://')) {
        logger.warn(`OTLP: the endpoint ${target.display} is plain http://, so the TLS certificate and key options are not used (use https://)`);
      }
      const create = await exporterFactory(opts.protocol, target.url, opts.headers, timeoutMs, tls);
      const exporter = new ReportingExporter({
        create,
        recreateAfterFailure: opts.protocol === 'grpc',
        target: target.display,
        intervalMs: opts.exportIntervalMs,
        timeoutMs,
        secrets: Object.values(opts.headers),
        resource: () => source.latest()?.resource,
        logger,
        ...(source.telemetry ? { reporter: source.telemetry } : {}),
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
