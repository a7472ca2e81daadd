import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { BodyPool } from '../../src/export/prometheus/body-pool.js';
import { ChunkedGzip } from '../../src/export/prometheus/chunked-gzip.js';
import { crc32Combine } from '../../src/export/prometheus/crc32-combine.js';
import { GZIP_OPTIONS } from '../../src/export/prometheus/exposition-cache.js';
import { ExpositionWriter } from '../../src/export/prometheus/writer.js';
import { netifScopes } from './snapshot.js';

const resource = resourceFromAttributes({ 'service.name': 'otel-netif' });

/** Every `n`-th value of every metric changed by `k`. */
function bump(scopes: ScopeMetrics[], n: number, k: number): ScopeMetrics[] {
  return scopes.map((s) => ({
    scope: s.scope,
    metrics: s.metrics.map((m) => ({ ...m, dataPoints: m.dataPoints.map((p, i) => ({ ...p, value: i % n === 0 ? (p.value as number) + k : p.value })) }) as MetricData),
  }));
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `veth${i}`);

describe('crc32Combine', () => {
  it('is crc32 of the two pieces joined, for any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(3000), (bytes, at) => {
        const data = Buffer.from(bytes);
        const cut = Math.min(at, data.length);
        const a = data.subarray(0, cut);
        const b = data.subarray(cut);
        assert.equal(crc32Combine(crc32(a), crc32(b), b.length), crc32(data));
      }),
    );
  });

  it('handles pieces of megabytes, and an empty second piece', () => {
    const a = randomBytes(1 << 20);
    const b = randomBytes((3 << 20) + 7);
    assert.equal(crc32Combine(crc32(a), crc32(b), b.length), crc32(Buffer.concat([a, b])));
    assert.equal(crc32Combine(crc32(a), crc32(Buffer.alloc(0)), 0), crc32(a));
  });
});

describe('ChunkedGzip', () => {
  it('gzips to exactly the body, over random bodies, chunkings and edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 6 })), { minLength: 1, maxLength: 6 }),
        async (rounds) => {
          const gz = new ChunkedGzip(GZIP_OPTIONS, () => () => {});
          let body = Buffer.alloc(0);
          for (const [bytes, cuts] of rounds) {
            // Half the time an edit of the last body (most chunks the same), else a new one.
            body = bytes.length % 2 === 0 ? Buffer.concat([body.subarray(0, bytes.length), Buffer.from(bytes.subarray(0, 3))]) : Buffer.from(bytes);
            const bounds = [0, ...new Set(cuts.filter((c) => c > 0 && c < body.length))].sort((x, y) => x - y);
            if (body.length > 0) bounds.push(body.length);
            assert.deepEqual(gunzipSync(await gz.gzip(body, bounds)), body);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reuses the compressed chunks that did not change, and only those', async () => {
    const w = new ExpositionWriter();
    const gz = new ChunkedGzip(GZIP_OPTIONS, () => () => {});
    const scopes = netifScopes(names(400));
    const first = w.encode(scopes, resource);
    const chunks = w.chunks.length - 1;
    assert.ok(chunks >= 8, `a body of ${first.length} bytes in ${chunks} chunks`);
    assert.deepEqual(gunzipSync(await gz.gzip(first, w.chunks)), first);
    assert.deepEqual(gz.stats, { reused: 0, compressed: chunks });

    const same = w.encode(bump(scopes, 1, 0), resource);
    assert.deepEqual(gunzipSync(await gz.gzip(same, w.chunks)), same);
    assert.deepEqual(gz.stats, { reused: chunks, compressed: 0 }, 'nothing changed: nothing compressed');

    // The first value of each metric changed: only the chunk holding it, one per metric, is compressed.
    const one = w.encode(bump(scopes, 1_000_000, 1), resource);
    assert.deepEqual(gunzipSync(await gz.gzip(one, w.chunks)), one);
    const metrics = scopes.reduce((n, s) => n + s.metrics.filter((m) => m.dataPoints.length > 0).length, 0);
    assert.ok(metrics < chunks);
    assert.deepEqual(gz.stats, { reused: chunks - metrics, compressed: metrics });
  });

  it('keeps no more memory for the next body than the compressed bytes themselves', async () => {
    // zlib returns a piece as a view of its 16 KB output buffer: 64 pieces of a few hundred bytes
    // each would keep a megabyte alive for as long as their chunks do not change.
    const w = new ExpositionWriter();
    const gz = new ChunkedGzip(GZIP_OPTIONS, () => () => {});
    const body = w.encode(netifScopes(names(1000)), resource);
    const out = await gz.gzip(body, w.chunks);
    const deflated = out.length - 10 - 2 - 8; // header, final empty block, CRC and length
    assert.ok(w.chunks.length > 8, `${w.chunks.length - 1} chunks`);
    assert.equal(gz.retainedBytes, deflated);
  });

  it('is about as small as one gzip stream of the whole body', async () => {
    const w = new ExpositionWriter();
    const body = w.encode(netifScopes(names(1000)), resource);
    const ours = await new ChunkedGzip(GZIP_OPTIONS, () => () => {}).gzip(body, w.chunks);
    const whole = gzipSync(body, GZIP_OPTIONS);
    assert.ok(ours.length < whole.length * 1.05, `${ours.length} bytes against ${whole.length}`);
  });

  it('lets the event loop run while a large changed body compresses', async () => {
    // 4 MB of fresh bytes in 64 KB chunks: compressed in slices with turns of the loop between them.
    const body = randomBytes(4 << 20);
    const bounds = Array.from({ length: 65 }, (_, i) => Math.min(body.length, i * (64 << 10)));
    let turns = 0;
    let polling = true;
    const poll = (): void => {
      if (!polling) return;
      turns++;
      setImmediate(poll);
    };
    setImmediate(poll);
    const out = await new ChunkedGzip(GZIP_OPTIONS, () => () => {}).gzip(body, bounds);
    polling = false;
    assert.deepEqual(gunzipSync(out), body);
    assert.ok(turns >= 8, `the loop ran ${turns} times during 4 MB of deflate`);
  });

  it('holds the last body until the next one replaces it, so a pool cannot hand it out meanwhile', async () => {
    const pool = new BodyPool();
    const gz = new ChunkedGzip(GZIP_OPTIONS, (b) => {
      pool.lease(b);
      return () => pool.release(b);
    });
    const a = pool.take(1000).fill(97);
    const b = pool.take(1000).fill(98);
    await gz.gzip(a, [0, 1000]);
    pool.release(a);
    assert.notEqual(pool.take(1000).buffer, a.buffer, 'still compared with the next body');
    await gz.gzip(b, [0, 1000]);
    assert.equal(pool.take(1000).buffer, a.buffer, 'replaced: free again');
  });
});

describe('ExpositionWriter chunks', () => {
  it('start at 0, end at the body length, ascend, and each starts a line', () => {
    const w = new ExpositionWriter();
    for (const n of [0, 3, 700, 3000]) {
      const body = w.encode(netifScopes(names(n)), resource);
      const c = w.chunks;
      assert.equal(c[0], 0);
      assert.equal(c[c.length - 1], body.length);
      for (let i = 1; i < c.length; i++) {
        assert.ok((c[i] as number) > (c[i - 1] as number), `ascending at ${i}`);
        assert.equal(body[(c[i] as number) - 1], 10, `chunk ${i} starts a line`);
      }
    }
  });
});
