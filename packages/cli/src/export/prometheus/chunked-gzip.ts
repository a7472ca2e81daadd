import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { constants, crc32, deflateRawSync, type ZlibOptions } from 'node:zlib';
import type { Body } from './body.js';
import { crc32Combine } from './crc32-combine.js';

/** One chunk of a body, compressed on its own: raw deflate ending in a sync flush (byte-aligned, not final). */
interface Piece {
  length: number;
  crc: number;
  deflated: Buffer;
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
 * one deflate state (256 KB at memLevel 8: window plus hash tables) at a time and frees it at once.
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
 * chose) is deflated on its own, and a chunk that is the same Buffer as one of the previous body
 * (the writer hands out an unchanged chunk itself) keeps its compressed bytes and CRC. At 4000 idle
 * interfaces (bench, 2026-12-04) this turned 11 ms of compression per new body into 0.95 ms; a
 * chunk that changed costs what it did, and the output is one ordinary gzip member (pieces joined
 * by sync flushes, CRC combined), readable by any client. Chunks compress independently: the
 * output was within 1% of one stream's size at 100 and 4000 interfaces, and 6% smaller at 1000.
 */
export class ChunkedGzip {
  /** The last body's pieces by chunk. */
  private last = new Map<Buffer, Piece>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats: ChunkedGzipStats = { reused: 0, compressed: 0 };
  /** The caller's options, each piece ending in a sync flush (made once, not per chunk). */
  private readonly options: ZlibOptions;

  constructor(options: ZlibOptions) {
    // Output in small steps: zlib's default is a fresh 16 KB buffer per call, for pieces that are
    // mostly a few hundred bytes to a few KB (measured: 174 bytes of a 16 KB buffer). Below 4 KB
    // they come from Node's shared pool instead of memory of their own that waits for a full GC.
    // memLevel 8 whatever the caller's: a piece is compressed by a zlib stream of its own, and at
    // memLevel 9 setting one up cost four times as much as compressing a 20 KB piece (211 against
    // 49 µs, same output), most of an idle agent's gzip CPU.
    this.options = { ...options, memLevel: 8, chunkSize: OUTPUT_STEP, finishFlush: constants.Z_SYNC_FLUSH };
  }

  /** Memory the compressed chunks of the last body keep for the next one (tests). */
  get retainedBytes(): number {
    let n = 0;
    for (const p of this.last.values()) n += p.deflated.buffer.byteLength;
    return n;
  }

  /**
   * gzip of `body`, in memory from `take`. One body at a time: each is compared with the one gzipped
   * before it. Its chunks must not change until the promise settles (the caller holds them).
   */
  gzip(body: Body, take: (size: number) => Buffer = allocate): Promise<Buffer> {
    const run = this.queue.then(() => this.compress(body, take));
    // The queue holds neither the result nor the error: only the order.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async compress(body: Body, take: (size: number) => Buffer): Promise<Buffer> {
    const { chunks } = body;
    const last = this.last;
    const pieces = new Array<Piece>(chunks.length);
    const changed: number[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const piece = last.get(chunks[i] as Buffer);
      if (piece !== undefined) pieces[i] = piece;
      else changed.push(i);
    }
    let sinceYield = 0;
    for (const i of changed) {
      const chunk = chunks[i] as Buffer;
      if (sinceYield > 0 && sinceYield + chunk.length > SLICE_BYTES) {
        await yieldToLoop();
        sinceYield = 0;
      }
      pieces[i] = deflatePiece(chunk, this.options);
      sinceYield += chunk.length;
    }
    const next = new Map<Buffer, Piece>();
    for (let i = 0; i < chunks.length; i++) next.set(chunks[i] as Buffer, pieces[i] as Piece);
    this.last = next;
    this.stats.reused = chunks.length - changed.length;
    this.stats.compressed = changed.length;
    return assemble(pieces, body.length, take);
  }
}

function allocate(size: number): Buffer {
  return Buffer.allocUnsafe(size);
}

/** The gzip member, in memory from `take` (which may be longer than asked for). */
function assemble(pieces: readonly Piece[], bodyLength: number, take: (size: number) => Buffer): Buffer {
  let size = HEADER.length + FINAL_BLOCK.length + 8;
  for (const p of pieces) size += p.deflated.length;
  const out = take(size).subarray(0, size);
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
