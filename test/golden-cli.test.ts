// The real CLI over a committed /proc and /sys tree, compared byte for byte with committed
// golden files. Only what legitimately differs between machines and runs is normalised (the host
// identity and version in the resource, wall-clock times); everything else, order included, must
// match. UPDATE_GOLDEN=1 rewrites the goldens: review the diff before committing it.
//
// Each output is also checked against the fixture itself, so a golden regenerated from a broken
// CLI still fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findSample,
  findSamples,
  parseExposition,
  parseProcNetDev,
  requireCli,
  runCli,
  startAgent,
  type Agent,
  type NetDevCounters,
} from '../test-support/index.js';
import { otlpPoints, startOtlpJsonCapture, type OtlpJsonCapture } from './helpers/otlp-json.js';
import { pollUntil } from './helpers/poll.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(HERE, 'testdata', 'root-basic');
const GOLDEN = join(HERE, 'testdata', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Resource attributes that differ per machine or per release; their values are replaced. */
const VARYING_RESOURCE_KEYS = ['host.name', 'host.id', 'service.version', 'service.instance.id', 'process.pid'];
const VARYING_LABELS = VARYING_RESOURCE_KEYS.map((k) => k.replaceAll('.', '_'));
const PLACEHOLDER = '<normalised>';

const fixture: Map<string, NetDevCounters> = parseProcNetDev(readFileSync(join(FIXTURE, 'proc', 'net', 'dev'), 'utf8'));

function compareGolden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npm test, review, commit`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs from the golden (UPDATE_GOLDEN=1 rewrites it if the change is intended)`);
}

/** The agent's own metrics (packages/cli/metadata.yaml): which series exist is fixed, their values are not. */
const SELF_PREFIX = 'otelnetif_';
const SELF_SCOPE = 'otel-netif';

/** Replaces the varying target_info label values and self-metric values in an exposition; nothing else changes. */
function normaliseExposition(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith(SELF_PREFIX)) return line.replace(/ [^ ]+$/, ' 0');
      if (!line.startsWith('target_info{')) return line;
      let out = line;
      for (const label of VARYING_LABELS) out = out.replace(new RegExp(`([{,]${label}=")((?:[^"\\\\]|\\\\.)*)"`), `$1${PLACEHOLDER}"`);
      return out;
    })
    .join('\n');
}

/** Replaces the value of every key in `keys`, at any depth, with `<key>`. */
function normaliseKeys(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseKeys(v, keys));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keys.includes(k) ? `<${k}>` : normaliseKeys(v, keys)]));
  }
  return value;
}

interface JsonKeyValue { key: string; value: Record<string, unknown> }

function normaliseOtlp(body: unknown): unknown {
  const b = structuredClone(body) as {
    resourceMetrics?: Array<{ resource?: { attributes?: JsonKeyValue[] }; scopeMetrics?: Array<{ scope?: { version?: string } }> }>;
  };
  for (const rm of b.resourceMetrics ?? []) {
    for (const kv of rm.resource?.attributes ?? []) {
      if (VARYING_RESOURCE_KEYS.includes(kv.key)) kv.value = { stringValue: PLACEHOLDER };
    }
    // The scope version is the package version: it changes with every release, like service.version.
    for (const sm of rm.scopeMetrics ?? []) if (sm.scope?.version !== undefined) sm.scope.version = PLACEHOLDER;
    for (const sm of rm.scopeMetrics ?? []) {
      if ((sm.scope as { name?: string } | undefined)?.name === SELF_SCOPE) Object.assign(sm, normaliseKeys(sm, ['asInt', 'asDouble']));
    }
  }
  return normaliseKeys(b, ['startTimeUnixNano', 'timeUnixNano']);
}

const DIRS = [['receive', 'rx'], ['transmit', 'tx']] as const;
const COUNTER_FIELDS = [
  ['system_network_io_bytes_total', 'system.network.io', 'Bytes'],
  ['system_network_packet_count_total', 'system.network.packet.count', 'Packets'],
  ['system_network_errors_total', 'system.network.errors', 'Errs'],
  ['system_network_packet_dropped_total', 'system.network.packet.dropped', 'Drop'],
] as const;

function fixtureValue(iface: string, dir: 'rx' | 'tx', field: string): number {
  const c = fixture.get(iface);
  if (!c) throw new Error(`${iface} not in the fixture`);
  return c[`${dir}${field}` as keyof NetDevCounters];
}

describe('golden: the CLI over a fixed /proc and /sys tree', function () {
  this.timeout(60_000);

  before(function () {
    requireCli(this);
  });

  it('snapshot --json', async () => {
    const r = await runCli(['snapshot', '--json', '--root-path', FIXTURE, '--duration', '200ms']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { interfaces: Array<{ name: string; counters: Record<string, number> }> };
    // Against the fixture: every interface, in /proc/net/dev order, with all sixteen counters.
    assert.deepEqual(json.interfaces.map((i) => i.name), [...fixture.keys()]);
    for (const i of json.interfaces) {
      const c = fixture.get(i.name)!;
      const snake = Object.fromEntries(Object.entries(c).map(([k, v]) => [k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`), v]));
      assert.deepEqual(i.counters, snake, i.name);
    }
    compareGolden('snapshot.json', `${JSON.stringify(normaliseKeys(json, ['time', 'interval_ms']), null, 2)}\n`);
  });

  describe('run, Prometheus exporter', () => {
    let agent: Agent | undefined;
    after(async () => {
      await agent?.stop();
    });

    it('serves /metrics as in metrics.prom', async () => {
      agent = await startAgent({ args: ['run', '--root-path', FIXTURE, '--interval', '200ms'] });
      // The rate families appear from the second sample on; over a static tree they stay 0, so the
      // first scrape that has them is the stable one.
      const expo = await pollUntil(() => agent!.scrape(), (e) => findSamples(e, 'system_network_io_rate_bytes_per_second').length > 0, 10_000);
      for (const [iface] of fixture) {
        for (const [direction, dir] of DIRS) {
          for (const [prom, , field] of COUNTER_FIELDS) {
            const s = findSample(expo, prom, { network_interface_name: iface, network_io_direction: direction });
            assert.equal(s?.value, fixtureValue(iface, dir, field), `${prom} ${iface} ${direction}`);
          }
          assert.equal(findSample(expo, 'system_network_io_rate_bytes_per_second', { network_interface_name: iface, network_io_direction: direction })?.value, 0);
        }
      }
      assert.equal(findSample(expo, 'system_network_interface_speed_bytes_per_second', { network_interface_name: 'eth0' })?.value, 1000 * 125_000);
      assert.equal(findSample(expo, 'system_network_interface_mtu_bytes', { network_interface_name: 'tun0' })?.value, 1420);
      assert.equal(findSample(expo, 'system_network_interface_up', { network_interface_name: 'wlan0' })?.value, 0);
      assert.equal(findSample(expo, 'target_info')?.labels.service_name, 'otel-netif');
      compareGolden('metrics.prom', normaliseExposition(expo.text));
      // The normalised text must still be a valid exposition, and the normaliser must have touched
      // only target_info and the self-metrics' values.
      const normalised = parseExposition(normaliseExposition(expo.text));
      const untouched = (s: { name: string }) => s.name !== 'target_info' && !s.name.startsWith(SELF_PREFIX);
      assert.deepEqual(normalised.samples.filter(untouched), expo.samples.filter(untouched));
      assert.deepEqual(normalised.samples.filter((s) => s.name.startsWith(SELF_PREFIX)).map((s) => s.labels), expo.samples.filter((s) => s.name.startsWith(SELF_PREFIX)).map((s) => s.labels));
    });

    it('passes promtool check metrics', async function () {
      const promtool = spawnSync('promtool', ['--version']);
      if (promtool.error) {
        process.stderr.write('      skipping: promtool is not installed (apt-get install prometheus; .ci/run does)\n');
        this.skip();
      }
      const res = await agent!.get('/metrics');
      const check = spawnSync('promtool', ['check', 'metrics'], { input: res.body, encoding: 'utf8' });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    });
  });

  describe('run, OTLP exporter (http/json)', () => {
    let agent: Agent | undefined;
    let capture: OtlpJsonCapture | undefined;
    after(async () => {
      await agent?.stop();
      await capture?.close();
    });

    it('pushes a first request as in otlp.json', async () => {
      capture = await startOtlpJsonCapture();
      const startedMs = Date.now();
      agent = await startAgent({
        args: ['run', '--root-path', FIXTURE, '--interval', '200ms', '--exporter', 'otlp', '--otlp-protocol', 'http/json',
          '--otlp-endpoint', capture.url, '--export-interval', '1s'],
        listen: false,
      });
      const [first] = await capture.waitForRequests(1, 20_000);
      assert.ok(first);
      assert.equal(first.method, 'POST');
      assert.equal(first.path, '/v1/metrics');
      assert.match(String(first.headers['content-type']), /^application\/json/);
      const points = otlpPoints(first.json);
      for (const [iface] of fixture) {
        for (const [direction, dir] of DIRS) {
          for (const [, otel, field] of COUNTER_FIELDS) {
            const p = points.filter((x) => x.metric === otel && x.attributes['network.interface.name'] === iface &&
              x.attributes['network.io.direction'] === direction);
            assert.deepEqual(p.map((x) => x.value), [fixtureValue(iface, dir, field)], `${otel} ${iface} ${direction}`);
            assert.equal(p[0]?.kind, 'sum');
          }
        }
      }
      // The times that get normalised must still be sane: in this run, start no later than the point.
      const nowNs = BigInt(Date.now() + 1000) * 1_000_000n;
      const startNs = BigInt(startedMs - 1000) * 1_000_000n;
      for (const p of points) {
        assert.ok(p.timeUnixNano > startNs && p.timeUnixNano < nowNs, `${p.metric} time ${p.timeUnixNano}`);
        if (p.kind === 'sum') assert.ok(p.startTimeUnixNano !== undefined && p.startTimeUnixNano <= p.timeUnixNano, `${p.metric} start`);
      }
      compareGolden('otlp.json', `${JSON.stringify(normaliseOtlp(first.json), null, 2)}\n`);
    });
  });
});

describe('golden: normalisers', () => {
  it('replace only the varying target_info labels', () => {
    const text = 'target_info{service_name="otel-netif",service_version="1.2.3",host_name="a\\"b",host_id="x",os_type="linux"} 1\nfoo{host_name="keep"} 1';
    assert.equal(normaliseExposition(text),
      `target_info{service_name="otel-netif",service_version="${PLACEHOLDER}",host_name="${PLACEHOLDER}",host_id="${PLACEHOLDER}",os_type="linux"} 1\nfoo{host_name="keep"} 1`);
  });

  it('zero the self-metrics\' values and keep their labels', () => {
    assert.equal(normaliseExposition('otelnetif_samples_total{outcome="success"} 17\n# TYPE otelnetif_series gauge\nsystem_x 5'),
      'otelnetif_samples_total{outcome="success"} 0\n# TYPE otelnetif_series gauge\nsystem_x 5');
  });
});
