import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData, MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { ExpositionWriter } from '../../src/export/prometheus/writer.js';
import { joinBody } from '../../src/export/prometheus/body.js';
import { END, START, gaugeMetric, io, netifScopes, scope, sumMetric } from './snapshot.js';

const resource = resourceFromAttributes({ 'service.name': 'otel-netif', 'host.name': 'node-1' });

function reference(scopes: ScopeMetrics[], skipped?: string[]): Buffer {
  return Buffer.from(encodeExposition(scopes, resource, skipped ? { onSkip: (r) => skipped.push(r) } : {}), 'utf8');
}

function written(w: ExpositionWriter, scopes: ScopeMetrics[], skipped?: string[]): Buffer {
  return joinBody(w.encode(scopes, resource, skipped ? { onSkip: (r) => skipped.push(r) } : {}));
}

/** The same series objects with new values: what the pipeline emits from one sample to the next. */
function withValues(scopes: ScopeMetrics[], value: (name: string, i: number, old: number) => number): ScopeMetrics[] {
  return scopes.map((s) => ({
    scope: s.scope,
    metrics: s.metrics.map((m) => ({ ...m, dataPoints: m.dataPoints.map((p, i) => ({ ...p, value: value(m.descriptor.name, i, p.value as number) })) }) as MetricData),
  }));
}

describe('ExpositionWriter', () => {
  it('writes the bytes encodeExposition writes, first time and when nothing changed', () => {
    const w = new ExpositionWriter();
    const scopes = netifScopes(['eth0', 'eth1', 'wlän0', 'a"b\\c\nd']);
    assert.deepEqual(written(w, scopes), reference(scopes));
    const same = withValues(scopes, (_n, _i, v) => v);
    assert.deepEqual(written(w, same), reference(same));
  });

  it('rewrites a line whose value changed, and only reuses lines whose value did not', () => {
    const w = new ExpositionWriter();
    const first = netifScopes(['eth0', 'eth1', 'eth2']);
    written(w, first);
    const second = withValues(first, (name, i, v) => (name === 'system.network.io' && i === 3 ? v + 1 : v));
    const out = written(w, second);
    assert.deepEqual(out, reference(second));
    assert.notDeepEqual(out, reference(first));
  });

  it('drops a vanished series and shifts the lines after it', () => {
    const w = new ExpositionWriter();
    written(w, netifScopes(['eth0', 'eth1', 'eth2']));
    const fewer = netifScopes(['eth0', 'eth2']);
    const out = written(w, fewer);
    assert.deepEqual(out, reference(fewer));
    assert.doesNotMatch(out.toString(), /eth1/);
  });

  it('reuses nothing for a metric whose descriptor changed at the same place, and follows a changed help text', () => {
    const w = new ExpositionWriter();
    const a = [scope('s', gaugeMetric('x', '', 'first help', [[{ k: 'v' }, 1]]))];
    written(w, a);
    const b = [scope('s', gaugeMetric('x', '', 'second help', [[{ k: 'v' }, 1]]))];
    assert.deepEqual(written(w, b), reference(b));
  });

  it('tells onSkip the same reasons in the same order, and skips the same metrics', () => {
    const histogram: HistogramMetricData = {
      descriptor: { name: 'h', description: '', unit: 's', valueType: ValueType.DOUBLE },
      dataPointType: DataPointType.HISTOGRAM,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPoints: [{ attributes: {}, startTime: START, endTime: END, value: { buckets: { boundaries: [], counts: [1] }, count: 1, sum: 1, min: 1, max: 1 } }],
    };
    const scopes = [scope('s', histogram, gaugeMetric('x.total', '', 'gauge first', [[{}, 1]]), sumMetric('x', '', 'then a counter', [[{}, 2]]))];
    const expected: string[] = [];
    const actual: string[] = [];
    const w = new ExpositionWriter();
    for (let i = 0; i < 2; i++) assert.deepEqual(written(w, scopes, actual), reference(scopes, expected));
    assert.deepEqual(actual, expected);
    assert.equal(actual.length, 4);
  });

  it('returns a new buffer each time and never writes into one it returned', () => {
    const w = new ExpositionWriter();
    const first = netifScopes(['eth0']);
    const a = written(w, first);
    const copy = Buffer.from(a);
    written(w, withValues(first, (_n, _i, v) => v + 7));
    written(w, withValues(first, (_n, _i, v) => v + 9));
    assert.deepEqual(a, copy);
  });

  it('matches encodeExposition over random sequences of snapshots', () => {
    const names = ['eth0', 'eth1', 'veth9', 'wlän0', 'q"uote', 'back\\slash', 'new\nline'];
    const attrs = new Map<string, Attributes[]>(names.map((n) => [n, [io(n, 'receive'), io(n, 'transmit')]]));
    const value = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(0, -0, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, 1e21, 1e-7, 0.1, 1250.5),
      fc.double(),
      fc.nat().map((n) => n * 1e6),
    );
    const step = fc.record({
      present: fc.subarray(names, { minLength: 0 }),
      values: fc.array(value, { minLength: 4 * names.length * 2, maxLength: 4 * names.length * 2 }),
      keepValue: fc.array(fc.boolean(), { minLength: 4 * names.length * 2, maxLength: 4 * names.length * 2 }),
      freshObjects: fc.boolean(),
      help: fc.constantFrom('Bytes.', 'Bytes, again.'),
      clash: fc.boolean(),
      merged: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const w = new ExpositionWriter();
        const lastValue = new Map<string, number>();
        // Producers keep their descriptor objects from one snapshot to the next; the writer relies on that to reuse lines.
        const descriptors = new Map<string, MetricData['descriptor']>();
        const stable = (m: MetricData): MetricData => {
          const id = JSON.stringify(m.descriptor);
          if (!descriptors.has(id)) descriptors.set(id, m.descriptor);
          return { ...m, descriptor: descriptors.get(id) as MetricData['descriptor'] } as MetricData;
        };
        for (const s of steps) {
          let k = 0;
          const points = (metric: string, dirs: 0 | 1 | 2): [Attributes, number][] =>
            s.present.flatMap((n) =>
              (dirs === 2 ? [0, 1] : [dirs]).map((d): [Attributes, number] => {
                const a = (attrs.get(n) as Attributes[])[d] as Attributes;
                const id = `${metric}/${n}/${d}`;
                const v = s.keepValue[k] && lastValue.has(id) ? (lastValue.get(id) as number) : (s.values[k] as number);
                k++;
                lastValue.set(id, v);
                return [s.freshObjects ? { ...a } : a, v];
              }),
            );
          const metrics: MetricData[] = [
            sumMetric('system.network.io', 'By', s.help, points('io', 2)),
            gaugeMetric('system.network.interface.up', '', 'Up.', points('up', 0).map(([a, v]) => [{ 'network.interface.name': a['network.interface.name'] }, v]), ValueType.INT),
          ];
          if (s.clash) metrics.push(gaugeMetric('system.network.io', 'By', 'a gauge with the counter name', points('clash', 1)));
          if (s.merged) metrics.push(gaugeMetric('m', '', 'merged labels', [[{ 'a.b': 'dot', a_b: 'underscore' }, s.values[0] as number]]));
          const scopes = [scope('r', ...metrics.map(stable)), scope('p', stable(gaugeMetric('system.network.io.rate', 'By/s', 'Rate.', points('rate', 2))))];
          const expected: string[] = [];
          const actual: string[] = [];
          assert.deepEqual(written(w, scopes, actual), reference(scopes, expected));
          assert.deepEqual(actual, expected);
        }
      }),
      { numRuns: 400 },
    );
  });
});
