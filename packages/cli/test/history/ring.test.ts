import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BYTES_PER_INTERFACE_SLOT, DEFAULT_HISTORY_MEMORY, HISTORY_FIELDS, HistoryRing, MIN_HISTORY_SLOTS, HistorySeries, type HistoryField, type HistoryPoint, type HistoryWindow } from '../../src/history/ring.js';

const p = (rx: number | undefined, tx = 0): HistoryPoint => ({ rxBytes: rx, txBytes: tx, rxPackets: 1, txPackets: 2 });
const roundOf = (entries: [string, HistoryPoint][]): Map<string, HistoryPoint> => new Map(entries);

describe('HistoryRing', () => {
  it('keeps at most `capacity` slots, dropping the oldest', () => {
    const ring = new HistoryRing(3);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, roundOf([['eth0', p(i * 10)]]));
    assert.equal(ring.size, 3);
    const w = ring.window();
    assert.deepEqual(w.t, [3000, 4000, 5000]);
    assert.deepEqual(w.interfaces.get('eth0')?.rxBytes, [30, 40, 50]);
    assert.deepEqual(ring.last('eth0', 'rxBytes', 2), [40, 50]);
    assert.deepEqual(ring.last('eth0', 'rxBytes', 10), [30, 40, 50]);
  });

  it('adopts a series made elsewhere as its interface\'s, in place of the one it had', () => {
    class Tagged extends HistorySeries {
      tag = 'mine';
    }
    const ring = new HistoryRing(3);
    ring.push(1000, roundOf([['eth0', p(1)], ['eth1', p(2)]]));
    const mine = new Tagged('eth0');
    ring.adopt(mine);
    ring.begin(2000);
    ring.record(mine, 5, 6, 7, 8);
    ring.record(ring.open('eth1'), 3, 0, 0, 0);
    // The adopted series is the one open() returns and window() reads; the old one's value is gone.
    assert.equal(ring.open('eth0'), mine);
    assert.deepEqual(ring.window().interfaces.get('eth0'), { rxBytes: [null, 5], txBytes: [null, 6], rxPackets: [null, 7], txPackets: [null, 8] });
    assert.deepEqual(ring.window().interfaces.get('eth1')?.rxBytes, [2, 3]);
    ring.close(mine);
    assert.deepEqual(ring.interfaceNames, ['eth1']);
  });

  it('forgets an interface the moment a round does not have it', () => {
    const ring = new HistoryRing(4);
    ring.push(1000, roundOf([['eth0', p(1)], ['veth1', p(2)]]));
    ring.push(2000, roundOf([['eth0', p(3)]]));
    assert.deepEqual(ring.interfaceNames, ['eth0']);
    assert.equal(ring.window().interfaces.has('veth1'), false);
    // Coming back is a new series: the earlier values are not resurrected.
    ring.push(3000, roundOf([['eth0', p(4)], ['veth1', p(5)]]));
    assert.deepEqual(ring.window().interfaces.get('veth1')?.rxBytes, [null, null, 5]);
  });

  it('reports unknown rates (first sample, not yet present) as null, and NaN from last()', () => {
    const ring = new HistoryRing(3);
    ring.push(1000, roundOf([['eth0', p(undefined)]]));
    ring.push(2000, roundOf([['eth0', p(Number.NaN)], ['eth1', p(7)]]));
    ring.push(3000, roundOf([['eth0', p(9)], ['eth1', p(8)]]));
    assert.deepEqual(ring.window().interfaces.get('eth0')?.rxBytes, [null, null, 9]);
    assert.deepEqual(ring.window().interfaces.get('eth1')?.rxBytes, [null, 7, 8]);
    assert.deepEqual(ring.last('eth1', 'rxBytes', 3), [Number.NaN, 7, 8]);
    assert.deepEqual(ring.last('nope', 'txBytes', 2), [Number.NaN, Number.NaN]);
  });

  it('selects a window by time, oldest first, across the wrap-around', () => {
    const ring = new HistoryRing(4);
    for (let i = 1; i <= 6; i++) ring.push(i * 1000, roundOf([['a', p(i)]]));
    const w = ring.window(4500);
    assert.deepEqual(w.t, [5000, 6000]);
    assert.deepEqual(w.interfaces.get('a'), { rxBytes: [5, 6], txBytes: [0, 0], rxPackets: [1, 1], txPackets: [2, 2] });
    assert.equal(ring.latestTime(), 6000);
  });

  it('costs 16 bytes per interface per slot, plus 8 per slot for the time', () => {
    assert.equal(BYTES_PER_INTERFACE_SLOT, 16);
    const ring = new HistoryRing(720);
    ring.push(1, roundOf([['a', p(1)], ['b', p(1)]]));
    assert.equal(ring.bytes, 720 * 8 + 2 * 720 * 16);
  });

  it('keeps rates as Float32s and gives them back to 7 significant digits', () => {
    const ring = new HistoryRing(4);
    const rates = [9.99, 1234.567, 0.1, 123456789, 3e-7, 2 ** 24 + 1];
    for (const [i, v] of rates.entries()) ring.push(i, roundOf([['a', { rxBytes: v, txBytes: 1 / 3, rxPackets: 0, txPackets: 7 }]]));
    assert.deepEqual(ring.last('a', 'rxBytes', 4), [0.1, 123456800, 3e-7, 16777220]);
    assert.deepEqual(ring.window().interfaces.get('a')?.txBytes, [0.3333333, 0.3333333, 0.3333333, 0.3333333]);
    assert.deepEqual(ring.last('a', 'txPackets', 1), [7]);
  });

  it('refuses a size that is not a whole number from 1 to 1,000,000', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 1_000_001]) assert.throws(() => new HistoryRing(bad), RangeError, String(bad));
    assert.equal(new HistoryRing(1).capacity, 1);
  });

  it('is empty before the first round', () => {
    const ring = new HistoryRing(2);
    assert.equal(ring.latestTime(), undefined);
    assert.deepEqual(ring.window(), { t: [], interfaces: new Map() });
  });
});

describe('HistoryRing buffers only interfaces with traffic', () => {
  /** A rate as the ring gives it back: a Float32, to 7 significant digits. */
  const stored = (v: number): number => Number(Math.fround(v).toPrecision(7));

  /** The ring as it was: a buffer per interface from its first round. */
  class EagerRing {
    private readonly rows: { t: number; points: Map<string, HistoryPoint> }[] = [];
    private readonly born = new Map<string, number>();
    private pushes = 0;
    constructor(private readonly capacity: number) {}
    push(t: number, points: ReadonlyMap<string, HistoryPoint>): void {
      for (const name of [...this.born.keys()]) if (!points.has(name)) this.born.delete(name);
      for (const name of points.keys()) if (!this.born.has(name)) this.born.set(name, this.pushes);
      this.rows.push({ t, points: new Map(points) });
      if (this.rows.length > this.capacity) this.rows.shift();
      this.pushes++;
    }
    /** The last `n` rounds (all it keeps by default). */
    window(n = this.rows.length): HistoryWindow {
      const interfaces = new Map<string, Record<HistoryField, (number | null)[]>>();
      const rows = this.rows.slice(this.rows.length - n);
      const first = this.pushes - rows.length;
      for (const [name, born] of this.born) {
        const cols = { rxBytes: [], txBytes: [], rxPackets: [], txPackets: [] } as Record<HistoryField, (number | null)[]>;
        rows.forEach((row, k) => {
          for (const f of HISTORY_FIELDS) {
            const v = first + k >= born ? row.points.get(name)?.[f] : undefined;
            cols[f].push(v === undefined || !Number.isFinite(v) ? null : stored(v));
          }
        });
        interfaces.set(name, cols);
      }
      return { t: rows.map((r) => r.t), interfaces };
    }
  }

  const value = fc.oneof(fc.constant(undefined), fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 1e9, noNaN: true }));
  const point = fc.record({ rxBytes: value, txBytes: value, rxPackets: value, txPackets: value });
  const idle = fc.oneof(fc.constant({ rxBytes: undefined, txBytes: undefined, rxPackets: undefined, txPackets: undefined }), fc.constant({ rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 }));
  const roundArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(point, idle, idle, idle));

  it('answers exactly as a buffer per interface would, through churn and wrap-around', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(roundArb, { maxLength: 20 }), (capacity, rounds) => {
        const ring = new HistoryRing(capacity);
        const eager = new EagerRing(capacity);
        rounds.forEach((r, i) => {
          const points = new Map(Object.entries(r) as [string, HistoryPoint][]);
          ring.push(i * 1000, points);
          eager.push(i * 1000, points);
          assert.deepStrictEqual(ring.window(), eager.window());
          for (const name of points.keys()) {
            for (const f of HISTORY_FIELDS) {
              const want = eager.window().interfaces.get(name)![f].map((v) => (v === null ? NaN : v));
              assert.deepStrictEqual(ring.last(name, f, capacity), want);
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('answers as that ring would for its newest slots within a memory budget, which it keeps', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const busyArb = fc.dictionary(fc.constantFrom(...names), fc.oneof(point, point, idle));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1200 }), fc.array(busyArb, { maxLength: 30 }), (size, memory, rounds) => {
        const ring = new HistoryRing(size, memory);
        const eager = new EagerRing(size);
        const fewest = Math.min(MIN_HISTORY_SLOTS, size);
        rounds.forEach((r, i) => {
          const points = new Map(Object.entries(r) as [string, HistoryPoint][]);
          ring.push(i * 1000, points);
          eager.push(i * 1000, points);
          assert.ok(ring.capacity <= size && ring.capacity >= fewest, `capacity ${ring.capacity}`);
          assert.ok(ring.size <= ring.capacity);
          // The newest rounds are never dropped for the budget's sake beyond the fewest slots.
          assert.ok(ring.size >= Math.min(i + 1, fewest), `size ${ring.size}`);
          if (ring.capacity > fewest) assert.ok(ring.bytes - ring.capacity * 8 <= Math.max(memory, 0), `${ring.bytes} bytes for ${memory}`);
          assert.deepStrictEqual(ring.window(), eager.window(ring.size));
          for (const name of points.keys()) {
            const want = eager.window(ring.size).interfaces.get(name)!.txBytes.map((v) => (v === null ? NaN : v));
            assert.deepStrictEqual(ring.last(name, 'txBytes', size), want);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every slot for a few busy interfaces, fewer for 1000, and goes back up when they go', () => {
    const ring = new HistoryRing(720);
    const round = (n: number, t: number): Map<string, HistoryPoint> => {
      const points = new Map<string, HistoryPoint>();
      for (let i = 0; i < n; i++) points.set(`veth${i}`, { rxBytes: t * 1000 + i, txBytes: 1, rxPackets: 1, txPackets: 1 });
      return points;
    };
    for (let t = 0; t < 100; t++) ring.push(t, round(45, t));
    assert.equal(ring.capacity, 720, '45 busy interfaces fit 512 KiB at 720 slots');
    assert.equal(ring.size, 100);
    for (let t = 100; t < 200; t++) ring.push(t, round(1000, t));
    // 1000 rows in 512 KiB, with room for up to a quarter more: 26 or 27 slots of 16 bytes.
    const busy = ring.capacity;
    assert.ok(busy >= Math.floor(DEFAULT_HISTORY_MEMORY / (1250 * BYTES_PER_INTERFACE_SLOT)) && 1000 * busy * BYTES_PER_INTERFACE_SLOT <= DEFAULT_HISTORY_MEMORY, String(busy));
    assert.ok(ring.bytes <= DEFAULT_HISTORY_MEMORY + busy * 8, String(ring.bytes));
    assert.deepEqual(ring.last('veth3', 'rxBytes', 3), [197003, 198003, 199003]);
    assert.deepEqual(ring.last('veth999', 'rxBytes', 100).length, ring.capacity);
    for (let t = 200; t < 210; t++) ring.push(t, round(10, t));
    assert.equal(ring.capacity, 720, 'back to every slot: the 10 left fit');
    // What it kept of the busy time stays; the slots it dropped do not come back.
    assert.equal(ring.size, busy + 10);
    assert.deepEqual(ring.last('veth3', 'rxBytes', 720).slice(0, 2), [(200 - busy) * 1000 + 3, (201 - busy) * 1000 + 3]);
    assert.equal(ring.window().interfaces.has('veth999'), false);
    assert.ok(ring.bytes <= 720 * 8 + 10 * 2 * 720 * BYTES_PER_INTERFACE_SLOT, String(ring.bytes));
  });

  it('allocates nothing for 1000 idle interfaces', () => {
    const ring = new HistoryRing(720);
    const points = new Map<string, HistoryPoint>();
    for (let i = 0; i < 1000; i++) points.set(`veth${i}`, { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 });
    for (let r = 0; r < 10; r++) ring.push(r, points);
    assert.equal(ring.bytes, 720 * 8, 'only the slot times');
    points.set('veth7', { rxBytes: 5, txBytes: 0, rxPackets: 1, txPackets: 0 });
    ring.push(10, points);
    assert.equal(ring.bytes, 720 * 8 + 720 * BYTES_PER_INTERFACE_SLOT);
    assert.deepEqual(ring.last('veth7', 'rxBytes', 3), [0, 0, 5]);
  });
});
