import type { InterfaceCounters } from '@otel-netif/receiver-netif';
import type { Attributes } from '@opentelemetry/api';
import type { PipelineSnapshot } from './pipeline.js';

/** Per second, over the last sampling interval. */
export interface DirectionRates {
  bytes: number;
  packets: number;
  errors: number;
  drops: number;
}

export interface InterfaceView {
  name: string;
  link: {
    operstate?: string;
    /** As the up gauge: operstate "up", or "unknown" with carrier (loopback, tun); undefined without operstate. */
    up?: boolean;
    carrier?: boolean;
    speedBytesPerSecond?: number;
    mtu?: number;
  };
  counters: InterfaceCounters;
  /** Undefined until the interface has been seen in two samples. */
  rates?: { rx: DirectionRates; tx: DirectionRates };
  /** Share of capacity in use (0..1) per direction; absent where no speed or --max-bandwidth is known. */
  utilization: { rx?: number; tx?: number };
}

/** The processor's rate gauges (processor-rate/metadata.yaml), by the field they fill. */
export const RATE_METRICS = {
  bytes: 'system.network.io.rate',
  packets: 'system.network.packet.count.rate',
  errors: 'system.network.errors.rate',
  drops: 'system.network.packet.dropped.rate',
} as const satisfies Record<keyof DirectionRates, string>;
export const UTILIZATION_METRIC = 'system.network.bandwidth.utilization';

const INTERFACE = 'network.interface.name';
const DIRECTION = 'network.io.direction';

type Direction = 'rx' | 'tx';
const DIRECTIONS: Record<string, Direction> = { receive: 'rx', transmit: 'tx' };
const FIELD_BY_METRIC = new Map<string, keyof DirectionRates>(
  Object.entries(RATE_METRICS).map(([field, metric]) => [metric, field as keyof DirectionRates]),
);

function upOf(operstate: string | undefined, carrier: boolean | undefined): boolean | undefined {
  if (operstate === undefined) return undefined;
  return operstate === 'up' || (operstate === 'unknown' && carrier === true);
}

interface Collected {
  rates: Partial<Record<Direction, Partial<DirectionRates>>>;
  utilization: { rx?: number; tx?: number };
}

type RateSource = Pick<PipelineSnapshot, 'rates' | 'forEachRate'>;

function forEachRate(snapshot: RateSource, fn: (metric: string, attributes: Attributes, value: number) => void, metrics?: ReadonlySet<string>): void {
  // Through forEachRate when the snapshot has it: `rates` builds an object per rate to be read once.
  if (snapshot.forEachRate) snapshot.forEachRate(fn, metrics);
  else for (const s of snapshot.rates) if (metrics === undefined || metrics.has(s.metric)) fn(s.metric, s.attributes, s.value);
}

/** The gauges the history keeps. */
const TRAFFIC_METRICS: ReadonlySet<string> = new Set([RATE_METRICS.bytes, RATE_METRICS.packets]);

function collect(snapshot: RateSource): Map<string, Collected> {
  const byName = new Map<string, Collected>();
  forEachRate(snapshot, (metric, attributes, value) => {
    const name = attributes[INTERFACE];
    const dir = DIRECTIONS[String(attributes[DIRECTION])];
    if (typeof name !== 'string' || dir === undefined) return;
    let c = byName.get(name);
    if (!c) byName.set(name, (c = { rates: {}, utilization: {} }));
    if (metric === UTILIZATION_METRIC) {
      c.utilization[dir] = value;
      return;
    }
    const field = FIELD_BY_METRIC.get(metric);
    if (field) (c.rates[dir] ??= {})[field] = value;
  });
  return byName;
}

/**
 * Calls `fn` with each interface's byte and packet rates per direction, `field` being their index
 * in the history ring's HISTORY_FIELDS (rxBytes, txBytes, rxPackets, txPackets), without building
 * views: what the live page records every sample, looked at or not.
 */
export function forEachTrafficRate(snapshot: RateSource, fn: (iface: string, field: number, value: number) => void): void {
  // Rates come in runs of one metric: its name is compared once per run, not once per rate.
  let metricSeen: string | undefined;
  let offset = -1;
  forEachRate(snapshot, (metric, attributes, value) => {
    if (metric !== metricSeen) {
      metricSeen = metric;
      offset = metric === RATE_METRICS.bytes ? 0 : metric === RATE_METRICS.packets ? 2 : -1;
    }
    if (offset < 0) return;
    const name = attributes[INTERFACE];
    if (typeof name !== 'string') return;
    const dir = attributes[DIRECTION];
    const field = dir === 'receive' ? 0 : dir === 'transmit' ? 1 : -1;
    if (field >= 0) fn(name, offset + field, value);
  }, TRAFFIC_METRICS);
}

function complete(r: Partial<DirectionRates> | undefined): DirectionRates | undefined {
  if (r?.bytes === undefined || r.packets === undefined || r.errors === undefined || r.drops === undefined) return undefined;
  return { bytes: r.bytes, packets: r.packets, errors: r.errors, drops: r.drops };
}

/**
 * One row per interface of a snapshot, in the receiver's order: what console, snapshot and the
 * top view show. Rates come from the unfolded series, so top-N folding never hides an interface here.
 */
export function interfaceViews(snapshot: Pick<PipelineSnapshot, 'sample' | 'rates' | 'forEachRate'>): InterfaceView[] {
  const collected = collect(snapshot);
  return snapshot.sample.interfaces.map((i) => {
    const c = collected.get(i.name);
    const rx = complete(c?.rates.rx);
    const tx = complete(c?.rates.tx);
    const link: InterfaceView['link'] = {};
    if (i.link.operstate !== undefined) link.operstate = i.link.operstate;
    const up = upOf(i.link.operstate, i.link.carrier);
    if (up !== undefined) link.up = up;
    if (i.link.carrier !== undefined) link.carrier = i.link.carrier;
    if (i.link.speedBytesPerSecond !== undefined) link.speedBytesPerSecond = i.link.speedBytesPerSecond;
    if (i.link.mtu !== undefined) link.mtu = i.link.mtu;
    const view: InterfaceView = { name: i.name, link, counters: i.counters, utilization: { ...c?.utilization } };
    if (rx && tx) view.rates = { rx, tx };
    return view;
  });
}

/** The n busiest by bytes/s in both directions, ties by name, as the processor ranks them; n = 0 keeps all. */
export function busiest(views: InterfaceView[], n: number): InterfaceView[] {
  if (n <= 0) return views;
  const score = (v: InterfaceView) => (v.rates ? v.rates.rx.bytes + v.rates.tx.bytes : -1);
  return [...views].sort((a, b) => score(b) - score(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, n);
}
