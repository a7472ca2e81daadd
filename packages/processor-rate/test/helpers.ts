import type { Attributes, HrTime } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, GaugeMetricData, MetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import type { RateResult } from '@otel-netif/processor-rate';

/** An arbitrary wall-clock origin far from "now", so a test passes only if the points' own times are used. */
export const T0_SECONDS = 1_600_000_000;

/** T0 + `seconds`, exact to the nanosecond for values written with up to 9 decimals. */
export function at(seconds: number, nanos = 0): HrTime {
  const whole = Math.floor(seconds);
  return [T0_SECONDS + whole, Math.round((seconds - whole) * 1e9) + nanos];
}

export const START: HrTime = [T0_SECONDS - 100, 0];

export interface Pt {
  attributes: Attributes;
  value: number;
  end: HrTime;
  start?: HrTime;
}

function point(p: Pt): DataPoint<number> {
  return { attributes: p.attributes, startTime: p.start ?? START, endTime: p.end, value: p.value };
}

export function sum(
  name: string,
  points: Pt[],
  opts: { unit?: string; monotonic?: boolean; temporality?: AggregationTemporality } = {},
): SumMetricData {
  return {
    descriptor: { name, description: `test ${name}`, unit: opts.unit ?? 'By', valueType: ValueType.INT },
    dataPointType: DataPointType.SUM,
    aggregationTemporality: opts.temporality ?? AggregationTemporality.CUMULATIVE,
    isMonotonic: opts.monotonic ?? true,
    dataPoints: points.map(point),
  };
}

export function gauge(name: string, points: Pt[], unit = 'By/s'): GaugeMetricData {
  return {
    descriptor: { name, description: `test ${name}`, unit, valueType: ValueType.INT },
    dataPointType: DataPointType.GAUGE,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints: points.map(point),
  };
}

export function scopes(...metrics: MetricData[]): ScopeMetrics[] {
  return [{ scope: { name: '@otel-netif/receiver-netif', version: '0.1.0' }, metrics }];
}

export const IF = 'network.interface.name';
export const DIR = 'network.io.direction';

export function netAttrs(iface: string, direction: 'receive' | 'transmit'): Attributes {
  return { [IF]: iface, [DIR]: direction };
}

export interface IfaceCounters {
  rx: number;
  tx: number;
  rxPackets?: number;
  txPackets?: number;
}

/**
 * One receiver round at T0 + t: system.network.io (and packet.count when given) for each
 * interface, plus system.network.interface.speed for those in `speeds`.
 */
export function netRound(
  t: number,
  ifaces: Record<string, IfaceCounters>,
  opts: { speeds?: Record<string, number>; start?: HrTime } = {},
): ScopeMetrics[] {
  const end = at(t);
  const io: Pt[] = [];
  const packets: Pt[] = [];
  for (const [name, c] of Object.entries(ifaces)) {
    io.push({ attributes: netAttrs(name, 'receive'), value: c.rx, end, start: opts.start });
    io.push({ attributes: netAttrs(name, 'transmit'), value: c.tx, end, start: opts.start });
    if (c.rxPackets !== undefined) packets.push({ attributes: netAttrs(name, 'receive'), value: c.rxPackets, end, start: opts.start });
    if (c.txPackets !== undefined) packets.push({ attributes: netAttrs(name, 'transmit'), value: c.txPackets, end, start: opts.start });
  }
  const metrics: MetricData[] = [sum('system.network.io', io)];
  if (packets.length > 0) metrics.push(sum('system.network.packet.count', packets, { unit: '{packet}' }));
  const speeds = Object.entries(opts.speeds ?? {}).map(([name, value]) => ({ attributes: { [IF]: name }, value, end }));
  if (speeds.length > 0) metrics.push(gauge('system.network.interface.speed', speeds));
  return scopes(...metrics);
}

/** The output metric with this name, or undefined. */
export function metric(result: RateResult, name: string): GaugeMetricData | undefined {
  const m = result.scopeMetrics.metrics.find((x) => x.descriptor.name === name);
  if (m && m.dataPointType !== DataPointType.GAUGE) throw new Error(`${name} is not a gauge`);
  return m;
}

/** Exported values of one metric as "iface/direction" → value (or JSON of the attributes when not netif). */
export function values(result: RateResult, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of metric(result, name)?.dataPoints ?? []) {
    const a = p.attributes;
    const key = IF in a && DIR in a ? `${String(a[IF])}/${String(a[DIR])}` : JSON.stringify(a);
    if (key in out) throw new Error(`duplicate point ${key} in ${name}`);
    out[key] = p.value;
  }
  return out;
}

/** Unfolded `series` values of one metric, keyed like values(). */
export function seriesValues(result: RateResult, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of result.series) {
    if (s.metric !== name) continue;
    const a = s.attributes;
    const key = IF in a && DIR in a ? `${String(a[IF])}/${String(a[DIR])}` : JSON.stringify(a);
    if (key in out) throw new Error(`duplicate series ${key} in ${name}`);
    out[key] = s.value;
  }
  return out;
}
