import assert from 'node:assert/strict';
import { OTHER_INTERFACE_NAME, RateProcessor } from '@otel-netif/processor-rate';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { selectTopInterfaces } from '../src/top-n.js';
import { DIR, IF, T0_SECONDS, at, metric, netAttrs, netRound, scopes, seriesValues, sum, values } from './helpers.js';
import type { IfaceCounters } from './helpers.js';

const IO_RATE = 'system.network.io.rate';
const PACKET_RATE = 'system.network.packet.count.rate';
const UTIL = 'system.network.bandwidth.utilization';

// Counters after 1 s, starting from 0: the value is the rate. Ranking by rx+tx bytes/s:
// d 2000, b 500, c 500 (tie with b, loses on name), a 100, e 30.
const SECOND_ROUND: Record<string, IfaceCounters> = {
  a: { rx: 100, tx: 0, rxPackets: 1, txPackets: 0 },
  b: { rx: 300, tx: 200, rxPackets: 3, txPackets: 2 },
  c: { rx: 50, tx: 450, rxPackets: 5, txPackets: 40 },
  d: { rx: 1_000, tx: 1_000, rxPackets: 10, txPackets: 10 },
  e: { rx: 10, tx: 20, rxPackets: 100, txPackets: 200 },
};

function zeros(names: string[]): Record<string, IfaceCounters> {
  return Object.fromEntries(names.map((n) => [n, { rx: 0, tx: 0, rxPackets: 0, txPackets: 0 }]));
}

function twoRounds(topN: number, order: string[], maxBandwidthBytesPerSecond = 0) {
  const p = new RateProcessor({ topN, maxBandwidthBytesPerSecond });
  p.process(netRound(0, zeros(order)));
  const second = Object.fromEntries(order.map((n) => [n, SECOND_ROUND[n] as IfaceCounters]));
  return p.process(netRound(1, second));
}

describe('RateProcessor top-N', () => {
  it('keeps the N busiest by bytes/s and sums the rest per direction into "other"', () => {
    const r = twoRounds(2, ['a', 'b', 'c', 'd', 'e'], 1_000);
    assert.equal(OTHER_INTERFACE_NAME, 'other');
    assert.deepEqual(values(r, IO_RATE), {
      'd/receive': 1_000, 'd/transmit': 1_000,
      'b/receive': 300, 'b/transmit': 200,
      'other/receive': 160, 'other/transmit': 470,
    });
    // Packets fold by the byte ranking too, even though e sends the most packets.
    assert.deepEqual(values(r, PACKET_RATE), {
      'd/receive': 10, 'd/transmit': 10,
      'b/receive': 3, 'b/transmit': 2,
      'other/receive': 106, 'other/transmit': 240,
    });
    // Utilization only for the named interfaces.
    assert.deepEqual(values(r, UTIL), {
      'd/receive': 1, 'd/transmit': 1,
      'b/receive': 0.3, 'b/transmit': 0.2,
    });
  });

  it('breaks ties by name whatever the input order', () => {
    const r = twoRounds(2, ['e', 'd', 'c', 'b', 'a']);
    const names = new Set(metric(r, IO_RATE)?.dataPoints.map((p) => p.attributes[IF]));
    assert.deepEqual([...names].sort(), ['b', 'd', 'other']);
    assert.deepEqual(values(r, IO_RATE)['other/transmit'], 470);

    const r3 = twoRounds(3, ['e', 'd', 'c', 'b', 'a']);
    const names3 = new Set(metric(r3, IO_RATE)?.dataPoints.map((p) => p.attributes[IF]));
    assert.deepEqual([...names3].sort(), ['b', 'c', 'd', 'other']);
    assert.deepEqual(values(r3, IO_RATE)['other/receive'], 110);
  });

  it('keeps every rate and utilization unfolded in series', () => {
    const r = twoRounds(2, ['a', 'b', 'c', 'd', 'e'], 1_000);
    assert.deepEqual(seriesValues(r, IO_RATE), {
      'a/receive': 100, 'a/transmit': 0,
      'b/receive': 300, 'b/transmit': 200,
      'c/receive': 50, 'c/transmit': 450,
      'd/receive': 1_000, 'd/transmit': 1_000,
      'e/receive': 10, 'e/transmit': 20,
    });
    assert.deepEqual(seriesValues(r, UTIL), {
      'a/receive': 0.1, 'a/transmit': 0,
      'b/receive': 0.3, 'b/transmit': 0.2,
      'c/receive': 0.05, 'c/transmit': 0.45,
      'd/receive': 1, 'd/transmit': 1,
      'e/receive': 0.01, 'e/transmit': 0.02,
    });
    assert.equal(r.series.some((s) => s.attributes[IF] === 'other'), false);
  });

  it('has no "other" when N covers every interface', () => {
    for (const n of [5, 6, 1_000]) {
      const r = twoRounds(n, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(Object.keys(values(r, IO_RATE)).sort(), [
        'a/receive', 'a/transmit', 'b/receive', 'b/transmit', 'c/receive', 'c/transmit',
        'd/receive', 'd/transmit', 'e/receive', 'e/transmit',
      ], `topN ${n}`);
    }
  });

  it('does not fold when topN is 0', () => {
    const r = twoRounds(0, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(Object.keys(values(r, IO_RATE)).length, 10);
    assert.equal(Object.keys(values(r, PACKET_RATE)).length, 10);
  });

  it('folds every rate keyed by interface name, spans the folded intervals, and leaves other series alone', () => {
    const p = new RateProcessor({ topN: 1, maxBandwidthBytesPerSecond: 0 });
    const round = (t: number, late: number, v: number): ScopeMetrics[] => [
      ...netRound(t, { big: { rx: v * 10, tx: 0 }, small: { rx: v, tx: 0 } }),
      ...scopes(
        sum('system.network.errors', [
          { attributes: netAttrs('big', 'receive'), value: v, end: at(t) },
          { attributes: netAttrs('small', 'receive'), value: v * 2, end: at(t) },
          // Sampled slightly later than the others: the "other" point must cover it.
          { attributes: netAttrs('tiny', 'receive'), value: v * 3, end: at(t + late) },
        ], { unit: '{error}' }),
        sum('process.io', [{ attributes: { pid: 1 }, value: v * 7, end: at(t) }]),
      ),
    ];
    p.process(round(0, 0, 0));
    const r = p.process(round(2, 0.5, 100));
    assert.deepEqual(values(r, IO_RATE), { 'big/receive': 500, 'big/transmit': 0, 'other/receive': 50, 'other/transmit': 0 });
    // small 200/2 + tiny 300/2.5
    assert.deepEqual(values(r, 'system.network.errors.rate'), { 'big/receive': 50, 'other/receive': 220 });
    assert.deepEqual(values(r, 'process.io.rate'), { '{"pid":1}': 350 });
    const other = metric(r, 'system.network.errors.rate')?.dataPoints.find((d) => d.attributes[IF] === 'other');
    assert.deepEqual(other?.startTime, [T0_SECONDS, 0]);
    assert.deepEqual(other?.endTime, [T0_SECONDS + 2, 500_000_000]);
    assert.deepEqual(other?.attributes, { [IF]: 'other', [DIR]: 'receive' });
  });

  it('re-ranks every round', () => {
    const p = new RateProcessor({ topN: 1, maxBandwidthBytesPerSecond: 0 });
    p.process(netRound(0, { x: { rx: 0, tx: 0 }, y: { rx: 0, tx: 0 } }));
    const r1 = p.process(netRound(1, { x: { rx: 10, tx: 0 }, y: { rx: 5, tx: 0 } }));
    assert.deepEqual(values(r1, IO_RATE), { 'x/receive': 10, 'x/transmit': 0, 'other/receive': 5, 'other/transmit': 0 });
    const r2 = p.process(netRound(2, { x: { rx: 11, tx: 0 }, y: { rx: 105, tx: 0 } }));
    assert.deepEqual(values(r2, IO_RATE), { 'y/receive': 100, 'y/transmit': 0, 'other/receive': 1, 'other/transmit': 0 });
  });
});

describe('selectTopInterfaces', () => {
  const scores = new Map([['b', 5], ['a', 5], ['c', 9], ['d', 1]]);

  it('keeps the highest scores, ties by name', () => {
    assert.deepEqual([...(selectTopInterfaces(scores, 2) ?? [])], ['c', 'a']);
    assert.deepEqual([...(selectTopInterfaces(scores, 3) ?? [])], ['c', 'a', 'b']);
  });

  it('folds nothing when n is 0 or covers every interface', () => {
    assert.equal(selectTopInterfaces(scores, 0), undefined);
    assert.equal(selectTopInterfaces(scores, 4), undefined);
  });
});
