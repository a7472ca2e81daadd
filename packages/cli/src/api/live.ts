import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Pipeline, PipelineSnapshot } from '../pipeline/pipeline.js';
import { interfaceViews, type InterfaceView } from '../pipeline/views.js';
import { DEFAULT_HISTORY_SIZE, HistoryRing, type HistoryPoint } from '../history/ring.js';
import { API_VERSION, type LiveInterface, type LiveSnapshot } from './model.js';
import { SessionCounter, type SessionTotals } from './totals.js';

export interface LiveFeedOptions {
  intervalMs: number;
  /** Slots in the history ring (--history-size). */
  historySize?: number;
  host?: string;
}

function toLiveInterface(v: InterfaceView, totals: SessionTotals | undefined, nowUnixMs: number): LiveInterface {
  const r = v.rates;
  return {
    name: v.name,
    operstate: v.link.operstate ?? null,
    up: v.link.up ?? null,
    carrier: v.link.carrier ?? null,
    speedBytesPerSecond: v.link.speedBytesPerSecond ?? null,
    mtu: v.link.mtu ?? null,
    rates: {
      rxBytes: r?.rx.bytes ?? null,
      txBytes: r?.tx.bytes ?? null,
      rxPackets: r?.rx.packets ?? null,
      txPackets: r?.tx.packets ?? null,
      rxErrors: r?.rx.errors ?? null,
      txErrors: r?.tx.errors ?? null,
      rxDrops: r?.rx.drops ?? null,
      txDrops: r?.tx.drops ?? null,
    },
    utilization: { rx: v.utilization.rx ?? null, tx: v.utilization.tx ?? null },
    counters: { ...v.counters },
    sinceStart: {
      rxBytes: totals?.rxBytes ?? 0,
      txBytes: totals?.txBytes ?? 0,
      rxPackets: totals?.rxPackets ?? 0,
      txPackets: totals?.txPackets ?? 0,
      errors: totals?.errors ?? 0,
      drops: totals?.drops ?? 0,
      since: new Date(totals?.sinceUnixMs ?? nowUnixMs).toISOString(),
    },
  };
}

/** The ring's per-interface point for one API snapshot (also used by remote `top`). */
export function historyPoints(snapshot: LiveSnapshot): Map<string, HistoryPoint> {
  const m = new Map<string, HistoryPoint>();
  for (const i of snapshot.interfaces) {
    m.set(i.name, {
      rxBytes: i.rates.rxBytes ?? undefined,
      txBytes: i.rates.txBytes ?? undefined,
      rxPackets: i.rates.rxPackets ?? undefined,
      txPackets: i.rates.txPackets ?? undefined,
    });
  }
  return m;
}

/**
 * The pipeline seen as the API shape, plus its history. Each snapshot is converted once here,
 * whatever the number of pages, SSE clients and `top` views reading it.
 */
export class LiveFeed extends EventEmitter<{ update: [LiveSnapshot] }> {
  readonly history: HistoryRing;
  readonly host: string;
  readonly intervalMs: number;
  private readonly totals = new SessionCounter();
  private current: LiveSnapshot | undefined;
  private detach: (() => void) | undefined;

  constructor(opts: LiveFeedOptions) {
    super();
    this.history = new HistoryRing(opts.historySize ?? DEFAULT_HISTORY_SIZE);
    this.host = opts.host ?? hostname();
    this.intervalMs = opts.intervalMs;
  }

  /** Follows the pipeline, starting from its latest snapshot if it has one. */
  attach(pipeline: Pipeline): this {
    const on = (s: PipelineSnapshot): void => {
      this.update(s);
    };
    pipeline.on('snapshot', on);
    this.detach = () => pipeline.off('snapshot', on);
    const latest = pipeline.latest();
    if (latest) this.update(latest);
    return this;
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
    this.removeAllListeners();
  }

  latest(): LiveSnapshot | undefined {
    return this.current;
  }

  update(snapshot: Pick<PipelineSnapshot, 'seq' | 'sample' | 'rates'>): LiveSnapshot {
    if (this.current && this.current.seq === snapshot.seq) return this.current;
    const [sec, nanos] = snapshot.sample.time;
    const nowUnixMs = sec * 1000 + Math.floor(nanos / 1e6);
    const views = interfaceViews(snapshot);
    this.totals.update(nowUnixMs, views);
    const live: LiveSnapshot = {
      version: API_VERSION,
      host: this.host,
      time: new Date(nowUnixMs).toISOString(),
      timeUnixMs: nowUnixMs,
      seq: snapshot.seq,
      intervalMs: this.intervalMs,
      interfaces: views.map((v) => toLiveInterface(v, this.totals.get(v.name), nowUnixMs)),
    };
    this.current = live;
    this.history.push(nowUnixMs, historyPoints(live));
    this.emit('update', live);
    return live;
  }
}
