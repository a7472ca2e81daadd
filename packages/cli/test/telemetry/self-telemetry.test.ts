import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { loadMetadata, prometheusMetricName } from '@otel-netif/metadata';
import { RateProcessor } from '@otel-netif/processor-rate';
import { NetifReceiver } from '@otel-netif/receiver-netif';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { silentLogger } from '../../src/log.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { SELF_METRICS } from '../../src/telemetry/metadata.js';
import { SelfTelemetry } from '../../src/telemetry/self-telemetry.js';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
const line = (name: string, rx: number) => `${name.padStart(6)}: ${rx} 1 0 0 0 0 0 0 ${rx} 1 0 0 0 0 0 0\n`;

/** metric name → "attr=value,…" → value, from the self-telemetry scope. */
function selfValues(scope: ScopeMetrics | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of scope?.metrics ?? []) {
    for (const p of m.dataPoints) {
      const attrs = Object.entries(p.attributes).map(([k, v]) => `${k}=${String(v)}`).join(',');
      out.set(`${m.descriptor.name}{${attrs}}`, p.value as number);
    }
  }
  return out;
}

describe('self-telemetry', () => {
  it('has the names of packages/cli/metadata.yaml, and these Prometheus names', () => {
    const md = loadMetadata(new URL('../../metadata.yaml', import.meta.url));
    assert.equal(md.scopeName, 'otel-netif');
    assert.deepEqual(Object.keys(md.metrics).sort(), Object.values(SELF_METRICS).sort());
    const prom = Object.values(md.metrics).map((m) => prometheusMetricName({ name: m.name, unit: m.unit, kind: m.kind, monotonic: m.monotonic }));
    assert.deepEqual(prom, [
      'otelnetif_sample_duration_seconds',
      'otelnetif_samples_total',
      'otelnetif_interfaces',
      'otelnetif_series',
      'otelnetif_series_dropped',
      'otelnetif_exports_total',
      'otelnetif_export_dropped_points_total',
    ]);
    for (const m of Object.values(md.metrics)) assert.ok(m.name.startsWith('otelnetif.'), `${m.name} is outside the agent's namespace`);
  });

  it('counts exports per exporter and outcome, and the points of failed ones as dropped', () => {
    const t = new SelfTelemetry({ exporters: ['otlp', 'prometheus'], pushExporters: ['otlp'] });
    let v = selfValues(t.scopeMetrics([1, 0]));
    assert.equal(v.get('otelnetif.exports{exporter=otlp,outcome=failure}'), 0, 'starts at 0 so the first failure is an increase');
    assert.equal(v.get('otelnetif.export.dropped_points{exporter=otlp}'), 0);
    assert.equal(v.has('otelnetif.export.dropped_points{exporter=prometheus}'), false, 'a scrape cannot drop points');
    t.recordExport('otlp', 'failure', 120);
    t.recordExport('otlp', 'failure', 80);
    t.recordExport('otlp', 'success', 100);
    t.recordExport('prometheus', 'success', 0);
    v = selfValues(t.scopeMetrics([2, 0]));
    assert.equal(v.get('otelnetif.exports{exporter=otlp,outcome=failure}'), 2);
    assert.equal(v.get('otelnetif.exports{exporter=otlp,outcome=success}'), 1);
    assert.equal(v.get('otelnetif.exports{exporter=prometheus,outcome=success}'), 1);
    assert.equal(v.get('otelnetif.export.dropped_points{exporter=otlp}'), 200);
  });

  describe('in the pipeline', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'onx-self-'));
      mkdirSync(join(root, 'proc/net'), { recursive: true });
      mkdirSync(join(root, 'sys/class/net'), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    function pipeline(maxInterfaces = 0) {
      const telemetry = new SelfTelemetry({ exporters: ['prometheus'] });
      const receiver = new NetifReceiver({ rootPath: root, include: [], exclude: ['lo'], metadataRefreshMs: 0, maxInterfaces });
      const p = new Pipeline({
        receiver,
        processor: new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 }),
        resource: resourceFromAttributes({ 'service.name': 'otel-netif' }),
        intervalMs: 1000,
        logger: silentLogger,
        telemetry,
      });
      return { p, telemetry };
    }
    const write = (names: string[], rx = 1) => writeFileSync(join(root, 'proc/net/dev'), HEADER + names.map((n) => line(n, rx)).join(''));

    it('appends its scope to every snapshot: samples, interfaces seen and exported, series, and dropped series when capped', () => {
      write(['lo', 'eth0', 'eth1', 'eth2']);
      const { p } = pipeline(2);
      p.tick();
      write(['lo', 'eth0', 'eth1', 'eth2'], 5);
      const s = p.tick()!;
      const last = s.scopeMetrics.at(-1);
      assert.equal(last?.scope.name, 'otel-netif');
      const v = selfValues(last);
      assert.equal(v.get('otelnetif.samples{outcome=success}'), 2);
      assert.equal(v.get('otelnetif.samples{outcome=failure}'), 0);
      assert.equal(v.get('otelnetif.interfaces{state=seen}'), 4);
      assert.equal(v.get('otelnetif.interfaces{state=exported}'), 2);
      const points = s.scopeMetrics.slice(0, -1).reduce((n, sc) => n + sc.metrics.reduce((k, m) => k + m.dataPoints.length, 0), 0);
      assert.equal(v.get('otelnetif.series{}'), points);
      // eth2 is capped: its 4 counters × 2 directions.
      assert.equal(v.get('otelnetif.series.dropped{}'), 8);
      assert.ok((v.get('otelnetif.sample.duration{}') ?? -1) >= 0);
      const text = encodeExposition(s.scopeMetrics, s.resource);
      assert.match(text, /^otelnetif_series_dropped 8$/m);
      assert.match(text, /^otelnetif_samples_total\{outcome="success"\} 2$/m);
    });

    it('has no dropped-series gauge without a cap', () => {
      write(['eth0']);
      const { p } = pipeline(0);
      assert.equal(selfValues(p.tick()!.scopeMetrics.at(-1)).has('otelnetif.series.dropped{}'), false);
    });

    it('while sampling fails: latest() keeps the last good data, forExport() holds only self-telemetry with the failures, and both recover', () => {
      write(['eth0']);
      const { p } = pipeline();
      const good = p.tick()!;
      renameSync(join(root, 'proc/net/dev'), join(root, 'proc/net/dev.away'));
      assert.equal(p.tick(), undefined);
      assert.equal(p.tick(), undefined);
      assert.equal(p.isReady(), false);
      assert.equal(p.latest(), good);
      const failed = p.forExport()!;
      assert.match(failed.failure ?? '', /cannot read .*proc\/net\/dev \(ENOENT\)/);
      assert.deepEqual(failed.scopeMetrics.map((s) => s.scope.name), ['otel-netif']);
      assert.ok(failed.seq > good.seq);
      assert.equal(selfValues(failed.scopeMetrics[0]).get('otelnetif.samples{outcome=failure}'), 2);
      assert.doesNotMatch(encodeExposition(failed.scopeMetrics, failed.resource), /system_network/);

      renameSync(join(root, 'proc/net/dev.away'), join(root, 'proc/net/dev'));
      const back = p.tick()!;
      assert.equal(p.isReady(), true);
      assert.equal(p.forExport(), back);
      const v = selfValues(back.scopeMetrics.at(-1));
      assert.equal(v.get('otelnetif.samples{outcome=failure}'), 2);
      assert.equal(v.get('otelnetif.samples{outcome=success}'), 2);
    });
  });
});
