import type { InterfaceSample } from '@otel-netif/receiver-netif';
import type { Attributes } from '@opentelemetry/api';
import { RATE_METRICS, UTILIZATION_METRIC } from '../pipeline/views.js';
import type { LiveInterface } from './model.js';
import type { RecordedSnapshot, SampleRecorder } from './recorder.js';
import { isoTime } from '../format/utc-time.js';

const INTERFACE = 'network.interface.name';
const DIRECTION = 'network.io.direction';

/** Values per interface: rx bytes, packets, errors, drops; the same for tx; utilization rx, tx. */
const WIDTH = 10;
const TX = 4;
const UTILIZATION = 8;
const RX_COMPLETE = 0b1111;
const TX_COMPLETE = RX_COMPLETE << TX;

/** Index of a gauge's value among the rx ones (+TX for tx), -1 for a gauge the API does not show. */
function offsetOf(metric: string): number {
  switch (metric) {
    case RATE_METRICS.bytes:
      return 0;
    case RATE_METRICS.packets:
      return 1;
    case RATE_METRICS.errors:
      return 2;
    case RATE_METRICS.drops:
      return 3;
    case UTILIZATION_METRIC:
      return UTILIZATION;
    default:
      return -1;
  }
}

/**
 * The `interfaces` of /api/v1/interfaces for the snapshot the recorder recorded last, as
 * interfaceViews() and the API's field rules would give them, only without the views in between:
 * this runs on every sample while an SSE client or `top` watches. Rates are gathered by the
 * interface's position in the sample into typed arrays reused from build to build.
 */
export class LiveInterfacesBuilder {
  private values = new Float64Array(0);
  /** Bit j set: values[WIDTH × position + j] was given this build. */
  private given = new Uint16Array(0);
  private metricSeen: string | undefined;
  private offset = -1;

  constructor(private readonly recorder: SampleRecorder) {}

  build(snapshot: RecordedSnapshot, nowUnixMs: number): LiveInterface[] {
    const interfaces = snapshot.sample.interfaces;
    const n = interfaces.length;
    if (this.given.length < n) {
      this.values = new Float64Array(WIDTH * n);
      this.given = new Uint16Array(n);
    } else {
      this.given.fill(0, 0, n);
    }
    this.metricSeen = undefined;
    this.recorder.rewind();
    // Through forEachRate when the snapshot has it: `rates` builds an object per rate to be read once.
    if (snapshot.forEachRate) snapshot.forEachRate(this.onRate);
    else for (const s of snapshot.rates) this.onRate(s.metric, s.attributes, s.value);

    const out: LiveInterface[] = [];
    for (let k = 0; k < n; k++) out.push(this.toLive(interfaces[k] as InterfaceSample, k, nowUnixMs));
    return out;
  }

  private readonly onRate = (metric: string, attributes: Attributes, value: number): void => {
    if (metric !== this.metricSeen) {
      this.metricSeen = metric;
      this.offset = offsetOf(metric);
    }
    if (this.offset < 0) return;
    const name = attributes[INTERFACE];
    if (typeof name !== 'string') return;
    const dir = attributes[DIRECTION];
    const tx = dir === 'transmit';
    if (!tx && dir !== 'receive') return;
    const r = this.recorder.find(name);
    if (r === undefined) return;
    const j = this.offset === UTILIZATION ? (tx ? UTILIZATION + 1 : UTILIZATION) : tx ? this.offset + TX : this.offset;
    this.values[r.position * WIDTH + j] = value;
    this.given[r.position] = (this.given[r.position] as number) | (1 << j);
  };

  private toLive(i: InterfaceSample, k: number, nowUnixMs: number): LiveInterface {
    const r = this.recorder.at(k);
    // A name listed twice (only hand-made samples do) has its rates where its record was last seen.
    const at = r === undefined ? -1 : r.position;
    const given = at < 0 ? 0 : (this.given[at] as number);
    const v = this.values;
    const base = at * WIDTH;
    const rates = (given & RX_COMPLETE) === RX_COMPLETE && (given & TX_COMPLETE) === TX_COMPLETE;
    const link = i.link;
    return {
      name: i.name,
      operstate: link.operstate ?? null,
      up: link.operstate === undefined ? null : link.operstate === 'up' || (link.operstate === 'unknown' && link.carrier === true),
      carrier: link.carrier ?? null,
      speedBytesPerSecond: link.speedBytesPerSecond ?? null,
      mtu: link.mtu ?? null,
      rates: rates
        ? {
            rxBytes: v[base] as number,
            txBytes: v[base + TX] as number,
            rxPackets: v[base + 1] as number,
            txPackets: v[base + TX + 1] as number,
            rxErrors: v[base + 2] as number,
            txErrors: v[base + TX + 2] as number,
            rxDrops: v[base + 3] as number,
            txDrops: v[base + TX + 3] as number,
          }
        : { rxBytes: null, txBytes: null, rxPackets: null, txPackets: null, rxErrors: null, txErrors: null, rxDrops: null, txDrops: null },
      utilization: {
        rx: given & (1 << UTILIZATION) ? (v[base + UTILIZATION] as number) : null,
        tx: given & (1 << (UTILIZATION + 1)) ? (v[base + UTILIZATION + 1] as number) : null,
      },
      counters: { ...i.counters },
      sinceStart: {
        rxBytes: r?.rxBytes ?? 0,
        txBytes: r?.txBytes ?? 0,
        rxPackets: r?.rxPackets ?? 0,
        txPackets: r?.txPackets ?? 0,
        errors: r?.errors ?? 0,
        drops: r?.drops ?? 0,
        since: r?.since ?? isoTime(nowUnixMs),
      },
    };
  }
}
