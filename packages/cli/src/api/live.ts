import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Pipeline, PipelineSnapshot } from '../pipeline/pipeline.js';
import { forEachTrafficRate, interfaceViews, type InterfaceView } from '../pipeline/views.js';
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

type FeedSnapshot = Pick<PipelineSnapshot, 'seq' | 'sample' | 'rates' | 'forEachRate'>;

/**
 * The pipeline seen as the API shape, plus its history. Every sample updates the history and the
 * session totals, in place, whether anyone looks or not; the API shape (an object per interface)
 * is built only when something reads it — a request, an SSE client, `top` — once per snapshot.
 */
export class LiveFeed extends EventEmitter<{ update: [LiveSnapshot] }> {
  readonly history: HistoryRing;
  readonly host: string;
  readonly intervalMs: number;
  private readonly totals = new SessionCounter();
  /** The last snapshot recorded, and its API shape once built. */
  private recorded: FeedSnapshot | undefined;
  private current: LiveSnapshot | undefined;
  private detach: (() => void) | undefined;
  /** This round's history points, reused from round to round. */
  private readonly points = new Map<string, HistoryPoint & { round: number }>();
  private round = 0;

  constructor(opts: LiveFeedOptions) {
    super();
    this.history = new HistoryRing(opts.historySize ?? DEFAULT_HISTORY_SIZE);
    this.host = opts.host ?? hostname();
    this.intervalMs = opts.intervalMs;
  }

  /** Follows the pipeline, starting from its latest snapshot if it has one. */
  attach(pipeline: Pipeline): this {
    const on = (s: PipelineSnapshot): void => {
      this.record(s);
    };
    pipeline.on('snapshot', on);
    this.detach = () => pipeline.off('snapshot', on);
    const latest = pipeline.latest();
    if (latest) this.record(latest);
    return this;
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
    this.removeAllListeners();
  }

  latest(): LiveSnapshot | undefined {
    const s = this.recorded;
    if (s === undefined) return undefined;
    if (this.current?.seq !== s.seq) this.current = this.build(s);
    return this.current;
  }

  /** Records a snapshot and returns its API shape. */
  update(snapshot: FeedSnapshot): LiveSnapshot {
    this.record(snapshot);
    return this.latest() as LiveSnapshot;
  }

  private record(snapshot: FeedSnapshot): void {
    if (this.recorded?.seq === snapshot.seq) return;
    this.recorded = snapshot;
    const nowUnixMs = unixMs(snapshot);
    this.totals.update(nowUnixMs, snapshot.sample.interfaces);
    this.history.push(nowUnixMs, this.historyPoints(snapshot));
    if (this.listenerCount('update') > 0) this.emit('update', this.latest() as LiveSnapshot);
  }

  /** Each interface's byte and packet rates this round (undefined until it has them), in place. */
  private historyPoints(snapshot: FeedSnapshot): ReadonlyMap<string, HistoryPoint> {
    const round = ++this.round;
    const points = this.points;
    for (const { name } of snapshot.sample.interfaces) {
      let p = points.get(name);
      if (p === undefined) points.set(name, (p = { rxBytes: undefined, txBytes: undefined, rxPackets: undefined, txPackets: undefined, round }));
      p.rxBytes = p.txBytes = p.rxPackets = p.txPackets = undefined;
      p.round = round;
    }
    forEachTrafficRate(snapshot, (iface, field, value) => {
      const p = points.get(iface);
      if (p !== undefined && p.round === round) p[field] = value;
    });
    if (points.size > snapshot.sample.interfaces.length) {
      for (const [name, p] of points) if (p.round !== round) points.delete(name);
    }
    return points;
  }

  private build(snapshot: FeedSnapshot): LiveSnapshot {
    const nowUnixMs = unixMs(snapshot);
    return {
      version: API_VERSION,
      host: this.host,
      time: new Date(nowUnixMs).toISOString(),
      timeUnixMs: nowUnixMs,
      seq: snapshot.seq,
      intervalMs: this.intervalMs,
      interfaces: interfaceViews(snapshot).map((v) => toLiveInterface(v, this.totals.get(v.name), nowUnixMs)),
    };
  }
}

function unixMs(snapshot: FeedSnapshot): number {
  const [sec, nanos] = snapshot.sample.time;
  return sec * 1000 + Math.floor(nanos / 1e6);
}
