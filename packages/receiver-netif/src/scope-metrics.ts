import { ValueType } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, MetricData, MetricDescriptor, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricMetadata } from '@otel-netif/metadata';
import { ATTR_DIRECTION, ATTR_INTERFACE } from './metrics-plan.js';
import type { MetricsPlan } from './metrics-plan.js';
import type { NetifSample } from './types.js';

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
  return Object.freeze({ name: m.name, description: m.description, unit: m.unit, type, valueType: ValueType.INT });
}

/**
 * Builds ScopeMetrics by hand rather than through async instruments: the SDK cannot set a series'
 * start time (needed for resets) and keeps reporting vanished series forever under cumulative temporality.
 */
export class ScopeMetricsBuilder {
  private readonly descriptors: NetifMetricDescriptor[];

  constructor(
    private readonly plan: MetricsPlan,
    private readonly attributesFor: (name: string) => InterfaceAttributes,
  ) {
    this.descriptors = plan.metrics.map((m) =>
      m.kind === 'sum' ? descriptor(m.sum.metric, InstrumentType.OBSERVABLE_COUNTER) : descriptor(m.gauge.metric, InstrumentType.OBSERVABLE_GAUGE),
    );
  }

  build(sample: NetifSample): ScopeMetrics {
    const { interfaces, time } = sample;
    const attrs = interfaces.map((i) => this.attributesFor(i.name));
    const metrics: MetricData[] = [];
    this.plan.metrics.forEach((m, mi) => {
      const desc = this.descriptors[mi]!;
      const dataPoints: DataPoint<number>[] = [];
      if (m.kind === 'sum') {
        const dirs = m.sum.directions;
        for (let i = 0; i < interfaces.length; i++) {
          const iface = interfaces[i]!;
          const byDirection = attrs[i]!.byDirection;
          for (const d of dirs) {
            dataPoints.push({ startTime: iface.startTime, endTime: time, attributes: byDirection[d.index]!, value: iface.counters[d.counter] });
          }
        }
        if (dataPoints.length > 0) {
          metrics.push({
            descriptor: desc,
            dataPointType: DataPointType.SUM,
            isMonotonic: m.sum.metric.monotonic,
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPoints,
          });
        }
      } else {
        for (let i = 0; i < interfaces.length; i++) {
          const iface = interfaces[i]!;
          const value = m.gauge.value(iface.link);
          if (value !== undefined) dataPoints.push({ startTime: iface.startTime, endTime: time, attributes: attrs[i]!.name, value });
        }
        if (dataPoints.length > 0) {
          metrics.push({ descriptor: desc, dataPointType: DataPointType.GAUGE, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPoints });
        }
      }
    });
    return { scope: { name: this.plan.scope.name, version: this.plan.scope.version }, metrics };
  }
}
