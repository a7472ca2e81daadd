import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { PipelineSnapshot } from '../../src/pipeline/pipeline.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { createPrometheusExporter } from '../../src/export/prometheus/exporter.js';
import { ExpositionCache, WARM_WINDOW_MS } from '../../src/export/prometheus/exposition-cache.js';
import { captureLogger } from '../http/capture-logger.js';
import { netifScopes, snapshotOf } from './snapshot.js';
import { joinBody } from '../../src/export/prometheus/body.js';

/** A pipeline that announces its snapshots, as Pipeline does. */
class EmittingPipeline extends EventEmitter<{ snapshot: [PipelineSnapshot]; sampleError: [Error] }> {
  current: PipelineSnapshot | undefined;
  private seq = 0;
  latest(): PipelineSnapshot | undefined {
    return this.current;
  }
  isReady(): boolean {
    return this.current !== undefined;
  }
  publish(names: string[]): void {
    this.current = snapshotOf(++this.seq, netifScopes(names));
    this.emit('snapshot', this.current);
  }
}

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    }).on('error', reject);
  });
}

describe('ExpositionCache', () => {
  let clock: number;
  let encodes: number;
  let cache: ExpositionCache;

  beforeEach(() => {
    clock = 1_000;
    encodes = 0;
    cache = new ExpositionCache(
      (...args) => {
        encodes++;
        return encodeExposition(...args);
      },
      {},
      () => clock,
    );
  });

  it('encodes nothing ahead of time while nobody has scraped', () => {
    cache.warm(snapshotOf(1, netifScopes()));
    assert.equal(encodes, 0);
  });

  it('after a scrape, encodes the next snapshot ahead of the next scrape, which then only reads it', () => {
    cache.get(snapshotOf(1, netifScopes()));
    assert.equal(encodes, 1);
    const next = snapshotOf(2, netifScopes(['eth0', 'eth1']));
    cache.warm(next);
    assert.equal(encodes, 2);
    const served = cache.get(next);
    assert.equal(encodes, 2);
    assert.equal(joinBody(served.body).toString(), encodeExposition(next.scopeMetrics, next.resource));
  });

  it('gzips ahead of time only when the last scrape asked for gzip, with the same bytes inside', async () => {
    cache.get(snapshotOf(1, netifScopes()));
    const plainNext = snapshotOf(2, netifScopes());
    cache.warm(plainNext);
    assert.equal(cache.get(plainNext).gzipped, undefined);

    await cache.gzipped(cache.get(plainNext));
    const next = snapshotOf(3, netifScopes(['eth9']));
    cache.warm(next);
    const exposition = cache.get(next);
    assert.ok(exposition.gzipped, 'compressed before the scrape asked');
    assert.deepEqual(gunzipSync(await exposition.gzipped), joinBody(exposition.body));
  });

  it('never hands the memory of a gzipped body a scrape still sends to a later one, even one replaced while compressing', async () => {
    const names = (k: number): string[] => Array.from({ length: 300 }, (_, i) => `eth${i}-${k}`);
    const expected = (k: number): Buffer => Buffer.from(encodeExposition(netifScopes(names(k)), snapshotOf(k, []).resource));
    // The default encoder: its bodies are chunked, and gzipped into pooled memory.
    cache = new ExpositionCache();
    const pending = cache.gzipped(cache.get(snapshotOf(1, netifScopes(names(1)))));
    // A new snapshot before the compression is done: the first one is no longer the cache's.
    cache.get(snapshotOf(2, netifScopes(names(2))));
    const first = await pending;
    const sending = cache.holdGzipped(first);
    const copy = Buffer.from(first);
    const memories = new Set<ArrayBufferLike>();
    for (let k = 3; k <= 8; k++) {
      const gz = await cache.gzipped(cache.get(snapshotOf(k, netifScopes(names(k)))));
      assert.deepEqual(gunzipSync(gz), expected(k));
      memories.add(gz.buffer);
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(first, copy, 'the gzipped body a scrape was sending was written into');
    assert.ok(!memories.has(first.buffer));
    assert.ok(memories.size <= 3, `${memories.size} pieces of memory for 6 gzipped bodies`);
    sending();
    assert.deepEqual(gunzipSync(first), expected(1));
  });

  it('stops encoding ahead once nobody has scraped for the warm window', () => {
    cache.get(snapshotOf(1, netifScopes()));
    clock += WARM_WINDOW_MS + 1;
    cache.warm(snapshotOf(2, netifScopes()));
    assert.equal(encodes, 1);
  });

  it('encodes a snapshot once, warmed or scraped, however often either happens', () => {
    const s = snapshotOf(1, netifScopes());
    cache.get(s);
    cache.warm(s);
    cache.warm(s);
    cache.get(s);
    assert.equal(encodes, 1);
  });

  /** Samples every `interval` ms (each warmed), scrapes every `period` ms from `offset`; counts where encodes happen. */
  function simulate(interval: number, period: number, offset: number, durationMs: number): { warmEncodes: number; scrapeEncodes: number; scrapes: number } {
    const events: [number, 'sample' | 'scrape'][] = [];
    for (let t = 0; t < durationMs; t += interval) events.push([t, 'sample']);
    for (let t = offset; t < durationMs; t += period) events.push([t, 'scrape']);
    events.sort((x, y) => x[0] - y[0]);
    let seq = 0;
    let latest = snapshotOf(++seq, netifScopes());
    const counts = { warmEncodes: 0, scrapeEncodes: 0, scrapes: 0 };
    for (const [t, what] of events) {
      clock = 1_000 + t;
      const before = encodes;
      if (what === 'sample') {
        latest = snapshotOf(++seq, netifScopes());
        cache.warm(latest);
        counts.warmEncodes += encodes - before;
      } else {
        cache.get(latest);
        counts.scrapes++;
        counts.scrapeEncodes += encodes - before;
      }
    }
    return counts;
  }

  it('encodes ahead only the snapshots a scrape will read: one in three at a 5 s interval and 15 s scrapes', () => {
    const c = simulate(5_000, 15_000, 2_500, 300_000);
    assert.equal(c.scrapes, 20);
    // The first scrapes teach it the period; after that every scrape finds its bytes ready.
    assert.ok(c.scrapeEncodes <= 3, `${c.scrapeEncodes} scrapes had to encode`);
    assert.ok(c.warmEncodes <= c.scrapes + 3, `${c.warmEncodes} encodes ahead for ${c.scrapes} scrapes`);
  });

  it('encodes every snapshot ahead when scrapes are as frequent as samples', () => {
    const c = simulate(1_000, 1_000, 500, 60_000);
    // Only the very first scrape, before anyone was known to scrape, encodes for itself.
    assert.equal(c.scrapeEncodes, 1);
    assert.equal(c.warmEncodes, 59);
  });

  it('keeps plain text only while scrapes without gzip come, and serves either from what it keeps', async () => {
    const own = new ExpositionCache(undefined, {}, () => clock);
    const names = (k: number): string[] => Array.from({ length: 600 }, (_, i) => `veth${i + k}`);
    const expected = (s: PipelineSnapshot): string => encodeExposition(s.scopeMetrics, s.resource);
    const kept = (e: { body: { chunks: readonly { bytes: Buffer | undefined }[] } }): number => e.body.chunks.filter((c) => c.bytes !== undefined).length;
    // Prometheus: gzip only. The body keeps only compressed pieces.
    const first = snapshotOf(1, netifScopes(names(0)));
    const a = own.get(first);
    assert.equal(gunzipSync(await own.gzipped(a)).toString(), expected(first));
    assert.equal(kept(a), 0, 'plain bytes kept for nobody');
    assert.ok(a.body.chunks.length > 4);
    // A curl: its text comes from the pieces, and the next bodies keep their plain text.
    assert.equal(Buffer.concat(own.plain(a)).toString(), expected(first));
    clock += 5_000;
    const second = snapshotOf(2, netifScopes(names(1)));
    const b = own.get(second);
    assert.equal(kept(b), b.body.chunks.length);
    assert.equal(Buffer.concat(own.plain(b)).toString(), expected(second));
    assert.equal(gunzipSync(await own.gzipped(b)).toString(), expected(second));
    // No plain scrape for the warm window: back to pieces only.
    clock += WARM_WINDOW_MS + 1;
    const third = snapshotOf(3, netifScopes(names(1)));
    const c = own.get(third);
    assert.equal(kept(c), 0);
    assert.equal(gunzipSync(await own.gzipped(c)).toString(), expected(third));
    assert.equal(Buffer.concat(own.plain(c)).toString(), expected(third));
  });

  it('with the default encoder, serves the bytes encodeExposition writes', () => {
    const own = new ExpositionCache();
    for (const [seq, names] of [[1, ['eth0']], [2, ['eth0', 'eth1']], [3, ['eth1']]] as const) {
      const s = snapshotOf(seq, netifScopes([...names]));
      assert.equal(joinBody(own.get(s).body).toString(), encodeExposition(s.scopeMetrics, s.resource));
    }
  });
});

describe('Prometheus exporter: encoding ahead of the scrape', () => {
  it('serves plain and gzip scrapes the same text, whichever came first', async () => {
    const pipeline = new EmittingPipeline();
    const exporter = createPrometheusExporter(pipeline, { host: '127.0.0.1', port: 0 }, captureLogger());
    await exporter.start();
    try {
      const url = `${exporter.server.url().replace(/\/$/, '')}/metrics`;
      const gzipped = (): Promise<string> =>
        new Promise((resolve, reject) => {
          httpGet(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(gunzipSync(Buffer.concat(chunks)).toString()));
          }).on('error', reject);
        });
      for (let k = 0; k < 4; k++) {
        pipeline.publish(Array.from({ length: 500 }, (_, i) => `veth${i + k}`));
        await new Promise((r) => setImmediate(r));
        const snapshot = pipeline.current as PipelineSnapshot;
        const text = encodeExposition(snapshot.scopeMetrics, snapshot.resource);
        // Gzip first (pieces only), then plain; the other way round every other snapshot.
        const order = k % 2 === 0 ? [gzipped, () => scrape(url)] : [() => scrape(url), gzipped];
        for (const get of order) assert.equal(await get(), text);
      }
    } finally {
      await exporter.shutdown();
    }
  });

  it('encodes each new snapshot right after it is published once someone scrapes, and stops listening at shutdown', async () => {
    const pipeline = new EmittingPipeline();
    let encodes = 0;
    const exporter = createPrometheusExporter(
      pipeline,
      {
        host: '127.0.0.1',
        port: 0,
        encode: (...args) => {
          encodes++;
          return encodeExposition(...args);
        },
      },
      captureLogger(),
    );
    await exporter.start();
    try {
      const url = `${exporter.server.url().replace(/\/$/, '')}/metrics`;
      pipeline.publish(['eth0']);
      await new Promise((r) => setImmediate(r));
      assert.equal(encodes, 0, 'nobody scraped yet');
      await scrape(url);
      assert.equal(encodes, 1);
      pipeline.publish(['eth0', 'eth1']);
      await new Promise((r) => setImmediate(r));
      assert.equal(encodes, 2, 'encoded without waiting for a scrape');
      assert.match(await scrape(url), /network_interface_name="eth1"/);
      assert.equal(encodes, 2);
    } finally {
      await exporter.shutdown();
    }
    assert.equal(pipeline.listenerCount('snapshot'), 0);
    assert.equal(pipeline.listenerCount('sampleError'), 0);
  });
});
