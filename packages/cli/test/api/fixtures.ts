import type { InterfaceCounters, InterfaceSample, LinkInfo } from '@otel-netif/receiver-netif';
import type { RateSeries } from '@otel-netif/processor-rate';
import type { LiveInterface } from '../../src/api/model.js';
import type { PipelineSnapshot } from '../../src/pipeline/pipeline.js';
import { RATE_METRICS, UTILIZATION_METRIC } from '../../src/pipeline/views.js';

export type FakeSnapshot = Pick<PipelineSnapshot, 'seq' | 'sample' | 'rates'>;

export interface Dir {
  bytes: number;
  packets: number;
  errors?: number;
  drops?: number;
}

export interface FakeInterface {
  name: string;
  counters?: Partial<InterfaceCounters>;
  link?: LinkInfo;
  rx?: Dir;
  tx?: Dir;
  util?: { rx?: number; tx?: number };
}

export function counters(c: Partial<InterfaceCounters> = {}): InterfaceCounters {
  return {
    rxBytes: 0, rxPackets: 0, rxErrs: 0, rxDrop: 0, rxFifo: 0, rxFrame: 0, rxCompressed: 0, rxMulticast: 0,
    txBytes: 0, txPackets: 0, txErrs: 0, txDrop: 0, txFifo: 0, txColls: 0, txCarrier: 0, txCompressed: 0,
    ...c,
  };
}

/** A pipeline snapshot as the receiver and processor would produce it (rates as RateSeries). */
export function fakeSnapshot(seq: number, timeMs: number, ifaces: FakeInterface[], monotonicMs = timeMs): FakeSnapshot {
  const rates: RateSeries[] = [];
  const interfaces: InterfaceSample[] = ifaces.map((i) => {
    for (const [direction, d] of [['receive', i.rx], ['transmit', i.tx]] as const) {
      if (!d) continue;
      const attributes = { 'network.interface.name': i.name, 'network.io.direction': direction };
      rates.push({ metric: RATE_METRICS.bytes, attributes, value: d.bytes });
      rates.push({ metric: RATE_METRICS.packets, attributes, value: d.packets });
      rates.push({ metric: RATE_METRICS.errors, attributes, value: d.errors ?? 0 });
      rates.push({ metric: RATE_METRICS.drops, attributes, value: d.drops ?? 0 });
    }
    for (const [direction, u] of [['receive', i.util?.rx], ['transmit', i.util?.tx]] as const) {
      if (u !== undefined) rates.push({ metric: UTILIZATION_METRIC, attributes: { 'network.interface.name': i.name, 'network.io.direction': direction }, value: u });
    }
    return { name: i.name, counters: counters(i.counters), link: i.link ?? { operstate: 'up', carrier: true }, startTime: [0, 0] };
  });
  return {
    seq,
    sample: { time: [Math.floor(timeMs / 1000), (timeMs % 1000) * 1e6], monotonicMs, interfaces, problems: [] },
    rates,
  };
}

/** A LiveInterface for renderer tests; rates default to unknown. */
export function liveInterface(name: string, over: Partial<Omit<LiveInterface, 'rates'>> & { rates?: Partial<LiveInterface['rates']> } = {}): LiveInterface {
  const { rates, ...rest } = over;
  return {
    name,
    operstate: 'up',
    up: true,
    carrier: true,
    speedBytesPerSecond: null,
    mtu: 1500,
    utilization: { rx: null, tx: null },
    counters: counters(),
    sinceStart: { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0, since: '2024-01-01T00:00:00.000Z' },
    ...rest,
    rates: { rxBytes: null, txBytes: null, rxPackets: null, txPackets: null, rxErrors: null, txErrors: null, rxDrops: null, txDrops: null, ...rates },
  };
}
