import assert from 'node:assert/strict';
import { RateProcessor } from '@otel-netif/processor-rate';
import type { RateResult } from '@otel-netif/processor-rate';
import type { Attributes } from '@opentelemetry/api';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { pointColumns } from '@otel-netif/metadata';
import { IF, at, gauge, netAttrs, scopes, seriesValues, sum, values } from './helpers.js';

const IO_RATE = 'system.network.io.rate';
const UTIL = 'system.network.bandwidth.utilization';
const NAMES = ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'];
const SPEEDS = Object.fromEntries(NAMES.map((n) => [n, 1_000_000]));

// One frozen attributes object per series, as the receiver emits them round after round.
const FROZEN = new Map<string, Attributes>();
function frozen(iface: string, direction: 'receive' | 'transmit'): Attributes {
  const key = `${iface}/${direction}`;
  let a = FROZEN.get(key);
  if (a === undefined) FROZEN.set(key, (a = Object.freeze(netAttrs(iface, direction))));
  return a;
}

/** Round `k` over `names`: interface i has received (k · (i + 1))² bytes, so every round's rates differ. */
function round(k: number, names = NAMES): ScopeMetrics[] {
  const end = at(k);
  const io = names.flatMap((n, i) => [
    { attributes: frozen(n, 'receive'), value: (k * (i + 1)) ** 2, end },
    { attributes: frozen(n, 'transmit'), value: k * 100, end },
  ]);
  const speeds = names.map((n) => ({ attributes: { [IF]: n }, value: SPEEDS[n] as number, end }));
  return scopes(sum('system.network.io', io), gauge('system.network.interface.speed', speeds));
}

function run(topN: number, rounds: number): RateResult[] {
  const p = new RateProcessor({ topN, maxBandwidthBytesPerSecond: 0 });
  return Array.from({ length: rounds }, (_, k) => p.process(round(k + 1)));
}

// A round's unfolded rates live in columns the processor refills two rounds later (when no output
// holds them), so these pin down both what may be read late and what may not.
describe('RateProcessor column reuse', () => {
  it('keeps exported values until the round after next, and throws rather than show another round\'s', () => {
    for (const topN of [0, 2]) {
      const p = new RateProcessor({ topN, maxBandwidthBytesPerSecond: 0 });
      const q = new RateProcessor({ topN, maxBandwidthBytesPerSecond: 0 });
      const fresh = Array.from({ length: 6 }, (_, k) => {
        const r = q.process(round(k + 1));
        return { io: values(r, IO_RATE), util: values(r, UTIL) };
      });
      assert.ok(Object.keys(fresh[5]?.io ?? {}).length > 0);
      let previous: RateResult | undefined;
      for (let k = 0; k < 6; k++) {
        const r = p.process(round(k + 1));
        // The round before, read only now (a scrape that came while this round was being made).
        if (previous !== undefined) {
          assert.deepEqual(values(previous, IO_RATE), fresh[k - 1]?.io, `topN ${topN}, round ${k}`);
          assert.deepEqual(values(previous, UTIL), fresh[k - 1]?.util, `topN ${topN}, round ${k}`);
        }
        previous = r;
      }
    }
    // Without top-N the exported columns are the processor's own: two rounds on, they are another
    // round's, and reading them says so. Points read in time (dataPoints) are a copy that stays.
    const p = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 });
    p.process(round(1));
    const second = p.process(round(2));
    const io = (r: RateResult): MetricData => r.scopeMetrics.metrics.find((m) => m.descriptor.name === IO_RATE) as MetricData;
    const kept = io(second).dataPoints.map((d) => d.value);
    const unread = p.process(round(3));
    p.process(round(4));
    assert.equal(pointColumns(io(unread)).values.length, 10, 'the round before is still readable');
    p.process(round(5));
    assert.throws(() => pointColumns(io(unread)).values, (e: Error) => e.name === 'RecycledValuesError' && /processor-rate: values of round 3 were read in round 5/.test(e.message));
    assert.throws(() => io(unread).dataPoints, /after their memory was reused/);
    assert.deepEqual(io(second).dataPoints.map((d) => d.value), kept);
  });

  it('keeps a result\'s unfolded rates readable until the round after next, then says so', () => {
    const p = new RateProcessor({ topN: 2, maxBandwidthBytesPerSecond: 0 });
    p.process(round(1));
    const second = p.process(round(2));
    const expected = seriesValues(run(2, 2)[1] as RateResult, IO_RATE);
    p.process(round(3));
    // One round later: still this round's own rates (rx of eth4 went from 25 to 100 bytes in 1 s).
    assert.equal(expected['eth4/receive'], 75);
    const read: Record<string, number> = {};
    second.forEachRate((metric, a, v) => {
      if (metric === IO_RATE) read[`${String(a['network.interface.name'])}/${String(a['network.io.direction'])}`] = v;
    });
    assert.deepEqual(read, expected);
    p.process(round(4));
    assert.throws(() => second.series, /unfolded rates of processing round 2 were read after round 4 reused them/);
    assert.throws(() => second.forEachRate(() => {}), /round 4 reused them/);
    // Series read in time are a copy of their own, and stay readable.
    const third = p.process(round(5));
    const kept = seriesValues(third, IO_RATE);
    p.process(round(6));
    p.process(round(7));
    assert.deepEqual(seriesValues(third, IO_RATE), kept);
  });

  it('hands out the same attributes array while the interfaces stay the same, and a new one when they change', () => {
    const p = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 });
    const attributesOf = (r: RateResult): unknown => pointColumns(r.scopeMetrics.metrics.find((m) => m.descriptor.name === IO_RATE) as MetricData).attributes;
    p.process(round(1));
    const handed = [2, 3, 4, 5].map((k) => attributesOf(p.process(round(k))));
    // Two sets of columns take turns (a result stays readable for a round), each with its array.
    assert.equal(handed[2], handed[0]);
    assert.equal(handed[3], handed[1]);
    const fewer = p.process(round(6, ['eth0', 'eth1']));
    assert.notEqual(attributesOf(fewer), handed[0]);
    assert.equal((handed[0] as unknown[]).length, 10, 'what was handed out before is untouched');
  });

  it("gives a new series the state of a vanished one without its previous value or its top-N standing", () => {
    const p = new RateProcessor({ topN: 1, maxBandwidthBytesPerSecond: 0 });
    const step = (t: number, rx: Record<string, number>): RateResult => {
      const end = at(t);
      const io = Object.entries(rx).flatMap(([n, v]) => [
        { attributes: frozen(n, 'receive'), value: v, end },
        { attributes: frozen(n, 'transmit'), value: 0, end },
      ]);
      return p.process(scopes(sum('system.network.io', io)));
    };
    step(0, { a: 0, b: 0 });
    assert.deepEqual(values(step(1, { a: 100, b: 10 }), IO_RATE), { 'a/receive': 100, 'a/transmit': 0, 'other/receive': 10, 'other/transmit': 0 });
    // b goes (its states are swept and kept for reuse); c comes a round later and takes them over.
    step(2, { a: 200 });
    const first = step(3, { a: 300, c: 5_000 });
    assert.deepEqual(seriesValues(first, IO_RATE), { 'a/receive': 100, 'a/transmit': 0 }, "c's first sample has no rate (not one from b's last value)");
    // Ranked as c: the busiest now, so named, and a folds into "other" (b was "other" when it went).
    assert.deepEqual(values(step(4, { a: 400, c: 9_000 }), IO_RATE), { 'c/receive': 4_000, 'c/transmit': 0, 'other/receive': 100, 'other/transmit': 0 });
  });

  it('hands every rate gauge one attributes array when interfaces came or went', () => {
    const p = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 });
    const step = (t: number, names: string[]): RateResult => {
      const end = at(t);
      const points = names.flatMap((n) => [
        { attributes: frozen(n, 'receive'), value: 10 * t, end },
        { attributes: frozen(n, 'transmit'), value: 20 * t, end },
      ]);
      return p.process(scopes(sum('system.network.io', points), sum('system.network.packet.count', points, { unit: '{packet}' })));
    };
    const attributesOf = (r: RateResult, name: string): unknown => pointColumns(r.scopeMetrics.metrics.find((m) => m.descriptor.name === name) as MetricData).attributes;
    step(1, ['eth0', 'eth1']);
    step(2, ['eth0', 'eth1']);
    // eth2 is new (no rate yet): neither gauge's rates are its input's points, so each would copy its own.
    const r = step(3, ['eth0', 'eth1', 'eth2']);
    const io = attributesOf(r, IO_RATE);
    assert.equal((io as unknown[]).length, 4);
    assert.equal(attributesOf(r, 'system.network.packet.count.rate'), io);
  });
});
