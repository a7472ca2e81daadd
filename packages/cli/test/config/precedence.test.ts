import { strict as assert } from 'node:assert';
import { loadConfig, validateConfig, ConfigError } from '../../src/config/load.js';
import { consoleIntervalMs } from '../../src/config/finalize.js';
import { describeSettings } from '../../src/config/describe.js';
import type { ConfigInput } from '../../src/config/resolve.js';
import { UsageError } from '../../src/errors.js';

/** A config file from text, as `--config config.yaml`. */
function withFile(yaml: string, rest: Omit<ConfigInput, 'command' | 'readFile'> = {}): ConfigInput {
  return { command: 'run', ...rest, flags: { config: 'config.yaml', ...rest.flags }, readFile: () => yaml };
}

describe('config precedence (flag > env > file > default)', () => {
  // One option per kind of value: duration, list, structured, number, OTel-ms env.
  const cases = [
    { key: 'interval', field: 'intervalMs', env: 'OTEL_NETIF_INTERVAL', file: '2s', envValue: '3s', flag: '4s', values: [5000, 2000, 3000, 4000] },
    { key: 'exporter', field: 'exporters', env: 'OTEL_METRICS_EXPORTER', file: 'console', envValue: 'otlp', flag: 'none', values: [['prometheus'], ['console'], ['otlp'], []] },
    { key: 'listen', field: 'listen', env: 'OTEL_NETIF_LISTEN', file: '0.0.0.0:1', envValue: '[::]:2', flag: 'localhost:3', values: [
      { host: '127.0.0.1', port: 9464 }, { host: '0.0.0.0', port: 1 }, { host: '::', port: 2 }, { host: 'localhost', port: 3 },
    ] },
    { key: 'top', field: 'top', env: 'OTEL_NETIF_TOP', file: '1', envValue: '2', flag: '3', values: [0, 1, 2, 3] },
    { key: 'max-bandwidth', field: 'maxBandwidthBytesPerSecond', env: 'OTEL_NETIF_MAX_BANDWIDTH', file: '8bit', envValue: '2B', flag: '3B', values: [0, 1, 2, 3] },
    { key: 'export-interval', field: 'exportIntervalMs', env: 'OTEL_METRIC_EXPORT_INTERVAL', file: '2s', envValue: '3000', flag: '4s', values: [60_000, 2000, 3000, 4000] },
    { key: 'include', field: 'include', env: 'OTEL_NETIF_INCLUDE', file: 'a*', envValue: 'b*,c*', flag: 'd*', values: [[], ['a*'], ['b*', 'c*'], ['d*']] },
    { key: 'log-level', field: 'logLevel', env: 'OTEL_LOG_LEVEL', file: 'warn', envValue: 'VERBOSE', flag: 'none', values: ['info', 'warn', 'debug', 'none'] },
  ] as const;

  for (const c of cases) {
    it(`${c.key}: default, then file, then env, then flag`, () => {
      const get = (input: ConfigInput) => {
        const loaded = loadConfig(input);
        return { value: loaded.config[c.field], source: loaded.sources[c.field] };
      };
      const file = `${c.key}: ${JSON.stringify(c.file)}\n`;
      assert.deepEqual(get({ command: 'run' }), { value: c.values[0], source: 'default' });
      assert.deepEqual(get(withFile(file)), { value: c.values[1], source: 'file' });
      assert.deepEqual(get(withFile(file, { env: { [c.env]: c.envValue } })), { value: c.values[2], source: 'env' });
      assert.deepEqual(get(withFile(file, { env: { [c.env]: c.envValue }, flags: { [c.key]: c.key === 'exporter' || c.key === 'include' ? [c.flag] : c.flag } })), {
        value: c.values[3],
        source: 'flag',
      });
    });
  }

  it('treats an empty variable as unset, as OTel does', () => {
    const { config, sources } = loadConfig({ command: 'run', env: { OTEL_NETIF_INTERVAL: '  ', OTEL_METRICS_EXPORTER: '' } });
    assert.equal(config.intervalMs, 5000);
    assert.equal(sources.exporters, 'default');
  });

  it('reads the config file named by OTEL_NETIF_CONFIG, and --config over it', () => {
    const files: Record<string, string> = { 'env.yaml': 'top: 1', 'flag.yaml': 'top: 2' };
    const readFile = (p: string) => files[p] ?? assert.fail(`read ${p}`);
    assert.equal(loadConfig({ command: 'run', env: { OTEL_NETIF_CONFIG: 'env.yaml' }, readFile }).config.top, 1);
    assert.equal(loadConfig({ command: 'run', env: { OTEL_NETIF_CONFIG: 'env.yaml' }, flags: { config: 'flag.yaml' }, readFile }).config.top, 2);
  });

  it('takes repeatable flags as a list, split on commas', () => {
    const { config } = loadConfig({ command: 'run', flags: { exporter: ['prometheus,console', 'otlp'], exclude: ['veth*', 'docker*,br-*'] } });
    assert.deepEqual(config.exporters, ['prometheus', 'console', 'otlp']);
    assert.deepEqual(config.exclude, ['veth*', 'docker*', 'br-*']);
  });

  describe('OpenTelemetry variables', () => {
    it('signal-specific OTLP variables beat the generic ones', () => {
      const { config } = loadConfig({
        command: 'run',
        env: {
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
          OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2000',
          OTEL_EXPORTER_OTLP_HEADERS: 'a=generic',
          OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'b=specific',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
          OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://specific:4318/custom/path',
        },
      });
      assert.equal(config.otlpProtocol, 'http/json');
      assert.equal(config.otlpTimeoutMs, 2000);
      assert.deepEqual(config.otlpHeaders, { b: 'specific' });
      assert.deepEqual(config.otlpEndpoint, { url: 'http://specific:4318/custom/path', signalSpecific: true });
    });

    it('the generic endpoint and the flag are base URLs', () => {
      assert.deepEqual(loadConfig({ command: 'run', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' } }).config.otlpEndpoint, {
        url: 'http://c:4318',
        signalSpecific: false,
      });
      const flagged = loadConfig({ command: 'run', env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://s/v1/metrics' }, flags: { 'otlp-endpoint': 'http://f:4318' } });
      assert.deepEqual(flagged.config.otlpEndpoint, { url: 'http://f:4318', signalSpecific: false });
    });

    it('OTEL_EXPORTER_PROMETHEUS_HOST and _PORT each set their half, over the file', () => {
      const { config } = loadConfig(withFile('listen: 10.0.0.1:9000', { env: { OTEL_EXPORTER_PROMETHEUS_PORT: '9500' } }));
      assert.deepEqual(config.listen, { host: '10.0.0.1', port: 9500 });
      const both = loadConfig({ command: 'run', env: { OTEL_EXPORTER_PROMETHEUS_HOST: '::', OTEL_EXPORTER_PROMETHEUS_PORT: '9100' } });
      assert.deepEqual(both.config.listen, { host: '::', port: 9100 });
    });

    it('OTEL_NETIF_LISTEN beats the Prometheus host/port pair', () => {
      const { config } = loadConfig({ command: 'run', env: { OTEL_NETIF_LISTEN: '0.0.0.0:1', OTEL_EXPORTER_PROMETHEUS_HOST: '10.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '2' } });
      assert.deepEqual(config.listen, { host: '0.0.0.0', port: 1 });
    });

    it('OTEL_SERVICE_NAME beats service.name in OTEL_RESOURCE_ATTRIBUTES, which beats the default', () => {
      const attrs = 'service.name=from-attrs,team=net';
      const a = loadConfig({ command: 'run', env: { OTEL_RESOURCE_ATTRIBUTES: attrs } });
      assert.equal(a.config.serviceName, 'from-attrs');
      assert.equal(a.config.resourceAttributes, 'team=net');
      const b = loadConfig({ command: 'run', env: { OTEL_RESOURCE_ATTRIBUTES: attrs, OTEL_SERVICE_NAME: 'from-name' } });
      assert.equal(b.config.serviceName, 'from-name');
      assert.equal(b.config.resourceAttributes, 'team=net');
      assert.equal(loadConfig({ command: 'run' }).config.serviceName, 'otel-netif');
    });
  });

  describe('problems', () => {
    it('reports every problem with its source, overridden ones included', () => {
      const { problems } = validateConfig(
        withFile('interval: 5x\n', {
          env: { OTEL_NETIF_TOP: 'abc', OTEL_EXPORTER_OTLP_HEADERS: 'secret-token', OTEL_METRIC_EXPORT_INTERVAL: '1m' },
          flags: { interval: '5s', listen: '::1:9464', 'otlp-header': ['nokey'] },
        }),
      );
      assert.deepEqual(problems, [
        'config.yaml: interval: "5x": not a duration (use e.g. 500ms, 5s, 1m)',
        'OTEL_METRIC_EXPORT_INTERVAL="1m": not a whole number of milliseconds (OpenTelemetry defines this variable in ms, e.g. 60000)',
        '--listen "::1:9464": put an IPv6 address in brackets (e.g. [::]:9464 or [::1]:9464)',
        'OTEL_EXPORTER_OTLP_HEADERS: entry 1 has no "=" (use key=value pairs separated by commas)',
        '--otlp-header: missing "=" (use key=value, e.g. authorization=Bearer …)',
        'OTEL_NETIF_TOP="abc": not a whole number (use 0 to keep every interface, or e.g. 10)',
      ]);
    });

    it('checks ranges and globs', () => {
      const { problems } = validateConfig({ command: 'run', flags: { interval: '50ms', include: ['eth[', 'ok*'] }, env: { OTEL_NETIF_EXCLUDE: 'a*,b[z-a]' } });
      assert.deepEqual(problems, [
        '--interval "50ms": must be at least 100ms',
        '--include "eth[": unclosed "[" in glob',
        'OTEL_NETIF_EXCLUDE="b[z-a]": reversed range "z-a" in glob',
      ]);
    });

    it('loadConfig throws one ConfigError (a UsageError, exit 2) holding all of them', () => {
      assert.throws(
        () => loadConfig({ command: 'run', flags: { interval: 'x', top: 'y' } }),
        (err: unknown) => err instanceof ConfigError && err instanceof UsageError && err.exitCode === 2 && err.problems.length === 2,
      );
    });

    it('only reads the options of the command being run', () => {
      // A broken exporter variable must not break `snapshot`, which exports nothing.
      const { problems, warnings } = validateConfig({ command: 'snapshot', env: { OTEL_METRICS_EXPORTER: 'bogus', OTEL_NETIF_TOP: 'x' } });
      assert.deepEqual(problems, ['OTEL_NETIF_TOP="x": not a whole number (use 0 to keep every interface, or e.g. 10)']);
      assert.deepEqual(warnings, []);
    });

    it('reports a config file that cannot be read', () => {
      const { problems } = validateConfig({ command: 'run', flags: { config: '/nonexistent/otel-netif.yaml' } });
      assert.deepEqual(problems, ['/nonexistent/otel-netif.yaml: cannot read the config file (ENOENT) (check the --config path)']);
    });
  });

  describe('warnings', () => {
    it('export-interval shorter than interval is a warning, not an error', () => {
      const { problems, warnings } = validateConfig({ command: 'run', flags: { exporter: ['otlp'], interval: '10s', 'export-interval': '5s', 'otlp-timeout': '1s' } });
      assert.deepEqual(problems, []);
      assert.deepEqual(warnings, ['export-interval 5s is shorter than interval 10s: exports between two samples repeat the same values']);
    });

    it('warns about an OTLP timeout longer than the export interval', () => {
      const { warnings } = validateConfig({ command: 'run', flags: { exporter: ['otlp'], 'export-interval': '5s', 'otlp-timeout': '10s' } });
      assert.deepEqual(warnings, ['otlp-timeout 10s is longer than export-interval 5s: it is capped at the export interval']);
    });

    it('warns about exporter options set for an exporter that is not selected, but not from env', () => {
      const { warnings } = validateConfig({ command: 'run', flags: { 'otlp-endpoint': 'http://c:4318' }, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
      assert.deepEqual(warnings, ['otlp-endpoint is set but the otlp exporter is not selected (add --exporter otlp); it is ignored']);
    });

    it('warns about unknown OTEL_NETIF_ variables with a suggestion', () => {
      const { warnings } = validateConfig({ command: 'run', env: { OTEL_NETIF_INTERVALL: '5s', OTEL_NETIF_FOO: '1' } });
      assert.deepEqual(warnings, [
        'OTEL_NETIF_INTERVALL is not a variable otel-netif reads (did you mean OTEL_NETIF_INTERVAL?); it is ignored',
        'OTEL_NETIF_FOO is not a variable otel-netif reads; it is ignored',
      ]);
    });
  });

  it('console prints every sample unless an export interval is chosen', () => {
    assert.equal(consoleIntervalMs(loadConfig({ command: 'run', flags: { interval: '2s' } })), 2000);
    assert.equal(consoleIntervalMs(loadConfig({ command: 'run', flags: { interval: '2s', 'export-interval': '10s' } })), 10_000);
  });
});

describe('describeSettings', () => {
  it('lists what is not a default, with its source, and never a header value', () => {
    const loaded = loadConfig({
      command: 'run',
      flags: { interval: '2s', exporter: ['otlp,console'] },
      env: { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=secret', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pw@c:4318', OTEL_NETIF_LISTEN: '[::]:1' },
    });
    assert.equal(
      describeSettings(loaded),
      'settings: exporter=otlp,console (flag), interval=2s (flag), listen=[::]:1 (env), otlp-endpoint=https://c:4318 (env), otlp-header={authorization} (env)',
    );
    assert.equal(describeSettings(loadConfig({ command: 'run' })), 'settings: all defaults');
  });
});
