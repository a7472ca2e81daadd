import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { GaugeMetricData, MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { RoundValues, withColumns } from '@otel-netif/metadata';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BodyPool } from '../../src/export/prometheus/body-pool.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { createPrometheusExporter } from '../../src/export/prometheus/exporter.js';
import type { PrometheusExporter } from '../../src/export/prometheus/exporter.js';
import { ExpositionWriter } from '../../src/export/prometheus/writer.js';
import { joinBody } from '../../src/export/prometheus/body.js';
import { silentLogger } from '../../src/log.js';
import { StubPipeline, netifScopes } from './snapshot.js';

/** The same series, every value changed by `k` (so any line of one round differs from another's). */
function round(base: ScopeMetrics[], k: number): ScopeMetrics[] {
  return base.map((s) => ({
    scope: s.scope,
    metrics: s.metrics.map((m) => ({ ...m, dataPoints: m.dataPoints.map((p) => ({ ...p, value: (p.value as number) + k })) }) as MetricData),
  }));
}

describe('BodyPool', () => {
  it('hands memory out again only when every lease on it is released', () => {
    const pool = new BodyPool(1 << 20);
    const a = pool.take(100);
    pool.lease(a.subarray(0, 10));
    pool.release(a);
    assert.notEqual(pool.take(100).buffer, a.buffer, 'one lease is still held');
    pool.release(a.subarray(5));
    assert.equal(pool.take(100).buffer, a.buffer, 'released by every holder: reused');
    assert.notEqual(pool.take(1000).buffer, a.buffer);
    pool.lease(Buffer.alloc(10));
    pool.release(Buffer.alloc(10));
  });

  it('hands out the smallest free piece that fits, and new memory rather than one far too big', () => {
    const pool = new BodyPool(64 << 20);
    const big = pool.take(4 << 20);
    const mid = pool.take(1 << 20);
    pool.release(big);
    pool.release(mid);
    assert.equal(pool.take(900_000).buffer, mid.buffer, 'the 1 MB piece, not the 4 MB one');
    const small = pool.take(100_000);
    assert.notEqual(small.buffer, big.buffer, '4 MB for 100 KB: new memory');
    assert.ok(small.length < 120_000);
    assert.equal(pool.take(7 << 19).buffer, big.buffer, '3.5 MB asked, 4 MB free (within a quarter): reused');
  });

  it('keeps no more free memory than it is told to, letting the oldest go first', () => {
    const pool = new BodyPool(300_000);
    const pieces = [pool.take(100_000), pool.take(100_000), pool.take(100_000), pool.take(100_000)];
    for (const p of pieces) pool.release(p);
    assert.ok(pool.kept <= 300_000, `${pool.kept} bytes kept`);
    assert.notEqual(pool.take(100_000).buffer, pieces[0]?.buffer, 'the oldest went first');
    pool.keepFree(0);
    assert.equal(pool.kept, 0);
  });

  it('gives the memory of a piece it lets go back at once, not at the next full collection', () => {
    const pool = new BodyPool(0);
    const piece = pool.take(1 << 20);
    const before = process.memoryUsage().arrayBuffers;
    pool.release(piece);
    // Detached: the memory moved to a clone that the next young collection frees.
    assert.equal(piece.buffer.byteLength, 0);
    assert.equal(piece.length, 0);
    assert.ok(before >= 1 << 20);
  });

  it('fits a chunk a few bytes longer than the last into the memory it used', () => {
    // A counter that gains a digit makes the next chunk a byte longer.
    const pool = new BodyPool(8 << 20);
    for (const size of [4000, 28_111, 1_873_257]) {
      const before = pool.take(size);
      pool.release(before);
      assert.equal(pool.take(size + 2).buffer, before.buffer, `${size} bytes`);
    }
  });

  it('lets the writer reuse memory nobody holds, and never memory someone does', () => {
    const pool = new BodyPool();
    const writer = new ExpositionWriter(pool);
    const base = netifScopes(Array.from({ length: 200 }, (_, i) => `eth${i}`));
    const held = writer.encode(round(base, 0), undefined);
    for (const c of held.chunks) pool.lease(c.bytes as Buffer);
    const copy = Buffer.from(joinBody(held));
    const memories = new Map<ArrayBufferLike, Buffer>();
    let chunks = 0;
    for (let k = 1; k <= 8; k++) {
      const body = writer.encode(round(base, k), undefined);
      assert.equal(joinBody(body).toString(), encodeExposition(round(base, k), undefined));
      for (const c of body.chunks) memories.set((c.bytes as Buffer).buffer, c.bytes as Buffer);
      chunks = body.chunks.length;
    }
    assert.deepEqual(joinBody(held), copy, 'a held body was written into');
    // A held chunk's memory is in a later body only as that chunk itself (target_info never changes).
    for (const { bytes } of held.chunks) assert.ok(!memories.has((bytes as Buffer).buffer) || memories.get((bytes as Buffer).buffer) === bytes);
    // Every line changes every time: each body replaces every chunk of the one before, in the memory of the one before that.
    assert.ok(memories.size <= 3 * chunks, `${memories.size} pieces of memory for 8 encodes of ${chunks} chunks`);
  });

  it('keeps free memory for a body\'s worth of new chunks while every line changes, and lets it go once few do', () => {
    const pool = new BodyPool();
    const writer = new ExpositionWriter(pool);
    const base = netifScopes(Array.from({ length: 2000 }, (_, i) => `eth${i}`));
    let body = writer.encode(round(base, 0), undefined);
    for (let k = 1; k <= 3; k++) body = writer.encode(round(base, k), undefined);
    assert.ok(pool.kept >= body.length * 0.9, `busy: ${pool.kept} bytes free for a ${body.length}-byte body`);
    for (let k = 0; k < 3; k++) writer.encode(round(base, 3), undefined);
    assert.equal(pool.kept, 0, 'idle: nothing replaced, nothing kept');
  });

  it('gives back the memory of a body whose encode failed, and encodes the next one right', () => {
    const pool = new BodyPool();
    const writer = new ExpositionWriter(pool);
    const base = netifScopes(Array.from({ length: 2000 }, (_, i) => `eth${i}`));
    const first = writer.encode(round(base, 0), undefined);
    const leased = pool.leased;
    // A metric whose values were recycled by their producer: reading them throws mid-encode.
    const values = new RoundValues('test');
    const stale = values.begin();
    const late = withColumns<GaugeMetricData>(
      { descriptor: { name: 'zz.late', description: '', unit: '', valueType: ValueType.DOUBLE }, dataPointType: DataPointType.GAUGE, aggregationTemporality: AggregationTemporality.CUMULATIVE },
      values.guard({ length: 1, attributes: [{}], startTime: [0, 0], endTime: [0, 0] }, stale, values.take(0, 1)),
    );
    values.begin();
    values.begin();
    const failing = round(base, 1);
    failing.push({ scope: { name: 'late' }, metrics: [late] });
    assert.ok(leased > 8);
    assert.throws(() => writer.encode(failing, undefined), /values of round 1 were read in round 3/);
    // The failed encode had written over the slots that described the last body (in place), so the
    // writer forgets that body too and gives its chunks back: the next encode writes every line anew.
    assert.equal(pool.leased, 0, 'chunks of the failed body, or of the last one, still leased');
    // The values the failed encode wrote into the slots: lines the writer must not take for unchanged.
    const next = writer.encode(round(base, 1), undefined);
    assert.equal(joinBody(next).toString(), encodeExposition(round(base, 1), undefined));
    const again = round(base, 1);
    (again[0]?.metrics[0]?.dataPoints[0] as { value: number }).value += 1;
    assert.equal(joinBody(writer.encode(again, undefined)).toString(), encodeExposition(again, undefined));
    assert.ok(first.chunks.length > 8);
  });

  it('lets the writer keep an unchanged chunk itself, taking memory only for the changed ones', () => {
    const pool = new BodyPool();
    const writer = new ExpositionWriter(pool);
    const base = netifScopes(Array.from({ length: 2000 }, (_, i) => `eth${i}`));
    const first = writer.encode(round(base, 0), undefined);
    assert.ok(first.chunks.length > 8);
    assert.equal(pool.leased, first.chunks.length);
    const same = writer.encode(round(base, 0), undefined);
    assert.deepEqual(same.chunks, first.chunks);
    same.chunks.forEach((c, i) => assert.equal(c, first.chunks[i], `chunk ${i} is the same chunk`));
    assert.equal(pool.leased, first.chunks.length, 'no memory taken');
    // One value changed (the first line of the first metric): one chunk is new, the rest kept.
    const one = round(base, 0);
    const m = one[0]?.metrics[0] as MetricData;
    (m.dataPoints[0] as { value: number }).value += 1;
    const next = writer.encode(one, undefined);
    assert.equal(joinBody(next).toString(), encodeExposition(one, undefined));
    assert.equal(next.chunks.filter((c, i) => c !== same.chunks[i]).length, 1);
    assert.equal(pool.leased, first.chunks.length, 'the replaced chunk went back');
  });
});

describe('Prometheus exporter with pooled bodies @slow', function () {
  this.timeout(60_000);
  let exporter: PrometheusExporter;
  after(() => exporter?.shutdown());

  it('sends a slow client the bytes of its snapshot while later snapshots are encoded', async () => {
    const pipeline = new StubPipeline();
    exporter = createPrometheusExporter(pipeline, { host: '127.0.0.1', port: 0 }, silentLogger);
    await exporter.start();
    const url = new URL('/metrics', exporter.server.url());
    // Megabytes: more than the socket buffers hold, so the server is still sending when the next encodes run.
    const base = netifScopes(Array.from({ length: 16_000 }, (_, i) => `veth${i}`));
    const resource = resourceFromAttributes({ 'service.name': 'otel-netif' });
    pipeline.publish(round(base, 0), { 'service.name': 'otel-netif' });
    const expected = encodeExposition(round(base, 0), resource);

    const chunks: Buffer[] = [];
    let resume: (() => void) | undefined;
    let started: () => void = () => {};
    const responding = new Promise<void>((r) => (started = r));
    const slow = new Promise<string>((resolve, reject) => {
      const req = request(url, (res) => {
        res.pause();
        resume = () => {
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.resume();
        };
        started();
      });
      req.on('error', reject);
      req.end();
    });
    await responding;
    for (let k = 1; k <= 4; k++) {
      pipeline.publish(round(base, k), { 'service.name': 'otel-netif' });
      const body = await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).text();
      assert.equal(body, encodeExposition(round(base, k), resource));
    }
    resume?.();
    const got = await slow;
    assert.ok(expected.length > 10_000_000, `only ${expected.length} bytes`);
    assert.equal(got.length, expected.length);
    assert.ok(got === expected, 'the slow client got bytes of a later snapshot');
  });
});
