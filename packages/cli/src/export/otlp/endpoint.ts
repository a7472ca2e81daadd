import { UsageError } from '../../errors.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const DEFAULT_OTLP_HTTP_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_OTLP_GRPC_ENDPOINT = 'http://localhost:4317';
const METRICS_PATH = '/v1/metrics';

export interface OtlpTarget {
  /** What the SDK exporter is given as `url`. */
  url: string;
  /** For log lines: no user:password, no query string (either may hold a token). */
  display: string;
}

function parse(endpoint: string): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw new UsageError(`invalid OTLP endpoint ${JSON.stringify(endpoint)}: expected a URL like http://collector:4318`);
  }
}

function display(u: URL, withPath: boolean): string {
  return `${u.protocol}//${u.host}${withPath ? u.pathname : ''}`;
}

/**
 * Where to send, from a base URL as OTEL_EXPORTER_OTLP_ENDPOINT gives it. HTTP appends /v1/metrics
 * unless the path already ends with it (so a full signal URL passed here is not doubled), or when
 * `signalSpecific` says the URL came from OTEL_EXPORTER_OTLP_METRICS_ENDPOINT and is used as is.
 * gRPC keeps scheme and host:port only; the scheme still matters to the SDK, which picks
 * plaintext for http:// and TLS otherwise.
 */
export function resolveOtlpTarget(endpoint: string | undefined, protocol: OtlpProtocol, signalSpecific = false): OtlpTarget {
  if (protocol === 'grpc') {
    const raw = (endpoint ?? DEFAULT_OTLP_GRPC_ENDPOINT).trim();
    // host:port without a scheme goes to the SDK as given: the spec makes it TLS unless
    // OTEL_EXPORTER_OTLP_INSECURE=true, and the SDK applies that.
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { url: raw, display: raw.replace(/^[^@/]*@/, '') };
    const u = parse(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { url: raw, display: display(u, true) };
    const url = `${u.protocol}//${u.host}`;
    return { url, display: url };
  }
  const u = parse((endpoint ?? DEFAULT_OTLP_HTTP_ENDPOINT).trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`invalid OTLP endpoint ${display(u, true)}: ${protocol} needs an http:// or https:// URL`);
  }
  if (!signalSpecific) {
    const path = u.pathname.replace(/\/+$/, '');
    u.pathname = path.endsWith(METRICS_PATH) ? path : `${path}${METRICS_PATH}`;
  }
  return { url: u.href, display: display(u, true) };
}
