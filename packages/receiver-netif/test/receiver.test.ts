import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { GaugeMetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { loadMetadata, pointColumns } from '@otel-netif/metadata';
import { packagePlan } from '../src/metrics-plan.js';
import { FilterError, ReadError } from '../src/errors.js';
import { HostFs } from '../src/hostfs/host-fs.js';
import { NetifReceiver, SLOW_REFRESH_EVERY } from '../src/receiver.js';
import type { NetifReceiverConfig } from '../src/receiver.js';
import { CountingHostFs, FakeClock, FixtureRoot, TIME_ORIGIN } from './helpers/fixture-root.js';
import { procNetDev } from './helpers/proc-net-dev-text.js';

const metadata = loadMetadata(new URL('../metadata.yaml', import.meta.url));

function hr(ms: number): HrTime {
  const s = Math.floor((TIME_ORIGIN + ms) / 1000);
  return [s, Math.round((TIME_ORIGIN + ms - s * 1000) * 1e6)];
}

function sumMetric(sm: ScopeMetrics, name: string): SumMetricData {
  const m = sm.metrics.find((x) => x.descriptor.name === name);
  assert.ok(m, `${name} missing`);
  assert.equal(m.dataPointType, DataPointType.SUM);
  return m as SumMetricData;
}

function gaugeMetric(sm: ScopeMetrics, name: string): GaugeMetricData | undefined {
  const m = sm.metrics.find((x) => x.descriptor.name === name);
  if (m !== undefined) assert.equal(m.dataPointType, DataPointType.GAUGE);
  return m as GaugeMetricData | undefined;
}

function gaugeValues(sm: ScopeMetrics, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of gaugeMetric(sm, name)?.dataPoints ?? []) out[String(p.attributes['network.interface.name'])] = p.value;
  return out;
}

describe('NetifReceiver', () => {
  let root: FixtureRoot;
  let clock: FakeClock;
  let fs: CountingHostFs;

  function receiver(config: Partial<NetifReceiverConfig> = {}): NetifReceiver {
    fs = new CountingHostFs(root.path);
    return new NetifReceiver(
      { rootPath: root.path, include: [], exclude: [], metadataRefreshMs: 60_000, ...config },
      { now: clock.now, timeOrigin: TIME_ORIGIN, hostfs: fs },
    );
  }

  beforeEach(() => {
    root = new FixtureRoot();
    clock = new FakeClock(1000);
  });
  afterEach(() => root.remove());

  describe('start times and resets', () => {
    it('starts each series when the interface is first seen and keeps that start while counters grow', () => {
      root.writeProcNetDev(procNetDev({ lo: { rxBytes: 100 }, eth0: { rxBytes: 1000, txBytes: 50 } }));
      const r = receiver();
      const s1 = r.sample();
      assert.deepEqual(s1.time, hr(1000));
      assert.equal(s1.monotonicMs, 1000);
      assert.deepEqual(s1.interfaces.map((i) => [i.name, i.startTime]), [['lo', hr(1000)], ['eth0', hr(1000)]]);

      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ lo: { rxBytes: 200 }, eth0: { rxBytes: 3000, txBytes: 50 }, eth1: { rxBytes: 7 } }));
      const s2 = r.sample();
      assert.deepEqual(s2.time, hr(6000));
      assert.deepEqual(s2.interfaces.map((i) => [i.name, i.startTime, i.counters.rxBytes]), [
        ['lo', hr(1000), 200],
        ['eth0', hr(1000), 3000],
        ['eth1', hr(6000), 7],
      ]);
    });

    it('treats ANY decreased counter as a reset: a new start time at that sample, for that interface only', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 1000, rxFifo: 5 }, eth1: { rxBytes: 10 } }));
      const r = receiver();
      r.sample();
      clock.advance(5000);
      // rxFifo is not exported, but a decrease there still means the whole counter set restarted.
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 2000, rxFifo: 4 }, eth1: { rxBytes: 20 } }));
      const s2 = r.sample();
      assert.deepEqual(s2.interfaces.map((i) => i.startTime), [hr(6000), hr(1000)]);
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 2500, rxFifo: 4 }, eth1: { rxBytes: 5 } }));
      const s3 = r.sample();
      assert.deepEqual(s3.interfaces.map((i) => i.startTime), [hr(6000), hr(11000)]);
      const io = sumMetric(r.toScopeMetrics(s3), 'system.network.io');
      assert.deepEqual(io.dataPoints.map((p) => [p.attributes['network.interface.name'], p.attributes['network.io.direction'], p.value, p.startTime, p.endTime]), [
        ['eth0', 'receive', 2500, hr(6000), hr(11000)],
        ['eth0', 'transmit', 0, hr(6000), hr(11000)],
        ['eth1', 'receive', 5, hr(11000), hr(11000)],
        ['eth1', 'transmit', 0, hr(11000), hr(11000)],
      ]);
    });

    // The parser may write a line's new values into the counters object of two parses before: after
    // a parse the receiver gave up on, its interfaces still hold that object from the sample before.
    it('still sees a reset that follows a /proc/net/dev it could not use', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 1000 } }));
      const r = receiver();
      r.sample();
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 2000 } }));
      const s2 = r.sample();
      clock.advance(5000);
      root.writeProcNetDev('garbage\n');
      assert.throws(() => r.sample(), ReadError);
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 10 } }));
      const s4 = r.sample();
      assert.deepEqual(s4.interfaces.map((i) => [i.counters.rxBytes, i.startTime]), [[10, hr(16000)]]);
      assert.equal(s2.interfaces[0]!.counters.rxBytes, 2000, 'the last sample it returned keeps its counters');
    });

    it('forgets vanished interfaces (their series stop) and starts afresh when one comes back', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 1 }, veth1: { rxBytes: 100 } }));
      root.writeLink('veth1', { operstate: 'up', mtu: '1500' });
      const r = receiver();
      r.sample();
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 2 } }));
      const s2 = r.sample();
      assert.deepEqual(s2.interfaces.map((i) => i.name), ['eth0']);
      const sm2 = r.toScopeMetrics(s2);
      for (const m of sm2.metrics) {
        assert.ok(m.dataPoints.every((p) => p.attributes['network.interface.name'] !== 'veth1'), m.descriptor.name);
      }
      clock.advance(5000);
      fs.takeInterfacesRead();
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 3 }, veth1: { rxBytes: 500 } }));
      const s3 = r.sample();
      assert.deepEqual(s3.interfaces.map((i) => [i.name, i.startTime]), [['eth0', hr(1000)], ['veth1', hr(11000)]]);
      assert.ok(fs.takeInterfacesRead().includes('veth1'), 'link metadata is read again when the interface returns');
    });

    it('leaves a sample as it was through the next sample', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 10 } }));
      root.writeLink('eth0', { operstate: 'up', mtu: '1500' });
      const r = receiver({ metadataRefreshMs: 1000 });
      const s1 = r.sample();
      const before = JSON.stringify(s1);
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 5 } }));
      root.writeLink('eth0', { operstate: 'down', mtu: '9000' });
      const s2 = r.sample();
      assert.equal(JSON.stringify(s1), before);
      // Counters went down: maybe another link under the name, so all of it is read again.
      assert.deepEqual(s2.interfaces[0]!.link, { operstate: 'down', mtu: 9000 });
    });

    it('re-reads operstate on every refresh, carrier when operstate cannot tell it, speed and mtu on every SLOW_REFRESH_EVERY-th', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 10 } }));
      root.writeLink('eth0', { operstate: 'up', carrier: '1', speed: '1000', mtu: '1500' });
      const r = receiver({ metadataRefreshMs: 1000 });
      r.sample();
      fs.linkReads.length = 0;
      root.writeLink('eth0', { speed: '100', mtu: '9000' });
      const links: unknown[] = [];
      for (let i = 1; i <= SLOW_REFRESH_EVERY; i++) {
        clock.advance(1000);
        links.push(r.sample().interfaces[0]!.link);
      }
      assert.deepEqual(links[0], { operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 });
      assert.deepEqual(links[SLOW_REFRESH_EVERY - 2], links[0]);
      assert.deepEqual(links[SLOW_REFRESH_EVERY - 1], { operstate: 'up', carrier: true, speedBytesPerSecond: 12_500_000, mtu: 9000 });
      const reads = (attr: string) => fs.linkReads.filter((x) => x === `eth0/${attr}`).length;
      assert.equal(reads('operstate'), SLOW_REFRESH_EVERY);
      // operstate "up" is carrier 1: read again only at the full read.
      assert.equal(reads('carrier'), 1);
      assert.equal(reads('mtu'), 1);
      assert.equal(reads('speed'), 1);
    });

    it('re-reads speed and mtu at once when operstate or carrier changed: a link coming up negotiates its speed', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 10 } }));
      root.writeLink('eth0', { operstate: 'down', carrier: '0', mtu: '1500' });
      const r = receiver({ metadataRefreshMs: 1000 });
      assert.deepEqual(r.sample().interfaces[0]!.link, { operstate: 'down', carrier: false, mtu: 1500 });
      root.writeLink('eth0', { carrier: '1', speed: '10000' });
      clock.advance(1000);
      assert.deepEqual(r.sample().interfaces[0]!.link, { operstate: 'down', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      root.writeLink('eth0', { operstate: 'up', mtu: '9000' });
      clock.advance(1000);
      assert.deepEqual(r.sample().interfaces[0]!.link, { operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 9000 });
      fs.linkReads.length = 0;
      clock.advance(1000);
      r.sample();
      assert.deepEqual(fs.linkReads, ['eth0/operstate'], 'no change: speed and mtu stay as read, carrier follows "up"');
    });

    it('reads carrier on a refresh only when operstate cannot tell it', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 10 } }));
      root.writeLink('eth0', { operstate: 'down', carrier: '0', mtu: '1500' });
      const r = receiver({ metadataRefreshMs: 1000 });
      r.sample();
      const refresh = (): { link: unknown; reads: string[] } => {
        fs.linkReads.length = 0;
        clock.advance(1000);
        return { link: r.sample().interfaces[0]!.link, reads: [...fs.linkReads] };
      };
      // Down with a carrier value: it could change without operstate (a cable plugged in), so read.
      assert.deepEqual(refresh(), { link: { operstate: 'down', carrier: false, mtu: 1500 }, reads: ['eth0/operstate', 'eth0/carrier'] });
      // Administratively down: carrier has no value (the kernel answers EINVAL).
      root.removeLinkAttribute('eth0', 'carrier');
      assert.deepEqual(refresh(), { link: { operstate: 'down', mtu: 1500 }, reads: ['eth0/operstate', 'eth0/carrier', 'eth0/speed', 'eth0/mtu'] });
      // Still down, nothing moved: no value again, without asking.
      assert.deepEqual(refresh(), { link: { operstate: 'down', mtu: 1500 }, reads: ['eth0/operstate'] });
      // Up: carrier is read (its last value was none), then follows operstate.
      root.writeLink('eth0', { operstate: 'up', carrier: '1' });
      assert.deepEqual(refresh().reads, ['eth0/operstate', 'eth0/carrier', 'eth0/speed', 'eth0/mtu']);
      assert.deepEqual(refresh(), { link: { operstate: 'up', carrier: true, mtu: 1500 }, reads: ['eth0/operstate'] });
    });
  });

  describe('filters', () => {
    it('applies include/exclude before anything else: filtered interfaces are neither reported nor read in sysfs', () => {
      root.writeProcNetDev(procNetDev({ lo: {}, eth0: {}, eth1: {}, veth1: {}, docker0: {} }));
      const r = receiver({ include: ['eth*', 'veth*', 'docker0'], exclude: ['eth1', 'docker*'] });
      const s = r.sample();
      assert.deepEqual(s.interfaces.map((i) => i.name), ['eth0', 'veth1']);
      assert.deepEqual(fs.takeInterfacesRead(), ['eth0', 'veth1']);
    });

    it('throws FilterError from the constructor for bad globs', () => {
      root.writeProcNetDev(procNetDev({}));
      assert.throws(() => receiver({ include: ['eth['] }), (err: unknown) => err instanceof FilterError && err.message === '--include "eth[": unclosed "[" in glob');
    });
  });

  describe('link metadata', () => {
    it('reads operstate, carrier, speed and mtu when an interface first appears; missing values are absent', () => {
      root.writeProcNetDev(procNetDev({ lo: {}, eth0: {}, eth1: {}, ghost: {} }));
      root.writeLink('lo', { operstate: 'unknown', carrier: '1', mtu: '65536' });
      root.writeLink('eth0', { operstate: 'up', carrier: '1', speed: '1000', mtu: '1500' });
      root.writeLink('eth1', { operstate: 'down', speed: '-1', mtu: '1500' });
      const r = receiver();
      const s = r.sample();
      assert.deepEqual(Object.fromEntries(s.interfaces.map((i) => [i.name, i.link])), {
        lo: { operstate: 'unknown', carrier: true, mtu: 65536 },
        eth0: { operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 },
        eth1: { operstate: 'down', mtu: 1500 },
        ghost: {},
      });
      assert.deepEqual(s.problems, []);
      const sm = r.toScopeMetrics(s);
      assert.deepEqual(gaugeValues(sm, 'system.network.interface.up'), { lo: 1, eth0: 1, eth1: 0 });
      assert.deepEqual(gaugeValues(sm, 'system.network.interface.carrier'), { lo: 1, eth0: 1 });
      assert.deepEqual(gaugeValues(sm, 'system.network.interface.speed'), { eth0: 125_000_000 });
      assert.deepEqual(gaugeValues(sm, 'system.network.interface.mtu'), { lo: 65536, eth0: 1500, eth1: 1500 });
    });

    it('refreshes round-robin: about n × interval / metadataRefreshMs interfaces per sample, oldest first, never all at once', () => {
      const names = Array.from({ length: 10 }, (_, i) => `eth${i}`);
      root.writeProcNetDev(procNetDev(Object.fromEntries(names.map((n) => [n, {}]))));
      const r = receiver({ metadataRefreshMs: 1000 });
      r.sample();
      assert.deepEqual(fs.takeInterfacesRead(), names, 'all are read once when first seen');
      assert.equal(fs.linkReads.length, 0);
      const refreshed: string[] = [];
      for (let i = 0; i < 10; i++) {
        clock.advance(100);
        r.sample();
        const read = fs.takeInterfacesRead();
        assert.equal(read.length, 1, `sample ${i + 2} refreshed ${read.join(',')}`);
        refreshed.push(...read);
      }
      assert.deepEqual(refreshed, names, 'each refreshed once per metadataRefreshMs, in round-robin order');
      clock.advance(100);
      r.sample();
      assert.deepEqual(fs.takeInterfacesRead(), ['eth0'], 'the cycle starts over');
    });

    it('reads all of a link whose counters went down at once, and counts that as its refresh', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 9 }, eth1: { rxBytes: 9 }, eth2: { rxBytes: 9 } }));
      for (const i of ['eth0', 'eth1', 'eth2']) root.writeLink(i, { operstate: 'up', mtu: '1500' });
      const r = receiver({ metadataRefreshMs: 3000 });
      r.sample();
      fs.linkReads.length = 0;
      root.writeLink('eth1', { operstate: 'down', mtu: '1400' });
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 9 }, eth1: { rxBytes: 1 }, eth2: { rxBytes: 9 } }));
      clock.advance(3000);
      const s = r.sample();
      // eth1 whole because of its reset; the three refreshes due go to eth0 and eth2, not eth1 again.
      // eth0 and eth2 have no carrier file here: none last time, operstate unchanged, so none asked for.
      assert.deepEqual(fs.linkReads, ['eth1/operstate', 'eth1/carrier', 'eth1/speed', 'eth1/mtu', 'eth0/operstate', 'eth2/operstate']);
      assert.deepEqual(s.interfaces[1]!.link, { operstate: 'down', mtu: 1400 });
      assert.deepEqual(s.interfaces[1]!.startTime, hr(4000));
    });

    it('spreads the refresh of 4000 interfaces over the period instead of re-reading them every sample', () => {
      const ifaces: Record<string, object> = {};
      for (let i = 0; i < 4000; i++) ifaces[`veth${i}`] = {};
      root.writeProcNetDev(procNetDev(ifaces));
      const r = receiver({ metadataRefreshMs: 60_000 });
      r.sample();
      assert.equal(fs.takeInterfacesRead().length, 4000);
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) {
        clock.advance(5000);
        r.sample();
        const read = fs.takeInterfacesRead();
        assert.ok(read.length >= 333 && read.length <= 334, `sample refreshed ${read.length}`);
        for (const n of read) seen.add(n);
      }
      assert.equal(seen.size, 4000, 'after one period every interface was refreshed');
    });

    it('picks up a changed link state at its refresh, and a new interface does not push others back', () => {
      root.writeProcNetDev(procNetDev({ eth0: {}, eth1: {} }));
      root.writeLink('eth0', { operstate: 'up', carrier: '1' });
      root.writeLink('eth1', { operstate: 'up', carrier: '1' });
      const r = receiver({ metadataRefreshMs: 10_000 });
      r.sample();
      fs.takeInterfacesRead();
      root.writeLink('eth0', { operstate: 'down', carrier: '0' });
      clock.advance(5000);
      root.writeProcNetDev(procNetDev({ eth0: {}, eth1: {}, eth2: {} }));
      const s2 = r.sample();
      // eth2 is read because it is new; eth0, the longest unrefreshed, is the one refresh due (2 × 5 s / 10 s).
      assert.deepEqual(fs.takeInterfacesRead(), ['eth2', 'eth0']);
      assert.deepEqual(s2.interfaces.map((i) => [i.name, i.link]), [
        ['eth0', { operstate: 'down', carrier: false }],
        ['eth1', { operstate: 'up', carrier: true }],
        ['eth2', {}],
      ]);
      clock.advance(5000);
      r.sample();
      assert.deepEqual(fs.takeInterfacesRead(), ['eth1'], '3 × 5 s / 10 s = 1.5: one now');
      clock.advance(5000);
      r.sample();
      assert.deepEqual(fs.takeInterfacesRead(), ['eth2', 'eth0'], 'and two next, with the carried half');
    });

    it('with metadataRefreshMs 0 reads link metadata only when an interface first appears', () => {
      root.writeProcNetDev(procNetDev({ eth0: {}, eth1: {} }));
      const r = receiver({ metadataRefreshMs: 0 });
      r.sample();
      fs.takeInterfacesRead();
      for (let i = 0; i < 5; i++) {
        clock.advance(60_000);
        r.sample();
      }
      assert.deepEqual(fs.linkReads, []);
    });

    it('reports an attribute that fails with an unexpected error as a problem and leaves it out', () => {
      root.writeProcNetDev(procNetDev({ eth0: {} }));
      root.writeLink('eth0', { operstate: 'up' });
      mkdirSync(join(root.path, 'sys/class/net/eth0/mtu'));
      const r = receiver();
      const s = r.sample();
      assert.deepEqual(s.interfaces[0]!.link, { operstate: 'up' });
      assert.deepEqual(s.problems, [`cannot read ${join(root.path, 'sys/class/net/eth0/mtu')} (EISDIR) — mtu left out`]);
    });
  });

  describe('problems and errors', () => {
    it('turns parse problems into one-line messages with the path and line number, and keeps good lines', () => {
      root.writeProcNetDev(`${procNetDev({ eth0: { rxBytes: 1 } })}  eth1: 1 2 3\n${procNetDev({ eth0: { rxBytes: 2 } }).split('\n')[2]}\n`);
      const r = receiver();
      const s = r.sample();
      const path = join(root.path, 'proc/net/dev');
      assert.deepEqual(s.problems, [
        `${path} line 4: expected 16 counters, found 3 (interface "eth1") — line skipped`,
        `${path}: interface "eth0" is listed more than once — later line skipped`,
      ]);
      assert.deepEqual(s.interfaces.map((i) => [i.name, i.counters.rxBytes]), [['eth0', 1]]);
    });

    it('throws ReadError when /proc/net/dev cannot be read', () => {
      const r = receiver();
      assert.throws(() => r.sample(), (err: unknown) => err instanceof ReadError && err.message.startsWith(`cannot read ${join(root.path, 'proc/net/dev')} (ENOENT): `));
    });
  });

  describe('toScopeMetrics', () => {
    it('emits every metadata.yaml metric with its name, unit and description, in metadata order', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 1 } }));
      root.writeLink('eth0', { operstate: 'up', carrier: '1', speed: '100', mtu: '1500' });
      const r = receiver();
      const sm = r.toScopeMetrics(r.sample());
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      assert.deepEqual(sm.scope, { name: metadata.scopeName, version: pkg.version });
      assert.deepEqual(
        sm.metrics.map((m) => [m.descriptor.name, m.descriptor.unit, m.descriptor.description]),
        Object.values(metadata.metrics).map((m) => [m.name, m.unit, m.description]),
      );
      for (const m of sm.metrics) {
        const md = metadata.metrics[m.descriptor.name]!;
        assert.equal(m.aggregationTemporality, AggregationTemporality.CUMULATIVE);
        assert.equal(m.dataPointType, md.kind === 'sum' ? DataPointType.SUM : DataPointType.GAUGE);
        if (m.dataPointType === DataPointType.SUM) assert.equal(m.isMonotonic, true);
        for (const p of m.dataPoints) assert.deepEqual(Object.keys(p.attributes), md.attributes);
      }
    });

    it('maps each sum to the /proc/net/dev columns named in metadata.yaml source', () => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: 1, rxPackets: 2, rxErrs: 3, rxDrop: 4, txBytes: 9, txPackets: 10, txErrs: 11, txDrop: 12 } }));
      const r = receiver();
      const sm = r.toScopeMetrics(r.sample());
      const values = (name: string) => sumMetric(sm, name).dataPoints.map((p) => `${p.attributes['network.io.direction']}=${p.value}`);
      assert.deepEqual(values('system.network.io'), ['receive=1', 'transmit=9']);
      assert.deepEqual(values('system.network.packet.count'), ['receive=2', 'transmit=10']);
      assert.deepEqual(values('system.network.errors'), ['receive=3', 'transmit=11']);
      assert.deepEqual(values('system.network.packet.dropped'), ['receive=4', 'transmit=12']);
    });

    it('leaves out metrics without any data point (no interfaces, or no link data)', () => {
      root.writeProcNetDev(procNetDev({}));
      const r = receiver();
      assert.deepEqual(r.toScopeMetrics(r.sample()).metrics, []);
    });

    it('reuses attribute sets across samples (allocation per point stays one object)', () => {
      root.writeProcNetDev(procNetDev({ eth0: {} }));
      const r = receiver();
      const a = sumMetric(r.toScopeMetrics(r.sample()), 'system.network.io').dataPoints[0]!.attributes;
      clock.advance(5000);
      const b = sumMetric(r.toScopeMetrics(r.sample()), 'system.network.io').dataPoints[0]!.attributes;
      assert.equal(a, b);
      assert.ok(Object.isFrozen(a));
    });
  });

  describe('namespaceWarning (with a stubbed HostFs; the real check is in namespace.test.ts)', () => {
    interface NsIds {
      own?: string;
      init?: string;
      ownIno?: number;
      initIno?: number;
    }
    class NsHostFs extends HostFs {
      constructor(root: string, private readonly ids: NsIds) {
        super(root);
      }
      override readSelfNetNamespace(): string | undefined {
        return this.ids.own;
      }
      override readRootInitNetNamespace(): string | undefined {
        return this.ids.init;
      }
      override procNetDevInode(): number | undefined {
        return this.ids.ownIno;
      }
      override rootInitNetDevInode(): number | undefined {
        return this.ids.initIno;
      }
    }
    const make = (root: string, ids: NsIds) =>
      new NetifReceiver({ rootPath: root, include: [], exclude: [], metadataRefreshMs: 1000 }, { hostfs: new NsHostFs(root, ids) });

    it('warns in one line, with the fix, when the namespace links differ', () => {
      const w = make('/host', { own: 'net:[4026532001]', init: 'net:[4026531840]', ownIno: 1, initIno: 1 }).namespaceWarning();
      assert.equal(
        w,
        '/host/proc/net/dev shows the agent\'s own network namespace (net:[4026532001]), not the host\'s (net:[4026531840]): ' +
          '/proc/net follows the reading process, not the mounted /proc — run the agent in the host network namespace ' +
          '(Kubernetes: hostNetwork: true; docker/compose: network_mode: host / docker run --network host)',
      );
    });

    it('falls back to the net/dev inodes when pid 1\'s namespace link is unreadable (no ptrace access)', () => {
      const w = make('/host', { own: 'net:[4026532001]', ownIno: 4026532183, initIno: 4026531874 }).namespaceWarning();
      assert.match(w ?? '', /^\/host\/proc\/net\/dev shows the agent's own network namespace \(net\/dev inode 4026532183\), not the host's \(net\/dev inode 4026531874\): /);
      assert.equal(make('/host', { own: 'net:[4026532001]', ownIno: 7, initIno: 7 }).namespaceWarning(), undefined);
    });

    it('is silent when they match, when nothing can be compared, and when reading "/"', () => {
      assert.equal(make('/host', { own: 'net:[1]', init: 'net:[1]', ownIno: 1, initIno: 2 }).namespaceWarning(), undefined);
      assert.equal(make('/host', { init: 'net:[1]', ownIno: 5 }).namespaceWarning(), undefined);
      assert.equal(make('/host', { own: 'net:[2]', initIno: 6 }).namespaceWarning(), undefined);
      assert.equal(make('/host', {}).namespaceWarning(), undefined);
      assert.equal(make('/', { own: 'net:[2]', init: 'net:[1]', ownIno: 1, initIno: 2 }).namespaceWarning(), undefined);
    });
  });

  describe('values memory', () => {
    const rx = (sm: ScopeMetrics): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const p of sumMetric(sm, 'system.network.io').dataPoints) if (p.attributes['network.io.direction'] === 'receive') out[String(p.attributes['network.interface.name'])] = p.value;
      return out;
    };
    const sampleWith = (r: NetifReceiver, eth0: number): ScopeMetrics => {
      root.writeProcNetDev(procNetDev({ eth0: { rxBytes: eth0 }, eth1: { rxBytes: 2 * eth0 } }));
      root.writeLink('eth0', { operstate: 'up', mtu: '1500', speed: '100' });
      clock.advance(1000);
      return r.toScopeMetrics(r.sample());
    };

    it('keeps a snapshot\'s values until the sample after next, then throws rather than show another sample\'s', () => {
      const r = receiver();
      const first = sampleWith(r, 10);
      const second = sampleWith(r, 20);
      // Read one sample late (a scrape while the next one was being made): still its own values.
      assert.deepEqual(rx(first), { eth0: 10, eth1: 20 });
      const third = sampleWith(r, 30);
      assert.deepEqual(gaugeValues(second, 'system.network.interface.speed'), { eth0: 100 * 125000 });
      assert.deepEqual(rx(second), { eth0: 20, eth1: 40 });
      sampleWith(r, 40);
      sampleWith(r, 50);
      // third's columns now hold the fifth sample: never read in time, they say so.
      assert.throws(() => rx(third), (e: Error) => e.name === 'RecycledValuesError' && /receiver-netif: values of round 3 were read in round 5/.test(e.message));
      // second's points were read in time: a copy of their own.
      assert.deepEqual(rx(second), { eth0: 20, eth1: 40 });
    });

    it('refills the same memory every other sample instead of allocating a new array each', () => {
      const r = receiver();
      const buffers = [1, 2, 3, 4, 5].map((k) => (pointColumns(sumMetric(sampleWith(r, k), 'system.network.io')).values as Float64Array).buffer);
      assert.equal(buffers[2], buffers[0]);
      assert.equal(buffers[4], buffers[0]);
      assert.equal(buffers[3], buffers[1]);
      assert.notEqual(buffers[1], buffers[0]);
    });
  });

  // The builder reuses what it can: layouts while the interfaces are the same, and an interface's
  // values from the round before last while its sample is the same object. Whatever the mix of
  // idle, busy, reset, new, vanished and re-linked interfaces, each snapshot must say exactly what
  // its own sample says.
  describe('snapshots agree with their samples', () => {
    const NAMES = ['lo', 'eth0', 'eth1', 'veth0', 'veth1', 'veth2'];
    const change = fc.record({
      iface: fc.constantFrom(...NAMES),
      kind: fc.constantFrom('count', 'count', 'count', 'reset', 'remove', 'mtu', 'speed', 'down'),
      by: fc.integer({ min: 1, max: 10 ** 7 }),
    });

    function expected(sample: ReturnType<NetifReceiver['sample']>): Map<string, number> {
      const out = new Map<string, number>();
      const plan = packagePlan();
      for (const m of plan.metrics) {
        for (const iface of sample.interfaces) {
          if (m.kind === 'sum') {
            for (const d of m.sum.directions) out.set(`${m.sum.metric.name}/${iface.name}/${d.direction}`, iface.counters[d.counter]);
          } else {
            const v = m.gauge.value(iface.link);
            if (v !== undefined) out.set(`${m.gauge.metric.name}/${iface.name}`, v);
          }
        }
      }
      return out;
    }

    function emitted(sm: ScopeMetrics): Map<string, number> {
      const out = new Map<string, number>();
      for (const m of sm.metrics) {
        for (const p of m.dataPoints) {
          const a = p.attributes;
          const key = [m.descriptor.name, a['network.interface.name'], a['network.io.direction']].filter((x) => x !== undefined).join('/');
          assert.ok(!out.has(key), `${key} twice`);
          out.set(key, p.value as number);
        }
      }
      return out;
    }

    it('over many samples of interfaces that idle, count, reset, vanish, come back and change their links', () => {
      fc.assert(
        fc.property(fc.array(fc.array(change, { maxLength: 4 }), { minLength: 2, maxLength: 14 }), (rounds) => {
          const counts = new Map(NAMES.map((n, i) => [n, i * 1000]));
          const links = new Map(NAMES.map((n) => [n, { operstate: 'up', carrier: '1', mtu: '1500', speed: '1000' }]));
          const present = new Set(NAMES);
          const write = () => {
            root.writeProcNetDev(procNetDev(Object.fromEntries([...present].map((n) => [n, { rxBytes: counts.get(n), txPackets: (counts.get(n) ?? 0) >> 3 }]))));
            for (const n of NAMES) {
              if (present.has(n)) root.writeLink(n, links.get(n) ?? {});
              else root.removeLink(n);
            }
          };
          write();
          // Links are re-read round-robin: every interface about every third sample.
          const r = receiver({ metadataRefreshMs: 3000 });
          const snapshots: [ScopeMetrics, Map<string, number>][] = [];
          for (const changes of rounds) {
            for (const c of changes) {
              const link = links.get(c.iface) as Record<string, string>;
              if (c.kind === 'count') counts.set(c.iface, (counts.get(c.iface) ?? 0) + c.by);
              else if (c.kind === 'reset') counts.set(c.iface, 0);
              else if (c.kind === 'remove') present.delete(c.iface) || present.add(c.iface);
              else if (c.kind === 'mtu') link.mtu = String(1000 + (c.by % 9000));
              else if (c.kind === 'speed') link.speed = String(c.by % 100_000);
              else link.operstate = link.operstate === 'up' ? 'down' : 'up';
            }
            write();
            clock.advance(1000);
            const sample = r.sample();
            const sm = r.toScopeMetrics(sample);
            assert.deepEqual(emitted(sm), expected(sample));
            snapshots.push([sm, expected(sample)]);
            // The snapshot before is still readable and still its own (see values memory).
            const before = snapshots.at(-2);
            if (before !== undefined) assert.deepEqual(emitted(before[0]), before[1]);
          }
          r.close();
        }),
        { numRuns: 300 },
      );
    });
  });
});