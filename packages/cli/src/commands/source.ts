import { NetifReceiver } from '@otel-netif/receiver-netif';
import { RateProcessor } from '@otel-netif/processor-rate';
import { StartupError } from '../errors.js';
import type { Config } from '../config/types.js';

function errnoCode(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown }).cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The receiver and processor both commands sample with. The receiver is tried once here so that
 * an unreadable /proc/net/dev stops start-up with one line that says what to change; later
 * failures are the pipeline's to report and survive.
 */
export function openSource(config: Config): { receiver: NetifReceiver; processor: RateProcessor } {
  const receiver = new NetifReceiver({
    rootPath: config.rootPath,
    include: config.include,
    exclude: config.exclude,
    metadataRefreshMs: config.metadataRefreshMs,
    maxInterfaces: config.maxInterfaces,
  });
  try {
    receiver.sample();
  } catch (err) {
    throw unreadableRoot(config.rootPath, err);
  }
  const processor = new RateProcessor({ topN: config.top, maxBandwidthBytesPerSecond: config.maxBandwidthBytesPerSecond });
  return { receiver, processor };
}

function unreadableRoot(rootPath: string, err: unknown): StartupError {
  const path = (err as { path?: unknown }).path;
  const file = typeof path === 'string' ? path : `${rootPath.replace(/\/+$/, '')}/proc/net/dev`;
  const code = errnoCode(err);
  const why = code ?? (err as Error).message;
  const fix =
    rootPath === '/'
      ? 'is /proc mounted? (in a container, mount the host\'s / read-only, e.g. at /host, and pass --root-path /host)'
      : `is --root-path ${rootPath} where the host's / is mounted? (it needs proc/ and sys/ below it; use --root-path / outside a container)`;
  // Without an errno the file was read but held nothing usable; its message names the file already.
  return new StartupError(code === undefined ? `${why} — ${fix}` : `cannot read ${file} (${why}) — ${fix}`);
}
