/**
 * Memory for the chunks of encoded /metrics bodies, reused once nothing holds it. A changed chunk
 * needs memory every sample (every one of them, on a host whose counters all move), and fresh
 * memory per chunk left the dead ones to V8's next full collection, which external memory triggers
 * only after some 64 MB. Whoever keeps or sends a chunk holds a lease on it (the writer while the
 * last body has it, the cache while its body is current, gzip while it reads, each response until
 * its socket is done with it); the memory is handed out again only when none is left.
 */
export class BodyPool {
  /** Leases on each piece of memory handed out, by its ArrayBuffer (views share it). */
  private readonly leases = new Map<ArrayBufferLike, number>();
  /** Oldest first. */
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  /**
   * `keepFreeBytes`: free memory kept for reuse, oldest let go first. The writer sets it after each
   * body (keepFree) to what the last two took: a body replaces at most every chunk of the one before.
   */
  constructor(private keepFreeBytes = 0) {}

  /** Keep up to `bytes` of free memory from now on (the writer sets it to a body's size). */
  keepFree(bytes: number): void {
    this.keepFreeBytes = bytes;
    this.trim();
  }

  /** At least `size` bytes, with one lease held by the caller. */
  take(size: number): Buffer {
    // The smallest free piece that fits, unless even that one is far bigger than asked for.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i] as Buffer;
      if (b.length >= size && (best === -1 || b.length < (this.free[best] as Buffer).length)) best = i;
    }
    let buf: Buffer;
    if (best !== -1 && (this.free[best] as Buffer).length <= size + (size >> 2) + 4096) {
      buf = this.free.splice(best, 1)[0] as Buffer;
      this.freeBytes -= buf.length;
    } else {
      // allocUnsafeSlow: memory of its own, not a slice of Node's shared 8 KB pool. Rounded up: a
      // chunk a few bytes longer than last time (a counter gained a digit) must still fit.
      buf = Buffer.allocUnsafeSlow(roundUp(size));
    }
    this.leases.set(buf.buffer, 1);
    return buf;
  }

  /** One more holder of `b`'s memory; nothing for memory the pool did not hand out. */
  lease(b: Uint8Array): void {
    const n = this.leases.get(b.buffer);
    if (n !== undefined) this.leases.set(b.buffer, n + 1);
  }

  /** One holder fewer; with none left, the memory can be handed out again. */
  release(b: Uint8Array): void {
    const n = this.leases.get(b.buffer);
    if (n === undefined) return;
    if (n > 1) {
      this.leases.set(b.buffer, n - 1);
      return;
    }
    this.leases.delete(b.buffer);
    const piece = Buffer.from(b.buffer, 0, b.buffer.byteLength);
    this.free.push(piece);
    this.freeBytes += piece.length;
    this.trim();
  }

  /** Pieces handed out and not yet released (tests). */
  get leased(): number {
    return this.leases.size;
  }

  /** Free memory kept for reuse (tests). */
  get kept(): number {
    return this.freeBytes;
  }

  private trim(): void {
    while (this.freeBytes > this.keepFreeBytes && this.free.length > 0) {
      const piece = this.free.shift() as Buffer;
      this.freeBytes -= piece.length;
      discard(piece);
    }
  }
}

/**
 * Gives a piece's memory back now. Left to the garbage collector it waits for a full collection,
 * which a steady agent seldom needs (7 MB of an idle 4000-interface agent's chunks sat there for
 * minutes): transferred, the memory belongs to a clone nobody references, which the next young
 * collection frees. Nothing reads a piece the pool let go (nobody held a lease on it).
 */
function discard(piece: Buffer): void {
  structuredClone(piece.buffer, { transfer: [piece.buffer as ArrayBuffer] });
}

/** Up to an eighth more than asked for, in steps of at least 4 KB. */
function roundUp(size: number): number {
  const step = Math.max(4096, 2 ** Math.floor(Math.log2(Math.max(1, size))) / 8);
  return Math.ceil(size / step) * step;
}
