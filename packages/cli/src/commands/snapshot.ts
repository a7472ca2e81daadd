import { setTimeout as sleep } from 'node:timers/promises';
import { plainResource } from '../plain-resource.js';
import { StartupError } from '../errors.js';
import type { LoadedConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { busiest, interfaceViews } from '../pipeline/views.js';
import { snapshotJson, snapshotTable } from './snapshot-format.js';
import { openSource } from './source.js';

export interface SnapshotOptions {
  logger: Logger;
  write?: (text: string) => void;
}

/**
 * `otel-netif snapshot`: two samples --duration apart through the same receiver and processor as
 * `run`, printed once. Nothing is served or exported, so there is no resource to detect.
 */
export async function snapshotCommand(loaded: LoadedConfig, opts: SnapshotOptions): Promise<number> {
  const { config } = loaded;
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  for (const w of loaded.warnings) opts.logger.warn(w);
  const { receiver, processor } = openSource(config);
  const namespace = receiver.namespaceWarning();
  if (namespace) opts.logger.warn(namespace);
  const pipeline = new Pipeline({ receiver, processor, resource: plainResource({}), intervalMs: config.durationMs, logger: opts.logger });

  let lastError: Error | undefined;
  pipeline.on('sampleError', (e) => (lastError = e));
  const first = pipeline.tick();
  await sleep(config.durationMs);
  const second = pipeline.tick();
  if (!first || !second) throw new StartupError(`sampling failed: ${lastError?.message ?? 'unknown error'}`);

  const views = busiest(interfaceViews(second), config.top);
  const elapsed = second.sample.monotonicMs - first.sample.monotonicMs;
  write(config.json ? `${JSON.stringify(snapshotJson(second.sample, elapsed, views), null, 2)}\n` : snapshotTable(views));
  return 0;
}
