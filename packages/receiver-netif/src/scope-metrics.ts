import { DATA_POINT_GAUGE, DATA_POINT_SUM, INSTRUMENT_OBSERVABLE_COUNTER, INSTRUMENT_OBSERVABLE_GAUGE, TEMPORALITY_CUMULATIVE, VALUE_INT } from '@otel-netif/metadata';
import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, MetricData, MetricDescriptor, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricMetadata } from '@otel-netif/metadata';
import { ATTR_DIRECTION, ATTR_INTERFACE } from './metrics-plan.js';
import type { MetricsPlan } from './metrics-plan.js';
import type { InterfaceCounters, InterfaceSample, LinkInfo, NetifSample } from './types.js';

/** Attribute sets of one interface, built once and shared by every point and sample (frozen for that reason). */
export interface InterfaceAttributes {
  name: Attributes;
  /** Indexed like MetricsPlan.directions. */
  byDirection: Attributes[];
}

export function interfaceAttributes(name: string, directions: string[]): InterfaceAttributes {
  return {
    name: Object.freeze({ [ATTR_INTERFACE]: name }),
    byDirection: directions.map((d) => Object.freeze({ [ATTR_INTERFACE]: name, [ATTR_DIRECTION]: d })),
  };
}

// The SDK's own collected MetricData carries the instrument type in the descriptor (its
// InstrumentDescriptor); keep it so consumers that look at it see what an async instrument would give.
interface NetifMetricDescriptor extends MetricDescriptor {
  readonly type: InstrumentType;
}

function descriptor(m: MetricMetadata, type: InstrumentType): NetifMetricDescriptor {
  return Object.freeze({ name: m.name, description: m.description, unit: m.unit, type, valueType: VALUE_INT });
}

// One monomorphic accessor per counter: `counters[key]` with a key that varies per metric is a
// megamorphic keyed load, and it ran for every point of every sample.
const COUNTER_GETTERS: { readonly [K in keyof InterfaceCounters]: (c: InterfaceCounters) => number } = {
  rxBytes: (c) => c.rxBytes,
  rxPackets: (c) => c.rxPackets,
  rxErrs: (c) => c.rxErrs,
  rxDrop: (c) => c.rxDrop,
  rxFifo: (c) => c.rxFifo,
  rxFrame: (c) => c.rxFrame,
  rxCompressed: (c) => c.rxCompressed,
  rxMulticast: (c) => c.rxMulticast,
  txBytes: (c) => c.txBytes,
  txPackets: (c) => c.txPackets,
  txErrs: (c) => c.txErrs,
  txDrop: (c) => c.txDrop,
  txFifo: (c) => c.txFifo,
  txColls: (c) => c.txColls,
  txCarrier: (c) => c.txCarrier,
  txCompressed: (c) => c.txCompressed,
};

interface SumColumn {
  /** Index into InterfaceAttributes.byDirection. */
  direction: number;
  get: (c: InterfaceCounters) => number;
}

type MetricBuild =
  | { kind: 'sum'; descriptor: NetifMetricDescriptor; monotonic: boolean; columns: SumColumn[] }
  | { kind: 'gauge'; descriptor: NetifMetricDescriptor; value: (link: LinkInfo) => number | undefined };

/**
 * Builds ScopeMetrics by hand rather than through async instruments: the SDK cannot set a series'
 * start time (needed for resets) and keeps reporting vanished series forever under cumulative temporality.
 */
export class ScopeMetricsBuilder {
  private readonly metrics: MetricBuild[];

  constructor(
    private readonly plan: MetricsPlan,
    private readonly attributesFor: (name: string) => InterfaceAttributes,
  ) {
    this.metrics = plan.metrics.map((m): MetricBuild =>
      m.kind === 'sum'
        ? {
            kind: 'sum',
            descriptor: descriptor(m.sum.metric, INSTRUMENT_OBSERVABLE_COUNTER),
            monotonic: m.sum.metric.monotonic,
            columns: m.sum.directions.map((d) => ({ direction: d.index, get: COUNTER_GETTERS[d.counter] })),
          }
        : { kind: 'gauge', descriptor: descriptor(m.gauge.metric, INSTRUMENT_OBSERVABLE_GAUGE), value: m.gauge.value },
    );
  }

  build(sample: NetifSample): ScopeMetrics {
    const { interfaces, time } = sample;
    const n = interfaces.length;
    const attrs: InterfaceAttributes[] = new Array<InterfaceAttributes>(n);
    for (let i = 0; i < n; i++) attrs[i] = this.attributesFor((interfaces[i] as InterfaceSample).name);
    const metrics: MetricData[] = [];
    // Arrays are sized up front and filled by index: growing them point by point allocated, and
    // threw away, about as much again as the points themselves.
    for (const m of this.metrics) {
      if (m.kind === 'sum') {
        const columns = m.columns;
        const dataPoints = new Array<DataPoint<number>>(n * columns.length);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const iface = interfaces[i] as InterfaceSample;
          const byDirection = (attrs[i] as InterfaceAttributes).byDirection;
          for (let c = 0; c < columns.length; c++) {
            const column = columns[c] as SumColumn;
            dataPoints[k++] = { startTime: iface.startTime, endTime: time, attributes: byDirection[column.direction] as Attributes, value: column.get(iface.counters) };
          }
        }
        if (dataPoints.length > 0) {
          metrics.push({
            descriptor: m.descriptor,
            dataPointType: DATA_POINT_SUM,
            isMonotonic: m.monotonic,
            aggregationTemporality: TEMPORALITY_CUMULATIVE,
            dataPoints,
          });
        }
      } else {
        const dataPoints = new Array<DataPoint<number>>(n);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const iface = interfaces[i] as InterfaceSample;
          const value = m.value(iface.link);
          if (value !== undefined) dataPoints[k++] = { startTime: iface.startTime, endTime: time, attributes: (attrs[i] as InterfaceAttributes).name, value };
        }
        dataPoints.length = k;
        if (dataPoints.length > 0) {
          metrics.push({ descriptor: m.descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPoints });
        }
      }
    }
    return { scope: { name: this.plan.scope.name, version: this.plan.scope.version }, metrics };
  }
}
