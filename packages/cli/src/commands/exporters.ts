import { isIP } from 'node:net';
import type { Exporter } from '../export/exporter.js';
import { createConsoleExporter } from '../export/console.js';
import { lazyExporter } from '../export/lazy.js';
import { createPrometheusExporter } from '../export/prometheus/exporter.js';
import { eventsExporterEntry } from '../export/events.js';
import { liveViewsEntry } from '../api/mount.js';
import { consoleIntervalMs } from '../config/finalize.js';
import type { ExporterName, LoadedConfig } from '../config/types.js';
import { formatDuration, formatListen } from '../config/values.js';
import type { Logger } from '../log.js';
import type { Pipeline } from '../pipeline/pipeline.js';

export interface ExporterContext {
  pipeline: Pipeline;
  loaded: LoadedConfig;
  logger: Logger;
  /** Console output; stdout unless a test captures it. */
  write?: (text: string) => void;
}

export interface ExporterEntry {
  create(ctx: ExporterContext): Exporter;
  /**
   * The one start-up line, once started (a bound port is only known then); undefined where the
   * exporter announces itself.
   */
  describe(exporter: Exporter, ctx: ExporterContext): string | undefined;
}

export type ExporterRegistry = Record<ExporterName, ExporterEntry>;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** What a user must know about the endpoint: its URL, and whether other hosts can reach it. */
export function describePrometheus(host: string, port: number, configuredPort: number, scheme: 'http' | 'https' = 'http'): string {
  const url = `${scheme}://${formatListen({ host, port })}/metrics`;
  if (isLoopback(host)) {
    const exposed = isIP(host) === 6 ? `[::]:${configuredPort || port}` : `0.0.0.0:${configuredPort || port}`;
    return `serving /metrics on ${url} (loopback only; use --listen ${exposed} to expose it)`;
  }
  if (host === '0.0.0.0' || host === '::') return `serving /metrics on ${url} (all interfaces: reachable from other hosts)`;
  return `serving /metrics on ${url}`;
}

export const EXPORTERS: ExporterRegistry = {
  // The page, JSON API and event stream share the /metrics server (docs/live-views.md).
  prometheus: liveViewsEntry({
    create: ({ pipeline, loaded, logger }) =>
      createPrometheusExporter(pipeline, { host: loaded.config.listen.host, port: loaded.config.listen.port, ...(loaded.config.webConfig ? { web: loaded.config.webConfig } : {}) }, logger),
    describe: (exporter, { loaded }) => {
      const server = (exporter as Partial<{ server: { address(): { host: string; port: number } } }>).server;
      const bound = server?.address() ?? loaded.config.listen;
      const web = loaded.config.webConfig;
      const line = describePrometheus(bound.host, bound.port, loaded.config.listen.port, web?.tls ? 'https' : 'http');
      return web?.users ? `${line}; basic auth for ${web.users.size} user${web.users.size === 1 ? '' : 's'}` : line;
    },
  }),
  otlp: {
    create: ({ pipeline, loaded: { config }, logger }) =>
      lazyExporter('otlp', async () => {
        const { createOtlpExporter } = await import('../export/otlp/exporter.js');
        return createOtlpExporter(
          pipeline,
          {
            endpoint: config.otlpEndpoint?.url,
            signalSpecific: config.otlpEndpoint?.signalSpecific ?? false,
            protocol: config.otlpProtocol,
            headers: config.otlpHeaders,
            exportIntervalMs: config.exportIntervalMs,
            timeoutMs: config.otlpTimeoutMs,
            tls: { ca: config.otlpCertificate, cert: config.otlpClientCertificate, key: config.otlpClientKey },
          },
          logger,
        );
      }),
    // It logs its resolved, redacted target itself when it starts.
    describe: () => undefined,
  },
  console: {
    create: ({ pipeline, loaded, logger, write }) => createConsoleExporter(pipeline, { intervalMs: consoleIntervalMs(loaded), top: loaded.config.top, ...(write ? { write } : {}) }, logger),
    describe: (_e, { loaded }) => `printing interface rates to stdout every ${formatDuration(consoleIntervalMs(loaded))}`,
  },
  events: eventsExporterEntry,
};
