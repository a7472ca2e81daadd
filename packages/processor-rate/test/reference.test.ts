// The processor finds series by position and object identity, caches top-N bookkeeping on series
// states and folds from columns: all of it only to go faster. This checks it against a plain
// model of the README's rules (one map lookup by content per point, sort-based ranking) over
// random rounds with churn, reordering, resets, fresh or reused attribute objects and duplicates.
import assert from 'node:assert/strict';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, GaugeMetricData, MetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { DATA_POINT_GAUGE, DATA_POINT_SUM, publishArray, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';
import { RateProcessor } from '@otel-netif/processor-rate';
import type { RateResult } from '@otel-netif/processor-rate';
import { DIR, IF, START, at, gauge, scopes, sum } from './helpers.js';
import type { Pt } from './helpers.js';

const IO = 'system.network.io';
const PACKETS = 'system.network.packet.count';
const SPEED = 'system.network.interface.speed';
const UTIL = 'system.network.bandwidth.utilization';

const canonical = (a: Attributes): string =>
  JSON.stringify(
    Object.keys(a)
      .filter((k) => a[k] !== undefined)
      .sort()
      .map((k) => [k, typeof a[k], a[k]]),
  );
const seconds = (t: HrTime): number => t[0] + t[1] / 1e9;
const before = (a: HrTime, b: HrTime): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

interface Out {
  attributes: Attributes;
  startTime: HrTime;
  endTime: HrTime;
  value: number;
}

/** The README's rules, written for clarity rather than speed. */
class Reference {
  private readonly states = new Map<string, Map<string, { value: number; start: HrTime; end: HrTime }>>();
  constructor(private readonly topN: number, private readonly max: number) {}

  process(input: ScopeMetrics[]): { gauges: Map<string, Out[]>; series: [string, Attributes, number][] } {
    const rates = new Map<string, Out[]>();
    const seen = new Map<string, Set<string>>();
    const speeds = new Map<string, number>();
    for (const scope of input) {
      for (const m of scope.metrics) {
        if (m.dataPointType === 3 /* SUM */ && m.isMonotonic && m.aggregationTemporality === 1 /* CUMULATIVE */) {
          const name = `${m.descriptor.name}.rate`;
          const out = rates.get(name) ?? [];
          rates.set(name, out);
          const states = this.states.get(m.descriptor.name) ?? new Map();
          this.states.set(m.descriptor.name, states);
          const marks = seen.get(m.descriptor.name) ?? new Set<string>();
          seen.set(m.descriptor.name, marks);
          for (const p of m.dataPoints as DataPoint<number>[]) {
            if (!Number.isFinite(p.value)) continue;
            const key = canonical(p.attributes);
            const prev = states.get(key);
            const end: HrTime = [p.endTime[0], p.endTime[1]];
            states.set(key, { value: p.value, start: p.startTime, end });
            marks.add(key);
            if (!prev) continue;
            if (prev.start[0] !== p.startTime[0] || prev.start[1] !== p.startTime[1] || p.value < prev.value) continue;
            const dt = end[0] - prev.end[0] + (end[1] - prev.end[1]) / 1e9;
            if (!(dt > 0)) continue;
            out.push({ attributes: p.attributes, startTime: prev.end, endTime: end, value: (p.value - prev.value) / dt });
          }
        } else if (m.dataPointType === 2 /* GAUGE */ && m.descriptor.name === SPEED) {
          for (const p of m.dataPoints as DataPoint<number>[]) {
            const n = p.attributes[IF];
            if (typeof n === 'string' && Number.isFinite(p.value) && p.value > 0) speeds.set(n, p.value);
          }
        }
      }
    }
    for (const [metric, states] of this.states) {
      const marks = seen.get(metric);
      for (const key of states.keys()) if (!marks?.has(key)) states.delete(key);
      if (states.size === 0) this.states.delete(metric);
    }
    const util: Out[] = [];
    for (const p of rates.get(`${IO}.rate`) ?? []) {
      const n = p.attributes[IF];
      if (typeof n !== 'string') continue;
      const capacity = speeds.get(n) ?? (this.max > 0 ? this.max : undefined);
      if (capacity !== undefined) util.push({ ...p, value: p.value / capacity });
    }
    const series: [string, Attributes, number][] = [];
    for (const [name, points] of rates) for (const p of points) series.push([name, p.attributes, p.value]);
    for (const p of util) series.push([UTIL, p.attributes, p.value]);

    const scores = new Map<string, number>();
    for (const [name, points] of rates) {
      for (const p of points) {
        const n = p.attributes[IF];
        if (typeof n === 'string') scores.set(n, (scores.get(n) ?? 0) + (name === `${IO}.rate` ? p.value : 0));
      }
    }
    let keep: Set<string> | undefined;
    if (this.topN > 0 && scores.size > this.topN) {
      const ranked = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      keep = new Set(ranked.slice(0, this.topN).map(([n]) => n));
    }
    const gauges = new Map<string, Out[]>();
    for (const [name, points] of rates) {
      if (!keep) {
        if (points.length > 0) gauges.set(name, points);
        continue;
      }
      const out: Out[] = [];
      const others = new Map<string, Out>();
      for (const p of points) {
        const n = p.attributes[IF];
        if (typeof n !== 'string' || keep.has(n)) {
          out.push(p);
          continue;
        }
        const folded = { ...p.attributes, [IF]: 'other' };
        const key = canonical(folded);
        const acc = others.get(key);
        if (!acc) others.set(key, { attributes: folded, startTime: p.startTime, endTime: p.endTime, value: p.value });
        else {
          acc.value += p.value;
          if (before(p.startTime, acc.startTime)) acc.startTime = p.startTime;
          if (before(acc.endTime, p.endTime)) acc.endTime = p.endTime;
        }
      }
      out.push(...others.values());
      if (out.length > 0) gauges.set(name, out);
    }
    const named = keep ? util.filter((p) => keep.has(p.attributes[IF] as string)) : util;
    if (named.length > 0) gauges.set(UTIL, named);
    return { gauges, series };
  }
}

function normalize(points: readonly Out[]): unknown[] {
  return points.map((p) => [canonical(p.attributes), seconds(p.startTime), seconds(p.endTime), p.value]);
}

function actual(r: RateResult): { gauges: Map<string, unknown[]>; series: unknown[] } {
  const gauges = new Map<string, unknown[]>();
  for (const m of r.scopeMetrics.metrics) gauges.set(m.descriptor.name, normalize(m.dataPoints as DataPoint<number>[]));
  return { gauges, series: r.series.map((s) => [s.metric, canonical(s.attributes), s.value]) };
}

const NAMES = ['eth0', 'eth1', 'veth0', 'veth1', 'veth2', 'lo', 'wlan0'];
// One frozen attributes object per series, reused round after round (as the receiver does).
const FROZEN = new Map<string, Attributes>();
function attrsFor(name: string | number, dir: string, fresh: boolean, reorder: boolean): Attributes {
  const a: Attributes = reorder ? { [DIR]: dir, [IF]: name } : { [IF]: name, [DIR]: dir };
  if (fresh) return a;
  const key = `${String(name)}/${dir}/${reorder}`;
  if (!FROZEN.has(key)) FROZEN.set(key, Object.freeze(a));
  return FROZEN.get(key) as Attributes;
}

// As the receiver emits its sums: columns over published attributes and start-time arrays that
// are the very same arrays while the series and their start times are (the processor's fast path).
const objectIds = new WeakMap<object, number>();
let lastId = 0;
const idOf = (o: object): number => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = ++lastId));
  return id;
};
// Cached apart: the same attributes array may come with other start times (a counter reset).
const attributeArrays = new Map<string, Attributes[]>();
const startArrays = new Map<string, HrTime[]>();
function published<T>(cache: Map<string, T[]>, key: string, make: () => T[]): T[] {
  let a = cache.get(key);
  if (a === undefined) cache.set(key, (a = publishArray(make())));
  return a;
}
function publishedSum(name: string, points: Pt[]): MetricData {
  const layout = {
    attributes: published(attributeArrays, points.map((p) => idOf(p.attributes)).join('|'), () => points.map((p) => p.attributes)),
    startTimes: published(startArrays, points.map((p) => String(p.start ?? START)).join('|'), () => points.map((p) => [...(p.start ?? START)] as HrTime)),
  };
  const end = points[0]?.end ?? at(0);
  const descriptor = { name, description: `test ${name}`, unit: name === PACKETS ? '{packet}' : 'By', valueType: VALUE_INT };
  return withColumns<SumMetricData>({ descriptor, dataPointType: DATA_POINT_SUM, aggregationTemporality: TEMPORALITY_CUMULATIVE, isMonotonic: true }, {
    length: points.length,
    attributes: layout.attributes,
    values: Float64Array.from(points.map((p) => p.value)),
    startTimes: layout.startTimes,
    startTime: layout.startTimes[0] ?? START,
    endTime: end,
  });
}

// The receiver's speed gauge: one published array of attributes per set of interfaces.
const speedLayouts = new Map<string, Attributes[]>();
function publishedSpeeds(names: string[], end: HrTime): MetricData {
  const attributes = published(speedLayouts, names.join('|'), () => names.map((n) => Object.freeze({ [IF]: n })));
  const descriptor = { name: SPEED, description: `test ${SPEED}`, unit: 'By/s', valueType: VALUE_INT };
  return withColumns<GaugeMetricData>({ descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE }, {
    length: names.length,
    attributes,
    values: Float64Array.from(names, () => 125_000),
    startTime: START,
    endTime: end,
  });
}

const round = fc.record({
  present: fc.subarray(NAMES),
  shuffle: fc.array(fc.nat(), { minLength: NAMES.length, maxLength: NAMES.length }),
  increments: fc.array(fc.oneof(fc.nat({ max: 10_000 }), fc.constant(0), fc.constant(-5), fc.constant(Number.NaN)), { minLength: 40, maxLength: 40 }),
  dt: fc.oneof(fc.constant(1), fc.constant(0.5), fc.constant(0), fc.constant(-1), fc.constant(5)),
  fresh: fc.boolean(),
  reorder: fc.boolean(),
  duplicate: fc.boolean(),
  numericName: fc.boolean(),
  restart: fc.boolean(),
  speeds: fc.subarray(NAMES),
  packets: fc.boolean(),
  published: fc.boolean(),
  repeat: fc.boolean(),
  split: fc.boolean(),
});

describe('RateProcessor against a plain model of its rules', () => {
  it('emits the same gauges and series over random rounds (top-N, churn, resets, reused and fresh attributes)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 4 }), fc.constantFrom(0, 1_000), fc.array(round, { minLength: 1, maxLength: 8 }), (topN, max, rounds) => {
        const p = new RateProcessor({ topN, maxBandwidthBytesPerSecond: max });
        const ref = new Reference(topN, max);
        const counters = new Map<string, number>();
        let t = 0;
        let restarts = 0;
        let previous: (typeof rounds)[number] | undefined;
        for (const drawn of rounds) {
          // Often the interfaces of the round before, in the same order: a node's usual round.
          const r = drawn.repeat && previous !== undefined ? { ...drawn, present: previous.present, shuffle: previous.shuffle, fresh: previous.fresh, reorder: previous.reorder, numericName: previous.numericName, published: previous.published, packets: previous.packets } : drawn;
          previous = r;
          t += r.dt;
          if (r.restart) restarts++;
          const end = at(100 + t);
          const start: HrTime = [1_000 + restarts, 0];
          const names = r.present.map((n, i): [string, number] => [n, r.shuffle[i] ?? 0]).sort((a, b) => a[1] - b[1]).map(([n]) => n);
          let k = 0;
          const points = (metric: string): Pt[] => {
            const out: Pt[] = [];
            for (const n of names) {
              for (const dir of ['receive', 'transmit']) {
                const id = `${metric}/${n}/${dir}`;
                const inc = r.increments[k++ % r.increments.length] as number;
                const v = Number.isNaN(inc) ? Number.NaN : Math.max(0, (counters.get(id) ?? 0) + inc);
                if (!Number.isNaN(v)) counters.set(id, v);
                out.push({ attributes: attrsFor(n, dir, r.fresh, r.reorder), value: v, end, start: n === 'veth2' ? start : undefined });
              }
            }
            if (r.duplicate && out.length > 0) out.push({ ...(out[0] as Pt) });
            if (r.numericName) out.push({ attributes: attrsFor(7, 'receive', r.fresh, false), value: counters.get(`${metric}/7`) ?? 0, end });
            counters.set(`${metric}/7`, (counters.get(`${metric}/7`) ?? 0) + 3);
            return out;
          };
          const io = points(IO);
          const ioSum = (pts: Pt[]): MetricData => (r.published ? publishedSum(IO, pts) : sum(IO, pts));
          // Split: the byte counters come in two scopes, the first interfaces in one, the rest in another.
          const half = r.split ? Math.ceil(io.length / 2) : io.length;
          const metrics: MetricData[] = [ioSum(io.slice(0, half))];
          if (r.packets) metrics.push(r.published ? publishedSum(PACKETS, points(PACKETS)) : sum(PACKETS, points(PACKETS), { unit: '{packet}' }));
          metrics.push(r.published ? publishedSpeeds(r.speeds, end) : gauge(SPEED, r.speeds.map((n) => ({ attributes: { [IF]: n }, value: 125_000, end }))));
          const input = [...scopes(...metrics), ...(half < io.length ? scopes(ioSum(io.slice(half))) : [])];
          const expected = ref.process(input);
          const got = actual(p.process(input));
          assert.deepStrictEqual(got.gauges, new Map([...expected.gauges].map(([n, pts]) => [n, normalize(pts)])));
          // In no particular order: a metric split across scopes lists its rates where its parts came.
          const bySeries = (a: unknown, b: unknown): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
          assert.deepStrictEqual(got.series.sort(bySeries), expected.series.map(([m, a, v]) => [m, canonical(a), v]).sort(bySeries));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('stays exact while thousands of short-lived interfaces come and go under top-N', () => {
    const p = new RateProcessor({ topN: 2, maxBandwidthBytesPerSecond: 1_000 });
    const ref = new Reference(2, 1_000);
    for (let i = 0; i < 600; i++) {
      const end = at(i);
      const pts: Pt[] = [];
      // eth0 lives throughout; each veth lives three rounds, so its rates come and go.
      for (const n of ['eth0', `veth${i}`, `veth${i + 1}`, `veth${i + 2}`]) {
        for (const dir of ['receive', 'transmit']) pts.push({ attributes: attrsFor(n, dir, false, false), value: i * (n === 'eth0' ? 20 : n.length + (dir === 'receive' ? 7 : 3)), end });
      }
      // eth0's packet series come and go on their own, so they start again after top-N dropped
      // stale entries: they must join eth0's ranking entry, not start a second one.
      const packets = i % 50 >= 25 ? pts : pts.filter((x) => x.attributes[IF] !== 'eth0');
      const input = scopes(sum(IO, pts), sum(PACKETS, packets, { unit: '{packet}' }));
      const expected = ref.process(input);
      const got = actual(p.process(input));
      assert.deepStrictEqual(got.gauges, new Map([...expected.gauges].map(([n, points]) => [n, normalize(points)])), `round ${i}`);
      assert.deepStrictEqual(got.series, expected.series.map(([m, a, v]) => [m, canonical(a), v]));
    }
    assert.equal(p.trackedSeriesCount, 16);
  });
});
