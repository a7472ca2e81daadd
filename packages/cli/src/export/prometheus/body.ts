/**
 * An encoded /metrics body as the pieces it was written in, in order. A piece whose lines did not
 * change since the body before is that body's piece itself (the same Buffer), so a body costs only
 * the memory of what changed, and gzip knows an unchanged piece by identity.
 */
export interface Body {
  readonly chunks: readonly Buffer[];
  /** Bytes in all. */
  readonly length: number;
}

export function bodyOf(bytes: Buffer): Body {
  return { chunks: bytes.length === 0 ? [] : [bytes], length: bytes.length };
}

/** The body as one Buffer (a copy unless it is one piece): for tests, and clients of one write. */
export function joinBody(body: Body): Buffer {
  if (body.chunks.length === 1) return body.chunks[0] as Buffer;
  return Buffer.concat(body.chunks as Buffer[], body.length);
}
