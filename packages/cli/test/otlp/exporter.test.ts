import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allMetrics,
  attributesOf,
  findDataPoint,
  findMetric,
  pointValue,
  resourceAttributesOf,
  startOtlpHttpReceiver,
} from '../../../../test-support/otlp-receiver.js';
import type { OtlpReceiver, ReceivedExport } from '../../../../test-support/otlp-receiver.js';
import { createOtlpExporter } from '../../src/export/otlp/exporter.js';
import { detectResource } from '../../src/resource.js';
import { captureLogger } from '../http/capture-logger.js';
import type { CapturedLogger } from '../http/capture-logger.js';
import { FIRST_MS, FixturePipeline, nanosOfMonotonic } from './fixture-pipeline.js';
import { RECEIVERS } from './receivers.js';

const API_KEY = 'k3y-do-not-log-0123456789';
const CUMULATIVE = 'AGGREGATION_TEMPORALITY_CUMULATIVE';

const COUNTERS: Array<[string, string]> = [
  ['system.network.io', 'By'],
  ['system.network.packet.count', '{packet}'],
  ['system.network.errors', '{error}'],
  ['system.network.packet.dropped', '{packet}'],
];
const GAUGES: Array<[string, string]> = [
  ['system.network.interface.up', ''],
  ['system.network.interface.carrier', ''],
  ['system.network.interface.speed', 'By/s'],
  ['system.network.interface.mtu', 'By'],
  ['system.network.io.rate', 'By/s'],
  ['system.network.packet.count.rate', '{packet}/s'],
  ['system.network.errors.rate', '{error}/s'],
  ['system.network.packet.dropped.rate', '{packet}/s'],
  ['system.network.bandwidth.utilization', '1'],
];

const eth0 = (direction: 'receive' | 'transmit') => ({ 'network.interface.name': 'eth0', 'network.io.direction': direction });

for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
  describe(`OTLP exporter over ${protocol}`, () => {
    let receiver: OtlpReceiver;
    let fx: FixturePipeline;
    let root: string;
    let log: CapturedLogger;
    let got: ReceivedExport;
    const ENV = {
      // The config resolved these already; the SDK must not apply them a second time.
      OTEL_EXPORTER_OTLP_HEADERS: 'x-from-env=1',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-from-metrics-env=1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:1/v1/metrics',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    };

    before(async () => {
      receiver = await RECEIVERS[protocol]();
      root = mkdtempSync(join(tmpdir(), 'onx-otlp-'));
      const resource = detectResource({
        rootPath: root,
        serviceName: undefined,
        resourceAttributes: 'deployment.environment=e2e,host.name=edge%2D01',
        env: { K8S_NODE_NAME: 'node-7' },
        logger: captureLogger(),
      });
      fx = new FixturePipeline(
        [
          { name: 'eth0', counters: { rxBytes: 1000, rxPackets: 10, txBytes: 500, txPackets: 5 }, speedMbps: 1000 },
          { name: 'lo', counters: { rxBytes: 7, rxPackets: 1, txBytes: 7, txPackets: 1 } },
        ],
        { resource },
      );
      fx.first();
      fx.step(1000, { rxBytes: 125_000, rxPackets: 100, txBytes: 2000, txPackets: 20 });

      const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
      Object.assign(process.env, ENV);
      log = captureLogger();
      const exporter = createOtlpExporter(
        fx.pipeline,
        { endpoint: receiver.endpoint, protocol, headers: { 'X-Api-Key': API_KEY }, exportIntervalMs: 60_000, timeoutMs: 5000 },
        log,
      );
      try {
        await exporter.start();
        await exporter.shutdown();
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      assert.equal(receiver.exports.length, 1, 'shutdown flushes exactly once');
      got = receiver.exports[0]!;
    });

    after(async () => {
      await receiver.close();
      fx.remove();
      rmSync(root, { recursive: true, force: true });
    });

    it('arrives as that protocol on the right path', () => {
      assert.equal(got.protocol, protocol);
      if (protocol !== 'grpc') assert.equal(got.path, '/v1/metrics');
    });

    it('carries every receiver and processor metric with its unit', () => {
      for (const [name, unit] of [...COUNTERS, ...GAUGES]) {
        const m = findMetric(got.request, name);
        assert.ok(m, `${name} missing; got ${allMetrics(got.request).map((x) => x.name).join(', ')}`);
        assert.equal(m.unit, unit, name);
        assert.notEqual(m.description, '', name);
      }
    });

    it('sends counters as monotonic cumulative sums and the rest as gauges', () => {
      for (const [name] of COUNTERS) {
        const sum = findMetric(got.request, name)?.sum;
        assert.ok(sum, `${name} is not a sum`);
        assert.equal(sum.isMonotonic, true, name);
        assert.equal(sum.aggregationTemporality, CUMULATIVE, name);
      }
      for (const [name] of GAUGES) assert.ok(findMetric(got.request, name)?.gauge, `${name} is not a gauge`);
    });

    it("keeps each series' own start time and sample time, not the export time", () => {
      const p = findDataPoint(got.request, 'system.network.io', eth0('receive'));
      assert.ok(p);
      assert.equal(p.startTimeUnixNano, nanosOfMonotonic(FIRST_MS));
      assert.equal(p.timeUnixNano, nanosOfMonotonic(FIRST_MS + 1000));
      assert.equal(p.asInt, '126000');
    });

    it('labels points with network.interface.name and network.io.direction', () => {
      const points = findMetric(got.request, 'system.network.io')?.sum?.dataPoints ?? [];
      assert.deepEqual(
        points.map((p) => attributesOf(p.attributes)),
        [eth0('receive'), eth0('transmit'), { 'network.interface.name': 'lo', 'network.io.direction': 'receive' }, { 'network.interface.name': 'lo', 'network.io.direction': 'transmit' }],
      );
    });

    it('carries the rate gauges as doubles', () => {
      const rate = findDataPoint(got.request, 'system.network.io.rate', eth0('receive'));
      assert.ok(rate);
      assert.equal(rate.asDouble, 125_000);
      assert.equal(pointValue(findDataPoint(got.request, 'system.network.packet.count.rate', eth0('transmit'))!), 20);
      assert.equal(pointValue(findDataPoint(got.request, 'system.network.bandwidth.utilization', eth0('receive'))!), 0.001);
    });

    it("carries the pipeline's resource: detected values and OTEL_RESOURCE_ATTRIBUTES", () => {
      const r = resourceAttributesOf(got.request);
      assert.equal(r['service.name'], 'otel-netif');
      assert.equal(r['host.name'], 'edge-01');
      assert.equal(r['os.type'], 'linux');
      assert.equal(r['k8s.node.name'], 'node-7');
      assert.equal(r['deployment.environment'], 'e2e');
      assert.match(String(r['service.version']), /^\d+\.\d+\.\d+/);
    });

    it('sends the configured headers, not the ones the SDK would read from the environment again', () => {
      assert.equal(got.headers['x-api-key'], API_KEY);
      assert.equal(got.headers['x-from-env'], undefined);
      assert.equal(got.headers['x-from-metrics-env'], undefined);
      assert.match(got.headers['user-agent'] ?? '', /^otel-netif\/\d/);
    });

    it('logs where it exports, and never a header value', () => {
      const where = protocol === 'grpc' ? receiver.endpoint : `${receiver.endpoint}/v1/metrics`;
      assert.deepEqual(log.lines, [`info exporting OTLP (${protocol}) to ${where} every 1m`]);
      assert.ok(log.lines.every((l) => !l.includes(API_KEY)));
    });
  });
}

describe('OTLP exporter timing', () => {
  let receiver: OtlpReceiver;
  let fx: FixturePipeline;

  beforeEach(async () => {
    receiver = await startOtlpHttpReceiver();
    fx = new FixturePipeline([{ name: 'eth0', counters: { rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1 } }]);
  });
  afterEach(async () => {
    await receiver.close();
    fx.remove();
  });

  const options = (exportIntervalMs: number) => ({ endpoint: receiver.endpoint, protocol: 'http/protobuf' as const, headers: {}, exportIntervalMs, timeoutMs: 1000 });

  it('exports on its interval, each time the latest snapshot', async () => {
    fx.first();
    const exporter = createOtlpExporter(fx.pipeline, options(250), captureLogger());
    await exporter.start();
    try {
      await receiver.waitForExports(1, 3000);
      fx.step(1000, { rxBytes: 500 });
      const seen = receiver.exports.length;
      await receiver.waitForExports(seen + 1, 3000);
      const last = receiver.exports[receiver.exports.length - 1]!;
      assert.equal(findDataPoint(last.request, 'system.network.io', eth0('receive'))?.asInt, '501');
    } finally {
      await exporter.shutdown();
    }
  });

  it('sends a first export about a second after start, long before the interval', async () => {
    fx.first();
    const exporter = createOtlpExporter(fx.pipeline, options(60_000), captureLogger());
    await exporter.start();
    try {
      await receiver.waitForExports(1, 2500);
    } finally {
      await exporter.shutdown();
    }
    assert.equal(receiver.exports.length, 2);
  });

  it('sends nothing before the first sample', async () => {
    const exporter = createOtlpExporter(fx.pipeline, options(100), captureLogger());
    await exporter.start();
    await new Promise((r) => setTimeout(r, 400));
    await exporter.shutdown();
    assert.equal(receiver.attempts, 0);
  });

  it('shutdown flushes once and only once, and is safe twice or before start', async () => {
    fx.first();
    const exporter = createOtlpExporter(fx.pipeline, options(60_000), captureLogger());
    await exporter.shutdown();
    await exporter.start();
    await exporter.shutdown();
    await exporter.shutdown();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.attempts, 1);
  });
});
