import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { constants, crc32, deflateRawSync, type ZlibOptions } from 'node:zlib';
import { crc32Combine } from './crc32-combine.js';

/** One chunk of a body, compressed on its own: raw deflate ending in a sync flush (byte-aligned, not final). */
interface Piece {
  length: number;
  crc: number;
  deflated: Buffer;
}

interface Gzipped {
  body: Buffer;
  bounds: readonly number[];
  pieces: Piece[];
  release: () => void;
}

// The gzip header of RFC 1952: deflate, no name or time, "unknown" OS; and the empty final block
// (fixed Huffman, end-of-block only) that ends the deflate stream after the last sync-flushed piece.
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/**
 * Bytes deflated between turns of the event loop: a whole 2 MB body (1000 interfaces, every line
 * changed) took 1.6 ms at level 1 in the bench, so a scrape or a sample waits a fraction of a
 * millisecond behind one that is being compressed.
 */
const SLICE_BYTES = 256 * 1024;
const OUTPUT_STEP = 2048;

/**
 * Synchronous on purpose. Measured here (22 chunks of 10 KB, 2026-12-04): zlib's callback API cost
 * 6–14 ms of CPU per body (a stream object, a trip to libuv's pool and back, per chunk), the sync
 * call 2 ms; an agent paying that after every sample is what kept its idle CPU up. It also holds
 * one deflate state (~270 KB) at a time and frees it at once.
 */
function deflatePiece(chunk: Buffer, options: ZlibOptions): Piece {
  const out = deflateRawSync(chunk, options);
  // A piece is kept for as long as its chunk does not change; zlib's result can be a view of a
  // bigger output buffer (or of Node's shared 8 KB pool), which it would keep alive with it.
  let deflated = out;
  if (out.buffer.byteLength !== out.length) {
    deflated = Buffer.allocUnsafeSlow(out.length);
    out.copy(deflated);
  }
  return { length: chunk.length, crc: crc32(chunk), deflated };
}

export interface ChunkedGzipStats {
  /** Chunks of the last body taken from the body gzipped before it, and chunks compressed anew. */
  reused: number;
  compressed: number;
}

/**
 * gzip for bodies that mostly repeat the one before: each chunk (a range of whole lines the writer
 * chose) is deflated on its own, and a chunk byte-for-byte equal to the same chunk of the previous
 * body keeps its compressed bytes and CRC. At 4000 idle interfaces (bench, 2026-12-04) this turned
 * 11 ms of compression per new body into 0.95 ms; a chunk that changed costs what it did, and the
 * output is one ordinary gzip member (pieces joined by sync flushes, CRC combined), readable by any
 * client. Chunks compress independently: the output was within 1% of one stream's size at 100 and
 * 4000 interfaces, and 6% smaller at 1000.
 */
export class ChunkedGzip {
  private last: Gzipped | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats: ChunkedGzipStats = { reused: 0, compressed: 0 };
  /** The caller's options, each piece ending in a sync flush (made once, not per chunk). */
  private readonly options: ZlibOptions;

  /** `hold` keeps a body's memory from being reused (it is compared with the next one) until released. */
  constructor(
    options: ZlibOptions,
    private readonly hold: (body: Buffer) => () => void,
  ) {
    // Output in small steps: zlib's default is a fresh 16 KB buffer per call, for pieces that are
    // mostly a few hundred bytes to a few KB (measured: 174 bytes of a 16 KB buffer). Below 4 KB
    // they come from Node's shared pool instead of memory of their own that waits for a full GC.
    this.options = { ...options, chunkSize: OUTPUT_STEP, finishFlush: constants.Z_SYNC_FLUSH };
  }

  /** Memory the compressed chunks of the last body keep for the next one (tests). */
  get retainedBytes(): number {
    let n = 0;
    for (const p of this.last?.pieces ?? []) n += p.deflated.buffer.byteLength;
    return n;
  }

  /**
   * gzip of `body`, whose chunks start at `bounds` (ascending byte offsets from 0, ending with
   * body.length). One body at a time: each is compared with the one gzipped before it.
   */
  gzip(body: Buffer, bounds: readonly number[]): Promise<Buffer> {
    const run = this.queue.then(() => this.compress(body, bounds));
    // The queue holds neither the result nor the error: only the order.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async compress(body: Buffer, bounds: readonly number[]): Promise<Buffer> {
    const last = this.last;
    const count = Math.max(0, bounds.length - 1);
    const pieces = new Array<Piece>(count);
    const changed: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = bounds[i] as number;
      const end = bounds[i + 1] as number;
      const same = last !== undefined && i + 1 < last.bounds.length && sameBytes(body, start, end, last.body, last.bounds[i] as number, last.bounds[i + 1] as number);
      if (same) pieces[i] = last.pieces[i] as Piece;
      else changed.push(i);
    }
    let sinceYield = 0;
    for (const i of changed) {
      const chunk = body.subarray(bounds[i] as number, bounds[i + 1] as number);
      if (sinceYield > 0 && sinceYield + chunk.length > SLICE_BYTES) {
        await yieldToLoop();
        sinceYield = 0;
      }
      pieces[i] = deflatePiece(chunk, this.options);
      sinceYield += chunk.length;
    }
    const reused = count - changed.length;
    const release = this.hold(body);
    last?.release();
    this.last = { body, bounds, pieces, release };
    this.stats.reused = reused;
    this.stats.compressed = changed.length;
    return assemble(pieces, body.length);
  }
}

function sameBytes(a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number): boolean {
  return aEnd - aStart === bEnd - bStart && a.compare(b, bStart, bEnd, aStart, aEnd) === 0;
}

function assemble(pieces: readonly Piece[], bodyLength: number): Buffer {
  let size = HEADER.length + FINAL_BLOCK.length + 8;
  for (const p of pieces) size += p.deflated.length;
  const out = Buffer.allocUnsafe(size);
  let off = HEADER.copy(out, 0);
  let crc = 0;
  for (const p of pieces) {
    off += p.deflated.copy(out, off);
    crc = crc32Combine(crc, p.crc, p.length);
  }
  off += FINAL_BLOCK.copy(out, off);
  out.writeUInt32LE(crc, off);
  // ISIZE: the length modulo 2^32.
  out.writeUInt32LE(bodyLength % 0x100000000, off + 4);
  return out;
}
