import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, withoutThreshold } from './lib/promql.js';
import { RULES_FILE } from './lib/paths.js';
import { requireBinary, run } from './lib/tools.js';

const UNIT_TESTS = join(import.meta.dirname, 'fixtures', 'otel-netif.rules.test.yml');

describe('deploy: alert rules (deploy/helm/otel-netif/rules/otel-netif.rules.yml)', () => {
  const rules = loadRules().flatMap((g) => g.rules);
  const alert = (name: string) => {
    const r = rules.find((x) => x.alert === name);
    assert.ok(r, `no alert ${name}`);
    return r;
  };

  it('pass promtool check rules', function () {
    const promtool = requireBinary(this, 'promtool', 'prometheus');
    const r = run(promtool, ['check', 'rules', RULES_FILE]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: 4 rules found/);
  });

  it('cover saturation (>90% for 10m), rising errors, rising drops and interface down', () => {
    const sat = alert('NetworkInterfaceSaturated');
    assert.match(sat.expr, /system_network_bandwidth_utilization_ratio.*> 0\.9$/);
    assert.equal(sat.for, '10m');
    assert.match(alert('NetworkInterfaceErrorsRising').expr, /rate\(system_network_errors_total\[/);
    assert.match(alert('NetworkInterfaceDropsRising').expr, /rate\(system_network_packet_dropped_total\[/);
    assert.match(alert('NetworkInterfaceDown').expr, /system_network_interface_up == 0/);
  });

  it('give every alert a severity, a summary and a description naming host and interface', () => {
    for (const r of rules) {
      assert.ok(['warning', 'critical'].includes(r.labels?.severity ?? ''), `${r.alert}: severity`);
      for (const k of ['summary', 'description'] as const) {
        assert.match(r.annotations?.[k] ?? '', /\$labels\.instance/, `${r.alert}: ${k} does not name the host`);
        assert.match(r.annotations?.[k] ?? '', /\$labels\.network_interface_name/, `${r.alert}: ${k} does not name the interface`);
      }
    }
  });

  it('fire, and stay quiet, when they should (promtool test rules)', function () {
    this.timeout(60_000);
    const promtool = requireBinary(this, 'promtool', 'prometheus');
    const r = run(promtool, ['test', 'rules', UNIT_TESTS]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });

  it('promtool test rules notices a wrong expectation (the unit tests can fail)', function () {
    const promtool = requireBinary(this, 'promtool', 'prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'otel-netif-rules-'));
    try {
      const file = join(dir, 'wrong.test.yml');
      writeFileSync(file, JSON.stringify({
        rule_files: [RULES_FILE],
        evaluation_interval: '1m',
        tests: [{
          interval: '1m',
          input_series: [{ series: 'system_network_bandwidth_utilization_ratio{instance="n1",job="j",network_interface_name="eth0",network_io_direction="receive"}', values: '0.1x30' }],
          alert_rule_test: [{ eval_time: '20m', alertname: 'NetworkInterfaceSaturated', exp_alerts: [{ exp_labels: { severity: 'warning' } }] }],
        }],
      }));
      const r = run(promtool, ['test', 'rules', file]);
      assert.notEqual(r.code, 0, 'an idle link was expected to alert and promtool agreed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('withoutThreshold drops exactly the final comparison', () => {
    assert.equal(withoutThreshold('rate(a[5m]) / rate(b[5m]) > 0.01'), 'rate(a[5m]) / rate(b[5m])');
    assert.equal(withoutThreshold('x == 0 and max_over_time(x[1d]) == 1'), 'x == 0 and max_over_time(x[1d])');
    assert.throws(() => withoutThreshold('rate(a[5m])'));
  });
});
