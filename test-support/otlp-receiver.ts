/**
 * A real OTLP metrics receiver for tests, standing in for a Collector: HTTP (protobuf and JSON) on
 * POST /v1/metrics and gRPC MetricsService/Export, decoded with the official schema
 * (./otlp-schema.ts). Knobs make it fail (503, 429, …) or answer slowly, to test how the exporter
 * copes with a collector that is down, overloaded or slow.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { decodeProtobufRequest, encodeExportResponse, normaliseJsonRequest } from './otlp-schema.js';
import type { OtlpExportRequest, OtlpKeyValue, OtlpMetric, OtlpAnyValue, OtlpNumberDataPoint } from './otlp-schema.js';

export type ReceivedProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export interface ReceivedExport {
  protocol: ReceivedProtocol;
  /** HTTP path, or the gRPC method path. */
  path: string;
  /** Lower-cased names; gRPC metadata as strings. */
  headers: Record<string, string>;
  request: OtlpExportRequest;
  /** Date.now() when it arrived. */
  at: number;
}

export interface OtlpReceiver {
  readonly kind: 'http' | 'grpc';
  readonly port: number;
  /** Base URL, as --otlp-endpoint takes it: http://127.0.0.1:PORT (https:// with tls) */
  readonly endpoint: string;
  /** Exports accepted (answered with success), in arrival order. */
  readonly exports: ReceivedExport[];
  /** Every request that reached the receiver, accepted or not. */
  attempts: number;
  /**
   * Answer with this HTTP status instead of success (gRPC: 503 → UNAVAILABLE, 429 →
   * RESOURCE_EXHAUSTED, 401 → UNAUTHENTICATED, anything else → INTERNAL). undefined: accept.
   */
  failWith: number | undefined;
  /** Wait this long before answering. */
  delayMs: number;
  /** Resolves once at least `n` exports were accepted; rejects after `timeoutMs`. */
  waitForExports(n: number, timeoutMs?: number): Promise<ReceivedExport[]>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** 0 (default) lets the OS pick; a fixed port brings a receiver up where an exporter already points. */
  port?: number;
  /** Serve TLS (endpoint https://…) with this certificate; with `clientCa`, require a client certificate it signed. */
  tls?: { cert: Buffer; key: Buffer; clientCa?: Buffer };
}

const METRICS_PATH = '/v1/metrics';
const GRPC_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

// Unref'd: a delayed answer still pending when a test ends must not keep mocha alive.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

class ReceiverState {
  readonly exports: ReceivedExport[] = [];
  attempts = 0;
  failWith: number | undefined;
  delayMs = 0;
  private waiters: Array<() => void> = [];

  accept(e: ReceivedExport): void {
    this.exports.push(e);
    for (const w of this.waiters) w();
  }

  waitForExports(n: number, timeoutMs = 10_000): Promise<ReceivedExport[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.exports.length < n) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.exports.slice());
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`expected ${n} OTLP exports within ${timeoutMs} ms, got ${this.exports.length} (attempts: ${this.attempts})`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** An OTLP/HTTP receiver on 127.0.0.1: protobuf and JSON bodies, gzip or not. */
export async function startOtlpHttpReceiver(opts: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const state = new ReceiverState();
  const handler: RequestListener = async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'POST' || path !== METRICS_PATH) {
      res.writeHead(404).end();
      return;
    }
    state.attempts++;
    try {
      let body = await readBody(req);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (state.delayMs > 0) await sleep(state.delayMs);
      if (state.failWith !== undefined) {
        res.writeHead(state.failWith, { 'Content-Type': 'text/plain' }).end('receiver told to fail');
        return;
      }
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      const headers = headerRecord(req);
      if (type === 'application/x-protobuf') {
        state.accept({ protocol: 'http/protobuf', path, headers, request: decodeProtobufRequest(body), at: Date.now() });
        const out = encodeExportResponse();
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': out.length }).end(out);
      } else if (type === 'application/json') {
        state.accept({ protocol: 'http/json', path, headers, request: normaliseJsonRequest(JSON.parse(body.toString('utf8'))), at: Date.now() });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415, { 'Content-Type': 'text/plain' }).end(`unsupported content type ${type}`);
      }
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`cannot decode: ${(err as Error).message}`);
    }
  };
  const tls = opts.tls;
  const server: Server = tls
    ? (createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, handler) as unknown as Server)
    : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return receiver('http', port, state, tls !== undefined, () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
}

function grpcStatusFor(httpStatus: number): grpc.status {
  if (httpStatus === 503) return grpc.status.UNAVAILABLE;
  if (httpStatus === 429) return grpc.status.RESOURCE_EXHAUSTED;
  if (httpStatus === 401) return grpc.status.UNAUTHENTICATED;
  return grpc.status.INTERNAL;
}

/** An OTLP/gRPC receiver on 127.0.0.1 (plaintext). */
export async function startOtlpGrpcReceiver(opts: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const state = new ReceiverState();
  const server = new grpc.Server();
  const identity = (b: Buffer) => b;
  const service: grpc.ServiceDefinition = {
    Export: {
      path: GRPC_EXPORT_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
  const exportHandler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    state.attempts++;
    void (async () => {
      if (state.delayMs > 0) await sleep(state.delayMs);
      if (state.failWith !== undefined) {
        callback({ code: grpcStatusFor(state.failWith), details: 'receiver told to fail' });
        return;
      }
      try {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = typeof v === 'string' ? v : v.toString('utf8');
        state.accept({ protocol: 'grpc', path: GRPC_EXPORT_PATH, headers, request: decodeProtobufRequest(call.request), at: Date.now() });
        callback(null, Buffer.from(encodeExportResponse()));
      } catch (err) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: `cannot decode: ${(err as Error).message}` });
      }
    })();
  };
  server.addService(service, { Export: exportHandler as grpc.UntypedHandleCall });
  const port = await new Promise<number>((resolve, reject) => {
    const tls = opts.tls;
    const credentials = tls
      ? grpc.ServerCredentials.createSsl(tls.clientCa ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.clientCa !== undefined)
      : grpc.ServerCredentials.createInsecure();
    server.bindAsync(`127.0.0.1:${opts.port ?? 0}`, credentials, (err, p) => (err ? reject(err) : resolve(p)));
  });
  return receiver('grpc', port, state, opts.tls !== undefined, async () => {
    // Not tryShutdown: an exporter's open channel would keep it waiting.
    server.forceShutdown();
  });
}

function receiver(kind: 'http' | 'grpc', port: number, state: ReceiverState, tls: boolean, close: () => Promise<void>): OtlpReceiver {
  let closed: Promise<void> | undefined;
  return {
    kind,
    port,
    endpoint: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    exports: state.exports,
    get attempts() {
      return state.attempts;
    },
    set attempts(n: number) {
      state.attempts = n;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(s: number | undefined) {
      state.failWith = s;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    waitForExports: (n, timeoutMs) => state.waitForExports(n, timeoutMs),
    close: () => (closed ??= close()),
  };
}

// ---- Finding things in a decoded request.

/** An AnyValue as a plain JS value (int64 stays a string, as decoded). */
export function anyValue(v: OtlpAnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return v.intValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return v.arrayValue.values.map(anyValue);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  return v.bytesValue;
}

export function attributesOf(kvs: readonly OtlpKeyValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs) out[kv.key] = anyValue(kv.value);
  return out;
}

/** The first resource's attributes (the agent sends one resource). */
export function resourceAttributesOf(req: OtlpExportRequest): Record<string, unknown> {
  return attributesOf(req.resourceMetrics[0]?.resource?.attributes ?? []);
}

export function allMetrics(req: OtlpExportRequest): OtlpMetric[] {
  return req.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
}

export function findMetric(req: OtlpExportRequest, name: string): OtlpMetric | undefined {
  return allMetrics(req).find((m) => m.name === name);
}

/** The data point of metric `name` whose attributes include every entry of `attrs`. */
export function findDataPoint(req: OtlpExportRequest, name: string, attrs: Record<string, string>): OtlpNumberDataPoint | undefined {
  const m = findMetric(req, name);
  const points = m?.sum?.dataPoints ?? m?.gauge?.dataPoints ?? [];
  return points.find((p) => {
    const a = attributesOf(p.attributes);
    return Object.entries(attrs).every(([k, v]) => a[k] === v);
  });
}

/** A point's value as a number, whichever of asInt / asDouble it carries. */
export function pointValue(p: OtlpNumberDataPoint): number {
  if (p.asInt !== undefined) return Number(p.asInt);
  if (p.asDouble !== undefined) return p.asDouble;
  throw new Error('data point has neither asInt nor asDouble');
}
