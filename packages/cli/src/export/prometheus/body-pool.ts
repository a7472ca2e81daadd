/** Pieces are multiples of this: a body a little longer than the last still fits its memory. */
const SIZE_STEP = 64 * 1024;

/**
 * Memory for encoded /metrics bodies, reused once nothing holds it. Each sample's body is megabytes
 * at thousands of interfaces (8.3 MB at 4000), and a fresh one per encode left dead ones to V8's
 * next full collection, which external memory triggers only after some 64 MB: that was most of the
 * agent's memory at 4000 interfaces. Whoever keeps or sends a body holds a lease on it (the writer
 * for the lines it copies next time, the cache while it is current, gzip while it reads, each
 * response until its socket is done with it); the memory is handed out again only when none is left.
 */
export class BodyPool {
  /** Leases on each piece of memory handed out, by its ArrayBuffer (views share it). */
  private readonly leases = new Map<ArrayBufferLike, number>();
  private readonly free: Buffer[] = [];

  /**
   * `keepFree`: pieces kept for reuse; more are left to the garbage collector. One is enough for the
   * usual cycle: the next body is written into the memory of the one before the current.
   */
  constructor(private readonly keepFree = 1) {}

  /** At least `size` bytes, with one lease held by the caller. */
  take(size: number): Buffer {
    // A piece much bigger than asked for is let go rather than kept in use: the first encode grows
    // its buffer by doubling, and the 4 MB piece it ended with at 1000 interfaces (for a 2.2 MB
    // body) was otherwise handed out again forever.
    const tooBig = size + (size >> 2) + 65536;
    for (let j = this.free.length - 1; j >= 0; j--) if ((this.free[j] as Buffer).length > tooBig) this.free.splice(j, 1);
    const i = this.free.findIndex((b) => b.length >= size);
    // allocUnsafeSlow: memory of its own, not a slice of Node's shared 8 KB pool. Rounded up: a body
    // a few bytes longer than the last (a counter gained a digit) must still fit the free piece.
    const buf = i === -1 ? Buffer.allocUnsafeSlow(Math.ceil(size / SIZE_STEP) * SIZE_STEP) : (this.free.splice(i, 1)[0] as Buffer);
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
    // The most recently released are kept: they are the size bodies are now (an encode that grew
    // its buffer step by step released every smaller one on the way, and those go first).
    this.free.push(Buffer.from(b.buffer, 0, b.buffer.byteLength));
    if (this.free.length > this.keepFree) this.free.shift();
  }

  /** Pieces handed out and not yet released (tests). */
  get leased(): number {
    return this.leases.size;
  }
}
