import { cliVersion, detectResource } from '../resource.js';
import { SelfTelemetry } from '../telemetry/self-telemetry.js';
import type { LoadedConfig } from '../config/types.js';
import { formatDuration } from '../config/values.js';
import type { Exporter } from '../export/exporter.js';
import type { Logger } from '../log.js';
import { processGcPacer } from '../pipeline/gc-pacer.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { EXPORTERS } from './exporters.js';
import type { ExporterRegistry } from './exporters.js';
import { nextStopSignal, settlesWithin } from './signals.js';
import { openSource } from './source.js';

export const SHUTDOWN_TIMEOUT_MS = 5000;

export interface RunOptions {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Where SIGTERM/SIGINT come from; the process unless a test drives it. */
  signals?: NodeJS.EventEmitter;
  exporters?: ExporterRegistry;
  shutdownTimeoutMs?: number;
  /** Console exporter output. */
  write?: (text: string) => void;
}

/** Shuts every exporter down in parallel; false when they did not finish in time. */
async function shutdownAll(exporters: Exporter[], logger: Logger, timeoutMs: number): Promise<boolean> {
  const pending = new Set(exporters.map((e) => e.name));
  const work = Promise.all(
    exporters.map(async (e) => {
      try {
        await e.shutdown();
      } catch (err) {
        logger.warn(`${e.name} exporter: shutdown failed: ${(err as Error).message}`);
      } finally {
        pending.delete(e.name);
      }
    }),
  );
  const done = await settlesWithin(work, timeoutMs);
  if (!done) logger.warn(`shutdown took longer than ${formatDuration(timeoutMs)} (still busy: ${[...pending].join(', ')}); exiting anyway`);
  return done;
}

/**
 * `otel-netif run`: samples on its interval, feeds every selected exporter, and on SIGTERM/SIGINT
 * stops sampling, lets push exporters flush once, and resolves with the exit code.
 */
export async function runAgent(loaded: LoadedConfig, opts: RunOptions): Promise<number> {
  const { config } = loaded;
  const { logger } = opts;
  const timeoutMs = opts.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS;
  // Listen before the first await: a signal during start-up must still end in an orderly stop.
  const stop = nextStopSignal(opts.signals);
  const started: Exporter[] = [];
  let pipeline: Pipeline | undefined;
  let closeSource = (): void => {};
  try {
    for (const w of loaded.warnings) logger.warn(w);
    const { receiver, processor } = openSource(config);
    closeSource = () => receiver.close();
    const namespace = receiver.namespaceWarning();
    if (namespace) logger.warn(namespace);
    const resource = detectResource({
      rootPath: config.rootPath,
      serviceName: config.serviceName,
      // Always a string: undefined would make the detector read the environment a second time.
      resourceAttributes: config.resourceAttributes ?? '',
      env: opts.env,
      logger,
    });
    const telemetry = new SelfTelemetry({ exporters: config.exporters, pushExporters: config.exporters.filter((e) => e === 'otlp'), version: cliVersion() });
    const pacer = processGcPacer({ onCollected: (before, after) => logger.debug(`full collection: old generation and buffers ${mib(before)} -> ${mib(after)} MiB`) });
    pipeline = new Pipeline({ receiver, processor, resource, intervalMs: config.intervalMs, logger, telemetry, ...(pacer ? { afterSample: () => pacer.tick() } : {}) });
    pipeline.start();
    logger.info(`sampling ${config.rootPath.replace(/\/+$/, '')}/proc/net/dev every ${formatDuration(config.intervalMs)}`);

    const registry = opts.exporters ?? EXPORTERS;
    const ctx = { pipeline, loaded, logger, ...(opts.write ? { write: opts.write } : {}) };
    for (const name of config.exporters) {
      const entry = registry[name];
      const exporter = entry.create(ctx);
      await exporter.start();
      started.push(exporter);
      const line = entry.describe(exporter, ctx);
      if (line !== undefined) logger.info(line);
    }
    if (config.exporters.length === 0) logger.warn('no exporter selected (--exporter none): sampling only, nothing is exported');
  } catch (err) {
    stop.dispose();
    pipeline?.stop();
    closeSource();
    await shutdownAll(started, logger, timeoutMs);
    throw err;
  }

  const signal = await stop.signal;
  logger.info(`${signal} received: stopping`);
  pipeline.stop();
  closeSource();
  await shutdownAll(started, logger, timeoutMs);
  logger.info('stopped');
  return 0;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
