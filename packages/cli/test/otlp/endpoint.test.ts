import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { resolveOtlpTarget } from '../../src/export/otlp/endpoint.js';
import { describeExportError, exportHint } from '../../src/export/otlp/export-error.js';
import { withEnvHidden } from '../../src/export/otlp/env-shield.js';

describe('OTLP endpoint', () => {
  it('defaults to localhost:4318 for HTTP and localhost:4317 for gRPC', () => {
    assert.deepEqual(resolveOtlpTarget(undefined, 'http/protobuf'), { url: 'http://localhost:4318/v1/metrics', display: 'http://localhost:4318/v1/metrics' });
    assert.equal(resolveOtlpTarget(undefined, 'http/json').url, 'http://localhost:4318/v1/metrics');
    assert.deepEqual(resolveOtlpTarget(undefined, 'grpc'), { url: 'http://localhost:4317', display: 'http://localhost:4317' });
  });

  it('appends /v1/metrics to a base URL unless it is already there', () => {
    const url = (e: string) => resolveOtlpTarget(e, 'http/protobuf').url;
    assert.equal(url('http://collector:4318'), 'http://collector:4318/v1/metrics');
    assert.equal(url('http://collector:4318/'), 'http://collector:4318/v1/metrics');
    assert.equal(url('https://otlp.example.com/tenant-a/'), 'https://otlp.example.com/tenant-a/v1/metrics');
    assert.equal(url('http://collector:4318/v1/metrics'), 'http://collector:4318/v1/metrics');
    assert.equal(url('http://collector:4318/v1/metrics/'), 'http://collector:4318/v1/metrics');
  });

  it('uses a signal-specific URL as is', () => {
    assert.equal(resolveOtlpTarget('https://in.example.com/otlp/custom', 'http/json', true).url, 'https://in.example.com/otlp/custom');
  });

  it('keeps only scheme, host and port for gRPC', () => {
    assert.equal(resolveOtlpTarget('http://collector:4317/', 'grpc').url, 'http://collector:4317');
    assert.equal(resolveOtlpTarget('https://user:pw@collector:4317/x', 'grpc').url, 'https://collector:4317');
    // No scheme: the SDK decides TLS from OTEL_EXPORTER_OTLP_INSECURE, as the spec says.
    assert.equal(resolveOtlpTarget('collector:4317', 'grpc').url, 'collector:4317');
  });

  it('keeps credentials and query strings out of what logs show', () => {
    const t = resolveOtlpTarget('https://user:secret@otlp.example.com:443/base?token=abc', 'http/protobuf');
    assert.equal(t.url, 'https://user:secret@otlp.example.com/base/v1/metrics?token=abc');
    assert.equal(t.display, 'https://otlp.example.com/base/v1/metrics');
  });

  it('rejects what is not an http(s) URL with a usage error', () => {
    assert.throws(() => resolveOtlpTarget('collector:4318', 'http/protobuf'), (e: unknown) => e instanceof UsageError && /needs an http:\/\/ or https:\/\/ URL/.test(e.message));
    assert.throws(() => resolveOtlpTarget('not a url', 'http/json'), (e: unknown) => e instanceof UsageError && /invalid OTLP endpoint "not a url"/.test(e.message));
  });
});

describe('OTLP export errors', () => {
  const otlpError = (message: string, code?: number) => Object.assign(new Error(message), { name: 'OTLPExporterError', code });

  it('says what failed in one line', () => {
    assert.equal(describeExportError(otlpError('Unauthorized', 401), 10_000, []), 'HTTP 401 Unauthorized');
    assert.equal(describeExportError(otlpError('Export failed with retryable status'), 10_000, []), 'the collector kept answering with a retryable status (429, 502, 503 or 504) for 10s');
    assert.equal(describeExportError(new Error('Request timed out'), 2500, []), 'no answer within 2500ms');
    assert.equal(describeExportError(new Error('two\n  lines'), 1000, []), 'two lines');
    assert.equal(describeExportError(undefined, 1000, []), 'unknown error');
  });

  it("reads through Node's dual-stack AggregateError", () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' });
    const agg = Object.assign(new AggregateError([inner], ''), { code: 'ECONNREFUSED' });
    assert.equal(describeExportError(agg, 1000, []), 'connect ECONNREFUSED ::1:4318');
    assert.equal(describeExportError(Object.assign(new Error(''), { code: 'ECONNRESET' }), 1000, []), 'ECONNRESET');
  });

  it('scrubs header values from the reason', () => {
    assert.equal(describeExportError(new Error('bad key Bearer abcd1234 rejected'), 1000, ['Bearer abcd1234']), 'bad key <redacted> rejected');
  });

  it('hints at the likely fix', () => {
    assert.equal(exportHint(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'is the collector running?');
    assert.equal(exportHint(otlpError('Forbidden', 403)), 'are the OTLP headers (API key) right?');
    assert.equal(exportHint(otlpError('Not Found', 404)), 'is the endpoint URL right?');
    assert.equal(exportHint(Object.assign(new Error('16 UNAUTHENTICATED'), { code: 16, details: '' })), 'are the OTLP headers (API key) right?');
  });
});

describe('env shield', () => {
  it('hides variables only while the constructor runs, also when it throws', () => {
    const env: NodeJS.ProcessEnv = { A: '1', B: '2' };
    const seen = withEnvHidden(['A', 'C'], () => ({ ...env }), env);
    assert.deepEqual(seen, { B: '2' });
    assert.deepEqual(env, { A: '1', B: '2' });
    assert.throws(() => withEnvHidden(['A'], () => { throw new Error('boom'); }, env), /boom/);
    assert.deepEqual(env, { A: '1', B: '2' });
  });
});
