import { strict as assert } from 'node:assert';
import { loadMetadata } from '@otel-netif/metadata';
import { RATE_METRICS, UTILIZATION_METRIC, busiest, interfaceViews } from '../../src/pipeline/views.js';
import { iface, rateSeries, snapshot } from './fake-snapshot.js';

describe('interfaceViews', () => {
  it('joins sample and unfolded rates per interface, in the sample order', () => {
    const views = interfaceViews(
      snapshot(
        [iface('eth0', { operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 }, { rxBytes: 10, txErrs: 3 }), iface('lo', { operstate: 'unknown', carrier: true })],
        [...rateSeries('lo', { rx: [1, 2, 3, 4], tx: [5, 6, 7, 8] }), ...rateSeries('eth0', { rx: [1000, 10, 0, 1], tx: [2000, 20, 0.5, 0], util: { rx: 0.25, tx: 0.5 } })],
      ),
    );
    assert.deepEqual(views.map((v) => v.name), ['eth0', 'lo']);
    const [eth0, lo] = views;
    assert.deepEqual(eth0?.link, { operstate: 'up', up: true, carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500 });
    assert.equal(eth0?.counters.rxBytes, 10);
    assert.equal(eth0?.counters.txErrs, 3);
    assert.deepEqual(eth0?.rates, { rx: { bytes: 1000, packets: 10, errors: 0, drops: 1 }, tx: { bytes: 2000, packets: 20, errors: 0.5, drops: 0 } });
    assert.deepEqual(eth0?.utilization, { rx: 0.25, tx: 0.5 });
    assert.deepEqual(lo?.rates, { rx: { bytes: 1, packets: 2, errors: 3, drops: 4 }, tx: { bytes: 5, packets: 6, errors: 7, drops: 8 } });
    assert.deepEqual(lo?.utilization, {});
  });

  it('has no rates before an interface was seen twice', () => {
    const [v] = interfaceViews(snapshot([iface('eth0')], []));
    assert.equal(v?.rates, undefined);
    assert.deepEqual(v?.utilization, {});
  });

  it('derives up like the receiver gauge: up, or unknown with carrier', () => {
    const views = interfaceViews(
      snapshot([iface('a', { operstate: 'up' }), iface('b', { operstate: 'unknown', carrier: true }), iface('c', { operstate: 'unknown' }), iface('d', { operstate: 'down' }), iface('e', {})], []),
    );
    assert.deepEqual(views.map((v) => v.link.up), [true, true, false, false, undefined]);
  });

  it('ignores the folded "other" series and series of interfaces not in the sample', () => {
    const views = interfaceViews(snapshot([iface('eth0')], [...rateSeries('other', { rx: [1, 1, 1, 1], tx: [1, 1, 1, 1] })]));
    assert.deepEqual(views.map((v) => v.name), ['eth0']);
    assert.equal(views[0]?.rates, undefined);
  });

  it('reads metric names that processor-rate/metadata.yaml defines', () => {
    const meta = loadMetadata(new URL('../../../processor-rate/metadata.yaml', import.meta.url));
    for (const name of [...Object.values(RATE_METRICS), UTILIZATION_METRIC]) assert.ok(meta.metrics[name], `${name} is not in processor-rate/metadata.yaml`);
  });

  it('busiest keeps the n highest by rx+tx bytes/s, ties by name; 0 keeps all in order', () => {
    const views = interfaceViews(
      snapshot(
        [iface('a'), iface('b'), iface('c'), iface('d')],
        [
          ...rateSeries('a', { rx: [1, 0, 0, 0], tx: [1, 0, 0, 0] }),
          ...rateSeries('b', { rx: [50, 0, 0, 0], tx: [50, 0, 0, 0] }),
          ...rateSeries('c', { rx: [100, 0, 0, 0], tx: [0, 0, 0, 0] }),
        ],
      ),
    );
    assert.deepEqual(busiest(views, 2).map((v) => v.name), ['b', 'c']);
    assert.deepEqual(busiest(views, 0).map((v) => v.name), ['a', 'b', 'c', 'd']);
    assert.deepEqual(busiest(views, 10).map((v) => v.name), ['b', 'c', 'a', 'd']);
  });
});
