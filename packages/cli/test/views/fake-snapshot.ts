import type { InterfaceCounters, InterfaceSample, NetifSample } from '@otel-netif/receiver-netif';
import type { RateSeries } from '@otel-netif/processor-rate';
import type { PipelineSnapshot } from '../../src/pipeline/pipeline.js';

export function counters(partial: Partial<InterfaceCounters> = {}): InterfaceCounters {
  return {
    rxBytes: 0, rxPackets: 0, rxErrs: 0, rxDrop: 0, rxFifo: 0, rxFrame: 0, rxCompressed: 0, rxMulticast: 0,
    txBytes: 0, txPackets: 0, txErrs: 0, txDrop: 0, txFifo: 0, txColls: 0, txCarrier: 0, txCompressed: 0,
    ...partial,
  };
}

export function iface(name: string, link: InterfaceSample['link'] = { operstate: 'up', carrier: true }, c: Partial<InterfaceCounters> = {}): InterfaceSample {
  return { name, counters: counters(c), link, startTime: [1_700_000_000, 0] };
}

export interface Rates {
  rx: [bytes: number, packets: number, errors: number, drops: number];
  tx: [bytes: number, packets: number, errors: number, drops: number];
  util?: { rx?: number; tx?: number };
}

/** The processor's unfolded series for one interface, as its metadata.yaml names them. */
export function rateSeries(name: string, r: Rates): RateSeries[] {
  const metrics = ['system.network.io.rate', 'system.network.packet.count.rate', 'system.network.errors.rate', 'system.network.packet.dropped.rate'];
  const out: RateSeries[] = [];
  for (const [dir, values] of [['receive', r.rx], ['transmit', r.tx]] as const) {
    metrics.forEach((metric, i) => out.push({ metric, attributes: { 'network.interface.name': name, 'network.io.direction': dir }, value: values[i] ?? NaN }));
  }
  for (const [dir, key] of [['receive', 'rx'], ['transmit', 'tx']] as const) {
    const u = r.util?.[key];
    if (u !== undefined) out.push({ metric: 'system.network.bandwidth.utilization', attributes: { 'network.interface.name': name, 'network.io.direction': dir }, value: u });
  }
  return out;
}

export function snapshot(interfaces: InterfaceSample[], rates: RateSeries[], seq = 2, monotonicMs = 10_000): PipelineSnapshot {
  const sample: NetifSample = { time: [1_700_000_000, 500_000_000], monotonicMs, interfaces, problems: [] };
  return { seq, sample, rates, resource: undefined as never, scopeMetrics: [], sampleDurationMs: 1 };
}
