import { DATA_POINT_GAUGE, DATA_POINT_SUM, INSTRUMENT_OBSERVABLE_COUNTER, INSTRUMENT_OBSERVABLE_GAUGE, publishArray, RoundValues, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';
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

/** `subsetKey`: the layout key of its points when some interfaces have no value. */
type GaugeBuild = { kind: 'gauge'; slot: number; descriptor: NetifMetricDescriptor; value: (link: LinkInfo) => number | undefined; subsetKey: string };

/** `directionsKey`: sums reading the same directions in the same order share one layout. */
type SumBuild = { kind: 'sum'; slot: number; descriptor: NetifMetricDescriptor; monotonic: boolean; columns: SumColumn[]; directionsKey: string };
type MetricBuild = SumBuild | GaugeBuild;

/** Which series each point of a metric is, and since when: the columns that rarely change. */
interface Layout {
  attributes: Attributes[];
  startTimes: HrTime[];
  /** The receiver's layout version it was made or checked for (see SampleLayout); undefined: unknown. */
  version: number | undefined;
  /** For a gauge some interfaces have no value for: which interfaces have one. */
  picked?: Int32Array;
}

/**
 * What the receiver knows of a sample's interfaces: each one's attribute sets, and a version that
 * changes whenever the interfaces, their order or their start times differ from the sample before.
 * Layouts made for the same version are reused without comparing them interface by interface.
 */
export interface SampleLayout {
  attrs: readonly InterfaceAttributes[];
  /** Each interface's start time, by position like attrs. */
  starts: readonly HrTime[];
  version: number;
}

const NAME_LAYOUT = 'name';

/** The samples a value set was filled from, in the arrays it was filled into. */
interface FilledValues {
  interfaces: readonly InterfaceSample[];
  version: number | undefined;
  buffers: ArrayBufferLike[];
  gaugeCounts: Int32Array;
}

function sameBuffers(buffers: readonly ArrayBufferLike[], sums: readonly Float64Array[], gauges: readonly Float64Array[]): boolean {
  if (buffers.length !== sums.length + gauges.length) return false;
  for (let i = 0; i < sums.length; i++) if (buffers[i] !== (sums[i] as Float64Array).buffer) return false;
  for (let i = 0; i < gauges.length; i++) if (buffers[sums.length + i] !== (gauges[i] as Float64Array).buffer) return false;
  return true;
}

/**
 * A layout is published before it is handed out: nothing writes into it (or the attributes and start
 * times in it) after, and consumers are told so (the rate processor takes the same published arrays
 * as last round's series in the same places, without comparing them point by point).
 */
function published(layout: Layout): Layout {
  publishArray(layout.attributes);
  publishArray(layout.startTimes);
  return layout;
}

/**
 * Builds ScopeMetrics by hand rather than through async instruments: the SDK cannot set a series'
 * start time (needed for resets) and keeps reporting vanished series forever under cumulative temporality.
 */
export class ScopeMetricsBuilder {
  private readonly metrics: MetricBuild[];
  private readonly layouts = new Map<string, Layout>();
  /** The values of a build are valid until the build after next (see RoundValues). */
  private readonly values = new RoundValues('receiver-netif');
  /** Which interfaces each gauge has values for, in order: by value set (see RoundValues), then metric slot. */
  private readonly picked: Int32Array[][] = [];
  /** What filled each value set (RoundValues alternates between two), for the round that refills it. */
  private readonly filled: (FilledValues | undefined)[] = [];
  private readonly sums: SumBuild[];
  private readonly gauges: GaugeBuild[];

  constructor(
    private readonly plan: MetricsPlan,
    private readonly attributesFor: (name: string) => InterfaceAttributes,
  ) {
    this.metrics = plan.metrics.map((m, slot): MetricBuild =>
      m.kind === 'sum'
        ? {
            kind: 'sum',
            slot,
            descriptor: descriptor(m.sum.metric, INSTRUMENT_OBSERVABLE_COUNTER),
            monotonic: m.sum.metric.monotonic,
            columns: m.sum.directions.map((d) => ({ direction: d.index, get: COUNTER_GETTERS[d.counter] })),
            directionsKey: `sum:${m.sum.directions.map((d) => d.index).join(',')}`,
          }
        : { kind: 'gauge', slot, descriptor: descriptor(m.gauge.metric, INSTRUMENT_OBSERVABLE_GAUGE), value: m.gauge.value, subsetKey: `gauge:${m.gauge.metric.name}` },
    );
    this.sums = this.metrics.filter((m): m is SumBuild => m.kind === 'sum');
    this.gauges = this.metrics.filter((m): m is GaugeBuild => m.kind === 'gauge');
  }

  /**
   * The sample as ScopeMetrics. `known`: the receiver's layout of this sample (attribute sets and
   * version); without it the attribute sets are looked up by name and the layouts compared.
   */
  build(sample: NetifSample, known?: SampleLayout): ScopeMetrics {
    const { interfaces, time } = sample;
    const n = interfaces.length;
    const attrs = known?.attrs ?? interfaces.map((iface) => this.attributesFor(iface.name));
    const version = known?.version;
    const round = this.values.begin();
    const { sums, gauges } = this;
    const sumValues = sums.map((m) => this.values.take(m.slot, n * m.columns.length));
    const gaugeValues = gauges.map((m) => this.values.take(m.slot, n));
    // The arrays this round refills hold the values of the round before last: an interface whose
    // sample is the same object as then (nothing changed: an idle link) already has its values there.
    const picked = gauges.map((m) => this.pickedFor(round & 1, m.slot, n));
    const filled = this.filled[round & 1];
    const before = filled !== undefined && version !== undefined && filled.version === version && sameBuffers(filled.buffers, sumValues, gaugeValues) ? filled.interfaces : undefined;
    let linksSame = before !== undefined;
    // Interface by interface, every metric's values at once: each interface's objects are read
    // once per sample rather than once per metric (thousands of them, scattered over the heap).
    for (let i = 0; i < n; i++) {
      const iface = interfaces[i] as InterfaceSample;
      if (before !== undefined) {
        const then = before[i] as InterfaceSample;
        if (then === iface) continue;
        if (then.link !== iface.link) linksSame = false;
      }
      const counters = iface.counters;
      for (let j = 0; j < sums.length; j++) {
        const { columns } = sums[j] as SumBuild;
        const values = sumValues[j] as Float64Array;
        const width = columns.length;
        for (let c = 0, k = i * width; c < width; c++, k++) values[k] = (columns[c] as SumColumn).get(counters);
      }
    }
    // Link gauges: only when a link changed since the round before last (they change seldom).
    let gaugeCounts: Int32Array;
    if (linksSame && filled !== undefined) {
      gaugeCounts = filled.gaugeCounts;
    } else {
      gaugeCounts = new Int32Array(gauges.length);
      for (let i = 0; i < n; i++) {
        const link = (interfaces[i] as InterfaceSample).link;
        for (let j = 0; j < gauges.length; j++) {
          const value = (gauges[j] as GaugeBuild).value(link);
          if (value === undefined) continue;
          const k = gaugeCounts[j] as number;
          (picked[j] as Int32Array)[k] = i;
          (gaugeValues[j] as Float64Array)[k] = value;
          gaugeCounts[j] = k + 1;
        }
      }
    }
    this.filled[round & 1] = { interfaces, version, buffers: [...sumValues, ...gaugeValues].map((v) => v.buffer), gaugeCounts };

    const metrics: MetricData[] = [];
    let starts: readonly HrTime[] | undefined;
    const startsOf = (): readonly HrTime[] => (starts ??= known?.starts ?? interfaces.map((iface) => iface.startTime));
    for (const m of this.metrics) {
      if (m.kind === 'sum') {
        const j = sums.indexOf(m);
        const values = sumValues[j] as Float64Array;
        if (values.length === 0) continue;
        const layout = this.sumLayout(m.directionsKey, m.columns, attrs, startsOf, version);
        metrics.push(
          withColumns<SumMetricData>(
            { descriptor: m.descriptor, dataPointType: DATA_POINT_SUM, isMonotonic: m.monotonic, aggregationTemporality: TEMPORALITY_CUMULATIVE },
            this.values.guard({ length: values.length, attributes: layout.attributes, startTimes: layout.startTimes, startTime: layout.startTimes[0] ?? time, endTime: time }, round, values),
          ),
        );
      } else {
        const j = gauges.indexOf(m);
        const k = gaugeCounts[j] as number;
        if (k === 0) continue;
        const values = gaugeValues[j] as Float64Array;
        const layout = this.gaugeLayout(k === n ? NAME_LAYOUT : m.subsetKey, picked[j] as Int32Array, k, attrs, startsOf, version);
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

  /** Which interfaces gauge `slot` has values for, in the arrays of value set `set` (a subset layout keeps a copy). */
  private pickedFor(set: number, slot: number, n: number): Int32Array {
    const picked = (this.picked[set] ??= []);
    let p = picked[slot];
    if (p === undefined || p.length < n) {
      // Values at positions no longer known: the set's values are filled afresh.
      this.filled[set] = undefined;
      picked[slot] = p = new Int32Array(n + (n >> 3) + 8);
    }
    return p;
  }

  /**
   * Attributes and start times of a sum's points (interface by interface, direction by direction):
   * the arrays of the previous sample while the interfaces and their start times are the same,
   * which they are until an interface comes, goes or resets. Shared by every sum with the same
   * directions, and across snapshots: nothing writes into an array once it is published.
   */
  private sumLayout(key: string, columns: readonly SumColumn[], attrs: readonly InterfaceAttributes[], startsOf: () => readonly HrTime[], version: number | undefined): Layout {
    const width = columns.length;
    const last = this.layouts.get(key);
    if (last !== undefined && version !== undefined && last.version === version) return last;
    const starts = startsOf();
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
      if (same) {
        last.version = version;
        return last;
      }
    }
    const layout: Layout = { attributes: [], startTimes: [], version };
    for (let i = 0; i < attrs.length; i++) {
      const byDirection = (attrs[i] as InterfaceAttributes).byDirection;
      for (let c = 0; c < width; c++) {
        layout.attributes.push(byDirection[(columns[c] as SumColumn).direction] as Attributes);
        layout.startTimes.push(starts[i] as HrTime);
      }
    }
    this.layouts.set(key, published(layout));
    return layout;
  }

  /**
   * The layout of a gauge's points: the `k` interfaces in `picked` that have a value, usually all
   * of them (key NAME_LAYOUT: one layout every such gauge shares), else a subset (speed of a virtual
   * link, loopback's among them). The previous sample's arrays while they are the same.
   */
  private gaugeLayout(key: string, picked: Int32Array, k: number, attrs: readonly InterfaceAttributes[], startsOf: () => readonly HrTime[], version: number | undefined): Layout {
    const last = this.layouts.get(key);
    if (last?.picked !== undefined && last.attributes.length === k && samePicks(last.picked, picked, k)) {
      if (version !== undefined && last.version === version) return last;
      const starts = startsOf();
      let same = true;
      for (let j = 0; j < k; j++) {
        const i = picked[j] as number;
        if (last.attributes[j] !== (attrs[i] as InterfaceAttributes).name || last.startTimes[j] !== starts[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        last.version = version;
        return last;
      }
    }
    const starts = startsOf();
    const layout: Layout = { attributes: [], startTimes: [], version, picked: picked.slice(0, k) };
    for (let j = 0; j < k; j++) {
      const i = picked[j] as number;
      layout.attributes.push((attrs[i] as InterfaceAttributes).name);
      layout.startTimes.push(starts[i] as HrTime);
    }
    this.layouts.set(key, published(layout));
    return layout;
  }


}

function samePicks(a: Int32Array, b: Int32Array, k: number): boolean {
  for (let j = 0; j < k; j++) if (a[j] !== b[j]) return false;
  return true;
}
