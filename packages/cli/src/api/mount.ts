import type { ExporterEntry } from '../commands/exporters.js';
import type { Config } from '../config/types.js';
import type { Exporter } from '../export/exporter.js';
import { DEFAULT_HISTORY_MEMORY, DEFAULT_HISTORY_SIZE } from '../history/ring.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { LiveConfig } from './config.js';
import { LiveFeed } from './live.js';
import { mountLiveRoutes, type LiveRoutes, type LiveRoutesOptions } from './routes.js';

export interface LiveViewsOptions extends LiveRoutesOptions {
  intervalMs: number;
  historySize: number;
  historyMemory: number;
}

/**
 * Puts the page, the JSON API and the event stream on an exporter's HTTP server (the one that
 * serves /metrics), following the pipeline; its shutdown ends the event streams first, so the
 * server's close does not wait on them.
 */
export function withLiveViews<E extends Exporter & { server: HttpServer }>(exporter: E, pipeline: Pipeline, opts: LiveViewsOptions, logger: Logger): E & { feed: LiveFeed; routes: LiveRoutes } {
  const feed = new LiveFeed({ intervalMs: opts.intervalMs, historySize: opts.historySize, historyMemory: opts.historyMemory }).attach(pipeline);
  const routes = mountLiveRoutes(exporter.server, feed, logger, opts);
  return {
    ...exporter,
    feed,
    routes,
    async start() {
      await exporter.start();
      logger.info(`live page on ${exporter.server.url()} (JSON API under /api/v1; --no-ui turns both off)`);
    },
    async shutdown() {
      routes.close();
      feed.close();
      await exporter.shutdown();
    },
  };
}

/**
 * The `prometheus` entry of the exporter registry with the live views on its server, unless
 * --no-ui: `prometheus: liveViewsEntry({ create, describe })` in commands/exporters.ts.
 */
export function liveViewsEntry(base: ExporterEntry): ExporterEntry {
  return {
    create(ctx) {
      const exporter = base.create(ctx);
      const config = ctx.loaded.config as Config & Partial<LiveConfig>;
      const server = (exporter as Partial<{ server: HttpServer }>).server;
      if (config.noUi === true || server === undefined) return exporter;
      const historySize = config.historySize ?? DEFAULT_HISTORY_SIZE;
      const historyMemory = config.historyMemory ?? DEFAULT_HISTORY_MEMORY;
      return withLiveViews({ ...exporter, server }, ctx.pipeline, { intervalMs: config.intervalMs, historySize, historyMemory }, ctx.logger);
    },
    describe: (exporter, ctx) => base.describe(exporter, ctx),
  };
}
