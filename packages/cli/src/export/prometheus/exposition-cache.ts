import { constants, gzip } from 'node:zlib';
import { monotonicNowMs } from '@otel-netif/receiver-netif';
import { ChunkedGzip } from './chunked-gzip.js';
import { deflatePiece, pieceOptions } from './piece.js';
import type { PipelineSnapshot } from '../../pipeline/pipeline.js';
import { encodeExposition } from './encode.js';
import type { EncodeOptions } from './encode.js';
import { BodyPool } from './body-pool.js';
import { bodyOf, joinBody, plainBytes } from './body.js';
import type { Body, Chunk } from './body.js';
import { ExpositionWriter } from './writer.js';

// Not util.promisify: `import … from 'node:util'` builds util's module namespace, which runs its lazy
// getters and loads parseArgs and MIMEType, ~0.2 MiB resident for one wrapper (2026-12-05, Node 20).
function gzipAsync(body: Buffer, options: typeof GZIP_OPTIONS): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(body, options, (err, out) => (err ? reject(err) : resolve(out))));
}

// Level 1: at 4000 interfaces (9 MB of text) it compresses in a quarter of the default level's time
// for about 12% more bytes on the wire, and /metrics text is repetitive enough that the faster
// level already shrinks it more than 20-fold.
export const GZIP_OPTIONS = { level: 1, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY };

/**
 * How long after the last scrape new snapshots are still encoded ahead of time. Prometheus scrapes
 * every 15 s to a few minutes; an agent nobody scrapes (any more) does not encode at all.
 */
export const WARM_WINDOW_MS = 5 * 60_000;

/** Scrape times kept to tell the scrape period. */
const RECENT_SCRAPES = 5;

export type ExpositionEncoder = typeof encodeExposition;

export interface Exposition {
  seq: number;
  body: Body;
  /** Chunked by ExpositionWriter, for ChunkedGzip; false: gzip the body as one. */
  chunked: boolean;
  /** Made on the first scrape that asks for gzip (or ahead of it), then shared by later ones. */
  gzipped?: Promise<Buffer>;
  /** What `gzipped` resolved to, while the cache holds its memory. */
  gzip?: Buffer;
}

/**
 * The encoded body of the latest snapshot. Snapshots are immutable and numbered, so every scrape
 * between two samples (several Prometheus servers, a curl) reuses the same bytes: encoding costs
 * once per sample, not once per scrape. With the default encoder the body is written by an
 * ExpositionWriter, which also reuses the lines that did not change since the previous sample.
 */
export class ExpositionCache {
  private current: Exposition | undefined;
  private readonly pool = new BodyPool();
  /**
   * Memory for gzipped bodies: a new one per snapshot that is scraped with gzip (240 KB at 4000
   * idle interfaces), which otherwise waited for a full collection, some twenty of them at a time.
   */
  private readonly gzipPool = new BodyPool();
  private readonly writer: ExpositionWriter | undefined;
  private readonly chunkedGzip: ChunkedGzip;
  /** monotonicNowMs() of the last few scrapes, oldest first, and whether the last asked for gzip. */
  private readonly scrapes: number[] = [];
  private lastScrapeGzip = false;
  /** monotonicNowMs() of the last scrape without gzip. */
  private lastPlainMs: number | undefined;
  /** monotonicNowMs() of the last warm(): the time between two is the sampling interval. */
  private lastWarmMs: number | undefined;

  constructor(
    private readonly encode: ExpositionEncoder = encodeExposition,
    private readonly encodeOptions: EncodeOptions = {},
    private readonly now: () => number = monotonicNowMs,
  ) {
    // A replaced encoder (tests count calls through it) is called as before, once per snapshot.
    const options = pieceOptions(GZIP_OPTIONS);
    this.writer = encode === encodeExposition ? new ExpositionWriter(this.pool, (chunk) => deflatePiece(chunk, options)) : undefined;
    this.chunkedGzip = new ChunkedGzip(GZIP_OPTIONS);
  }

  /**
   * Holds `body`'s memory until `done` runs: a response being written still reads it after the
   * handler returns, and without a lease the next encode could write into it.
   */
  hold(body: Body): () => void {
    return leaseUntilDone(this.pool, plainOf(body.chunks));
  }

  /**
   * The body's plain bytes for a scrape without gzip, chunk by chunk: a chunk kept only compressed
   * is inflated for this response. From now on, and for WARM_WINDOW_MS after the last such scrape,
   * new bodies keep their plain bytes.
   */
  plain(exposition: Exposition): Buffer[] {
    this.lastPlainMs = this.now();
    return exposition.body.chunks.map(plainBytes);
  }

  /** Holds a gzipped body's memory until `done` runs, as hold() does a body's. */
  holdGzipped(gzipped: Buffer): () => void {
    return leaseUntilDone(this.gzipPool, [gzipped]);
  }

  /** The exposition for a scrape of `snapshot`. */
  get(snapshot: PipelineSnapshot): Exposition {
    this.scrapes.push(this.now());
    if (this.scrapes.length > RECENT_SCRAPES) this.scrapes.shift();
    return this.encoded(snapshot);
  }

  gzipped(exposition: Exposition): Promise<Buffer> {
    this.lastScrapeGzip = true;
    return this.compress(exposition);
  }

  /**
   * Encodes a new snapshot (and gzips it, if the last scrape asked for gzip) ahead of the scrape
   * that will read it, so the scrape only sends bytes and its latency no longer grows with the
   * number of interfaces. Only when a scrape is expected before the next snapshot replaces this
   * one: Prometheus scrapes on a fixed period, usually longer than the sampling interval (15 s vs
   * 5 s), and encoding every snapshot would triple the work. A scrape nobody predicted still gets
   * its bytes, encoded then.
   */
  warm(snapshot: PipelineSnapshot): void {
    const now = this.now();
    const interval = this.lastWarmMs === undefined ? undefined : now - this.lastWarmMs;
    this.lastWarmMs = now;
    if (!this.scrapeExpected(now, interval)) return;
    const exposition = this.encoded(snapshot);
    if (this.lastScrapeGzip) this.compress(exposition).catch(() => {});
  }

  /** Whether a scrape is likely between `now` and the next snapshot, `interval` ms from now. */
  private scrapeExpected(now: number, interval: number | undefined): boolean {
    const { scrapes } = this;
    const last = scrapes.at(-1);
    if (last === undefined || now - last > WARM_WINDOW_MS) return false;
    // Until the scrape period and the sampling interval are known, assume the next scrape is soon.
    if (scrapes.length < 3 || interval === undefined || interval <= 0) return true;
    const gaps = scrapes.slice(1).map((t, i) => t - (scrapes[i] as number)).sort((a, b) => a - b);
    const period = gaps[gaps.length >> 1] as number;
    if (period <= interval) return true;
    // Scrapes come back every `period` after each of the last two (two Prometheus servers interleave).
    const slack = 0.1 * period + 50;
    for (const s of scrapes.slice(-2)) {
      const next = s + period * Math.ceil((now - slack - s) / period);
      if (next <= now + interval + slack) return true;
    }
    return false;
  }

  private encoded(snapshot: PipelineSnapshot): Exposition {
    if (this.current?.seq !== snapshot.seq) {
      // Plain text is kept while someone reads it: 1.7 MB at 1000 interfaces, against 65 KB gzipped.
      const keepPlain = this.lastPlainMs !== undefined && this.now() - this.lastPlainMs <= WARM_WINDOW_MS;
      const body = this.writer
        ? this.writer.encode(snapshot.scopeMetrics, snapshot.resource, this.encodeOptions, keepPlain)
        : bodyOf(Buffer.from(this.encode(snapshot.scopeMetrics, snapshot.resource, this.encodeOptions), 'utf8'));
      // The cache's own lease on the current body; the body it replaces loses it.
      for (const c of plainOf(body.chunks)) this.pool.lease(c);
      const replaced = this.current;
      this.current = { seq: snapshot.seq, body, chunked: this.writer !== undefined };
      if (replaced) {
        for (const c of plainOf(replaced.body.chunks)) this.pool.release(c);
        // Still being compressed: released when done (see compress).
        if (replaced.gzip) this.gzipPool.release(replaced.gzip);
      }
    }
    return this.current;
  }

  private compress(exposition: Exposition): Promise<Buffer> {
    if (!exposition.gzipped) {
      const done = this.hold(exposition.body);
      const p = (exposition.chunked ? this.chunkedGzip.gzip(exposition.body, (n) => this.gzipPool.take(n)) : gzipAsync(joinBody(exposition.body), GZIP_OPTIONS)).finally(done);
      exposition.gzipped = p;
      p.then(
        (gzip) => {
          // The cache's lease, taken with the memory, lasts while the exposition is current; room
          // for one more of the size, for the next snapshot's.
          this.gzipPool.keepFree(2 * gzip.buffer.byteLength);
          if (exposition === this.current) exposition.gzip = gzip;
          // Replaced meanwhile: let go after the scrapes waiting for it took their leases (they
          // resume in this same turn of the loop, right after this).
          else setImmediate(() => this.gzipPool.release(gzip));
        },
        // A failed compression is not cached: the next scrape tries again.
        () => {
          if (exposition.gzipped === p) delete exposition.gzipped;
        },
      );
    }
    return exposition.gzipped;
  }
}

/** The plain bytes the chunks have (the memory a lease is on). */
function plainOf(chunks: readonly Chunk[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) if (c.bytes !== undefined) out.push(c.bytes);
  return out;
}

/** A lease on each of `pieces`, given back once by the function returned (a second call does nothing). */
function leaseUntilDone(pool: BodyPool, pieces: readonly Uint8Array[]): () => void {
  for (const p of pieces) pool.lease(p);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const p of pieces) pool.release(p);
  };
}
