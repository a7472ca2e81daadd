import { DATA_POINT_GAUGE, DATA_POINT_SUM, loadMetadata, publishArray, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';
import type { Attributes } from '@opentelemetry/api';
import type { GaugeMetricData, SumMetricData } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { RateProcessor } from '@otel-netif/processor-rate';
import { at, DIR, IF, metric, netRound, scopes, seriesValues, START, values } from './helpers.js';

const UTIL = 'system.network.bandwidth.utilization';

function util(maxBandwidthBytesPerSecond: number, speeds: Record<string, number>) {
  const p = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond });
  const ifaces = { eth0: { rx: 0, tx: 0 }, wlan0: { rx: 0, tx: 0 } };
  p.process(netRound(0, ifaces, { speeds }));
  // eth0: 12.5 MB/s in, 2.5 MB/s out; wlan0: 1000 B/s in, 2500 B/s out.
  return p.process(netRound(2, { eth0: { rx: 25_000_000, tx: 5_000_000 }, wlan0: { rx: 2_000, tx: 5_000 } }, { speeds }));
}

describe('RateProcessor utilization', () => {
  it('divides the byte rate by the link speed from the speed gauge', () => {
    const r = util(0, { eth0: 125_000_000 });
    assert.deepEqual(values(r, UTIL), { 'eth0/receive': 0.1, 'eth0/transmit': 0.02 });
    assert.deepEqual(metric(r, UTIL)?.descriptor, {
      name: UTIL,
      // The description is metadata.yaml's, word for word: the one source of truth.
      description: loadMetadata(new URL('../metadata.yaml', import.meta.url)).metrics[UTIL]?.description,
      unit: '1',
      type: InstrumentType.OBSERVABLE_GAUGE,
      valueType: ValueType.DOUBLE,
    });
  });

  it('falls back to maxBandwidthBytesPerSecond where the link speed is unknown, and prefers the link speed', () => {
    const r = util(10_000, { eth0: 125_000_000 });
    assert.deepEqual(values(r, UTIL), { 'eth0/receive': 0.1, 'eth0/transmit': 0.02, 'wlan0/receive': 0.1, 'wlan0/transmit': 0.25 });
  });

  it('ignores a zero link speed (unknown) in favour of the fallback', () => {
    const r = util(5_000, { wlan0: 0 });
    assert.deepEqual(values(r, UTIL), { 'eth0/receive': 2_500, 'eth0/transmit': 500, 'wlan0/receive': 0.2, 'wlan0/transmit': 0.5 });
  });

  it('does not clamp above 1: the configured capacity is too low', () => {
    const r = util(2_000, {});
    assert.deepEqual(values(r, UTIL), { 'eth0/receive': 6_250, 'eth0/transmit': 1_250, 'wlan0/receive': 0.5, 'wlan0/transmit': 1.25 });
  });

  it('emits no utilization when neither link speed nor maximum is known', () => {
    const r = util(0, {});
    assert.equal(metric(r, UTIL), undefined);
    assert.deepEqual(seriesValues(r, UTIL), {});
    assert.equal(Object.keys(values(r, 'system.network.io.rate')).length, 4);
  });

  it('carries utilization in series with the rates', () => {
    const r = util(0, { eth0: 125_000_000, wlan0: 10_000 });
    assert.deepEqual(seriesValues(r, UTIL), { 'eth0/receive': 0.1, 'eth0/transmit': 0.02, 'wlan0/receive': 0.1, 'wlan0/transmit': 0.25 });
  });

  // The receiver's layouts: the same published arrays round after round, the speed gauge's a
  // subset (links without a speed have no point). The processor then finds speeds by position.
  it('follows link speeds that come and go while the interfaces stay the same (published layouts, as the receiver emits)', () => {
    const io = publishArray(['eth0', 'eth1'].flatMap((n) => ['receive', 'transmit'].map((d): Attributes => Object.freeze({ [IF]: n, [DIR]: d }))));
    const starts = publishArray(io.map(() => START));
    const speedLayouts = new Map<string, Attributes[]>();
    const round = (t: number, speeds: Record<string, number>) => {
      const names = Object.keys(speeds);
      let layout = speedLayouts.get(names.join());
      if (layout === undefined) speedLayouts.set(names.join(), (layout = publishArray(names.map((n) => Object.freeze({ [IF]: n })))));
      const end = at(t);
      return scopes(
        withColumns<SumMetricData>(
          { descriptor: { name: 'system.network.io', description: '', unit: 'By', valueType: VALUE_INT }, dataPointType: DATA_POINT_SUM, aggregationTemporality: TEMPORALITY_CUMULATIVE, isMonotonic: true },
          { length: 4, attributes: io, values: Float64Array.of(1000 * t, 500 * t, 1000 * t, 500 * t), startTimes: starts, startTime: START, endTime: end },
        ),
        withColumns<GaugeMetricData>(
          { descriptor: { name: 'system.network.interface.speed', description: '', unit: 'By/s', valueType: VALUE_INT }, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE },
          { length: names.length, attributes: layout, values: Float64Array.from(names, (n) => speeds[n] as number), startTime: START, endTime: end },
        ),
      );
    };
    const p = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 10_000 });
    p.process(round(0, { eth0: 2_000 }));
    assert.deepEqual(values(p.process(round(1, { eth0: 2_000 })), UTIL), { 'eth0/receive': 0.5, 'eth0/transmit': 0.25, 'eth1/receive': 0.1, 'eth1/transmit': 0.05 });
    // eth1 reports a speed: used from this round on, not the configured maximum.
    assert.deepEqual(values(p.process(round(2, { eth0: 2_000, eth1: 4_000 })), UTIL), { 'eth0/receive': 0.5, 'eth0/transmit': 0.25, 'eth1/receive': 0.25, 'eth1/transmit': 0.125 });
    // eth0 no longer does: back to the maximum, not its old speed.
    assert.deepEqual(values(p.process(round(3, { eth1: 4_000 })), UTIL), { 'eth0/receive': 0.1, 'eth0/transmit': 0.05, 'eth1/receive': 0.25, 'eth1/transmit': 0.125 });
    assert.deepEqual(values(p.process(round(4, { eth1: 8_000 })), UTIL), { 'eth0/receive': 0.1, 'eth0/transmit': 0.05, 'eth1/receive': 0.125, 'eth1/transmit': 0.0625 });
  });
});
