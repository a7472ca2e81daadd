import { loadMetadata } from '@otel-netif/metadata';
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { RateProcessor } from '@otel-netif/processor-rate';
import { metric, netRound, seriesValues, values } from './helpers.js';

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
});
