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
import { BodyPool } from '../../src/export/prometheus/body-pool.js';
import { GZIP_OPTIONS } from '../../src/export/prometheus/exposition-cache.js';
import { deflatePiece, inflatePiece, pieceOptions } from '../../src/export/prometheus/piece.js';
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

/** `base` with only the interfaces `keep` says, and values changed by `value` (same point objects otherwise). */
function subset(base: ScopeMetrics[], keep: (n: number) => boolean, value: (i: number, v: number) => number): ScopeMetrics[] {
  const index = (p: { attributes: Attributes }): number => Number(/\d+$/.exec(String(p.attributes['network.interface.name']))?.[0]);
  return base.map((s) => ({
    scope: s.scope,
    metrics: s.metrics.map((m) => ({ ...m, dataPoints: m.dataPoints.filter((p) => keep(index(p))).map((p, i) => ({ ...p, value: value(i, p.value as number) })) }) as MetricData),
  }));
}

describe('ExpositionWriter keeping only compressed chunks', () => {
  const options = pieceOptions(GZIP_OPTIONS);
  const counting = (): { calls: number; compress: (c: Uint8Array) => ReturnType<typeof deflatePiece> } => {
    const c = {
      calls: 0,
      compress: (chunk: Uint8Array) => {
        c.calls++;
        return deflatePiece(chunk, options);
      },
    };
    return c;
  };
  const base = netifScopes(Array.from({ length: 700 }, (_, i) => `veth${i}`));

  it('matches encodeExposition over random sequences, switching between plain and compressed chunks', () => {
    const step = fc.record({
      drop: fc.integer({ min: 0, max: 60 }),
      changeEvery: fc.integer({ min: 1, max: 4000 }),
      by: fc.integer({ min: 0, max: 2 }),
      keepPlain: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const c = counting();
        const w = new ExpositionWriter(new BodyPool(), c.compress);
        let k = 0;
        for (const s of steps) {
          k += s.by;
          // Interfaces come and go (every 61st from `drop` on is missing) and some values move.
          const scopes = subset(base, (n) => n % 61 !== s.drop, (i, v) => (i % s.changeEvery === 0 ? v + k : v));
          const body = w.encode(scopes, resource, {}, s.keepPlain);
          assert.deepEqual(joinBody(body), reference(scopes));
          assert.ok(body.chunks.length > 4, `${body.chunks.length} chunks`);
          for (const chunk of body.chunks) {
            if (s.keepPlain) assert.ok(chunk.bytes !== undefined, 'a plain chunk without its bytes');
            else assert.ok(chunk.bytes === undefined && chunk.piece !== undefined, 'a compressed-only chunk with bytes, or without its piece');
            if (chunk.bytes !== undefined && chunk.piece !== undefined) assert.deepEqual(inflatePiece(chunk.piece), chunk.bytes);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('hands out an unchanged chunk again without copying or compressing it, and compresses only a changed one', () => {
    const c = counting();
    const w = new ExpositionWriter(undefined, c.compress);
    const first = w.encode(base, resource, {}, false);
    assert.equal(c.calls, first.chunks.length, 'each chunk of a first body compressed once');
    const again = w.encode(withValues(base, (_n, _i, v) => v), resource, {}, false);
    assert.equal(c.calls, first.chunks.length, 'nothing changed: nothing compressed');
    again.chunks.forEach((chunk, i) => assert.equal(chunk, first.chunks[i], `chunk ${i} is the same chunk`));
    // The last value of the last metric changes: only its chunk is written and compressed.
    const last = base.length - 1;
    const lastMetric = (base[last] as ScopeMetrics).metrics.length - 1;
    const one = base.map((s, si) => ({
      scope: s.scope,
      metrics: s.metrics.map((m, mi) => (si === last && mi === lastMetric ? { ...m, dataPoints: m.dataPoints.map((p, i) => (i === m.dataPoints.length - 1 ? { ...p, value: 0.5 } : p)) } : m) as MetricData),
    }));
    const changed = w.encode(one, resource, {}, false);
    assert.deepEqual(joinBody(changed), reference(one));
    assert.equal(c.calls, first.chunks.length + 1);
    assert.equal(changed.chunks.filter((chunk, i) => chunk !== again.chunks[i]).length, 1);
    // The first line grows a digit: every later line moves in the body, but not within its chunk.
    const longer = one.map((s, si) => ({
      scope: s.scope,
      metrics: s.metrics.map((m, mi) => (si === 0 && mi === 0 ? { ...m, dataPoints: m.dataPoints.map((p, i) => (i === 0 ? { ...p, value: (p.value as number) * 10 } : p)) } : m) as MetricData),
    }));
    const moved = w.encode(longer, resource, {}, false);
    assert.deepEqual(joinBody(moved), reference(longer));
    assert.equal(c.calls, first.chunks.length + 2);
    assert.equal(moved.chunks.filter((chunk, i) => chunk !== changed.chunks[i]).length, 1);
    // The last interface goes: the last chunk keeps its other lines, unchanged and in place, but ends sooner.
    const fewer = subset(longer, (n) => n < 699, (_i, v) => v);
    assert.deepEqual(joinBody(w.encode(fewer, resource, {}, false)), reference(fewer));
  });

  it('does not take a chunk of lines that moved for the chunk that was at their place', () => {
    // Two families of the same byte length swap places: their lines land where the other's were,
    // the same length, at the same offsets. A chunk of them is new, though nothing in it changed.
    const points = (): [Attributes, number][] => Array.from({ length: 600 }, (_, i) => [{ 'network.interface.name': `eth${i}` }, i]);
    const a = scope('a', gaugeMetric('aaa', '', 'Same help.', points()));
    const b = scope('b', gaugeMetric('bbb', '', 'Same help.', points()));
    for (const keepPlain of [true, false]) {
      const w = new ExpositionWriter(undefined, counting().compress);
      assert.deepEqual(joinBody(w.encode([a, b], resource, {}, keepPlain)), reference([a, b]));
      assert.deepEqual(joinBody(w.encode([b, a], resource, {}, keepPlain)), reference([b, a]));
    }
  });

  it('moves between plain and compressed chunks without writing an unchanged line again', () => {
    const c = counting();
    const pool = new BodyPool();
    const w = new ExpositionWriter(pool, c.compress);
    const plain = w.encode(base, resource, {}, true);
    assert.equal(c.calls, 0, 'plain chunks are compressed by gzip, when asked');
    const taken = pool.leased;
    // Nobody reads plain text any more: each chunk is compressed from the bytes it had, which go back.
    const cold = w.encode(base, resource, {}, false);
    assert.equal(c.calls, plain.chunks.length);
    assert.ok(cold.chunks.every((chunk) => chunk.bytes === undefined));
    assert.ok(taken > 0 && pool.leased === 0, `${pool.leased} of ${taken} pieces of memory still leased`);
    // Someone reads plain text again: the chunks get their bytes back from their pieces.
    const warm = w.encode(base, resource, {}, true);
    assert.equal(c.calls, plain.chunks.length, 'no compression on the way back');
    assert.ok(warm.chunks.every((chunk, i) => chunk.bytes !== undefined && chunk.piece === (cold.chunks[i] as (typeof cold.chunks)[number]).piece));
    assert.deepEqual(joinBody(warm), reference(base));
  });
});
