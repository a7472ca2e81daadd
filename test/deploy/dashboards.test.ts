import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  BUILTIN_METRICS, allPanels, dashboardExprs, knownMetricNames, loadDashboards, metricNames, ruleExprs,
  substituteVariables, variableQueryExpr,
} from './lib/promql.js';
import { DASHBOARD_DIR } from './lib/paths.js';
import { requireBinary, run } from './lib/tools.js';

type Obj = Record<string, any>;

// Grafana unit ids (from Grafana's valueFormats registry) the dashboards may use.
const GRAFANA_UNITS = new Set([
  'none', 'short', 'percent', 'percentunit', 'bps', 'Bps', 'binbps', 'binBps', 'decbps', 'decBps',
  'bytes', 'decbytes', 'bits', 'decbits', 'pps', 'cps', 'ops', 'reqps', 's', 'ms',
]);

/** Placeholder values, only for syntax checking: the live test substitutes real ones. */
const SYNTAX_VARS = { job: 'otel-netif', host: 'node-1:9464', interface: '.*', __rate_interval: '1m', __range: '1h', __interval: '15s' };

function walk(v: unknown, visit: (node: Obj, path: string) => void, path = ''): void {
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, visit, `${path}[${i}]`));
  else if (v !== null && typeof v === 'object') {
    visit(v as Obj, path);
    for (const [k, x] of Object.entries(v)) walk(x, visit, `${path}.${k}`);
  }
}

describe('deploy: Grafana dashboards (deploy/helm/otel-netif/dashboards)', () => {
  const dashboards = loadDashboards();
  const byTitle = (t: string): Obj => {
    const d = dashboards.find((x) => x.json.title === t);
    assert.ok(d, `no dashboard titled ${t}`);
    return d.json;
  };
  const panelTitles = (t: string): string[] => allPanels(byTitle(t)).map((p) => String(p.title));

  it('are "Network interfaces" and "Fleet", valid JSON with unique, stable uids', () => {
    assert.deepEqual(dashboards.map((d) => d.json.title).sort(), ['Fleet', 'Network interfaces']);
    const uids = dashboards.map((d) => d.json.uid);
    assert.deepEqual(uids.sort(), ['otel-netif-fleet', 'otel-netif-interfaces']);
    for (const d of dashboards) {
      // Re-serialising gives the committed bytes: no hand-edited formatting drift, no trailing junk.
      assert.equal(readFileSync(join(DASHBOARD_DIR, d.file), 'utf8'), `${JSON.stringify(d.json, null, 2)}\n`, `${d.file} is not canonically formatted`);
      assert.equal(d.json.id ?? null, null, `${d.file}: a numeric id belongs to one Grafana instance`);
    }
  });

  it('choose their datasource through a `datasource` variable and never hard-code a datasource uid', () => {
    for (const { file, json } of dashboards) {
      const dsVar = (json.templating.list as Obj[]).find((v) => v.name === 'datasource');
      assert.equal(dsVar?.type, 'datasource', `${file}: no datasource variable`);
      assert.equal(dsVar?.query, 'prometheus');
      const bad: string[] = [];
      walk(json, (node, path) => {
        if ('datasource' in node && node.datasource !== undefined) {
          const ds = node.datasource as Obj;
          if (typeof ds !== 'object' || ds.uid !== '${datasource}' || ds.type !== 'prometheus') bad.push(`${path}: ${JSON.stringify(ds)}`);
        }
      });
      assert.deepEqual(bad, [], `${file} names a datasource directly`);
    }
  });

  it('have job, host and interface variables; per-host dashboard picks one host, Fleet many', () => {
    const vars = (t: string): Record<string, Obj> => Object.fromEntries((byTitle(t).templating.list as Obj[]).map((v) => [v.name, v]));
    const ni = vars('Network interfaces');
    const fl = vars('Fleet');
    for (const v of [ni, fl]) for (const name of ['datasource', 'job', 'host', 'interface']) assert.ok(v[name], `no $${name}`);
    assert.equal(ni.host!.multi, false);
    assert.equal(fl.host!.multi, true);
    assert.equal(fl.host!.allValue, '.*');
    assert.equal(ni.interface!.allValue, '.*');
    // The job picker separates the direct scrape from the Collector path, so nothing counts twice.
    assert.equal(ni.job!.multi, false);
    assert.equal(fl.job!.multi, false);
    for (const e of dashboardExprs().filter((x) => !x.variable && !/"Hosts reporting"/.test(x.where))) {
      assert.match(e.expr, /job="\$job"/, `${e.where} does not filter by $job`);
      assert.match(e.expr, e.where.startsWith('fleet') ? /instance=~"\$host"/ : /instance="\$host"/, `${e.where} does not filter by $host`);
    }
  });

  it('use $__rate_interval (or $__range for totals) in every range, never a fixed window', () => {
    for (const e of dashboardExprs()) {
      for (const m of e.expr.matchAll(/\[([^\]]*)\]/g)) assert.ok(['$__rate_interval', '$__range'].includes(m[1]!), `${e.where}: [${m[1]}]`);
    }
    const rangeFns = dashboardExprs().filter((e) => /\b(rate|irate|increase)\(/.test(e.expr));
    assert.ok(rangeFns.some((e) => e.expr.includes('[$__rate_interval]')));
  });

  it('use only units Grafana knows', () => {
    for (const { file, json } of dashboards) {
      walk(json, (node, path) => {
        if (typeof node.unit === 'string') assert.ok(GRAFANA_UNITS.has(node.unit), `${file}${path}: unit ${node.unit}`);
        if (node.id === 'unit' && 'value' in node) assert.ok(GRAFANA_UNITS.has(String(node.value)), `${file}${path}: unit ${node.value}`);
      });
    }
    const throughput = allPanels(byTitle('Network interfaces')).find((p) => p.title === 'Throughput');
    assert.equal(throughput?.fieldConfig.defaults.unit, 'bps');
    assert.match(throughput?.targets[0].expr, /\* 8$/, 'throughput is bytes×8 = bits per second');
  });

  it('have the panels the issue asks for, each with a description, unique ids and a place on the grid', () => {
    for (const want of ['Throughput', 'Packets', 'Errors', 'Drops', 'Utilization', 'Link state', 'Bytes over the selected range', 'Top interfaces']) {
      assert.ok(panelTitles('Network interfaces').includes(want), `Network interfaces has no "${want}" panel`);
    }
    for (const want of ['Busiest hosts', 'Busiest interfaces', 'Saturation heatmap', 'Hosts with errors or drops']) {
      assert.ok(panelTitles('Fleet').includes(want), `Fleet has no "${want}" panel`);
    }
    assert.equal(allPanels(byTitle('Fleet')).find((p) => p.title === 'Saturation heatmap')?.type, 'heatmap');
    for (const { file, json } of dashboards) {
      const panels = allPanels(json);
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, `${file}: duplicate panel ids`);
      const cells = new Set<string>();
      for (const p of panels) {
        assert.ok(String(p.description ?? '').length > 20, `${file}: "${p.title}" has no description`);
        const g = p.gridPos as Obj;
        assert.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, `${file}: "${p.title}" is off the grid`);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${file}: "${p.title}" overlaps another panel at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });

  it('mirror transmit below zero in the per-interface time series', () => {
    for (const title of ['Throughput', 'Packets', 'Errors', 'Drops']) {
      const p = allPanels(byTitle('Network interfaces')).find((x) => x.title === title)!;
      const o = (p.fieldConfig.overrides as Obj[]).find((x) => x.matcher.options === '/transmit/');
      assert.deepEqual(o?.properties, [{ id: 'custom.transform', value: 'negative-Y' }], `${title} does not mirror transmit`);
      assert.match(p.targets[0].legendFormat, /network_io_direction/);
    }
  });

  it('use only metric names that receiver-netif and processor-rate declare in their metadata.yaml', () => {
    const known = knownMetricNames();
    assert.ok(known.has('system_network_io_bytes_total') && known.has('system_network_bandwidth_utilization_ratio'));
    const used = new Set<string>();
    for (const e of [...dashboardExprs(), ...ruleExprs()]) {
      const names = metricNames(e.expr);
      assert.ok(names.length > 0, `${e.where}: no metric found in ${e.expr}`);
      for (const n of names) {
        assert.ok(known.has(n) || BUILTIN_METRICS.has(n), `${e.where} uses ${n}, which no metadata.yaml declares`);
        used.add(n);
      }
    }
    // The dashboards show every counter and every link-state gauge.
    for (const n of ['system_network_io_bytes_total', 'system_network_packet_count_total', 'system_network_errors_total',
      'system_network_packet_dropped_total', 'system_network_interface_up', 'system_network_interface_speed_bytes_per_second']) {
      assert.ok(used.has(n), `nothing uses ${n}`);
    }
  });

  it('the metric-name check finds names where they hide, and ignores functions, labels and keywords', () => {
    assert.deepEqual(metricNames('sum by (instance) (rate(system_network_io_byte_total{job="$job",x=~"a|b"}[$__rate_interval])) * 8'), ['system_network_io_byte_total']);
    assert.deepEqual(metricNames('a_total / on (instance) group_left (x) b_ratio > bool 0.9 and c offset 5m'), ['a_total', 'b_ratio', 'c']);
    assert.deepEqual(metricNames('max_over_time(up[1d]) == 1 unless sum without (le) (target_info) > 1e-9'), ['target_info', 'up']);
    assert.ok(!knownMetricNames().has('system_network_io_byte_total'));
    assert.throws(() => metricNames('{__name__="x"}'), /__name__/);
  });

  it('turn label_values() variable queries into PromQL, and refuse forms nobody checks', () => {
    assert.equal(variableQueryExpr('label_values(system_network_io_bytes_total{job="$job"}, instance)'),
      'count by (instance) (system_network_io_bytes_total{job="$job"})');
    assert.throws(() => variableQueryExpr('query_result(up)'), /unsupported/);
  });

  it('substitute every template variable (an unknown one is an error)', () => {
    for (const e of dashboardExprs()) assert.doesNotMatch(substituteVariables(e.expr, SYNTAX_VARS), /\$/, e.where);
    assert.throws(() => substituteVariables('up{x="$nope"}', SYNTAX_VARS), /\$nope/);
  });

  it('every expression, variables substituted, is PromQL that promtool accepts', function () {
    const promtool = requireBinary(this, 'promtool', 'prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'otel-netif-promql-'));
    try {
      // promtool parses expressions only inside rule files: wrap each one in a recording rule.
      const exprs = dashboardExprs();
      const rules = exprs.map((e, i) => ({ record: `dashboard:expr_${i}`, expr: substituteVariables(e.expr, SYNTAX_VARS) }));
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const r = run(promtool, ['check', 'rules', file]);
      assert.equal(r.code, 0, `promtool rejects a dashboard expression:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`SUCCESS: ${exprs.length} rules found`));

      writeFileSync(file, stringify({ groups: [{ name: 'broken', rules: [{ record: 'x:y', expr: 'sum(rate(a[5m])' }] }] }));
      assert.notEqual(run(promtool, ['check', 'rules', file]).code, 0, 'promtool accepted broken PromQL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
