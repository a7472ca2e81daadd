/**
 * The official OTLP protobuf schema, as the OpenTelemetry JS project compiled it to a protobufjs
 * module (shipped in @opentelemetry/otlp-proto-exporter-base@0.51.1). Decoding with it checks our
 * exports the way a Collector reads them, independently of the SDK code that encoded them.
 * scripts/install-otlp-schema.sh installs it outside the workspace (see there for why).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OTLP_SCHEMA_ROOT_JS = join(
  REPO_ROOT,
  '.tools/otlp-schema/node_modules/@opentelemetry/otlp-proto-exporter-base/build/src/generated/root.js',
);

/** A message type of the generated module (the subset the tests use). */
export interface ProtoMessageType {
  decode(buf: Uint8Array): object;
  encode(msg: object): { finish(): Uint8Array };
  fromObject(obj: Record<string, unknown>): object;
  toObject(msg: object, opts?: Record<string, unknown>): Record<string, unknown>;
}

export interface OtlpSchema {
  ExportMetricsServiceRequest: ProtoMessageType;
  ExportMetricsServiceResponse: ProtoMessageType;
}

// ---- The decoded request, in one shape for protobuf and JSON: field names lowerCamelCase, int64
// ---- as decimal strings, enums by name, defaults filled in.

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpNumberDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  asInt?: string;
  asDouble?: number;
  flags: number;
}

export interface OtlpSum {
  dataPoints: OtlpNumberDataPoint[];
  aggregationTemporality: string;
  isMonotonic: boolean;
}

export interface OtlpGauge {
  dataPoints: OtlpNumberDataPoint[];
}

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  sum?: OtlpSum;
  gauge?: OtlpGauge;
  histogram?: unknown;
  exponentialHistogram?: unknown;
  summary?: unknown;
}

export interface OtlpScopeMetrics {
  scope?: { name: string; version: string; attributes: OtlpKeyValue[] };
  metrics: OtlpMetric[];
  schemaUrl: string;
}

export interface OtlpResourceMetrics {
  resource?: { attributes: OtlpKeyValue[]; droppedAttributesCount: number };
  scopeMetrics: OtlpScopeMetrics[];
  schemaUrl: string;
}

export interface OtlpExportRequest {
  resourceMetrics: OtlpResourceMetrics[];
}

let cached: OtlpSchema | undefined;

/** @throws Error naming the install script when the schema is not installed. */
export function loadOtlpSchema(): OtlpSchema {
  if (cached) return cached;
  if (!existsSync(OTLP_SCHEMA_ROOT_JS)) {
    throw new Error(
      `the OTLP schema is not installed (${OTLP_SCHEMA_ROOT_JS} is missing): run \`bash scripts/install-otlp-schema.sh\` (npm test does it in pretest)`,
    );
  }
  const root = createRequire(import.meta.url)(OTLP_SCHEMA_ROOT_JS) as {
    opentelemetry: { proto: { collector: { metrics: { v1: OtlpSchema } } } };
  };
  cached = root.opentelemetry.proto.collector.metrics.v1;
  return cached;
}

const TO_OBJECT = { longs: String, enums: String, bytes: String, defaults: true, arrays: true };

/** Decodes an `application/x-protobuf` body (also the gRPC message). */
export function decodeProtobufRequest(body: Uint8Array): OtlpExportRequest {
  const T = loadOtlpSchema().ExportMetricsServiceRequest;
  return T.toObject(T.decode(body), TO_OBJECT) as unknown as OtlpExportRequest;
}

/**
 * Normalises an OTLP/JSON body (lowerCamelCase names, int64 as strings or numbers, enums as
 * integers) to the decoded-protobuf shape. protobufjs ignores names it does not know, so a body
 * in snake_case comes out empty and the test fails on missing metrics.
 */
export function normaliseJsonRequest(json: unknown): OtlpExportRequest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('OTLP/JSON body is not an object');
  const T = loadOtlpSchema().ExportMetricsServiceRequest;
  return T.toObject(T.fromObject(json as Record<string, unknown>), TO_OBJECT) as unknown as OtlpExportRequest;
}

/** The empty success response, protobuf-encoded. */
export function encodeExportResponse(): Uint8Array {
  const T = loadOtlpSchema().ExportMetricsServiceResponse;
  return T.encode(T.fromObject({})).finish();
}
