import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { DATA_POINT_SUM, loadMetadata, publishArray, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';
import type { Attributes } from '@opentelemetry/api';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { DEFAULT_RATE_PROCESSOR_CONFIG, RateProcessor } from '@otel-netif/processor-rate';
import { at, gauge, metric, netAttrs, scopes, START, sum, values } from './helpers.js';

const RECEIVER_METADATA = new URL('../../receiver-netif/metadata.yaml', import.meta.url);
const PROCESSOR_METADATA = new URL('../metadata.yaml', import.meta.url);

/** Two rounds of the given metrics, each counter going from 0 to 10 over 2 s. */
function twice(build: (value: number, t: number) => MetricData[]) {
  const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
  p.process(scopes(...build(0, 0)));
  return p.process(scopes(...build(10, 2)));
}

describe('RateProcessor generic rates', () => {
  it('rates any monotonic cumulative sum, with unit U/s and a generic description', () => {
    const r = twice((v, t) => [
      sum('process.disk.io', [{ attributes: { 'process.pid': 42, 'disk.io.direction': 'read' }, value: v * 100, end: at(t) }]),
      sum('app.requests', [{ attributes: { route: '/a' }, value: v, end: at(t) }], { unit: '{request}' }),
      sum('app.ticks', [{ attributes: {}, value: v, end: at(t) }], { unit: '' }),
      sum('app.ones', [{ attributes: {}, value: v, end: at(t) }], { unit: '1' }),
    ]);
    assert.deepEqual(values(r, 'process.disk.io.rate'), { '{"process.pid":42,"disk.io.direction":"read"}': 500 });
    assert.deepEqual(values(r, 'app.requests.rate'), { '{"route":"/a"}': 5 });
    assert.deepEqual(values(r, 'app.ticks.rate'), { '{}': 5 });
    assert.equal(metric(r, 'process.disk.io.rate')?.descriptor.unit, 'By/s');
    assert.equal(metric(r, 'app.requests.rate')?.descriptor.unit, '{request}/s');
    assert.equal(metric(r, 'app.ticks.rate')?.descriptor.unit, '1/s');
    assert.equal(metric(r, 'app.ones.rate')?.descriptor.unit, '1/s');
    assert.equal(
      metric(r, 'process.disk.io.rate')?.descriptor.description,
      'Per-second rate of process.disk.io, over the last sampling interval.',
    );
  });

  it('ignores non-monotonic sums, delta sums and gauges', () => {
    const r = twice((v, t) => [
      sum('queue.size', [{ attributes: {}, value: v, end: at(t) }], { monotonic: false }),
      sum('delta.bytes', [{ attributes: {}, value: v, end: at(t) }], { temporality: AggregationTemporality.DELTA }),
      gauge('temperature', [{ attributes: {}, value: v, end: at(t) }]),
    ]);
    assert.deepEqual(r.scopeMetrics.metrics, []);
    assert.deepEqual(r.series, []);
  });

  // The second scope repeats a series of the first, whose rates came from the fast path (the same
  // published layout as last round): its previous value is the first scope's, no time passed
  // between them, so it has no rate, as any series listed twice in a round.
  it('gives no second rate to a series listed again in another scope, after a first part on the fast path', () => {
    const eth0 = Object.freeze(netAttrs('eth0', 'receive'));
    const layout = publishArray([eth0, Object.freeze(netAttrs('eth1', 'receive'))]);
    const starts = publishArray([START, START]);
    const io = (attributes: readonly Attributes[], startTimes: typeof starts | undefined, v: number, t: number) =>
      withColumns<SumMetricData>(
        { descriptor: { name: 'system.network.io', description: '', unit: 'By', valueType: VALUE_INT }, dataPointType: DATA_POINT_SUM, aggregationTemporality: TEMPORALITY_CUMULATIVE, isMonotonic: true },
        { length: attributes.length, attributes, values: Float64Array.from(attributes, () => v), startTimes, startTime: START, endTime: at(t) },
      );
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(scopes(io(layout, starts, 0, 0)));
    p.process(scopes(io(layout, starts, 10, 1)));
    const r = p.process([...scopes(io(layout, starts, 30, 2)), ...scopes(io([eth0], undefined, 30, 2))]);
    assert.deepEqual(values(r, 'system.network.io.rate'), { 'eth0/receive': 20, 'eth1/receive': 20 });
    assert.equal(r.series.length, 2);
  });

  // The fast path is taken only when every position is sure to be last round's series with one
  // shared interval; anything else goes point by point. The same rounds, once as published columns
  // and once as plain data points, must give the same rates.
  function samePublishedAndPlain(attributes: Attributes[], rounds: { v: number[]; ends: number[] }[], topN = 0): void {
    const layout = publishArray(attributes);
    const starts = publishArray(attributes.map(() => START));
    const published = new RateProcessor({ ...DEFAULT_RATE_PROCESSOR_CONFIG, topN });
    const plain = new RateProcessor({ ...DEFAULT_RATE_PROCESSOR_CONFIG, topN });
    for (const { v, ends } of rounds) {
      const shared = ends.every((e) => e === ends[0]);
      const columns = withColumns<SumMetricData>(
        { descriptor: { name: 'system.network.io', description: '', unit: 'By', valueType: VALUE_INT }, dataPointType: DATA_POINT_SUM, aggregationTemporality: TEMPORALITY_CUMULATIVE, isMonotonic: true },
        { length: v.length, attributes: layout, values: Float64Array.from(v), startTimes: starts, startTime: START, endTimes: shared ? undefined : ends.map((e) => at(e)), endTime: at(ends[0] as number) },
      );
      const a = published.process(scopes(columns));
      const b = plain.process(scopes(sum('system.network.io', v.map((value, i) => ({ attributes: layout[i] as Attributes, value, end: at(ends[i] as number) })))));
      assert.deepEqual(a.scopeMetrics.metrics[0]?.dataPoints, b.scopeMetrics.metrics[0]?.dataPoints, `values ${v.join(',')}, ends ${ends.join(',')}`);
    }
  }

  it('gives published columns the same rates as plain points when their end times differ, and the round after', () => {
    samePublishedAndPlain(
      [Object.freeze(netAttrs('eth0', 'receive')), Object.freeze(netAttrs('eth1', 'receive'))],
      [
        { v: [0, 0], ends: [0, 0] },
        { v: [10, 10], ends: [1, 1] },
        { v: [20, 40], ends: [2, 3] },
        { v: [30, 50], ends: [4, 4] },
        { v: [40, 60], ends: [5, 5] },
      ],
    );
  });

  it('gives published columns the same rates and folds as plain points when an attributes object in them is not frozen', () => {
    samePublishedAndPlain(
      [Object.freeze(netAttrs('eth0', 'receive')), netAttrs('eth1', 'receive'), Object.freeze(netAttrs('eth2', 'receive'))],
      [
        { v: [0, 0, 0], ends: [0, 0, 0] },
        { v: [10, 10, 10], ends: [1, 1, 1] },
        { v: [20, 40, 30], ends: [2, 2, 2] },
        { v: [30, 50, 90], ends: [3, 3, 3] },
      ],
      1,
    );
  });

  it('gives published columns the same rates as plain points when fewer of them are listed', () => {
    samePublishedAndPlain(
      [Object.freeze(netAttrs('eth0', 'receive')), Object.freeze(netAttrs('eth1', 'receive'))],
      [
        { v: [0, 0], ends: [0, 0] },
        { v: [10, 10], ends: [1, 1] },
        { v: [20], ends: [2] },
        { v: [30], ends: [3] },
      ],
    );
  });

  it('merges one metric split across several scopes into one gauge', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    const input = (v: number, t: number) => [
      ...scopes(sum('system.network.io', [{ attributes: netAttrs('eth0', 'receive'), value: v, end: at(t) }])),
      ...scopes(sum('system.network.io', [{ attributes: netAttrs('eth1', 'receive'), value: v * 2, end: at(t) }])),
    ];
    p.process(input(0, 0));
    const r = p.process(input(4, 1));
    assert.equal(r.scopeMetrics.metrics.length, 1);
    assert.deepEqual(values(r, 'system.network.io.rate'), { 'eth0/receive': 4, 'eth1/receive': 8 });
  });

  it('names its scope from metadata.yaml and package.json', () => {
    const r = twice((v, t) => [sum('x', [{ attributes: {}, value: v, end: at(t) }])]);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual(r.scopeMetrics.scope, { name: '@otel-netif/processor-rate', version: pkg.version });
    assert.equal(loadMetadata(PROCESSOR_METADATA).scopeName, '@otel-netif/processor-rate');
  });

  it('gives every receiver counter the rate metadata.yaml lists, with the same unit and description', () => {
    const receiver = loadMetadata(RECEIVER_METADATA);
    const processor = loadMetadata(PROCESSOR_METADATA);
    const counters = Object.values(receiver.metrics).filter((m) => m.kind === 'sum' && m.monotonic);
    assert.equal(counters.length, 4);
    const r = twice((v, t) =>
      counters.map((m) => sum(m.name, [{ attributes: netAttrs('eth0', 'receive'), value: v, end: at(t) }], { unit: m.unit })),
    );
    for (const m of counters) {
      const listed = processor.metrics[`${m.name}.rate`];
      assert.ok(listed, `${m.name}.rate missing from processor-rate metadata.yaml`);
      assert.equal(listed.from, m.name);
      const out = metric(r, listed.name);
      assert.equal(out?.descriptor.unit, listed.unit);
      assert.equal(out?.descriptor.description, listed.description);
      assert.deepEqual(values(r, listed.name), { 'eth0/receive': 5 });
    }
  });

  it('reads link speed from the gauge the receiver declares, in By/s', () => {
    const speed = loadMetadata(RECEIVER_METADATA).metrics['system.network.interface.speed'];
    assert.equal(speed?.kind, 'gauge');
    assert.equal(speed?.unit, 'By/s');
    assert.deepEqual(speed?.attributes, ['network.interface.name']);
  });
});
