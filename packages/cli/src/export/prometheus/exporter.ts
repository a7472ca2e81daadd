import type { Pipeline } from '../../pipeline/pipeline.js';
import type { Logger } from '../../log.js';
import type { Exporter } from '../exporter.js';
import { createHttpServer } from '../../http/server.js';
import type { HttpServer, HttpServerOptions, RouteHandler } from '../../http/server.js';
import { acceptsGzip } from './accept-encoding.js';
import { ExpositionCache } from './exposition-cache.js';
import type { ExpositionEncoder } from './exposition-cache.js';
import { encodeExposition } from './encode.js';
import { PROMETHEUS_CONTENT_TYPE } from './text-format.js';
import { hrTimeIso } from '../../format/utc-time.js';

/**
 * What the Prometheus routes read from the pipeline; never a method that samples. forExport and
 * telemetry are optional so a bare latest()/isReady() pair still serves.
 */
export type SnapshotSource = Pick<Pipeline, 'latest' | 'isReady'> & Partial<Pick<Pipeline, 'forExport' | 'telemetry'>> & Partial<SnapshotEvents>;

/** Told when a new snapshot exists (Pipeline is), the routes encode it before the next scrape asks. */
interface SnapshotEvents {
  on(event: 'snapshot' | 'sampleError', listener: () => void): unknown;
  off(event: 'snapshot' | 'sampleError', listener: () => void): unknown;
}

export interface PrometheusRoutesOptions {
  /** Replaces the encoder (tests count calls through it). */
  encode?: ExpositionEncoder;
}

export interface PrometheusExporterOptions extends HttpServerOptions, PrometheusRoutesOptions {}

export type PrometheusExporter = Exporter & { server: HttpServer };

function text(res: Parameters<RouteHandler>[1], status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function notReadyReason(source: SnapshotSource): string {
  const last = source.latest();
  if (!last) return 'no successful sample yet';
  const at = hrTimeIso(last.sample.time);
  return `sampling is failing; last successful sample at ${at} (see the agent's log)`;
}

/**
 * Mounts /metrics, /healthz and /readyz on a server, so a server shared with the JSON API and UI
 * can carry them too.
 */
export function mountPrometheusRoutes(server: HttpServer, source: SnapshotSource, logger: Logger, opts: PrometheusRoutesOptions = {}): () => void {
  const skipped = new Set<string>();
  const cache = new ExpositionCache(opts.encode ?? encodeExposition, {
    onSkip: (reason) => {
      // Once per reason: the same metric is skipped on every sample.
      if (skipped.has(reason) || skipped.size > 100) return;
      skipped.add(reason);
      logger.warn(`/metrics: left out ${reason}`);
    },
  });
  // Each new snapshot is encoded (and gzipped) as soon as it exists, while someone scrapes, so a
  // scrape only sends bytes. After the sampling tick, so the encode never delays the sample.
  const warm = (): void => {
    setImmediate(() => {
      const snapshot = source.forExport?.() ?? source.latest();
      if (snapshot) cache.warm(snapshot);
    });
  };
  source.on?.('snapshot', warm);
  source.on?.('sampleError', warm);

  server.addRoute('GET', '/metrics', async (req, res) => {
    const snapshot = source.forExport?.() ?? source.latest();
    source.telemetry?.recordExport('prometheus', snapshot ? 'success' : 'failure', 0);
    if (!snapshot) {
      // An honest "down" for the scraper: serving an empty 200 would look like an agent with no interfaces.
      text(res, 503, 'no sample yet: the first sample has not succeeded (see /readyz and the agent log)\n');
      return;
    }
    const exposition = cache.get(snapshot);
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const headers = { 'Content-Type': PROMETHEUS_CONTENT_TYPE, Vary: 'Accept-Encoding', 'Cache-Control': 'no-store' };
    if (gzip) {
      const body = await cache.gzipped(exposition);
      res.once('close', cache.holdGzipped(body));
      res.writeHead(200, { ...headers, 'Content-Length': body.length, 'Content-Encoding': 'gzip' });
      res.end(body);
      return;
    }
    const { body } = exposition;
    // The socket may still be sending the chunks after end(): keep their memory until the response is done.
    res.once('close', cache.hold(body));
    const chunks = cache.plain(exposition);
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    // Corked: the chunks go out in one writev, not one write each.
    res.cork();
    for (const c of chunks) res.write(c);
    res.end();
  });

  server.addRoute('GET', '/healthz', (_req, res) => text(res, 200, 'ok\n'));

  server.addRoute('GET', '/readyz', (_req, res) => {
    if (source.isReady()) text(res, 200, 'ready\n');
    else text(res, 503, `not ready: ${notReadyReason(source)}\n`);
  });

  return () => {
    source.off?.('snapshot', warm);
    source.off?.('sampleError', warm);
  };
}

/**
 * Serves the pipeline's latest snapshot for Prometheus to scrape. A scrape only reads what the
 * pipeline already sampled: scrape frequency never changes sampling, and many scrapers are cheap.
 */
export function createPrometheusExporter(source: SnapshotSource, opts: PrometheusExporterOptions, logger: Logger): PrometheusExporter {
  const server = createHttpServer({ host: opts.host, port: opts.port, ...(opts.web ? { web: opts.web } : {}) }, logger);
  const unmount = mountPrometheusRoutes(server, source, logger, opts);
  return {
    name: 'prometheus',
    server,
    // The caller announces the bound address (it knows whether other hosts can reach it).
    start() {
      return server.start();
    },
    shutdown() {
      unmount();
      return server.close();
    },
  };
}
