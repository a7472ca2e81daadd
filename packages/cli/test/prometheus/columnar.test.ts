import assert from 'node:assert/strict';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { NetifReceiver } from '@otel-netif/receiver-netif';
import { RateProcessor } from '@otel-netif/processor-rate';
import { plainResource } from '../../src/plain-resource.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { ExpositionWriter } from '../../src/export/prometheus/writer.js';
import { joinBody } from '../../src/export/prometheus/body.js';
import { FakeClock, FixtureRoot, TIME_ORIGIN } from '../../../receiver-netif/test/helpers/fixture-root.js';
import { procNetDev } from '../../../receiver-netif/test/helpers/proc-net-dev-text.js';

const resource = plainResource({ 'service.name': 'otel-netif' });

/**
 * The receiver and processor hand their metrics over as columns, and the writer reads the columns;
 * the reference encoder reads `dataPoints`, which are built from the same columns. Both must give
 * the same bytes, sample after sample, through the changes the column layouts are cached across.
 */
describe('Prometheus writer over the columnar metrics of the receiver and processor', () => {
  const root = new FixtureRoot();
  after(() => root.remove());

  const rounds: Record<string, Record<string, number>>[] = [
    { eth0: { rxBytes: 100, txBytes: 10 }, eth1: { rxBytes: 5 }, veth9: {} },
    { eth0: { rxBytes: 300, txBytes: 20, rxDrop: 1 }, eth1: { rxBytes: 5 }, veth9: { txPackets: 3 } },
    // veth9 goes, veth7 comes: layouts change
    { eth0: { rxBytes: 900, txBytes: 20, rxDrop: 1 }, eth1: { rxBytes: 50 }, veth7: { rxBytes: 1 } },
    // eth1 resets: its start time moves
    { eth0: { rxBytes: 1000, txBytes: 30, rxDrop: 2 }, eth1: { rxBytes: 1 }, veth7: { rxBytes: 2 } },
    { eth0: { rxBytes: 1000, txBytes: 30, rxDrop: 2 }, eth1: { rxBytes: 1 }, veth7: { rxBytes: 2 } },
  ];

  for (const topN of [0, 1]) {
    it(`gives the reference bytes for every sample (top-N ${topN})`, () => {
      root.writeLink('eth0', { operstate: 'up', carrier: '1', speed: '1000', mtu: '1500' });
      root.writeLink('eth1', { operstate: 'down', mtu: '1500' });
      for (const v of ['veth9', 'veth7']) root.writeLink(v, { operstate: 'up', carrier: '1', mtu: '9000' });
      const clock = new FakeClock();
      const receiver = new NetifReceiver({ rootPath: root.path, include: [], exclude: [], metadataRefreshMs: 0 }, { now: clock.now, timeOrigin: TIME_ORIGIN });
      const processor = new RateProcessor({ topN, maxBandwidthBytesPerSecond: 1e6 });
      const writer = new ExpositionWriter();
      let checked = 0;
      for (const round of rounds) {
        root.writeProcNetDev(procNetDev(round));
        clock.advance(5000);
        const receiverScope = receiver.toScopeMetrics(receiver.sample());
        const scopes: ScopeMetrics[] = [receiverScope, processor.process([receiverScope]).scopeMetrics];
        const written = joinBody(writer.encode(scopes, resource)).toString('utf8');
        assert.equal(written, encodeExposition(scopes, resource));
        checked += written.split('\n').filter((l) => l.startsWith('system_network_')).length;
      }
      // Counters, link gauges, rates and utilization all went through both encoders.
      assert.ok(checked > 150, `only ${checked} lines compared`);
    });
  }
});
