import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { loadMetadata } from '@otel-netif/metadata';
import { DEFAULT_RATE_PROCESSOR_CONFIG, RateProcessor } from '@otel-netif/processor-rate';
import { at, gauge, metric, netAttrs, scopes, sum, values } from './helpers.js';

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
