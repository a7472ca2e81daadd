import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { LiveFeed } from '../../src/api/live.js';
import { fakeSnapshot } from './fixtures.js';

describe('LiveFeed', () => {
  it('turns pipeline snapshots into the documented /api/v1/interfaces shape', () => {
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h1', historySize: 10 });
    const t0 = Date.UTC(2024, 0, 2, 3, 4, 5);
    const first = feed.update(fakeSnapshot(1, t0, [{ name: 'eth0', counters: { rxBytes: 1000, txBytes: 50, rxErrs: 1 }, link: { operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 } }]));
    assert.deepEqual(first.interfaces[0]?.rates, { rxBytes: null, txBytes: null, rxPackets: null, txPackets: null, rxErrors: null, txErrors: null, rxDrops: null, txDrops: null });
    const snap = feed.update(fakeSnapshot(2, t0 + 1000, [{
      name: 'eth0',
      counters: { rxBytes: 3000, txBytes: 150, rxPackets: 4, rxErrs: 1 },
      link: { operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 },
      rx: { bytes: 2000, packets: 4 },
      tx: { bytes: 100, packets: 1, drops: 0.5 },
      util: { rx: 0.000016, tx: 0.0000008 },
    }]));
    assert.deepEqual(snap, {
      version: 1,
      host: 'h1',
      time: '2024-01-02T03:04:06.000Z',
      timeUnixMs: t0 + 1000,
      seq: 2,
      intervalMs: 1000,
      interfaces: [{
        name: 'eth0',
        operstate: 'up',
        up: true,
        carrier: true,
        speedBytesPerSecond: 125_000_000,
        mtu: 1500,
        rates: { rxBytes: 2000, txBytes: 100, rxPackets: 4, txPackets: 1, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0.5 },
        utilization: { rx: 0.000016, tx: 0.0000008 },
        counters: {
          rxBytes: 3000, rxPackets: 4, rxErrs: 1, rxDrop: 0, rxFifo: 0, rxFrame: 0, rxCompressed: 0, rxMulticast: 0,
          txBytes: 150, txPackets: 0, txErrs: 0, txDrop: 0, txFifo: 0, txColls: 0, txCarrier: 0, txCompressed: 0,
        },
        sinceStart: { rxBytes: 2000, txBytes: 100, rxPackets: 4, txPackets: 0, errors: 0, drops: 0, since: '2024-01-02T03:04:05.000Z' },
      }],
    });
    assert.equal(feed.latest(), snap);
    assert.deepEqual(feed.history.window().interfaces.get('eth0')?.rxBytes, [null, 2000]);
  });

  it('keeps counting "since start" across a counter reset instead of going negative', () => {
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h' });
    feed.update(fakeSnapshot(1, 1000, [{ name: 'a', counters: { rxBytes: 500 } }]));
    feed.update(fakeSnapshot(2, 2000, [{ name: 'a', counters: { rxBytes: 800 } }]));
    // The interface was recreated: the counter restarted at 0 and is now 100.
    const s = feed.update(fakeSnapshot(3, 3000, [{ name: 'a', counters: { rxBytes: 100 } }]));
    assert.equal(s.interfaces[0]?.sinceStart.rxBytes, 300 + 100);
  });

  it('converts each sampling round once and tells listeners', () => {
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h' });
    const seen: number[] = [];
    feed.on('update', (s) => seen.push(s.seq));
    const a = feed.update(fakeSnapshot(1, 1000, [{ name: 'a' }]));
    const b = feed.update(fakeSnapshot(1, 1000, [{ name: 'a' }]));
    assert.equal(a, b);
    feed.update(fakeSnapshot(2, 2000, [{ name: 'a' }]));
    assert.deepEqual(seen, [1, 2]);
  });

  it('drops a vanished interface from the snapshot, totals and history', () => {
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h' });
    feed.update(fakeSnapshot(1, 1000, [{ name: 'a' }, { name: 'veth9', counters: { rxBytes: 10 } }]));
    const s = feed.update(fakeSnapshot(2, 2000, [{ name: 'a' }]));
    assert.deepEqual(s.interfaces.map((i) => i.name), ['a']);
    assert.deepEqual(feed.history.interfaceNames, ['a']);
    // Back again: counted from its return, not from its first life.
    const back = feed.update(fakeSnapshot(3, 3000, [{ name: 'a' }, { name: 'veth9', counters: { rxBytes: 50 } }]));
    assert.equal(back.interfaces[1]?.sinceStart.rxBytes, 0);
    assert.equal(back.interfaces[1]?.sinceStart.since, new Date(3000).toISOString());
  });
});

describe('LiveFeed when nobody is looking', () => {
  /** A snapshot whose unfolded `rates` count their reads; forEachRate goes through the same data. */
  function watched(seq: number, timeMs: number, bytes: number) {
    const base = fakeSnapshot(seq, timeMs, [{ name: 'eth0', rx: { bytes, packets: 1 }, tx: { bytes: 0, packets: 0 } }, { name: 'idle0', rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } }]);
    const counter = { reads: 0 };
    const snapshot = {
      seq: base.seq,
      sample: base.sample,
      get rates() {
        counter.reads++;
        return base.rates;
      },
      forEachRate(fn: (metric: string, attributes: import('@opentelemetry/api').Attributes, value: number) => void) {
        for (const r of base.rates) fn(r.metric, r.attributes, r.value);
      },
    };
    return { snapshot, counter };
  }

  it('records history and totals every sample, builds the API shape only when read, and never the unfolded rates', () => {
    const pipeline = new EventEmitter() as EventEmitter & { latest(): undefined };
    pipeline.latest = () => undefined;
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h', historySize: 10 }).attach(pipeline as never);
    const counters: { reads: number }[] = [];
    for (let i = 1; i <= 3; i++) {
      const { snapshot, counter } = watched(i, i * 1000, i * 100);
      counters.push(counter);
      pipeline.emit('snapshot', snapshot);
    }
    assert.equal(feed.history.size, 3);
    assert.deepEqual(feed.history.last('eth0', 'rxBytes', 3), [100, 200, 300]);
    assert.equal(feed.history.bytes, 10 * 8 + 10 * 16, 'one buffer: eth0 had traffic, idle0 none');
    const live = feed.latest();
    assert.equal(live?.seq, 3);
    assert.equal(live?.interfaces.find((i) => i.name === 'eth0')?.rates.rxBytes, 300);
    assert.equal(feed.latest(), live, 'built once per snapshot');
    assert.deepEqual(counters.map((c) => c.reads), [0, 0, 0]);
    feed.close();
  });

  it('builds the API shape for every sample while an update listener (SSE, top) is attached', () => {
    const feed = new LiveFeed({ intervalMs: 1000, host: 'h' });
    const seen: number[] = [];
    feed.on('update', (s) => seen.push(s.interfaces[0]!.rates.rxBytes ?? -1));
    for (let i = 1; i <= 3; i++) feed.update(watched(i, i * 1000, i * 10).snapshot);
    assert.deepEqual(seen, [10, 20, 30]);
  });
});
