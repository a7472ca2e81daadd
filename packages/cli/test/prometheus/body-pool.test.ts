import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BodyPool } from '../../src/export/prometheus/body-pool.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { createPrometheusExporter } from '../../src/export/prometheus/exporter.js';
import type { PrometheusExporter } from '../../src/export/prometheus/exporter.js';
import { ExpositionWriter } from '../../src/export/prometheus/writer.js';
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
    const pool = new BodyPool();
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

  it('lets go of a free piece much bigger than asked for, and reuses one that fits', () => {
    const pool = new BodyPool();
    const big = pool.take(4 << 20);
    pool.release(big);
    const fits = pool.take(7 << 19);
    assert.ok(fits.buffer === big.buffer, '3.5 MB asked, 4 MB free (within a quarter): reused');
    pool.release(fits);
    const small = pool.take(2 << 20);
    assert.ok(small.buffer !== big.buffer, '4 MB for a 2 MB body: let go');
    assert.equal(small.length, 2 << 20);
    pool.release(small);
    assert.ok(pool.take(2 << 20).buffer === small.buffer, 'the right-sized piece is what is kept');
  });

  it('fits a body a few bytes longer than the last into the memory it used', () => {
    // A counter that gains a digit makes the next body (and what the writer asks for) a byte longer.
    const pool = new BodyPool();
    const before = pool.take(1_873_257);
    pool.release(before);
    assert.equal(pool.take(1_873_259).buffer, before.buffer);
  });

  it('lets the writer reuse memory nobody holds, and never memory someone does', () => {
    const pool = new BodyPool();
    const writer = new ExpositionWriter(pool);
    const base = netifScopes(Array.from({ length: 200 }, (_, i) => `eth${i}`));
    const held = writer.encode(round(base, 0), undefined);
    pool.lease(held);
    const copy = Buffer.from(held);
    const memories = new Set<ArrayBufferLike>();
    for (let k = 1; k <= 8; k++) {
      const body = writer.encode(round(base, k), undefined);
      assert.equal(body.toString(), encodeExposition(round(base, k), undefined));
      memories.add(body.buffer);
    }
    assert.deepEqual(held, copy, 'a held body was written into');
    assert.ok(!memories.has(held.buffer));
    assert.ok(memories.size <= 3, `${memories.size} pieces of memory for 8 encodes`);
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
