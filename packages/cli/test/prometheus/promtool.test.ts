// promtool is Prometheus's own linter for an exposition: it parses with Prometheus's parser and
// applies the naming lints (units, _total on counters only, help text).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { FixturePipeline } from '../otlp/fixture-pipeline.js';
import { netifScopes, snapshotOf } from './snapshot.js';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('promtool check metrics', function () {
  before(function () {
    if (!existsSync(PROMTOOL)) {
      process.stderr.write(`      skipping: ${PROMTOOL} is missing (apt-get install prometheus)\n`);
      this.skip();
    }
  });

  it('passes on what the real receiver and processor produce, odd interface names included', () => {
    const fx = new FixturePipeline([
      { name: 'eth0', counters: { rxBytes: 98765432109, rxPackets: 123456789, txBytes: 12345678901, txPackets: 98765432 }, speedMbps: 1000 },
      { name: 'lo', counters: { rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1 } },
      { name: 'wlän0', counters: { rxBytes: 5, rxPackets: 1, txBytes: 5, txPackets: 1 }, speedMbps: 300 },
      { name: 'veth0@if3', counters: { rxBytes: 0, rxPackets: 0, txBytes: 0, txPackets: 0 } },
    ]);
    try {
      fx.first();
      const s = fx.step(1000, { rxBytes: 125_000, rxPackets: 100, txBytes: 1000, txPackets: 10 });
      const text = encodeExposition(s.scopeMetrics, s.resource);
      assert.match(text, /system_network_io_rate_bytes_per_second\{network_interface_name="eth0",network_io_direction="receive"\} 125000/);
      assert.match(text, /system_network_bandwidth_utilization_ratio\{network_interface_name="eth0",network_io_direction="receive"\} 0.001/);
      const r = promtoolCheck(text);
      assert.equal(r.output, '');
      assert.equal(r.status, 0);
    } finally {
      fx.remove();
    }
  });

  it('passes with quotes, backslashes, newlines and unicode in label values', () => {
    const s = snapshotOf(1, netifScopes(['we"ird', 'back\\slash', 'new\nline', '网卡0']), {
      'service.name': 'otel-netif',
      'host.name': 'h',
      'deployment.environment': 'a "quoted"\nvalue',
    });
    const r = promtoolCheck(encodeExposition(s.scopeMetrics, s.resource));
    assert.equal(r.output, '');
    assert.equal(r.status, 0);
  });

  it('is a real check: it flags a counter without _total', () => {
    const r = promtoolCheck('# HELP x_bytes X.\n# TYPE x_bytes counter\nx_bytes 1\n');
    assert.notEqual(r.output, '');
  });
});
