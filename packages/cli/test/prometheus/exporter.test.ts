import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parseExposition } from '../../../../test-support/index.js';
import { StartupError } from '../../src/errors.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { createPrometheusExporter } from '../../src/export/prometheus/exporter.js';
import type { PrometheusExporter } from '../../src/export/prometheus/exporter.js';
import { captureLogger } from '../http/capture-logger.js';
import { StubPipeline, netifScopes } from './snapshot.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  body: string;
}

function get(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: raw.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Prometheus exporter', () => {
  let pipeline: StubPipeline;
  let exporter: PrometheusExporter;
  let base: string;
  let encodes: number;

  beforeEach(async () => {
    pipeline = new StubPipeline();
    encodes = 0;
    exporter = createPrometheusExporter(
      pipeline,
      {
        host: '127.0.0.1',
        port: 0,
        encode: (...args) => {
          encodes++;
          return encodeExposition(...args);
        },
      },
      captureLogger(),
    );
    await exporter.start();
    base = exporter.server.url().replace(/\/$/, '');
  });

  afterEach(() => exporter.shutdown());

  it('is named prometheus', () => assert.equal(exporter.name, 'prometheus'));

  it('serves the latest snapshot as text format 0.0.4', async () => {
    pipeline.publish();
    const r = await get(`${base}/metrics`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(Number(r.headers['content-length']), r.raw.length);
    const e = parseExposition(r.body);
    assert.equal(e.types.get('system_network_io_bytes_total'), 'counter');
  });

  it('gzips when the client accepts it, with the same bytes inside', async () => {
    pipeline.publish();
    const plain = await get(`${base}/metrics`);
    const zipped = await get(`${base}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.raw.length < plain.raw.length);
    assert.deepEqual(gunzipSync(zipped.raw), plain.raw);
  });

  it('encodes once per snapshot, however many scrapes, and again for the next one', async () => {
    pipeline.publish();
    const a = await get(`${base}/metrics`);
    const b = await get(`${base}/metrics`);
    await get(`${base}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(encodes, 1);
    assert.deepEqual(a.raw, b.raw);

    pipeline.publish(netifScopes(['eth0', 'eth1']));
    const c = await get(`${base}/metrics`);
    assert.equal(encodes, 2);
    assert.match(c.body, /network_interface_name="eth1"/);
  });

  it('never samples: a scrape only reads latest()', async () => {
    pipeline.publish();
    const seq = pipeline.latest()?.seq;
    await get(`${base}/metrics`);
    await get(`${base}/metrics`);
    assert.equal(pipeline.latest()?.seq, seq);
  });

  it('answers /metrics with 503 before the first sample', async () => {
    const r = await get(`${base}/metrics`);
    assert.equal(r.status, 503);
    assert.match(r.body, /no sample yet/);
    assert.equal(encodes, 0);
  });

  it('/healthz is 200 while the process runs, sample or not', async () => {
    const r = await get(`${base}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok\n');
  });

  it('/readyz is 503 before the first sample, 200 after, 503 with a reason while sampling fails', async () => {
    let r = await get(`${base}/readyz`);
    assert.equal(r.status, 503);
    assert.equal(r.body, 'not ready: no successful sample yet\n');

    pipeline.publish();
    r = await get(`${base}/readyz`);
    assert.equal(r.status, 200);

    pipeline.failing = true;
    r = await get(`${base}/readyz`);
    assert.equal(r.status, 503);
    assert.equal(r.body, `not ready: sampling is failing; last successful sample at 2020-09-13T12:28:20.000Z (see the agent's log)\n`);
  });

  it('404s unknown paths and 405s POST /metrics', async () => {
    assert.equal((await get(`${base}/nope`)).status, 404);
    const r = await get(`${base}/metrics`, { method: 'POST' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD');
  });

  it('answers HEAD /metrics without a body', async () => {
    pipeline.publish();
    const r = await get(`${base}/metrics`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.raw.length, 0);
  });

  it('lets other features mount routes on its server', async () => {
    exporter.server.addRoute('GET', '/api/v1/interfaces', (_req, res) => void res.writeHead(200).end('[]'));
    assert.equal((await get(`${base}/api/v1/interfaces`)).body, '[]');
  });
});

describe('Prometheus exporter startup', () => {
  it('fails with the one-line StartupError when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (blocker.address() as { port: number }).port;
    const log = captureLogger();
    const exporter = createPrometheusExporter(new StubPipeline(), { host: '127.0.0.1', port }, log);
    try {
      await assert.rejects(exporter.start(), (e: unknown) => {
        assert.ok(e instanceof StartupError);
        assert.equal(e.message, `cannot listen on 127.0.0.1:${port}: address in use — stop the other process or pick another port with --listen HOST:PORT`);
        return true;
      });
      assert.deepEqual(log.lines, []);
    } finally {
      await exporter.shutdown();
      blocker.close();
    }
  });

  it('logs nothing itself: the caller announces the bound address', async () => {
    const log = captureLogger();
    const exporter = createPrometheusExporter(new StubPipeline(), { host: '127.0.0.1', port: 0 }, log);
    await exporter.start();
    assert.ok(exporter.server.address().port > 0);
    await exporter.shutdown();
    assert.deepEqual(log.lines, []);
  });
});
