import assert from 'node:assert/strict';
import { BYTES_PER_INTERFACE_SLOT, HistoryRing, type HistoryPoint } from '../../src/history/ring.js';

const p = (rx: number | undefined, tx = 0): HistoryPoint => ({ rxBytes: rx, txBytes: tx, rxPackets: 1, txPackets: 2 });
const round = (entries: [string, HistoryPoint][]): Map<string, HistoryPoint> => new Map(entries);

describe('HistoryRing', () => {
  it('keeps at most `capacity` slots, dropping the oldest', () => {
    const ring = new HistoryRing(3);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, round([['eth0', p(i * 10)]]));
    assert.equal(ring.size, 3);
    const w = ring.window();
    assert.deepEqual(w.t, [3000, 4000, 5000]);
    assert.deepEqual(w.interfaces.get('eth0')?.rxBytes, [30, 40, 50]);
    assert.deepEqual(ring.last('eth0', 'rxBytes', 2), [40, 50]);
    assert.deepEqual(ring.last('eth0', 'rxBytes', 10), [30, 40, 50]);
  });

  it('forgets an interface the moment a round does not have it', () => {
    const ring = new HistoryRing(4);
    ring.push(1000, round([['eth0', p(1)], ['veth1', p(2)]]));
    ring.push(2000, round([['eth0', p(3)]]));
    assert.deepEqual(ring.interfaceNames, ['eth0']);
    assert.equal(ring.window().interfaces.has('veth1'), false);
    // Coming back is a new series: the earlier values are not resurrected.
    ring.push(3000, round([['eth0', p(4)], ['veth1', p(5)]]));
    assert.deepEqual(ring.window().interfaces.get('veth1')?.rxBytes, [null, null, 5]);
  });

  it('reports unknown rates (first sample, not yet present) as null, and NaN from last()', () => {
    const ring = new HistoryRing(3);
    ring.push(1000, round([['eth0', p(undefined)]]));
    ring.push(2000, round([['eth0', p(Number.NaN)], ['eth1', p(7)]]));
    ring.push(3000, round([['eth0', p(9)], ['eth1', p(8)]]));
    assert.deepEqual(ring.window().interfaces.get('eth0')?.rxBytes, [null, null, 9]);
    assert.deepEqual(ring.window().interfaces.get('eth1')?.rxBytes, [null, 7, 8]);
    assert.deepEqual(ring.last('eth1', 'rxBytes', 3), [Number.NaN, 7, 8]);
    assert.deepEqual(ring.last('nope', 'txBytes', 2), [Number.NaN, Number.NaN]);
  });

  it('selects a window by time, oldest first, across the wrap-around', () => {
    const ring = new HistoryRing(4);
    for (let i = 1; i <= 6; i++) ring.push(i * 1000, round([['a', p(i)]]));
    const w = ring.window(4500);
    assert.deepEqual(w.t, [5000, 6000]);
    assert.deepEqual(w.interfaces.get('a'), { rxBytes: [5, 6], txBytes: [0, 0], rxPackets: [1, 1], txPackets: [2, 2] });
    assert.equal(ring.latestTime(), 6000);
  });

  it('costs 32 bytes per interface per slot, plus 8 per slot for the time', () => {
    assert.equal(BYTES_PER_INTERFACE_SLOT, 32);
    const ring = new HistoryRing(720);
    ring.push(1, round([['a', p(1)], ['b', p(1)]]));
    assert.equal(ring.bytes, 720 * 8 + 2 * 720 * 32);
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
