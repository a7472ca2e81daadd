import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GcPacer, arrayBufferBytes, exposedGc, heldBytes, type CollectGarbage } from '../../src/pipeline/gc-pacer.js';

const MB = 1024 * 1024;

/** A heap whose old generation and Buffers the test sets, and a collector that settles when told to. */
function fakeHeap() {
  const heap = { used: 10 * MB, buffers: 2 * MB, calls: [] as Parameters<CollectGarbage>[0][], settle: (): void => {} };
  /** The pacer's readings of this heap. */
  const reads = { heldBytes: () => heap.used, bufferBytes: () => heap.buffers };
  const collect: CollectGarbage = (options) => {
    heap.calls.push(options);
    return new Promise<void>((resolve) => {
      heap.settle = resolve;
    });
  };
  return { heap, collect, reads };
}

const settled = () => new Promise<void>((r) => setImmediate(r));

describe('GcPacer', () => {
  it('collects once the old generation grew by the minimum since the last reading it started from', async () => {
    const { heap, collect, reads } = fakeHeap();
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, ...reads });
    pacer.tick();
    heap.used += 0.9 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 0);
    heap.used += 0.2 * MB;
    pacer.tick();
    assert.deepEqual(heap.calls, [{ type: 'major', execution: 'async' }]);
  });

  it('starts no second collection while one runs, and measures growth from what the collection left', async () => {
    const { heap, collect, reads } = fakeHeap();
    const seen: [number, number][] = [];
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, minIntervalMs: 0, ...reads, onCollected: (b, a) => seen.push([b, a]) });
    pacer.tick();
    heap.used += 2 * MB;
    pacer.tick();
    heap.used += 2 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1);
    heap.used = 10.5 * MB;
    heap.settle();
    await settled();
    assert.deepEqual(seen, [[12 * MB, 10.5 * MB]]);
    heap.used = 11.4 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1, 'less than the minimum above what the collection left');
    heap.used = 11.6 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 2);
    assert.equal(pacer.collections, 2);
  });

  it('takes a lower reading as the new floor: V8 collected on its own', () => {
    const { heap, collect, reads } = fakeHeap();
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, ...reads });
    pacer.tick();
    heap.used = 6 * MB;
    pacer.tick();
    heap.used = 6.9 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 0);
    heap.used = 7.1 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1);
  });

  it('waits for the growth ratio on a large heap', () => {
    const { heap, collect, reads } = fakeHeap();
    heap.used = 40 * MB;
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0.1, ...reads });
    pacer.tick();
    heap.used = 43.9 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 0);
    heap.used = 44.1 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1);
  });

  it('survives a collector that throws or rejects, and tries again on the next growth', async () => {
    let calls = 0;
    let used = 10 * MB;
    const pacer = new GcPacer(
      () => {
        calls++;
        if (calls === 1) throw new Error('no');
        return Promise.reject(new Error('no'));
      },
      { minGrowthBytes: 1 * MB, growthRatio: 0, minIntervalMs: 0, heldBytes: () => used, bufferBytes: () => 0 },
    );
    pacer.tick();
    used += 2 * MB;
    pacer.tick();
    used += 2 * MB;
    pacer.tick();
    await settled();
    used += 2 * MB;
    pacer.tick();
    assert.equal(calls, 3);
  });

  /** A pacer on its default interval, with a fake heap and clock (1 MB threshold), after its first collection, at time 0. */
  async function afterFirstCollection() {
    const { heap, collect, reads } = fakeHeap();
    const clock = { now: 0 };
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, now: () => clock.now, ...reads });
    pacer.tick();
    heap.used += 1.5 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1);
    heap.settle();
    await settled();
    return { heap, clock, pacer };
  }

  it('starts at most one collection per minimum interval, however fast the old generation grows', async () => {
    const { heap, clock, pacer } = await afterFirstCollection();
    // Interfaces churning: the old generation grows fast.
    heap.used += 2.5 * MB;
    clock.now = 4_999;
    pacer.tick();
    assert.equal(heap.calls.length, 1, 'within the interval');
    clock.now = 5_000;
    pacer.tick();
    assert.equal(heap.calls.length, 2);
    heap.settle();
    await settled();
    heap.used += 1.1 * MB;
    clock.now = 9_999;
    pacer.tick();
    assert.equal(heap.calls.length, 2, 'within the interval again');
    clock.now = 10_000;
    pacer.tick();
    assert.equal(heap.calls.length, 3);
  });

  it('collects the young generation once Buffers grew by their minimum since what the last collection left', async () => {
    const { heap, collect, reads } = fakeHeap();
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, minBufferGrowthBytes: 256 * 1024, ...reads });
    pacer.tick();
    heap.buffers += 250 * 1024;
    pacer.tick();
    assert.equal(heap.calls.length, 0);
    // A lower reading (V8 scavenged on its own) is the new floor.
    heap.buffers = 1.5 * MB;
    pacer.tick();
    heap.buffers = 1.5 * MB + 250 * 1024;
    pacer.tick();
    assert.equal(heap.calls.length, 0);
    heap.buffers = 1.5 * MB + 260 * 1024;
    pacer.tick();
    assert.deepEqual(heap.calls, [{ type: 'minor', execution: 'async' }]);
    heap.buffers += 1 * MB;
    pacer.tick();
    assert.equal(heap.calls.length, 1, 'none while one runs');
    heap.buffers = 1.7 * MB;
    heap.settle();
    await settled();
    heap.buffers = 1.7 * MB + 250 * 1024;
    pacer.tick();
    assert.equal(heap.calls.length, 1, 'less than the minimum above what the collection left');
    heap.buffers = 1.7 * MB + 260 * 1024;
    pacer.tick();
    assert.equal(heap.calls.length, 2);
    assert.deepEqual([pacer.collections, pacer.youngCollections], [0, 2]);
  });

  it('starts the full collection alone when both are due, and measures Buffers from what it left', async () => {
    const { heap, collect, reads } = fakeHeap();
    const pacer = new GcPacer(collect, { minGrowthBytes: 1 * MB, growthRatio: 0, minBufferGrowthBytes: 256 * 1024, ...reads });
    pacer.tick();
    heap.used += 2 * MB;
    heap.buffers += 2 * MB;
    pacer.tick();
    assert.deepEqual(heap.calls, [{ type: 'major', execution: 'async' }]);
    heap.used = 10 * MB;
    heap.buffers = 1 * MB;
    heap.settle();
    await settled();
    heap.buffers = 1 * MB + 250 * 1024;
    pacer.tick();
    assert.equal(heap.calls.length, 1);
    heap.buffers = 1 * MB + 260 * 1024;
    pacer.tick();
    assert.deepEqual(heap.calls[1], { type: 'minor', execution: 'async' });
  });

  it('a full collection within its minimum interval leaves the young one to start', async () => {
    const { heap, clock, pacer } = await afterFirstCollection();
    heap.used += 2 * MB;
    heap.buffers += 1 * MB;
    clock.now = 1_000;
    pacer.tick();
    assert.deepEqual(heap.calls[1], { type: 'minor', execution: 'async' });
    assert.deepEqual([pacer.collections, pacer.youngCollections], [1, 1]);
  });

  it('finds the collector --expose-gc puts on globalThis, and nothing without it', () => {
    const g = globalThis as { gc?: unknown };
    const had = Object.getOwnPropertyDescriptor(g, 'gc');
    try {
      const fn = () => {};
      g.gc = fn;
      assert.equal(exposedGc(), fn);
      delete g.gc;
      assert.equal(exposedGc(), undefined);
    } finally {
      if (had) Object.defineProperty(g, 'gc', had);
    }
  });

  it("really collects with V8's collector, reading V8's old generation", async () => {
    // What --expose-gc gives the agent, obtained here without restarting mocha with the flag.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as CollectGarbage;
    const sync = gc as unknown as (options: { type: 'major' | 'minor'; execution: 'sync' }) => void;
    const seen: [number, number][] = [];
    const pacer = new GcPacer(gc, { minGrowthBytes: 1 * MB, growthRatio: 0, onCollected: (b, a) => seen.push([b, a]) });
    sync({ type: 'major', execution: 'sync' });
    pacer.tick();
    // A few MB promoted to the old generation (they live through the collections), then dead.
    let garbage: object[] | undefined = [];
    for (let i = 0; i < 100_000; i++) garbage.push({ i, s: `x${i}` });
    sync({ type: 'major', execution: 'sync' });
    sync({ type: 'major', execution: 'sync' });
    garbage.length = 0;
    garbage = undefined;
    pacer.tick();
    assert.equal(pacer.collections, 1);
    while (seen.length === 0) await settled();
    const [[before, after]] = seen as [[number, number]];
    assert.ok(after < before - 4 * MB, `collected: ${before} -> ${after}`);
  });

  it('counts Buffers promoted and dead, whose objects are small and whose bytes are not', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as CollectGarbage;
    const sync = gc as unknown as (options: { type: 'major' | 'minor'; execution: 'sync' }) => void;
    const seen: [number, number][] = [];
    const pacer = new GcPacer(gc, { minGrowthBytes: 1 * MB, growthRatio: 0, minIntervalMs: 0, onCollected: (b, a) => seen.push([b, a]) });
    sync({ type: 'major', execution: 'sync' });
    pacer.tick();
    // 64 compressed chunks of 32 KB, as an encode on a busy host replaces them: 2 MB in 64 objects.
    let pieces: Buffer[] | undefined = [];
    for (let i = 0; i < 64; i++) pieces.push(Buffer.allocUnsafeSlow(32 * 1024).fill(i));
    sync({ type: 'minor', execution: 'sync' });
    sync({ type: 'minor', execution: 'sync' });
    const held = heldBytes();
    pieces = undefined;
    pacer.tick();
    assert.equal(pacer.collections, 1, `held ${held}`);
    while (seen.length === 0) await settled();
    const [[before]] = seen as [[number, number]];
    // V8 sweeps dead ArrayBuffers after the pause and counts their bytes as freed once the sweep
    // is finished, which the next collection makes sure of (a scavenge, as the next sample brings).
    await new Promise((r) => setTimeout(r, 50));
    sync({ type: 'minor', execution: 'sync' });
    assert.ok(heldBytes() < before - 1.5 * MB, `collected: ${before} -> ${heldBytes()}`);
  });

  it("frees dead young Buffers with V8's scavenge, counted by Node as they go", async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as CollectGarbage;
    const sync = gc as unknown as (options: { type: 'major' | 'minor'; execution: 'sync' }) => void;
    const pacer = new GcPacer(gc, { minGrowthBytes: 1024 * MB, growthRatio: 0, minBufferGrowthBytes: 1 * MB });
    sync({ type: 'major', execution: 'sync' });
    pacer.tick();
    // What a gzip scrape on a busy host leaves: compressed pieces and zlib's output steps, all dead.
    let pieces: Buffer[] | undefined = [];
    for (let i = 0; i < 64; i++) pieces.push(Buffer.allocUnsafeSlow(32 * 1024).fill(i));
    const before = arrayBufferBytes();
    pieces = undefined;
    pacer.tick();
    assert.deepEqual([pacer.collections, pacer.youngCollections], [0, 1]);
    // The collection is posted as a task: give it a few turns of the loop, allocating nothing.
    for (let i = 0; i < 20 && arrayBufferBytes() > before - 1.5 * MB; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(arrayBufferBytes() < before - 1.5 * MB, `freed: ${before} -> ${arrayBufferBytes()}`);
  });
});
