import type { Piece } from './piece.js';
import { inflatePiece } from './piece.js';

/**
 * A range of whole lines of an encoded /metrics body, as plain bytes, compressed, or both. A chunk
 * whose lines did not change since the body before is that body's chunk itself (or shares its
 * piece), so a body costs only the memory of what changed, and gzip compresses a chunk once. Plain
 * bytes are kept only while someone scrapes without gzip: Prometheus asks for gzip, and the plain
 * text of 1000 interfaces is 1.7 MB where its pieces are 65 KB.
 */
export interface Chunk {
  /** Never written into once the chunk is handed out. Undefined: inflate `piece` to read it. */
  readonly bytes: Buffer | undefined;
  /** Set once gzip compressed the chunk (or the writer did, not keeping the plain bytes). */
  piece: Piece | undefined;
  readonly length: number;
}

/** An encoded /metrics body as the chunks it was written in, in order. */
export interface Body {
  readonly chunks: readonly Chunk[];
  /** Bytes in all. */
  readonly length: number;
}

export function chunkOf(bytes: Buffer): Chunk {
  return { bytes, piece: undefined, length: bytes.length };
}

export function bodyOf(bytes: Buffer): Body {
  return { chunks: bytes.length === 0 ? [] : [chunkOf(bytes)], length: bytes.length };
}

/** A chunk's plain bytes: its own, or inflated from its piece (a copy nobody else holds). */
export function plainBytes(chunk: Chunk): Buffer {
  if (chunk.bytes !== undefined) return chunk.bytes;
  if (chunk.piece === undefined) throw new Error('a /metrics chunk with neither bytes nor a compressed piece');
  return inflatePiece(chunk.piece);
}

/** The body as one Buffer (a copy unless it is one chunk with its bytes): for tests, and clients of one write. */
export function joinBody(body: Body): Buffer {
  if (body.chunks.length === 1) return plainBytes(body.chunks[0] as Chunk);
  return Buffer.concat(body.chunks.map(plainBytes), body.length);
}
