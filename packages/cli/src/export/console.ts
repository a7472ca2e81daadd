import type { Exporter } from './exporter.js';
import type { Logger } from '../log.js';
import type { Pipeline, PipelineSnapshot } from '../pipeline/pipeline.js';
import { busiest, interfaceViews } from '../pipeline/views.js';
import type { InterfaceView } from '../pipeline/views.js';
import { formatBytesPerSecond, formatCount } from '../format/units.js';

export interface ConsoleExporterOptions {
  intervalMs: number;
  /** Only the N busiest interfaces, busiest first (--top); 0 or absent prints all. */
  top?: number;
  /** Where lines go; stdout by default, so they can be piped while logs stay on stderr. */
  write?: (text: string) => void;
}

function state(v: InterfaceView): string {
  if (v.link.up === true) return 'up';
  return v.link.operstate ?? '?';
}

/**
 * `eth0     up   rx 1.21 MB/s (802 pkt/s)  tx 35.4 KB/s (120 pkt/s)  err 0/0  drop 0/0`:
 * errors and drops are rx/tx per second. Name and state are padded across the batch so the
 * traffic starts in one column.
 */
export function formatConsoleLines(views: InterfaceView[]): string[] {
  const rows = views.filter((v) => v.rates !== undefined);
  const nameWidth = Math.max(8, ...rows.map((v) => v.name.length));
  const stateWidth = Math.max(4, ...rows.map((v) => state(v).length));
  return rows.map((v) => {
    const { rx, tx } = v.rates!;
    const traffic = [
      `rx ${formatBytesPerSecond(rx.bytes)} (${formatCount(rx.packets)} pkt/s)`,
      `tx ${formatBytesPerSecond(tx.bytes)} (${formatCount(tx.packets)} pkt/s)`,
      `err ${formatCount(rx.errors)}/${formatCount(tx.errors)}`,
      `drop ${formatCount(rx.drops)}/${formatCount(tx.drops)}`,
    ];
    return `${v.name.padEnd(nameWidth)} ${state(v).padEnd(stateWidth)} ${traffic.join('  ')}`;
  });
}

/**
 * Prints one line per interface every interval. Driven by the pipeline's snapshots rather than a
 * timer of its own, so a line never repeats a sample or skips one when the intervals match.
 */
export function createConsoleExporter(pipeline: Pipeline, options: ConsoleExporterOptions, logger: Logger): Exporter {
  const write = options.write ?? ((t: string) => void process.stdout.write(t));
  let lastPrintedAt: number | undefined;
  let lastSeq = 0;
  // Sampling timers jitter by a few ms; without slack a 5s console over 5s samples would skip every other one.
  const slackMs = Math.min(50, options.intervalMs / 2);

  const print = (snapshot: PipelineSnapshot) => {
    const lines = formatConsoleLines(busiest(interfaceViews(snapshot), options.top ?? 0));
    if (lines.length === 0) return;
    lastSeq = snapshot.seq;
    lastPrintedAt = snapshot.sample.monotonicMs;
    try {
      write(`${lines.join('\n')}\n`);
    } catch (err) {
      logger.warn(`console exporter: cannot write: ${(err as Error).message}`);
    }
  };
  const onSnapshot = (snapshot: PipelineSnapshot) => {
    if (lastPrintedAt === undefined || snapshot.sample.monotonicMs - lastPrintedAt >= options.intervalMs - slackMs) print(snapshot);
  };

  return {
    name: 'console',
    async start() {
      pipeline.on('snapshot', onSnapshot);
    },
    async shutdown() {
      pipeline.off('snapshot', onSnapshot);
      // Flush once: the latest sample, unless it was already printed.
      const latest = pipeline.latest();
      if (latest && latest.seq !== lastSeq) print(latest);
    },
  };
}
