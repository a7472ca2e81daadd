import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import { DEFAULT_RATE_PROCESSOR_CONFIG, RateProcessor } from '@otel-netif/processor-rate';
import { DIR, IF, START, T0_SECONDS, at, metric, netAttrs, netRound, scopes, seriesValues, sum, values } from './helpers.js';

const IO_RATE = 'system.network.io.rate';

function ioOnce(value: number, end: [number, number], start = START) {
  return scopes(sum('system.network.io', [{ attributes: netAttrs('eth0', 'receive'), value, end, start }]));
}

describe('RateProcessor rates', () => {
  it('emits nothing for the first sample of a series', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    const r = p.process(netRound(0, { eth0: { rx: 1000, tx: 2000 } }));
    assert.deepEqual(r.scopeMetrics.metrics, []);
    assert.deepEqual(r.series, []);
    assert.equal(p.trackedSeriesCount, 2);
  });

  it('computes a steady rate exactly, as a double gauge spanning the sampled interval', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(netRound(10, { eth0: { rx: 0, tx: 5_000 } }));
    const r = p.process(netRound(12, { eth0: { rx: 1_000_000, tx: 5_000 } }));
    assert.deepEqual(values(r, IO_RATE), { 'eth0/receive': 500_000, 'eth0/transmit': 0 });
    const m = metric(r, IO_RATE);
    assert.ok(m);
    assert.equal(m.dataPointType, DataPointType.GAUGE);
    assert.equal(m.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.deepEqual(m.descriptor, {
      name: IO_RATE,
      description: 'Bytes per second received or transmitted, over the last sampling interval.',
      unit: 'By/s',
      type: InstrumentType.OBSERVABLE_GAUGE,
      valueType: ValueType.DOUBLE,
    });
    const rx = m.dataPoints[0];
    assert.deepEqual(rx?.startTime, [T0_SECONDS + 10, 0]);
    assert.deepEqual(rx?.endTime, [T0_SECONDS + 12, 0]);
    assert.deepEqual(rx?.attributes, { [IF]: 'eth0', [DIR]: 'receive' });
    assert.deepEqual(seriesValues(r, IO_RATE), { 'eth0/receive': 500_000, 'eth0/transmit': 0 });
  });

  it('keeps rating at each round against the previous one', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(netRound(0, { eth0: { rx: 0, tx: 0 } }));
    p.process(netRound(5, { eth0: { rx: 5_000, tx: 0 } }));
    const r = p.process(netRound(10, { eth0: { rx: 30_000, tx: 100 } }));
    assert.deepEqual(values(r, IO_RATE), { 'eth0/receive': 5_000, 'eth0/transmit': 20 });
  });

  it('uses fractional seconds and nanoseconds of the timestamps', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(netRound(1, { eth0: { rx: 0, tx: 0 } }));
    const r1 = p.process(netRound(2.25, { eth0: { rx: 1_000, tx: 0 } }));
    assert.deepEqual(values(r1, IO_RATE), { 'eth0/receive': 800, 'eth0/transmit': 0 });

    // Across a second boundary: [s, 999_999_999] to [s+1, 249_999_999] is 0.25 s.
    const q = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    q.process(ioOnce(0, [T0_SECONDS, 999_999_999]));
    const r2 = q.process(ioOnce(100, [T0_SECONDS + 1, 249_999_999]));
    assert.deepEqual(values(r2, IO_RATE), { 'eth0/receive': 400 });
  });

  it('takes time from the points, never from the wall clock', () => {
    const realNow = Date.now;
    const realPerf = performance.now;
    let calls = 0;
    Date.now = () => (calls++, 42);
    performance.now = () => (calls++, 42);
    try {
      const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
      p.process(netRound(0, { eth0: { rx: 0, tx: 0 } }));
      const r = p.process(netRound(4, { eth0: { rx: 4_000, tx: 0 } }));
      assert.deepEqual(values(r, IO_RATE), { 'eth0/receive': 1_000, 'eth0/transmit': 0 });
    } finally {
      Date.now = realNow;
      performance.now = realPerf;
    }
    assert.equal(calls, 0);
  });

  it('treats a decrease as a reset: no point that round, then a correct rate from the new value', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(ioOnce(1_000, at(0)));
    assert.deepEqual(values(p.process(ioOnce(5_000, at(1))), IO_RATE), { 'eth0/receive': 4_000 });
    const reset = p.process(ioOnce(100, at(2)));
    assert.equal(metric(reset, IO_RATE), undefined);
    assert.deepEqual(reset.series, []);
    const after = p.process(ioOnce(2_100, at(3)));
    assert.deepEqual(values(after, IO_RATE), { 'eth0/receive': 2_000 });
    assert.deepEqual(metric(after, IO_RATE)?.dataPoints[0]?.startTime, at(2));
  });

  it('treats a changed startTime as a reset even when the value went up', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    const startA: [number, number] = [T0_SECONDS - 50, 0];
    const startB: [number, number] = [T0_SECONDS + 1, 500];
    p.process(ioOnce(1_000, at(0), startA));
    assert.deepEqual(values(p.process(ioOnce(2_000, at(1), startA)), IO_RATE), { 'eth0/receive': 1_000 });
    assert.equal(metric(p.process(ioOnce(5_000, at(2), startB)), IO_RATE), undefined);
    assert.deepEqual(values(p.process(ioOnce(5_500, at(3), startB)), IO_RATE), { 'eth0/receive': 500 });
  });

  it('emits no point when no time passed or time went back, and restarts from that sample', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(ioOnce(1_000, at(5)));
    assert.equal(metric(p.process(ioOnce(2_000, at(5))), IO_RATE), undefined);
    assert.equal(metric(p.process(ioOnce(3_000, at(4))), IO_RATE), undefined);
    assert.deepEqual(values(p.process(ioOnce(3_600, at(6))), IO_RATE), { 'eth0/receive': 300 });
  });

  it('skips a non-finite value and starts the series over after it', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(ioOnce(1_000, at(0)));
    assert.equal(metric(p.process(ioOnce(Number.NaN, at(1))), IO_RATE), undefined);
    assert.equal(p.trackedSeriesCount, 0);
    assert.equal(metric(p.process(ioOnce(3_000, at(2))), IO_RATE), undefined);
    assert.deepEqual(values(p.process(ioOnce(3_500, at(3))), IO_RATE), { 'eth0/receive': 500 });
  });

  it('reports a rate of 0 for an unchanged counter (not a reset)', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(ioOnce(7, at(0)));
    assert.deepEqual(values(p.process(ioOnce(7, at(5))), IO_RATE), { 'eth0/receive': 0 });
  });

  it('identifies a series by its attribute set whatever the attribute order', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(scopes(sum('system.network.io', [{ attributes: { [IF]: 'eth0', [DIR]: 'receive' }, value: 0, end: at(0) }])));
    const r = p.process(scopes(sum('system.network.io', [{ attributes: { [DIR]: 'receive', [IF]: 'eth0' }, value: 50, end: at(1) }])));
    assert.deepEqual(values(r, IO_RATE), { 'eth0/receive': 50 });
    assert.equal(p.trackedSeriesCount, 1);
  });

  it('keeps series of different metrics with the same attributes apart', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(netRound(0, { eth0: { rx: 0, tx: 0, rxPackets: 0, txPackets: 0 } }));
    const r = p.process(netRound(2, { eth0: { rx: 3_000, tx: 1_000, rxPackets: 20, txPackets: 8 } }));
    assert.deepEqual(values(r, IO_RATE), { 'eth0/receive': 1_500, 'eth0/transmit': 500 });
    assert.deepEqual(values(r, 'system.network.packet.count.rate'), { 'eth0/receive': 10, 'eth0/transmit': 4 });
    assert.equal(p.trackedSeriesCount, 4);
  });
});

describe('RateProcessor series lifetime', () => {
  it('forgets a series absent from a round: it starts over when it comes back', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    p.process(netRound(0, { eth0: { rx: 0, tx: 0 }, veth1: { rx: 0, tx: 0 } }));
    assert.equal(p.trackedSeriesCount, 4);
    p.process(netRound(1, { eth0: { rx: 10, tx: 10 } }));
    assert.equal(p.trackedSeriesCount, 2);
    const back = p.process(netRound(2, { eth0: { rx: 20, tx: 20 }, veth1: { rx: 500, tx: 500 } }));
    // Had veth1 been remembered, this would be 250 B/s over 2 s.
    assert.deepEqual(values(back, IO_RATE), { 'eth0/receive': 10, 'eth0/transmit': 10 });
  });

  it('does not grow across 10,000 rounds of churning interface names', () => {
    const p = new RateProcessor(DEFAULT_RATE_PROCESSOR_CONFIG);
    let maxTracked = 0;
    let vethRates = 0;
    for (let i = 0; i < 10_000; i++) {
      // Each veth lives two rounds (one rate), eth0 lives throughout.
      const r = p.process(
        netRound(i, {
          eth0: { rx: i * 100, tx: 0 },
          [`veth${i}`]: { rx: 1_000, tx: 0 },
          [`veth${i + 1}`]: { rx: 0, tx: 0 },
        }),
      );
      maxTracked = Math.max(maxTracked, p.trackedSeriesCount);
      for (const s of r.series) if (String(s.attributes[IF]).startsWith('veth') && s.attributes[DIR] === 'receive') {
        vethRates++;
        assert.equal(s.value, 1_000);
      }
    }
    assert.equal(maxTracked, 6);
    assert.equal(p.trackedSeriesCount, 6);
    assert.equal(vethRates, 9_999);
  });
});
