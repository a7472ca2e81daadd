// Hand-built snapshots: exact inputs for exact expected text, without a receiver in the way.
import type { Attributes, HrTime } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { GaugeMetricData, MetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import type { PipelineSnapshot } from '../../src/pipeline/pipeline.js';

export const START: HrTime = [1_600_000_000, 250_000_000];
export const END: HrTime = [1_600_000_100, 0];

export type Point = [Attributes, number];

export function sumMetric(name: string, unit: string, description: string, points: Point[], monotonic = true): SumMetricData {
  return {
    descriptor: { name, description, unit, valueType: ValueType.INT },
    dataPointType: DataPointType.SUM,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    isMonotonic: monotonic,
    dataPoints: points.map(([attributes, value]) => ({ attributes, value, startTime: START, endTime: END })),
  };
}

export function gaugeMetric(name: string, unit: string, description: string, points: Point[], valueType = ValueType.DOUBLE): GaugeMetricData {
  return {
    descriptor: { name, description, unit, valueType },
    dataPointType: DataPointType.GAUGE,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPoints: points.map(([attributes, value]) => ({ attributes, value, startTime: START, endTime: END })),
  };
}

export function scope(name: string, ...metrics: MetricData[]): ScopeMetrics {
  return { scope: { name, version: '0.1.0' }, metrics };
}

export function snapshotOf(seq: number, scopeMetrics: ScopeMetrics[], resource: Attributes = { 'service.name': 'otel-netif' }): PipelineSnapshot {
  return {
    seq,
    sample: { time: END, monotonicMs: 0, interfaces: [], problems: [] },
    resource: resourceFromAttributes(resource),
    scopeMetrics,
    rates: [],
    sampleDurationMs: 0.1,
  };
}

export const io = (iface: string, dir: 'receive' | 'transmit'): Attributes => ({ 'network.interface.name': iface, 'network.io.direction': dir });

/** What the receiver and the rate processor emit, in miniature (names and units from their metadata.yaml). */
export function netifScopes(ifaces: string[] = ['eth0']): ScopeMetrics[] {
  const both = (f: (i: string, d: 'receive' | 'transmit', n: number) => number) =>
    ifaces.flatMap((i, n): Point[] => [[io(i, 'receive'), f(i, 'receive', n)], [io(i, 'transmit'), f(i, 'transmit', n)]]);
  const per = (f: (n: number) => number) => ifaces.map((i, n): Point => [{ 'network.interface.name': i }, f(n)]);
  return [
    scope(
      '@otel-netif/receiver-netif',
      sumMetric('system.network.io', 'By', 'Bytes received or transmitted.', both((_i, d, n) => (d === 'receive' ? 98765432109 : 12345678901) + n)),
      sumMetric('system.network.packet.count', '{packet}', 'Packets received or transmitted.', both((_i, d, n) => (d === 'receive' ? 1000 : 2000) + n)),
      gaugeMetric('system.network.interface.up', '', 'Operationally up.', per(() => 1), ValueType.INT),
      gaugeMetric('system.network.interface.speed', 'By/s', 'Link speed.', per(() => 125_000_000), ValueType.INT),
    ),
    scope(
      '@otel-netif/processor-rate',
      gaugeMetric('system.network.io.rate', 'By/s', 'Bytes per second.', both((_i, d) => (d === 'receive' ? 1250.5 : 0))),
      gaugeMetric('system.network.packet.count.rate', '{packet}/s', 'Packets per second.', both(() => 3)),
      gaugeMetric('system.network.bandwidth.utilization', '1', 'Share of the link in use.', both(() => 0.00001)),
    ),
  ];
}

/** Stands in for Pipeline where only latest() and isReady() are read. */
export class StubPipeline {
  current: PipelineSnapshot | undefined;
  failing = false;
  private seq = 0;

  latest(): PipelineSnapshot | undefined {
    return this.current;
  }

  isReady(): boolean {
    return this.current !== undefined && !this.failing;
  }

  publish(scopeMetrics: ScopeMetrics[] = netifScopes(), resource?: Attributes): PipelineSnapshot {
    this.current = snapshotOf(++this.seq, scopeMetrics, resource);
    return this.current;
  }
}
