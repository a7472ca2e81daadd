import { validateGlob } from '@otel-netif/receiver-netif';
import { WebConfigError, loadWebConfig } from '../http/web-config.js';
import { parseCertificateFile, parsePrivateKeyFile } from './pem-file.js';
import { list, flag, scalar } from './spec.js';
import type { AnyOptionSpec } from './spec.js';
import { DEFAULT_HISTORY_SIZE, MAX_HISTORY_SIZE } from '../history/ring.js';
import { normalizeRemote } from '../top/remote.js';
import type { ExporterName, ListenAddress, OtlpEndpointSetting } from './types.js';
import {
  ValueProblem,
  checkResourceAttributes,
  combineExporters,
  parseBandwidth,
  parseDuration,
  parseExporterName,
  parseHeaderFlag,
  parseHeaderList,
  parseHost,
  parseListen,
  parseLogLevel,
  parseMilliseconds,
  parseOtlpProtocol,
  parsePort,
  parseUrl,
  parseWholeNumber,
} from './values.js';

const BOTH = ['run', 'snapshot'] as const;
/** Options that shape local sampling: `top` samples too. */
const LOCAL = ['run', 'snapshot', 'top'] as const;
const RUN = ['run'] as const;

function atLeast(minMs: number, text: string) {
  return (ms: number) => {
    if (ms < minMs) throw new ValueProblem(`must be at least ${text}`);
  };
}

function glob(raw: string): string {
  const problem = validateGlob(raw);
  if (problem !== undefined) throw new ValueProblem(problem);
  return raw;
}

function nonEmpty(what: string) {
  return (raw: string) => {
    if (raw.trim() === '') throw new ValueProblem(`${what} must not be empty`);
    return raw.trim();
  };
}

function webConfig(raw: string) {
  try {
    return loadWebConfig(nonEmpty('the web config path')(raw));
  } catch (err) {
    if (err instanceof WebConfigError) throw new ValueProblem(err.message);
    throw err;
  }
}

const baseEndpoint = (raw: string): OtlpEndpointSetting => ({ url: parseUrl(raw), signalSpecific: false });
const headersFromEnv = (raw: string) => parseHeaderList(raw);

/**
 * Every option of every command: flag, environment variables, YAML key, default, help text.
 * Commander registration, env and file reading, validation and docs/configuration.md are all
 * derived from this table, so an option added here exists everywhere at once.
 */
export const OPTIONS: readonly AnyOptionSpec[] = [
  list({
    key: 'exporter',
    field: 'exporters',
    valueName: '<name>',
    env: [{ name: 'OTEL_METRICS_EXPORTER' }],
    yaml: true,
    commands: [...RUN],
    default: ['prometheus'],
    defaultText: 'prometheus',
    description: 'Where metrics go: prometheus, otlp, console, events (JSON lines), or none; repeat or comma-separate for several',
    example: 'prometheus,otlp',
    splitCommas: true,
    parseItem: parseExporterName,
    combine: (names: (ExporterName | 'none')[]) => combineExporters(names),
  }),
  scalar({
    key: 'interval',
    field: 'intervalMs',
    valueName: '<duration>',
    env: [{ name: 'OTEL_NETIF_INTERVAL' }],
    yaml: true,
    commands: ['run', 'top'],
    default: 5000,
    defaultText: '5s',
    description: 'How often interface counters are sampled and rates computed (at least 100ms); top: 1s unless given as a flag',
    example: '5s',
    parse: parseDuration,
    check: atLeast(100, '100ms'),
  }),
  scalar({
    key: 'export-interval',
    field: 'exportIntervalMs',
    valueName: '<duration>',
    env: [{ name: 'OTEL_METRIC_EXPORT_INTERVAL', parse: parseMilliseconds, note: 'ms' }],
    yaml: true,
    commands: [...RUN],
    default: 60_000,
    defaultText: '60s',
    description: 'How often push exporters (otlp, console) send; console prints every --interval unless this is set',
    example: '60s',
    parse: parseDuration,
    check: atLeast(100, '100ms'),
  }),
  scalar({
    key: 'listen',
    field: 'listen',
    valueName: '<host:port>',
    env: [
      { name: 'OTEL_NETIF_LISTEN' },
      { name: 'OTEL_EXPORTER_PROMETHEUS_HOST', parse: (raw, base: ListenAddress) => ({ ...base, host: parseHost(raw) }), note: 'host only' },
      { name: 'OTEL_EXPORTER_PROMETHEUS_PORT', parse: (raw, base: ListenAddress) => ({ ...base, port: parsePort(raw) }), note: 'port only' },
    ],
    yaml: true,
    commands: [...RUN],
    default: { host: '127.0.0.1', port: 9464 },
    defaultText: '127.0.0.1:9464',
    description: 'Address of the Prometheus /metrics endpoint; [::]:9464 for IPv6, 0.0.0.0:9464 to expose it',
    example: '0.0.0.0:9464',
    parse: parseListen,
  }),
  scalar({
    key: 'web-config',
    field: 'webConfig',
    valueName: '<file>',
    env: [{ name: 'OTEL_NETIF_WEB_CONFIG' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'none (plain HTTP, no auth)',
    description: "TLS and basic auth for the HTTP endpoint: a YAML file in node_exporter's web-config format (tls_server_config, basic_auth_users); see docs/security.md",
    example: '/etc/otel-netif/web.yml',
    parse: webConfig,
  }),
  scalar({
    key: 'otlp-endpoint',
    field: 'otlpEndpoint',
    valueName: '<url>',
    env: [
      { name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', parse: (raw) => ({ url: parseUrl(raw), signalSpecific: true }), note: 'full URL, used as is' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', parse: baseEndpoint },
    ],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'http://localhost:4318 (grpc: http://localhost:4317)',
    description: 'OTLP base URL; /v1/metrics is appended for HTTP, as for OTEL_EXPORTER_OTLP_ENDPOINT',
    example: 'http://localhost:4318',
    parse: baseEndpoint,
  }),
  scalar({
    key: 'otlp-protocol',
    field: 'otlpProtocol',
    valueName: '<protocol>',
    env: [{ name: 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL' }, { name: 'OTEL_EXPORTER_OTLP_PROTOCOL' }],
    yaml: true,
    commands: [...RUN],
    default: 'http/protobuf',
    defaultText: 'http/protobuf',
    description: 'OTLP transport: http/protobuf, http/json or grpc',
    example: 'grpc',
    parse: parseOtlpProtocol,
  }),
  list({
    key: 'otlp-header',
    field: 'otlpHeaders',
    valueName: '<key=value>',
    env: [
      { name: 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', parse: headersFromEnv, note: 'k=v,k2=v2, percent-encoded' },
      { name: 'OTEL_EXPORTER_OTLP_HEADERS', parse: headersFromEnv, note: 'k=v,k2=v2, percent-encoded' },
    ],
    yaml: true,
    commands: [...RUN],
    default: {},
    defaultText: 'none',
    description: 'Header sent with every OTLP export, e.g. authorization=Bearer …; repeatable (a file may use a mapping)',
    example: 'authorization=Bearer …',
    secret: true,
    splitCommas: false,
    mapping: true,
    parseItem: parseHeaderFlag,
    combine: (pairs: [string, string][]) => Object.fromEntries(pairs),
  }),
  scalar({
    key: 'otlp-timeout',
    field: 'otlpTimeoutMs',
    valueName: '<duration>',
    env: [
      { name: 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', parse: parseMilliseconds, note: 'ms' },
      { name: 'OTEL_EXPORTER_OTLP_TIMEOUT', parse: parseMilliseconds, note: 'ms' },
    ],
    yaml: true,
    commands: [...RUN],
    default: 10_000,
    defaultText: '10s',
    description: 'How long one OTLP export may take before it is abandoned',
    example: '10s',
    parse: parseDuration,
    check: atLeast(1, '1ms'),
  }),
  scalar({
    key: 'otlp-certificate',
    field: 'otlpCertificate',
    valueName: '<file>',
    env: [{ name: 'OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE' }, { name: 'OTEL_EXPORTER_OTLP_CERTIFICATE' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'system CAs',
    description: "PEM CA bundle to verify the collector's certificate (https:// endpoints and gRPC over TLS)",
    example: '/etc/otel-netif/collector-ca.pem',
    parse: parseCertificateFile,
  }),
  scalar({
    key: 'otlp-client-certificate',
    field: 'otlpClientCertificate',
    valueName: '<file>',
    env: [{ name: 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE' }, { name: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'none',
    description: 'PEM client certificate (chain) for mutual TLS with the collector; needs --otlp-client-key',
    example: '/etc/otel-netif/client.pem',
    parse: parseCertificateFile,
  }),
  scalar({
    key: 'otlp-client-key',
    field: 'otlpClientKey',
    valueName: '<file>',
    env: [{ name: 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY' }, { name: 'OTEL_EXPORTER_OTLP_CLIENT_KEY' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'none',
    description: 'PEM private key (unencrypted) of --otlp-client-certificate',
    example: '/etc/otel-netif/client-key.pem',
    parse: parsePrivateKeyFile,
  }),
  list({
    key: 'include',
    field: 'include',
    valueName: '<glob>',
    env: [{ name: 'OTEL_NETIF_INCLUDE', note: 'comma-separated' }],
    yaml: true,
    commands: [...LOCAL],
    default: [],
    defaultText: 'all interfaces',
    description: 'Only interfaces matching this glob (*, ?, [a-z]); repeatable',
    example: "'eth*'",
    splitCommas: true,
    parseItem: glob,
    combine: (globs: string[]) => [...new Set(globs)],
  }),
  list({
    key: 'exclude',
    field: 'exclude',
    valueName: '<glob>',
    env: [{ name: 'OTEL_NETIF_EXCLUDE', note: 'comma-separated' }],
    yaml: true,
    commands: [...LOCAL],
    default: [],
    defaultText: 'none',
    description: 'Skip interfaces matching this glob, e.g. veth*; wins over --include; repeatable',
    example: "'veth*'",
    splitCommas: true,
    parseItem: glob,
    combine: (globs: string[]) => [...new Set(globs)],
  }),
  scalar({
    key: 'top',
    field: 'top',
    valueName: '<n>',
    env: [{ name: 'OTEL_NETIF_TOP' }],
    yaml: true,
    commands: [...BOTH],
    default: 0,
    defaultText: '0 (off)',
    description: 'Keep rates for the N busiest interfaces and fold the rest into "other" (console and snapshot show only those); 0 keeps all',
    example: '10',
    parse: (raw) => parseWholeNumber(raw, 'use 0 to keep every interface, or e.g. 10'),
  }),
  scalar({
    key: 'max-interfaces',
    field: 'maxInterfaces',
    valueName: '<n>',
    env: [{ name: 'OTEL_NETIF_MAX_INTERFACES' }],
    yaml: true,
    commands: [...BOTH],
    default: 0,
    defaultText: '0 (no cap)',
    description:
      'At most N interfaces get series (counters, link state, rates), the first seen keeping their place; the rest are counted in otelnetif_series_dropped. See docs/cardinality.md',
    example: '500',
    parse: (raw) => parseWholeNumber(raw, 'use 0 for no cap, or e.g. 500'),
  }),
  scalar({
    key: 'max-bandwidth',
    field: 'maxBandwidthBytesPerSecond',
    valueName: '<bandwidth>',
    env: [{ name: 'OTEL_NETIF_MAX_BANDWIDTH' }],
    yaml: true,
    commands: [...LOCAL],
    default: 0,
    defaultText: '0 (link speed)',
    description: 'Capacity for utilization where the link speed is unknown, per second: 1Gbit, 100Mbit, 125MB; 0 = none',
    example: '1Gbit',
    parse: parseBandwidth,
  }),
  scalar({
    key: 'root-path',
    field: 'rootPath',
    valueName: '<dir>',
    env: [{ name: 'OTEL_NETIF_ROOT_PATH' }],
    yaml: true,
    commands: [...LOCAL],
    default: '/',
    defaultText: '/',
    description: "Where the host's / is mounted (proc/net/dev and sys/class/net are read below it), e.g. /host in a container",
    example: '/host',
    parse: nonEmpty('the root path'),
  }),
  scalar({
    key: 'metadata-refresh',
    field: 'metadataRefreshMs',
    valueName: '<duration>',
    env: [{ name: 'OTEL_NETIF_METADATA_REFRESH' }],
    yaml: true,
    commands: [...LOCAL],
    default: 30_000,
    defaultText: '30s',
    description: 'How often each interface\'s operstate is re-read from sysfs (carrier too, unless operstate implies it); speed and MTU every 10th time (0 = only when the interface appears)',
    example: '30s',
    parse: parseDuration,
  }),
  scalar({
    key: 'config',
    field: 'configFile',
    short: 'c',
    valueName: '<file>',
    env: [{ name: 'OTEL_NETIF_CONFIG' }],
    yaml: false,
    commands: [...LOCAL],
    default: undefined,
    defaultText: 'none',
    description: 'YAML file with any of these options, keyed by flag name',
    example: '/etc/otel-netif/config.yaml',
    parse: nonEmpty('the config file path'),
  }),
  scalar({
    key: 'log-level',
    field: 'logLevel',
    valueName: '<level>',
    env: [{ name: 'OTEL_LOG_LEVEL', note: 'also verbose, all' }],
    yaml: true,
    commands: [...LOCAL],
    default: 'info',
    defaultText: 'info',
    description: 'debug, info, warn, error or none',
    example: 'debug',
    parse: parseLogLevel,
  }),
  scalar({
    key: 'service-name',
    field: 'serviceName',
    valueName: '<name>',
    env: [{ name: 'OTEL_SERVICE_NAME' }],
    yaml: true,
    commands: [...RUN],
    default: 'otel-netif',
    defaultText: 'otel-netif (or service.name in resource attributes)',
    description: 'The service.name resource attribute',
    example: 'edge-netif',
    parse: nonEmpty('the service name'),
  }),
  scalar({
    key: 'resource-attributes',
    field: 'resourceAttributes',
    valueName: '<k=v,…>',
    env: [{ name: 'OTEL_RESOURCE_ATTRIBUTES' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'none',
    description: 'Extra resource attributes, key=value pairs separated by commas (percent-encoded values)',
    example: 'deployment.environment=prod',
    parse: checkResourceAttributes,
  }),
  scalar({
    key: 'duration',
    field: 'durationMs',
    valueName: '<duration>',
    env: [],
    yaml: false,
    commands: ['snapshot'],
    default: 1000,
    defaultText: '1s',
    description: 'Time between the two samples the rates are computed from',
    example: '1s',
    parse: parseDuration,
    check: atLeast(100, '100ms'),
  }),
  flag({
    key: 'json',
    field: 'json',
    env: [],
    yaml: false,
    commands: ['snapshot'],
    default: false,
    defaultText: 'off',
    description: 'Print JSON instead of a table',
  }),
  flag({
    key: 'no-ui',
    field: 'noUi',
    env: [{ name: 'OTEL_NETIF_NO_UI', note: 'true/1' }],
    yaml: false,
    commands: [...RUN],
    default: false,
    defaultText: 'off (page and API served)',
    description: 'Do not serve the live page (/), the JSON API (/api/v1/…) or its event stream beside /metrics',
  }),
  scalar({
    key: 'history-size',
    field: 'historySize',
    valueName: '<samples>',
    env: [{ name: 'OTEL_NETIF_HISTORY_SIZE' }],
    yaml: true,
    commands: [...RUN],
    default: DEFAULT_HISTORY_SIZE,
    defaultText: `${DEFAULT_HISTORY_SIZE} (1h at 5s)`,
    description: 'Rate samples kept per interface for /api/v1/history and the page (32 bytes per interface per sample)',
    example: '720',
    parse: (raw) => parseWholeNumber(raw, 'e.g. 720: one hour at a 5s interval'),
    check: (n: number) => {
      if (n < 1 || n > MAX_HISTORY_SIZE) throw new ValueProblem(`must be from 1 to ${MAX_HISTORY_SIZE}`);
    },
  }),
  scalar({
    key: 'events-file',
    field: 'eventsFile',
    valueName: '<file>',
    env: [{ name: 'OTEL_NETIF_EVENTS_FILE' }],
    yaml: true,
    commands: [...RUN],
    default: undefined,
    defaultText: 'stdout',
    description: 'events exporter: append the JSON lines to this file instead of writing them to stdout',
    example: '/var/log/otel-netif/events.jsonl',
    parse: nonEmpty('the events file path'),
  }),
  flag({
    key: 'events-all',
    field: 'eventsAll',
    env: [{ name: 'OTEL_NETIF_EVENTS_ALL', note: 'true/1' }],
    yaml: false,
    commands: [...RUN],
    default: false,
    defaultText: 'off (moving interfaces only)',
    description: 'events exporter: a line for every interface and sample, also when nothing moved',
  }),
  list({
    key: 'remote',
    field: 'remote',
    valueName: '<url>',
    env: [{ name: 'OTEL_NETIF_REMOTE', note: 'comma-separated' }],
    yaml: true,
    commands: ['top'],
    default: [],
    defaultText: 'none (this host)',
    description: 'top: watch these agents through their /api/v1 instead of this host; repeat or comma-separate',
    example: 'http://node1:9464',
    splitCommas: true,
    parseItem: (raw) => {
      try {
        return normalizeRemote(raw);
      } catch (err) {
        throw new ValueProblem((err as Error).message);
      }
    },
    combine: (urls: string[]) => [...new Set(urls)],
  }),
  flag({
    key: 'bits',
    field: 'bits',
    env: [],
    yaml: false,
    commands: ['top'],
    default: false,
    defaultText: 'off (bytes)',
    description: 'top: rates in bits per second (b toggles)',
  }),
  flag({
    key: 'once',
    field: 'once',
    env: [],
    yaml: false,
    commands: ['top'],
    default: false,
    defaultText: 'off',
    description: 'top: print one plain table and exit (also what happens when stdout is not a terminal)',
  }),
];

export function optionByKey(key: string): AnyOptionSpec | undefined {
  return OPTIONS.find((o) => o.key === key);
}
