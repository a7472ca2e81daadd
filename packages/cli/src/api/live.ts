import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Pipeline, PipelineSnapshot } from '../pipeline/pipeline.js';
import { DEFAULT_HISTORY_MEMORY, DEFAULT_HISTORY_SIZE, HistoryRing, type HistoryPoint } from '../history/ring.js';
import { LiveInterfacesBuilder } from './interfaces.js';
import { API_VERSION, type LiveSnapshot } from './model.js';
import { SampleRecorder, type RecordedSnapshot } from './recorder.js';
import { isoTime } from '../format/utc-time.js';

export interface LiveFeedOptions {
  intervalMs: number;
  /** Slots in the history ring (--history-size). */
  historySize?: number;
  /** Bytes for the busy interfaces' rows (--history-memory). */
  historyMemory?: number;
  host?: string;
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
 * The pipeline seen as the API shape, plus its history. Every sample updates the history and the
 * session totals, in place, whether anyone looks or not; the API shape (an object per interface)
 * and its JSON are built only when something reads them — a request, an SSE client, `top` — once
 * per snapshot.
 */
export class LiveFeed extends EventEmitter<{ update: [LiveSnapshot] }> {
  readonly history: HistoryRing;
  readonly host: string;
  readonly intervalMs: number;
  private readonly recorder: SampleRecorder;
  private readonly builder: LiveInterfacesBuilder;
  /** The last snapshot recorded, and its API shape and JSON once built. */
  private recorded: RecordedSnapshot | undefined;
  private current: LiveSnapshot | undefined;
  private currentJson: string | undefined;
  private detach: (() => void) | undefined;

  constructor(opts: LiveFeedOptions) {
    super();
    this.history = new HistoryRing(opts.historySize ?? DEFAULT_HISTORY_SIZE, opts.historyMemory ?? DEFAULT_HISTORY_MEMORY);
    this.recorder = new SampleRecorder(this.history);
    this.builder = new LiveInterfacesBuilder(this.recorder);
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
    if (this.current?.seq !== s.seq) {
      this.current = this.build(s);
      this.currentJson = undefined;
    }
    return this.current;
  }

  /** JSON.stringify of `snapshot` (one latest() gave), made once however many clients are sent it. */
  json(snapshot: LiveSnapshot): string {
    if (snapshot !== this.current) return JSON.stringify(snapshot);
    return (this.currentJson ??= JSON.stringify(snapshot));
  }

  /** Records a snapshot and returns its API shape. */
  update(snapshot: RecordedSnapshot): LiveSnapshot {
    this.record(snapshot);
    return this.latest() as LiveSnapshot;
  }

  private record(snapshot: RecordedSnapshot): void {
    if (this.recorded?.seq === snapshot.seq) return;
    this.recorded = snapshot;
    this.recorder.record(snapshot, unixMs(snapshot));
    if (this.listenerCount('update') > 0) return void this.emit('update', this.latest() as LiveSnapshot);
    // Stale now, and megabytes at 1000 interfaces: not kept for a reader that may never come back.
    this.current = undefined;
    this.currentJson = undefined;
  }

  private build(snapshot: RecordedSnapshot): LiveSnapshot {
    const nowUnixMs = unixMs(snapshot);
    return {
      version: API_VERSION,
      host: this.host,
      time: isoTime(nowUnixMs),
      timeUnixMs: nowUnixMs,
      seq: snapshot.seq,
      intervalMs: this.intervalMs,
      interfaces: this.builder.build(snapshot, nowUnixMs),
    };
  }
}

function unixMs(snapshot: RecordedSnapshot): number {
  const [sec, nanos] = snapshot.sample.time;
  return sec * 1000 + Math.floor(nanos / 1e6);
}
