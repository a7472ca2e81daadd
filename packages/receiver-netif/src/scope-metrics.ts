import { DATA_POINT_GAUGE, DATA_POINT_SUM, INSTRUMENT_OBSERVABLE_COUNTER, INSTRUMENT_OBSERVABLE_GAUGE, RoundValues, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';
import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { GaugeMetricData, MetricData, MetricDescriptor, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
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

type GaugeBuild = { kind: 'gauge'; descriptor: NetifMetricDescriptor; value: (link: LinkInfo) => number | undefined };

/** `directionsKey`: sums reading the same directions in the same order share one layout. */
type MetricBuild = { kind: 'sum'; descriptor: NetifMetricDescriptor; monotonic: boolean; columns: SumColumn[]; directionsKey: string } | GaugeBuild;

/** Which series each point of a metric is, and since when: the columns that rarely change. */
interface Layout {
  attributes: Attributes[];
  startTimes: HrTime[];
}

const NAME_LAYOUT = 'name';

/**
 * Builds ScopeMetrics by hand rather than through async instruments: the SDK cannot set a series'
 * start time (needed for resets) and keeps reporting vanished series forever under cumulative temporality.
 */
export class ScopeMetricsBuilder {
  private readonly metrics: MetricBuild[];
  private readonly layouts = new Map<string, Layout>();
  /** The values of a build are valid until the build after next (see RoundValues). */
  private readonly values = new RoundValues('receiver-netif');

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
            directionsKey: `sum:${m.sum.directions.map((d) => d.index).join(',')}`,
          }
        : { kind: 'gauge', descriptor: descriptor(m.gauge.metric, INSTRUMENT_OBSERVABLE_GAUGE), value: m.gauge.value },
    );
  }

  build(sample: NetifSample): ScopeMetrics {
    const { interfaces, time } = sample;
    const n = interfaces.length;
    const attrs: InterfaceAttributes[] = new Array<InterfaceAttributes>(n);
    const starts: HrTime[] = new Array<HrTime>(n);
    for (let i = 0; i < n; i++) {
      const iface = interfaces[i] as InterfaceSample;
      attrs[i] = this.attributesFor(iface.name);
      starts[i] = iface.startTime;
    }
    const metrics: MetricData[] = [];
    const round = this.values.begin();
    for (let slot = 0; slot < this.metrics.length; slot++) {
      const m = this.metrics[slot] as MetricBuild;
      if (m.kind === 'sum') {
        const columns = m.columns;
        const width = columns.length;
        const values = this.values.take(slot, n * width);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const counters = (interfaces[i] as InterfaceSample).counters;
          for (let c = 0; c < width; c++) values[k++] = (columns[c] as SumColumn).get(counters);
        }
        if (k === 0) continue;
        const layout = this.sumLayout(m.directionsKey, columns, attrs, starts);
        metrics.push(
          withColumns<SumMetricData>(
            { descriptor: m.descriptor, dataPointType: DATA_POINT_SUM, isMonotonic: m.monotonic, aggregationTemporality: TEMPORALITY_CUMULATIVE },
            this.values.guard({ length: k, attributes: layout.attributes, startTimes: layout.startTimes, startTime: layout.startTimes[0] ?? time, endTime: time }, round, values),
          ),
        );
      } else {
        const values = this.values.take(slot, n);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const value = m.value((interfaces[i] as InterfaceSample).link);
          if (value !== undefined) values[k++] = value;
        }
        if (k === 0) continue;
        // Usually every interface has the value: then the points line up with the interfaces.
        const layout = k === n ? this.nameLayout(attrs, starts) : this.gaugeSubset(m, interfaces, attrs, k);
        metrics.push(
          withColumns<GaugeMetricData>(
            { descriptor: m.descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE },
            this.values.guard({ length: k, attributes: layout.attributes, startTimes: layout.startTimes, startTime: layout.startTimes[0] ?? time, endTime: time }, round, k === n ? values : values.subarray(0, k)),
          ),
        );
      }
    }
    return { scope: { name: this.plan.scope.name, version: this.plan.scope.version }, metrics };
  }

  /**
   * Attributes and start times of a sum's points (interface by interface, direction by direction):
   * the arrays of the previous sample when they hold the same objects, which they do until an
   * interface comes, goes or resets. Shared by every sum with the same directions, and across
   * snapshots: nothing writes into an array once it is published.
   */
  private sumLayout(key: string, columns: readonly SumColumn[], attrs: readonly InterfaceAttributes[], starts: readonly HrTime[]): Layout {
    const width = columns.length;
    const last = this.layouts.get(key);
    if (last !== undefined && last.attributes.length === attrs.length * width) {
      let same = true;
      for (let i = 0, k = 0; same && i < attrs.length; i++) {
        const byDirection = (attrs[i] as InterfaceAttributes).byDirection;
        for (let c = 0; c < width; c++, k++) {
          if (last.attributes[k] !== byDirection[(columns[c] as SumColumn).direction] || last.startTimes[k] !== starts[i]) {
            same = false;
            break;
          }
        }
      }
      if (same) return last;
    }
    const n = attrs.length * width;
    const layout: Layout = { attributes: new Array<Attributes>(n), startTimes: new Array<HrTime>(n) };
    for (let i = 0, k = 0; i < attrs.length; i++) {
      const byDirection = (attrs[i] as InterfaceAttributes).byDirection;
      for (let c = 0; c < width; c++, k++) {
        layout.attributes[k] = byDirection[(columns[c] as SumColumn).direction] as Attributes;
        layout.startTimes[k] = starts[i] as HrTime;
      }
    }
    this.layouts.set(key, layout);
    return layout;
  }

  /** The gauges' layout when every interface has a value: one point per interface. */
  private nameLayout(attrs: readonly InterfaceAttributes[], starts: readonly HrTime[]): Layout {
    const last = this.layouts.get(NAME_LAYOUT);
    if (last !== undefined && last.attributes.length === attrs.length) {
      let same = true;
      for (let i = 0; i < attrs.length; i++) {
        if (last.attributes[i] !== (attrs[i] as InterfaceAttributes).name || last.startTimes[i] !== starts[i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    const layout: Layout = { attributes: attrs.map((a) => a.name), startTimes: starts.slice() };
    this.layouts.set(NAME_LAYOUT, layout);
    return layout;
  }

  /** A gauge some interfaces have no value for (speed of a virtual link): built for this sample only. */
  private gaugeSubset(m: GaugeBuild, interfaces: readonly InterfaceSample[], attrs: readonly InterfaceAttributes[], k: number): Layout {
    const layout: Layout = { attributes: new Array<Attributes>(k), startTimes: new Array<HrTime>(k) };
    for (let i = 0, j = 0; i < interfaces.length; i++) {
      const iface = interfaces[i] as InterfaceSample;
      if (m.value(iface.link) === undefined) continue;
      layout.attributes[j] = (attrs[i] as InterfaceAttributes).name;
      layout.startTimes[j++] = iface.startTime;
    }
    return layout;
  }
}
