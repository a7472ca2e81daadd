import { constants, crc32, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';

/** One chunk of a body, compressed on its own: raw deflate ending in a sync flush (byte-aligned, not final). */
export interface Piece {
  /** Length of the chunk it holds. */
  length: number;
  crc: number;
  deflated: Buffer;
}

const OUTPUT_STEP = 2048;

/**
 * The options every piece is compressed with: the caller's, ending in a sync flush. Output in small
 * steps: zlib's default is a fresh 16 KB buffer per call, for pieces that are mostly a few hundred
 * bytes to a few KB (measured: 174 bytes of a 16 KB buffer). Below 4 KB they come from Node's shared
 * pool instead of memory of their own that waits for a full GC. A piece is compressed by a zlib
 * stream of its own, set up and freed each time, so its state is kept small: at memLevel 9 setting
 * one up cost four times as much as compressing a 20 KB piece (211 against 49 µs, same output);
 * an 8 KB window and memLevel 7 take 96 KB of malloc'd state instead of 256 KB (15 and 8), in
 * blocks of at most 32 KB, for the same output: the 44 chunks of a 2.2 MB body (1000 veths with
 * traffic, every line changed) came to 89,385 against 89,552 bytes, in 2.13 against 2.27 ms
 * (level 1, 2026-12-06). A line of Prometheus text repeats the one before it, well within 8 KB.
 */
export function pieceOptions(options: ZlibOptions): ZlibOptions {
  return { ...options, windowBits: 13, memLevel: 7, chunkSize: OUTPUT_STEP, finishFlush: constants.Z_SYNC_FLUSH };
}

/**
 * Synchronous on purpose. Measured here (22 chunks of 10 KB, 2026-12-04): zlib's callback API cost
 * 6–14 ms of CPU per body (a stream object, a trip to libuv's pool and back, per chunk), the sync
 * call 2 ms; an agent paying that after every sample is what kept its idle CPU up. It also holds
 * one deflate state (96 KB: window plus hash tables, see pieceOptions) at a time and frees it at once.
 * `options`: from pieceOptions(), so the piece ends in a sync flush.
 */
export function deflatePiece(chunk: Uint8Array, options: ZlibOptions): Piece {
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

/** The chunk a piece holds: a sync-flushed raw deflate stream has no final block to wait for. */
export function inflatePiece(piece: Piece): Buffer {
  const out = inflateRawSync(piece.deflated, { finishFlush: constants.Z_SYNC_FLUSH });
  if (out.length !== piece.length) throw new Error(`a compressed /metrics chunk inflated to ${out.length} bytes, not ${piece.length}`);
  return out;
}
