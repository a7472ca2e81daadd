import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Attributes } from '@opentelemetry/api';
import type { InterfaceCounters, InterfaceSample, LinkInfo } from '@otel-netif/receiver-netif';
import type { RateSeries } from '@otel-netif/processor-rate';
import { LiveFeed } from '../../src/api/live.js';
import { API_VERSION, type LiveInterface, type LiveSnapshot } from '../../src/api/model.js';
import { HISTORY_FIELDS, HistoryRing, type HistoryPoint } from '../../src/history/ring.js';
import { RATE_METRICS, UTILIZATION_METRIC, interfaceViews, type InterfaceView } from '../../src/pipeline/views.js';
import { counters as fullCounters } from './fixtures.js';

/**
 * LiveFeed as it was before the per-sample path was made allocation-free: views built for every
 * sample, totals in objects keyed by name, the history fed a Map of points. The feed must answer
 * exactly as this does, API shape, totals and history alike.
 */
class ReferenceFeed {
  readonly history: HistoryRing;
  private readonly totals = new Map<string, { last: number[]; acc: number[]; since: number }>();

  constructor(capacity: number) {
    this.history = new HistoryRing(capacity);
  }

  update(snapshot: Snapshot): LiveSnapshot {
    const [sec, nanos] = snapshot.sample.time;
    const now = sec * 1000 + Math.floor(nanos / 1e6);
    const seen = new Set<string>();
    for (const { name, counters: c } of snapshot.sample.interfaces) {
      seen.add(name);
      const v = [c.rxBytes, c.txBytes, c.rxPackets, c.txPackets, c.rxErrs + c.txErrs, c.rxDrop + c.txDrop];
      const s = this.totals.get(name);
      if (s === undefined) {
        this.totals.set(name, { last: v, acc: [0, 0, 0, 0, 0, 0], since: now });
        continue;
      }
      v.forEach((x, k) => (s.acc[k]! += x >= s.last[k]! ? x - s.last[k]! : x));
      s.last = v;
    }
    for (const name of this.totals.keys()) if (!seen.has(name)) this.totals.delete(name);

    const points = new Map<string, HistoryPoint>();
    for (const { name } of snapshot.sample.interfaces) points.set(name, { rxBytes: undefined, txBytes: undefined, rxPackets: undefined, txPackets: undefined });
    for (const r of snapshot.rates) {
      const name = r.attributes['network.interface.name'];
      const dir = r.attributes['network.io.direction'] === 'receive' ? 'rx' : r.attributes['network.io.direction'] === 'transmit' ? 'tx' : undefined;
      const p = typeof name === 'string' ? points.get(name) : undefined;
      if (p === undefined || dir === undefined) continue;
      if (r.metric === RATE_METRICS.bytes) p[`${dir}Bytes`] = r.value;
      if (r.metric === RATE_METRICS.packets) p[`${dir}Packets`] = r.value;
    }
    this.history.push(now, points);

    return {
      version: API_VERSION,
      host: 'h',
      time: new Date(now).toISOString(),
      timeUnixMs: now,
      seq: snapshot.seq,
      intervalMs: 1000,
      interfaces: interfaceViews(snapshot).map((v) => this.toLive(v, now)),
    };
  }

  private toLive(v: InterfaceView, now: number): LiveInterface {
    const r = v.rates;
    const t = this.totals.get(v.name);
    return {
      name: v.name,
      operstate: v.link.operstate ?? null,
      up: v.link.up ?? null,
      carrier: v.link.carrier ?? null,
      speedBytesPerSecond: v.link.speedBytesPerSecond ?? null,
      mtu: v.link.mtu ?? null,
      rates: {
        rxBytes: r?.rx.bytes ?? null,
        txBytes: r?.tx.bytes ?? null,
        rxPackets: r?.rx.packets ?? null,
        txPackets: r?.tx.packets ?? null,
        rxErrors: r?.rx.errors ?? null,
        txErrors: r?.tx.errors ?? null,
        rxDrops: r?.rx.drops ?? null,
        txDrops: r?.tx.drops ?? null,
      },
      utilization: { rx: v.utilization.rx ?? null, tx: v.utilization.tx ?? null },
      counters: { ...v.counters },
      sinceStart: {
        rxBytes: t?.acc[0] ?? 0,
        txBytes: t?.acc[1] ?? 0,
        rxPackets: t?.acc[2] ?? 0,
        txPackets: t?.acc[3] ?? 0,
        errors: t?.acc[4] ?? 0,
        drops: t?.acc[5] ?? 0,
        since: new Date(t?.since ?? now).toISOString(),
      },
    };
  }
}

interface Snapshot {
  seq: number;
  sample: { time: [number, number]; monotonicMs: number; interfaces: InterfaceSample[]; problems: string[] };
  rates: RateSeries[];
  forEachRate?: (fn: (metric: string, attributes: Attributes, value: number) => void, metrics?: ReadonlySet<string>) => void;
}

const NAMES = ['eth0', 'eth1', 'veth2', 'lo', 'other'];
const METRICS = [RATE_METRICS.bytes, RATE_METRICS.packets, RATE_METRICS.errors, RATE_METRICS.drops, UTILIZATION_METRIC, 'system.network.something.else'];

const rateValue = fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 1e10 }), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
const link: fc.Arbitrary<LinkInfo> = fc.record(
  { operstate: fc.constantFrom('up', 'down', 'unknown'), carrier: fc.boolean(), speedBytesPerSecond: fc.nat(), mtu: fc.nat() },
  { requiredKeys: [] },
);
const counterValue = fc.oneof(fc.nat({ max: 1000 }), fc.double({ min: 0, max: 2 ** 53, noNaN: true }).map(Math.floor));
const counters = fc.record({ rxBytes: counterValue, txBytes: counterValue, rxPackets: counterValue, txPackets: counterValue, rxErrs: counterValue, txErrs: counterValue, rxDrop: counterValue, txDrop: counterValue });
/** A rate: which interface (an index into the round's, or a name outside it), direction, gauge, value. */
const rate = fc.record({
  who: fc.oneof(fc.nat({ max: 5 }), fc.constantFrom('absent0', 7)),
  dir: fc.constantFrom('receive', 'transmit', 'receive', 'transmit', 'sideways'),
  metric: fc.constantFrom(...METRICS),
  value: rateValue,
});
const round = fc.record({
  names: fc.shuffledSubarray(NAMES),
  counters: fc.array(counters, { minLength: 5, maxLength: 5 }),
  links: fc.array(link, { minLength: 5, maxLength: 5 }),
  /** Every gauge for every interface and direction, as the processor gives them once it can. */
  full: fc.boolean(),
  rates: fc.array(rate, { maxLength: 30 }),
  viaForEachRate: fc.boolean(),
});

type Round = typeof round extends fc.Arbitrary<infer T> ? T : never;

function snapshotOf(seq: number, r: Round, values: number[]): Snapshot {
  const interfaces = r.names.map((name, i) => ({ name, counters: fullCounters(r.counters[i]) as InterfaceCounters, link: r.links[i] as LinkInfo, startTime: [0, 0] as [number, number] }));
  const rates: RateSeries[] = [];
  if (r.full) {
    // In the processor's order: one run per gauge, each interface's directions one after the other.
    for (const metric of METRICS.slice(0, 5)) {
      for (const name of r.names) {
        for (const dir of ['receive', 'transmit']) rates.push({ metric, attributes: { 'network.interface.name': name, 'network.io.direction': dir }, value: values[rates.length % values.length] ?? 0 });
      }
    }
  }
  for (const x of r.rates) {
    const name = typeof x.who === 'number' ? (r.names[x.who] ?? x.who) : x.who;
    rates.push({ metric: x.metric, attributes: { 'network.interface.name': name, 'network.io.direction': x.dir }, value: x.value });
  }
  const snapshot: Snapshot = { seq, sample: { time: [1_700_000_000 + seq, 250_000_000], monotonicMs: seq * 1000, interfaces, problems: [] }, rates };
  if (r.viaForEachRate) {
    snapshot.forEachRate = (fn, metrics) => {
      for (const s of rates) if (metrics === undefined || metrics.has(s.metric)) fn(s.metric, s.attributes, s.value);
    };
  }
  return snapshot;
}

describe('LiveFeed against the feed it replaced', () => {
  it('answers the same API shape, totals and history, through churn, reordering, resets and odd rates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(round, { minLength: 1, maxLength: 12 }), fc.array(rateValue, { minLength: 1, maxLength: 7 }), fc.boolean(), (capacity, rounds, values, watched) => {
        const feed = new LiveFeed({ intervalMs: 1000, host: 'h', historySize: capacity });
        const reference = new ReferenceFeed(capacity);
        const seen: LiveSnapshot[] = [];
        if (watched) feed.on('update', (s) => seen.push(s));
        rounds.forEach((r, i) => {
          const snapshot = snapshotOf(i + 1, r, values);
          const want = reference.update(snapshot);
          // Unwatched, the feed records the round and builds its answer only when asked, later.
          feed.update(snapshot);
          const got = feed.latest();
          assert.deepStrictEqual(got, want);
          assert.equal(feed.json(got!), JSON.stringify(want));
          if (watched) assert.equal(seen.at(-1), got);
          assert.deepStrictEqual(feed.history.window(), reference.history.window());
          assert.deepStrictEqual(feed.history.interfaceNames, reference.history.interfaceNames);
          for (const name of NAMES) {
            for (const f of HISTORY_FIELDS) assert.deepStrictEqual(feed.history.last(name, f, capacity), reference.history.last(name, f, capacity));
          }
        });
      }),
      { numRuns: 400 },
    );
  });
});
