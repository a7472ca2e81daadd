import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

const DIR = new URL('../testdata/config/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** The file as `--config config.yaml`, so messages read as they do for a user. */
function input(file: string) {
  return { command: 'run' as const, flags: { config: 'config.yaml' }, env: {}, readFile: () => readFileSync(new URL(file, DIR), 'utf8') };
}

const INVALID: Record<string, string[]> = {
  'invalid-values.yaml': [
    'config.yaml: exporter[1]: "prom": unknown exporter (did you mean "prometheus"? use prometheus, otlp, console, events, none)',
    'config.yaml: interval: "5x": not a duration (use e.g. 500ms, 5s, 1m)',
    'config.yaml: export-interval: "60000": a duration needs a unit (e.g. 60000ms)',
    'config.yaml: listen: "::1:9464": put an IPv6 address in brackets (e.g. [::]:9464 or [::1]:9464)',
    'config.yaml: otlp-endpoint: "collector:4318": not an http:// or https:// URL (e.g. http://collector:4318)',
    'config.yaml: otlp-protocol: "http/proto": not an OTLP protocol (did you mean "http/protobuf"? use http/protobuf, http/json, grpc)',
    'config.yaml: include[0]: "eth[0": unclosed "[" in glob',
    'config.yaml: top: "-1": not a whole number (use 0 to keep every interface, or e.g. 10)',
    'config.yaml: max-bandwidth: "100Mb": "b" is ambiguous (write 100Mbit for bits or 100MB for bytes)',
    'config.yaml: log-level: "loud": not a log level (use debug, info, warn, error, none)',
    'config.yaml: history-memory: "1Mbit": not a size (use e.g. 1MiB, 512KiB or 4MB)',
  ],
  'invalid-unknown-keys.yaml': [
    'config.yaml: unknown key "intervall" (did you mean "interval"?)',
    'config.yaml: unknown key "exportInterval" (did you mean "export-interval"?)',
    'config.yaml: unknown key "listen_address" (see docs/configuration.md for the keys)',
    'config.yaml: unknown key "colour" (see docs/configuration.md for the keys)',
    'config.yaml: "json" cannot be set in a config file (use --json on the command line)',
    'config.yaml: "config" cannot be set in a config file (use --config on the command line)',
  ],
  'invalid-shapes.yaml': [
    'config.yaml: exporter: must be a list or a single value, e.g. exporter: [prometheus,otlp]',
    'config.yaml: interval: has no value (remove the key or give e.g. interval: 5s)',
    'config.yaml: listen: must be a single value, e.g. listen: 0.0.0.0:9464',
    'config.yaml: include[0]: must be a single value, not a list or mapping',
  ],
  'invalid-ranges.yaml': [
    'config.yaml: exporter: "none" cannot be combined with other exporters',
    'config.yaml: interval: "50ms": must be at least 100ms',
    'config.yaml: listen: "127.0.0.1:70000": not a port (use 1-65535)',
    'config.yaml: otlp-timeout: "0s": must be at least 1ms',
  ],
  'invalid-empty-exporters.yaml': ['config.yaml: exporter: no exporter given (use none to export nothing)'],
  'invalid-not-mapping.yaml': ['config.yaml: must be a mapping of option: value, e.g. "interval: 5s" (see docs/configuration.md)'],
  'invalid-syntax.yaml': ['config.yaml: not valid YAML: Nested mappings are not allowed in compact mappings at line 1, column 11'],
};

const VALID: Record<string, Partial<Config>> = {
  'valid-minimal.yaml': { intervalMs: 2000, exporters: ['prometheus'], listen: { host: '127.0.0.1', port: 9464 } },
  'valid-empty.yaml': { intervalMs: 5000, exporters: ['prometheus'] },
  'valid-full.yaml': {
    exporters: ['prometheus', 'otlp', 'console'],
    intervalMs: 10_000,
    exportIntervalMs: 30_000,
    listen: { host: '::', port: 9100 },
    otlpEndpoint: { url: 'https://collector.example:4318/base', signalSpecific: false },
    otlpProtocol: 'http/json',
    otlpHeaders: { authorization: 'Bearer abc', 'x-tenant': 'team-a' },
    otlpTimeoutMs: 5000,
    include: ['eth*', 'en[ops]*'],
    exclude: ['veth*', 'docker*'],
    top: 3,
    maxBandwidthBytesPerSecond: 125_000_000,
    rootPath: '/host',
    metadataRefreshMs: 60_000,
    logLevel: 'warn',
    serviceName: 'edge-netif',
    resourceAttributes: 'deployment.environment=prod,host.role=edge',
    historySize: 360,
    historyMemory: 4 * 1024 * 1024,
    configFile: 'config.yaml',
  },
  'valid-header-list.yaml': {
    exporters: ['otlp'],
    otlpHeaders: { authorization: 'Basic dXNlcjpwYXNz==', 'x-list': 'a,b' },
  },
};

describe('config fixtures (test/testdata/config)', () => {
  it('every fixture has its expectation here', () => {
    assert.deepEqual(files, [...Object.keys(INVALID), ...Object.keys(VALID)].sort());
  });

  for (const [file, expected] of Object.entries(INVALID)) {
    it(`${file}: exactly the expected problems`, () => {
      assert.deepEqual(validateConfig(input(file)).problems, expected);
    });
  }

  for (const [file, expected] of Object.entries(VALID)) {
    it(`${file}: loads with the expected values and no warnings`, () => {
      const { config, warnings } = loadConfig(input(file));
      assert.deepEqual(warnings, []);
      for (const [field, value] of Object.entries(expected)) {
        assert.deepEqual(config[field as keyof Config], value, field);
      }
    });
  }
});
