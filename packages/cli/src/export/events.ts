import { closeSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LiveConfig } from '../api/config.js';
import type { ExporterEntry } from '../commands/exporters.js';
import type { Config } from '../config/types.js';
import { StartupError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Pipeline, PipelineSnapshot } from '../pipeline/pipeline.js';
import { interfaceViews, type InterfaceView } from '../pipeline/views.js';
import type { Exporter } from './exporter.js';

export interface EventsExporterOptions {
  /** Append lines here instead of stdout (--events-file). */
  file?: string;
  /** A line for every sample, also idle ones (--events-all). */
  all?: boolean;
  /** For `sensor`; defaults to the host name. */
  host?: string;
  /** For tests: where lines go instead of stdout. */
  write?: (text: string) => void;
}

export interface EventLine {
  eid: number;
  sensor: string;
  listener: string;
  data: {
    action: 'sample';
    sample: {
      iface: string;
      interval_ms: number;
      rx_bytes_per_sec: number;
      tx_bytes_per_sec: number;
      rx_packets_per_sec: number;
      tx_packets_per_sec: number;
      counters: Record<string, number>;
    };
  };
}

/** Rates to the millisecond's precision: enough for any reader, and no 1047.9999999 noise. */
function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The kernel's /proc/net/dev column names, so the counters read like the file they came from. */
function kernelCounters(v: InterfaceView): Record<string, number> {
  const c = v.counters;
  return {
    rx_bytes: c.rxBytes, rx_packets: c.rxPackets, rx_errs: c.rxErrs, rx_drop: c.rxDrop,
    rx_fifo: c.rxFifo, rx_frame: c.rxFrame, rx_compressed: c.rxCompressed, rx_multicast: c.rxMulticast,
    tx_bytes: c.txBytes, tx_packets: c.txPackets, tx_errs: c.txErrs, tx_drop: c.txDrop,
    tx_fifo: c.txFifo, tx_colls: c.txColls, tx_carrier: c.txCarrier, tx_compressed: c.txCompressed,
  };
}

export interface EventEncoder {
  /** The lines for one snapshot (without newlines), in the receiver's interface order. */
  encode(snapshot: Pick<PipelineSnapshot, 'sample' | 'rates'>): EventLine[];
}

/**
 * eid: the sample's wall-clock time in microseconds plus the line's position in that sample, and
 * never less than the previous eid + 1. So it is unique and increasing within a run and across
 * restarts (samples are >= 100 ms apart), and eid / 1000 is the sample time in ms.
 */
export function createEventEncoder(sensor: string, all: boolean): EventEncoder {
  let lastEid = 0;
  let lastMonotonicMs: number | undefined;
  return {
    encode(snapshot) {
      const { sample } = snapshot;
      const intervalMs = lastMonotonicMs === undefined ? undefined : Math.round(sample.monotonicMs - lastMonotonicMs);
      lastMonotonicMs = sample.monotonicMs;
      if (intervalMs === undefined) return [];
      const baseUs = sample.time[0] * 1_000_000 + Math.floor(sample.time[1] / 1000);
      const out: EventLine[] = [];
      let i = 0;
      for (const v of interfaceViews(snapshot)) {
        const r = v.rates;
        // No rate yet (first sight of this interface): nothing honest to report.
        if (r === undefined) continue;
        const moving = r.rx.bytes > 0 || r.tx.bytes > 0 || r.rx.packets > 0 || r.tx.packets > 0;
        if (!moving && !all) continue;
        const eid = Math.max(baseUs + i++, lastEid + 1);
        lastEid = eid;
        out.push({
          eid,
          sensor,
          listener: v.name,
          data: {
            action: 'sample',
            sample: {
              iface: v.name,
              interval_ms: intervalMs,
              rx_bytes_per_sec: round3(r.rx.bytes),
              tx_bytes_per_sec: round3(r.tx.bytes),
              rx_packets_per_sec: round3(r.rx.packets),
              tx_packets_per_sec: round3(r.tx.packets),
              counters: kernelCounters(v),
            },
          },
        });
      }
      return out;
    },
  };
}

/**
 * `--exporter events`: one JSON line per interface and sample, to stdout or appended to a file,
 * for jq, log shippers and scripts. Writes are synchronous so lines are whole and in order, and
 * nothing is held back at shutdown.
 */
export function createEventsExporter(pipeline: Pipeline, opts: EventsExporterOptions, logger: Logger): Exporter {
  const encoder = createEventEncoder(`otel-netif@${opts.host ?? hostname()}`, opts.all ?? false);
  let fd: number | undefined;
  let broken = false;
  const write = (text: string): void => {
    if (broken) return;
    try {
      if (opts.write) opts.write(text);
      else if (fd !== undefined) writeSync(fd, text);
      else process.stdout.write(text);
    } catch (err) {
      broken = true;
      logger.error(`events exporter: cannot write ${opts.file ?? 'stdout'}: ${(err as Error).message}; no more events`);
    }
  };
  const onSnapshot = (s: PipelineSnapshot): void => {
    const lines = encoder.encode(s);
    if (lines.length) write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  };
  // A reader that goes away (`| head`) must not crash the agent with EPIPE.
  const onStdoutError = (err: Error): void => {
    if (!broken) logger.warn(`events exporter: stdout closed (${err.message}); no more events`);
    broken = true;
  };
  return {
    name: 'events',
    async start() {
      if (opts.file !== undefined && !opts.write) {
        try {
          fd = openSync(opts.file, 'a');
        } catch (err) {
          throw new StartupError(`cannot open --events-file ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      } else if (!opts.write) {
        process.stdout.on('error', onStdoutError);
      }
      pipeline.on('snapshot', onSnapshot);
    },
    async shutdown() {
      pipeline.off('snapshot', onSnapshot);
      process.stdout.off('error', onStdoutError);
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** The registry entry: `events: eventsExporterEntry` in commands/exporters.ts. */
export const eventsExporterEntry: ExporterEntry = {
  create: ({ pipeline, loaded, logger }) => {
    const config = loaded.config as Config & Partial<LiveConfig>;
    return createEventsExporter(pipeline, { ...(config.eventsFile === undefined ? {} : { file: config.eventsFile }), all: config.eventsAll ?? false }, logger);
  },
  describe: (_e, { loaded }) => {
    const config = loaded.config as Config & Partial<LiveConfig>;
    return `writing a JSON line per ${config.eventsAll ? 'interface' : 'moving interface'} and sample to ${config.eventsFile ?? 'stdout'}`;
  },
};
