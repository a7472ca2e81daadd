import { constants, crc32, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';

/** One chunk of a body, compressed on its own: raw deflate ending in a sync flush (byte-aligned, not final). */
export interface Piece {
  /** Length of the chunk it holds. */
  length: number;
  crc: number;
  deflated: Buffer;
}

/** Output in small steps: see ChunkedGzip, which sets the options every piece is made with. */
export const PIECE_OUTPUT_STEP = 2048;

/**
 * Synchronous on purpose. Measured here (22 chunks of 10 KB, 2026-12-04): zlib's callback API cost
 * 6–14 ms of CPU per body (a stream object, a trip to libuv's pool and back, per chunk), the sync
 * call 2 ms; an agent paying that after every sample is what kept its idle CPU up. It also holds
 * one deflate state (256 KB at memLevel 8: window plus hash tables) at a time and frees it at once.
 * `options` must end the piece in a sync flush (finishFlush: Z_SYNC_FLUSH).
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
