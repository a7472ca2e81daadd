import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { chunkOf, joinBody } from '../../src/export/prometheus/body.js';
import type { Body, Chunk } from '../../src/export/prometheus/body.js';
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

const joined = (chunks: readonly Chunk[]): Buffer => Buffer.concat(chunks.map((c) => c.bytes as Buffer));
const bodyOfChunks = (chunks: readonly Chunk[]): Body => ({ chunks, length: chunks.reduce((n, c) => n + c.length, 0) });

describe('ChunkedGzip', () => {
  it('gzips to exactly the body, over random bodies, chunkings and kept chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 300 })), { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        async (rounds) => {
          const gz = new ChunkedGzip(GZIP_OPTIONS);
          let last: Chunk[] = [];
          for (const round of rounds) {
            // Each chunk either one of the last body's (kept, as the writer hands them out) or new bytes.
            const chunks = round.map(([keep, bytes], i) => (keep && last[i] !== undefined ? last[i] : chunkOf(Buffer.from(bytes))) as Chunk);
            assert.deepEqual(gunzipSync(await gz.gzip(bodyOfChunks(chunks))), joined(chunks));
            last = chunks;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reuses the compressed chunks the writer kept, and only those', async () => {
    const w = new ExpositionWriter();
    const gz = new ChunkedGzip(GZIP_OPTIONS);
    const scopes = netifScopes(names(400));
    const first = w.encode(scopes, resource);
    const chunks = first.chunks.length;
    assert.ok(chunks >= 8, `a body of ${first.length} bytes in ${chunks} chunks`);
    assert.deepEqual(gunzipSync(await gz.gzip(first)), joinBody(first));
    assert.deepEqual(gz.stats, { reused: 0, compressed: chunks });

    const same = w.encode(bump(scopes, 1, 0), resource);
    assert.deepEqual(gunzipSync(await gz.gzip(same)), joinBody(same));
    assert.deepEqual(gz.stats, { reused: chunks, compressed: 0 }, 'nothing changed: nothing compressed');

    // The first value of each metric changed: only the chunk holding it, one per metric, is compressed.
    const one = w.encode(bump(scopes, 1_000_000, 1), resource);
    assert.deepEqual(gunzipSync(await gz.gzip(one)), joinBody(one));
    const metrics = scopes.reduce((n, s) => n + s.metrics.filter((m) => m.dataPoints.length > 0).length, 0);
    assert.ok(metrics < chunks);
    assert.deepEqual(gz.stats, { reused: chunks - metrics, compressed: metrics });
  });

  it('knows a chunk by identity, wherever it moved, and never by equal bytes in another chunk', async () => {
    const gz = new ChunkedGzip(GZIP_OPTIONS);
    const a = chunkOf(Buffer.from('a 1\n'.repeat(100)));
    const b = chunkOf(Buffer.from('b 2\n'.repeat(100)));
    await gz.gzip(bodyOfChunks([a, b]));
    const swapped = await gz.gzip(bodyOfChunks([b, a]));
    assert.deepEqual(gz.stats, { reused: 2, compressed: 0 });
    assert.deepEqual(gunzipSync(swapped), joined([b, a]));
    await gz.gzip(bodyOfChunks([chunkOf(Buffer.from(a.bytes as Buffer)), b]));
    assert.deepEqual(gz.stats, { reused: 1, compressed: 1 });
  });

  it('keeps no more memory for the next body than the compressed bytes themselves', async () => {
    // zlib returns a piece as a view of its 16 KB output buffer: dozens of pieces of a few hundred
    // bytes each would keep a megabyte alive for as long as their chunks do not change.
    const w = new ExpositionWriter();
    const gz = new ChunkedGzip(GZIP_OPTIONS);
    const body = w.encode(netifScopes(names(1000)), resource);
    const out = await gz.gzip(body);
    const deflated = out.length - 10 - 2 - 8; // header, final empty block, CRC and length
    assert.ok(body.chunks.length > 8, `${body.chunks.length} chunks`);
    assert.equal(gz.retainedBytes, deflated);
  });

  it('is about as small as one gzip stream of the whole body', async () => {
    const w = new ExpositionWriter();
    const body = w.encode(netifScopes(names(1000)), resource);
    const ours = await new ChunkedGzip(GZIP_OPTIONS).gzip(body);
    const whole = gzipSync(joinBody(body), GZIP_OPTIONS);
    assert.ok(ours.length < whole.length * 1.05, `${ours.length} bytes against ${whole.length}`);
  });

  it('lets the event loop run while a large changed body compresses', async () => {
    // 4 MB of fresh bytes in 64 KB chunks: compressed in slices with turns of the loop between them.
    const chunks = Array.from({ length: 64 }, () => chunkOf(randomBytes(64 << 10)));
    let turns = 0;
    let polling = true;
    const poll = (): void => {
      if (!polling) return;
      turns++;
      setImmediate(poll);
    };
    setImmediate(poll);
    const out = await new ChunkedGzip(GZIP_OPTIONS).gzip(bodyOfChunks(chunks));
    polling = false;
    assert.deepEqual(gunzipSync(out), joined(chunks));
    assert.ok(turns >= 8, `the loop ran ${turns} times during 4 MB of deflate`);
  });
});

describe('ExpositionWriter chunks', () => {
  it('are whole lines, and together the body', () => {
    const w = new ExpositionWriter();
    for (const n of [0, 3, 700, 3000]) {
      const body = w.encode(netifScopes(names(n)), resource);
      assert.equal(body.length, joinBody(body).length);
      for (const [i, { bytes: c }] of body.chunks.entries()) {
        assert.ok(c !== undefined && c.length > 0, `chunk ${i} is empty`);
        assert.equal(c[c.length - 1], 10, `chunk ${i} ends a line`);
      }
      if (n === 3000) assert.ok(body.chunks.length > 16, `${body.chunks.length} chunks`);
    }
  });
});
