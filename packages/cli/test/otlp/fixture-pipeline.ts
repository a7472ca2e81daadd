// A real Pipeline (real NetifReceiver and RateProcessor) over a throwaway host root whose
// /proc/net/dev the test rewrites between ticks, on a fake clock: exporters see exactly what the
// agent produces, with times far from "now" so a start time rewritten to the export time shows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DEFAULT_RATE_PROCESSOR_CONFIG, RateProcessor } from '@otel-netif/processor-rate';
import { NetifReceiver } from '@otel-netif/receiver-netif';
import { silentLogger } from '../../src/log.js';
import type { Logger } from '../../src/log.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineSnapshot } from '../../src/pipeline/pipeline.js';

/** Epoch ms at monotonic 0: 2023-11-14, years before any export of these tests. */
export const TIME_ORIGIN_MS = 1_700_000_000_000;
/** The fake monotonic clock's first reading. */
export const FIRST_MS = 5000;

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

export interface IfaceCounters {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

export interface FixtureIface {
  name: string;
  counters: IfaceCounters;
  /** sysfs speed in Mb/s; absent for virtual links. */
  speedMbps?: number;
}

export function hrTimeOfMonotonic(ms: number): HrTime {
  const total = TIME_ORIGIN_MS + ms;
  return [Math.floor(total / 1000), (total % 1000) * 1e6];
}

export function nanosOfMonotonic(ms: number): string {
  return (BigInt(TIME_ORIGIN_MS + ms) * 1_000_000n).toString();
}

export class FixturePipeline {
  readonly root = mkdtempSync(join(tmpdir(), 'onx-root-'));
  readonly pipeline: Pipeline;
  readonly resource: Resource;
  clockMs = FIRST_MS;
  private ifaces: FixtureIface[];

  constructor(ifaces: FixtureIface[], opts: { resource?: Resource; logger?: Logger; intervalMs?: number } = {}) {
    this.ifaces = ifaces;
    this.resource = opts.resource ?? resourceFromAttributes({ 'service.name': 'otel-netif', 'host.name': 'fixture-host' });
    this.write();
    for (const i of ifaces) {
      const dir = join(this.root, 'sys/class/net', i.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'operstate'), 'up\n');
      writeFileSync(join(dir, 'carrier'), '1\n');
      writeFileSync(join(dir, 'mtu'), '1500\n');
      if (i.speedMbps !== undefined) writeFileSync(join(dir, 'speed'), `${i.speedMbps}\n`);
    }
    const receiver = new NetifReceiver(
      { rootPath: this.root, include: [], exclude: [], metadataRefreshMs: 0 },
      { now: () => this.clockMs, timeOrigin: TIME_ORIGIN_MS },
    );
    this.pipeline = new Pipeline({
      receiver,
      processor: new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG),
      resource: this.resource,
      intervalMs: opts.intervalMs ?? 1000,
      logger: opts.logger ?? silentLogger,
    });
  }

  private write(): void {
    mkdirSync(join(this.root, 'proc/net'), { recursive: true });
    const lines = this.ifaces.map(({ name, counters: c }) => `${name.padStart(6)}: ${c.rxBytes} ${c.rxPackets} 0 0 0 0 0 0 ${c.txBytes} ${c.txPackets} 0 0 0 0 0 0\n`);
    writeFileSync(join(this.root, 'proc/net/dev'), HEADER + lines.join(''));
  }

  /** Adds to every interface's counters, advances the clock, and samples once. */
  step(ms: number, add: Partial<IfaceCounters> = {}): PipelineSnapshot {
    for (const i of this.ifaces) {
      i.counters = {
        rxBytes: i.counters.rxBytes + (add.rxBytes ?? 0),
        rxPackets: i.counters.rxPackets + (add.rxPackets ?? 0),
        txBytes: i.counters.txBytes + (add.txBytes ?? 0),
        txPackets: i.counters.txPackets + (add.txPackets ?? 0),
      };
    }
    this.write();
    this.clockMs += ms;
    const s = this.pipeline.tick();
    if (!s) throw new Error('fixture sample failed');
    return s;
  }

  /** The first sample, at FIRST_MS. */
  first(): PipelineSnapshot {
    const s = this.pipeline.tick();
    if (!s) throw new Error('fixture sample failed');
    return s;
  }

  remove(): void {
    this.pipeline.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}
