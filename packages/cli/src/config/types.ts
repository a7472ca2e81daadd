import type { WebConfig } from '../http/web-config.js';
import type { PemFile } from './pem-file.js';

import type { LiveConfig } from '../api/config.js';

export const EXPORTER_NAMES = ['prometheus', 'otlp', 'console', 'events'] as const;
export type ExporterName = (typeof EXPORTER_NAMES)[number];

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'none'] as const;
/** The logger's levels plus "none" (OTEL_LOG_LEVEL=none): nothing is logged. */
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

export interface ListenAddress {
  /** Without brackets, also for IPv6. */
  host: string;
  port: number;
}

export interface OtlpEndpointSetting {
  url: string;
  /**
   * True when it came from OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: that one is the full URL, used as
   * is; every other source is a base URL that /v1/metrics is appended to (for HTTP).
   */
  signalSpecific: boolean;
}

/** Where a value came from; precedence is flag > env > file > default. */
export type SourceKind = 'default' | 'file' | 'env' | 'flag';

export type CommandName = 'run' | 'snapshot' | 'top';

/** Every setting after precedence and validation; durations in ms, bandwidth in bytes/s. */
export interface Config extends LiveConfig {
  /** Empty for `--exporter none`. */
  exporters: ExporterName[];
  intervalMs: number;
  exportIntervalMs: number;
  listen: ListenAddress;
  otlpEndpoint: OtlpEndpointSetting | undefined;
  otlpProtocol: OtlpProtocol;
  otlpHeaders: Record<string, string>;
  otlpTimeoutMs: number;
  /** CA bundle that signs the collector's certificate (https:// and gRPC with TLS). */
  otlpCertificate: PemFile | undefined;
  /** Client certificate and key for mutual TLS; both or neither. */
  otlpClientCertificate: PemFile | undefined;
  otlpClientKey: PemFile | undefined;
  /** TLS and basic auth for the HTTP endpoint, read and checked at load. */
  webConfig: WebConfig | undefined;
  include: string[];
  exclude: string[];
  top: number;
  /** Interfaces with their own series at most; 0 = no cap. */
  maxInterfaces: number;
  maxBandwidthBytesPerSecond: number;
  rootPath: string;
  metadataRefreshMs: number;
  configFile: string | undefined;
  logLevel: LogLevelSetting;
  serviceName: string;
  resourceAttributes: string | undefined;
  /** snapshot: time between its two samples. */
  durationMs: number;
  /** snapshot: print JSON instead of a table. */
  json: boolean;
}

export type ConfigSources = { [K in keyof Config]: SourceKind };

export interface LoadedConfig {
  config: Config;
  sources: ConfigSources;
  /** Worth telling the user, not worth refusing to start for. */
  warnings: string[];
}
