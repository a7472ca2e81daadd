import assert from 'node:assert/strict';
import { ReadError } from '../src/errors.js';
import { NetifReceiver } from '../src/receiver.js';
import type { NetifReceiverConfig } from '../src/receiver.js';
import { CountingHostFs, FakeClock, FixtureRoot, TIME_ORIGIN } from './helpers/fixture-root.js';
import { HEADER, procNetDev } from './helpers/proc-net-dev-text.js';

describe('NetifReceiver: --max-interfaces cap', () => {
  let root: FixtureRoot;
  let clock: FakeClock;
  let fs: CountingHostFs;

  function receiver(config: Partial<NetifReceiverConfig> = {}): NetifReceiver {
    fs = new CountingHostFs(root.path);
    return new NetifReceiver(
      { rootPath: root.path, include: [], exclude: [], metadataRefreshMs: 0, ...config },
      { now: clock.now, timeOrigin: TIME_ORIGIN, hostfs: fs },
    );
  }

  function names(r: NetifReceiver): string[] {
    clock.advance(1000);
    return r.sample().interfaces.map((i) => i.name);
  }

  const table = (list: string[], bytes: Record<string, number> = {}) =>
    procNetDev(Object.fromEntries(list.map((n) => [n, { rxBytes: bytes[n] ?? 0 }])));

  beforeEach(() => {
    root = new FixtureRoot();
    clock = new FakeClock(1000);
  });
  afterEach(() => root.remove());

  it('keeps the first N seen, counts the rest as capped, and reads sysfs only for those kept', () => {
    root.writeProcNetDev(table(['lo', 'eth0', 'veth1', 'veth2', 'veth3']));
    const r = receiver({ maxInterfaces: 3 });
    clock.advance(1000);
    const s = r.sample();
    assert.deepEqual(s.interfaces.map((i) => i.name), ['lo', 'eth0', 'veth1']);
    assert.equal(s.listed, 5);
    assert.equal(s.capped, 2);
    assert.deepEqual(fs.takeInterfacesRead(), ['lo', 'eth0', 'veth1']);
    assert.equal(r.counterSeriesPerInterface(), 8);
  });

  it('never gives a kept interface\'s place to a busier newcomer', () => {
    root.writeProcNetDev(table(['eth0', 'eth1']));
    const r = receiver({ maxInterfaces: 2 });
    assert.deepEqual(names(r), ['eth0', 'eth1']);
    root.writeProcNetDev(table(['eth0', 'eth1', 'busy0'], { busy0: 1e12 }));
    assert.deepEqual(names(r), ['eth0', 'eth1']);
  });

  it('gives a freed place to the interface that has waited longest, keeping /proc/net/dev order in the output', () => {
    root.writeProcNetDev(table(['a', 'b', 'late1']));
    const r = receiver({ maxInterfaces: 2 });
    assert.deepEqual(names(r), ['a', 'b']);
    // late0 appears after late1 but is listed before it; late1 has waited longer.
    root.writeProcNetDev(table(['a', 'b', 'late0', 'late1']));
    assert.deepEqual(names(r), ['a', 'b']);
    root.writeProcNetDev(table(['b', 'late0', 'late1']));
    const s = (clock.advance(1000), r.sample());
    assert.deepEqual(s.interfaces.map((i) => i.name), ['b', 'late1']);
    assert.equal(s.capped, 1);
  });

  it('forgets an interface that left while it waited, so the waiting list stays bounded', () => {
    root.writeProcNetDev(table(['a', 'gone', 'next']));
    const r = receiver({ maxInterfaces: 1 });
    assert.deepEqual(names(r), ['a']);
    root.writeProcNetDev(table(['a', 'next']));
    assert.deepEqual(names(r), ['a']);
    root.writeProcNetDev(table(['gone', 'next']));
    // "gone" came back: it is new again, so "next" (waiting since round 1) gets the place.
    assert.deepEqual(names(r), ['next']);
  });

  it('does nothing with 0 (off), and counts nothing as capped', () => {
    root.writeProcNetDev(table(['a', 'b', 'c']));
    const s = (clock.advance(1000), receiver({ maxInterfaces: 0 }).sample());
    assert.equal(s.interfaces.length, 3);
    assert.equal(s.capped, 0);
  });

  it('applies include/exclude first: filtered interfaces take no place', () => {
    root.writeProcNetDev(table(['veth0', 'veth1', 'eth0']));
    assert.deepEqual(names(receiver({ maxInterfaces: 1, exclude: ['veth*'] })), ['eth0']);
  });
});

describe('NetifReceiver: a /proc/net/dev with nothing usable', () => {
  let root: FixtureRoot;
  const clock = new FakeClock(1000);
  beforeEach(() => (root = new FixtureRoot()));
  afterEach(() => root.remove());

  const receiver = () => new NetifReceiver({ rootPath: root.path, include: [], exclude: [], metadataRefreshMs: 0 }, { now: clock.now, timeOrigin: TIME_ORIGIN });

  for (const [what, text] of [
    ['garbage', '\u0000\u0001garbage\nmore garbage\n\n'],
    ['empty', ''],
    ['a header and broken lines', `${HEADER}  eth0: 1 2 3\n`],
  ] as const) {
    it(`throws ReadError for ${what}, and keeps every series and start time for when it recovers`, () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 5 } }));
      const r = receiver();
      const before = r.sample().interfaces[0]!;
      root.writeProcNetDev(text);
      assert.throws(() => r.sample(), (e: unknown) => e instanceof ReadError && /^no interface could be read from .*proc\/net\/dev: /.test(e.message) && !e.message.includes('\n'));
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 9 } }));
      const after = r.sample().interfaces[0]!;
      assert.deepEqual(after.startTime, before.startTime);
      assert.equal(after.counters.rxBytes, 9);
    });
  }

  it('still accepts a header with no interface lines (a valid, if odd, table)', () => {
    root.writeProcNetDev(HEADER);
    const s = receiver().sample();
    assert.deepEqual(s.interfaces, []);
    assert.equal(s.listed, 0);
  });
});
