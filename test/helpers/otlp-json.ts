/**
 * A minimal OTLP/HTTP JSON endpoint: records every request body and answers 200 with an empty
 * ExportMetricsServiceResponse. Enough to see exactly what the agent pushes with
 * `--otlp-protocol http/json`, without depending on a protobuf decoder.
 */
import { createServer, type Server } from 'node:http';
import { sleep } from '../../test-support/index.js';

export interface CapturedRequest {
  receivedAtMs: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface OtlpJsonCapture {
  /** Base URL for --otlp-endpoint; the agent appends /v1/metrics. */
  url: string;
  port: number;
  requests: CapturedRequest[];
  /** Resolves once at least `n` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(n: number, timeoutMs: number): Promise<CapturedRequest[]>;
  close(): Promise<void>;
}

export async function startOtlpJsonCapture(): Promise<OtlpJsonCapture> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      requests.push({ receivedAtMs: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, json });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    requests,
    waitForRequests: async (n, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > until) throw new Error(`only ${requests.length} of ${n} OTLP requests within ${timeoutMs} ms`);
        await sleep(50);
      }
      return requests;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One number data point from an OTLP JSON body, flattened. */
export interface OtlpPoint {
  metric: string;
  unit: string;
  kind: 'sum' | 'gauge';
  attributes: Record<string, string | number | boolean>;
  startTimeUnixNano: bigint | undefined;
  timeUnixNano: bigint;
  value: number;
}

interface JsonAnyValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface JsonKeyValue { key: string; value: JsonAnyValue }
interface JsonPoint { attributes?: JsonKeyValue[]; startTimeUnixNano?: string | number; timeUnixNano: string | number; asInt?: string | number; asDouble?: number }
interface JsonMetric { name: string; unit?: string; sum?: { dataPoints?: JsonPoint[] }; gauge?: { dataPoints?: JsonPoint[] } }
interface JsonBody { resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: JsonMetric[] }> }> }

function anyValue(v: JsonAnyValue): string | number | boolean {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return '';
}

/** Every number data point in an OTLP/JSON ExportMetricsServiceRequest body. */
export function otlpPoints(body: unknown): OtlpPoint[] {
  const out: OtlpPoint[] = [];
  for (const rm of (body as JsonBody).resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = m.sum ? 'sum' : m.gauge ? 'gauge' : undefined;
        if (!kind) continue;
        for (const p of (m.sum ?? m.gauge)?.dataPoints ?? []) {
          out.push({
            metric: m.name,
            unit: m.unit ?? '',
            kind,
            attributes: Object.fromEntries((p.attributes ?? []).map((kv) => [kv.key, anyValue(kv.value)])),
            startTimeUnixNano: p.startTimeUnixNano === undefined ? undefined : BigInt(p.startTimeUnixNano),
            timeUnixNano: BigInt(p.timeUnixNano),
            value: p.asInt !== undefined ? Number(p.asInt) : (p.asDouble ?? NaN),
          });
        }
      }
    }
  }
  return out;
}
