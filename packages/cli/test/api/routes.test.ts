import assert from 'node:assert/strict';
import { request } from 'node:http';
import { LiveFeed } from '../../src/api/live.js';
import { PAGE_CSP } from '../../src/api/page.js';
import { mountLiveRoutes, type LiveRoutes } from '../../src/api/routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { fakeSnapshot } from './fixtures.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(base: string, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads an event stream until `n` events (comments and retry hints included) have arrived. */
function stream(base: string, n: number): { chunks: Promise<string[]>; close: () => void; status: Promise<number> } {
  let close = (): void => {};
  let setStatus: (s: number) => void = () => {};
  const status = new Promise<number>((r) => (setStatus = r));
  const chunks = new Promise<string[]>((resolve, reject) => {
    const req = request(`${base}/api/v1/events`, (res) => {
      setStatus(res.statusCode ?? 0);
      let buf = '';
      const events: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          events.push(buf.slice(0, at + 2));
          buf = buf.slice(at + 2);
          if (events.length === n) resolve(events);
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
    close = () => req.destroy();
  });
  return { chunks, close: () => close(), status };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live routes on the HTTP server', () => {
  let server: HttpServer;
  let feed: LiveFeed;
  let routes: LiveRoutes;
  let base: string;

  beforeEach(async () => {
    server = createHttpServer({ host: '127.0.0.1', port: 0 }, silentLogger);
    feed = new LiveFeed({ intervalMs: 1000, host: 'testhost', historySize: 5 });
    routes = mountLiveRoutes(server, feed, silentLogger, { heartbeatMs: 50, maxStreams: 2, page: Buffer.from('<!doctype html><title>t</title>') });
    await server.start();
    base = server.url().replace(/\/$/, '');
  });

  afterEach(async () => {
    routes.close();
    await server.close();
  });

  it('answers 503 with a JSON reason before the first sample', async () => {
    const r = await call(base, 'GET', '/api/v1/interfaces');
    assert.equal(r.status, 503);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(r.body), { error: 'no sample yet; retry after one interval' });
  });

  it('serves the latest snapshot as JSON', async () => {
    feed.update(fakeSnapshot(1, 1000, [{ name: 'eth0' }]));
    feed.update(fakeSnapshot(2, 2000, [{ name: 'eth0', rx: { bytes: 10, packets: 1 }, tx: { bytes: 20, packets: 2 } }]));
    const r = await call(base, 'GET', '/api/v1/interfaces');
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-store');
    const body = JSON.parse(r.body) as { seq: number; host: string; interfaces: { name: string; rates: { rxBytes: number } }[] };
    assert.equal(body.seq, 2);
    assert.equal(body.host, 'testhost');
    assert.equal(body.interfaces[0]?.rates.rxBytes, 10);
    assert.deepEqual(Object.keys(body), ['version', 'host', 'time', 'timeUnixMs', 'seq', 'intervalMs', 'interfaces']);
  });

  it('serves a window of the history, and 400 with one JSON line for a bad window', async () => {
    for (let i = 1; i <= 7; i++) feed.update(fakeSnapshot(i, i * 1000, [{ name: 'a', rx: { bytes: i, packets: 0 }, tx: { bytes: 0, packets: 0 } }]));
    const all = JSON.parse((await call(base, 'GET', '/api/v1/history')).body) as { t: number[]; capacity: number; seconds: null; interfaces: Record<string, { rxBytes: number[] }> };
    assert.deepEqual(all.t, [3000, 4000, 5000, 6000, 7000]);
    assert.equal(all.capacity, 5);
    assert.equal(all.seconds, null);
    const two = JSON.parse((await call(base, 'GET', '/api/v1/history?seconds=2')).body) as typeof all;
    assert.deepEqual(two.t, [5000, 6000, 7000]);
    assert.deepEqual(two.interfaces.a?.rxBytes, [5, 6, 7]);

    const bad = await call(base, 'GET', '/api/v1/history?seconds=abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body, '{"error":"seconds must be a whole number from 1 to 604800, got \\"abc\\""}\n');
    assert.equal(bad.body.trimEnd().split('\n').length, 1);
  });

  it('is read-only: other methods get 405 with Allow', async () => {
    for (const [method, path] of [['POST', '/api/v1/interfaces'], ['PUT', '/api/v1/history'], ['DELETE', '/api/v1/events'], ['POST', '/'], ['PATCH', '/api/v1/interfaces']]) {
      const r = await call(base, method as string, path as string);
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.allow, 'GET, HEAD');
    }
  });

  it('serves the page with a policy that forbids loading anything from elsewhere', async () => {
    const r = await call(base, 'GET', '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], PAGE_CSP);
    assert.match(PAGE_CSP, /default-src 'none'/);
    assert.match(PAGE_CSP, /connect-src 'self'/);
    assert.equal(r.body, '<!doctype html><title>t</title>');
  });

  it('streams one event per sample, starting with the current one, with heartbeats', async () => {
    feed.update(fakeSnapshot(1, 1000, [{ name: 'a' }]));
    const s = stream(base, 4);
    assert.equal(await s.status, 200);
    await until(() => routes.streams() === 1);
    feed.update(fakeSnapshot(2, 2000, [{ name: 'a', rx: { bytes: 5, packets: 1 }, tx: { bytes: 0, packets: 0 } }]));
    const events = await s.chunks;
    s.close();
    assert.equal(events[0], 'retry: 2000\n\n');
    const data = events.filter((e) => e.startsWith('id: '));
    assert.ok(data.length >= 2, events.join('|'));
    assert.match(data[0] as string, /^id: 1\nevent: interfaces\ndata: \{"version":1,"host":"testhost".*\}\n\n$/);
    const second = JSON.parse((data[1] as string).split('\n')[2]?.slice('data: '.length) ?? '') as { seq: number; interfaces: { rates: { rxBytes: number } }[] };
    assert.equal(second.seq, 2);
    assert.equal(second.interfaces[0]?.rates.rxBytes, 5);
    // Heartbeats arrive every 50 ms here; wait for one explicitly.
    const hb = stream(base, 3);
    const hbEvents = await hb.chunks;
    hb.close();
    assert.ok(hbEvents.includes(': heartbeat\n\n'), hbEvents.join('|'));
  });

  it('forgets a stream when its client goes away, and caps how many are open', async () => {
    const a = stream(base, 1);
    const b = stream(base, 1);
    await until(() => routes.streams() === 2);
    const third = await call(base, 'GET', '/api/v1/events');
    assert.equal(third.status, 503);
    assert.match(JSON.parse(third.body).error as string, /too many event streams \(2\)/);
    a.close();
    b.close();
    await until(() => routes.streams() === 0);
    assert.equal(feed.listenerCount('update'), 0);
  });
});
