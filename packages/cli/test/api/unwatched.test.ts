import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { LiveFeed } from '../../src/api/live.js';
import type { LiveSnapshot } from '../../src/api/model.js';
import { mountLiveRoutes, type LiveRoutes } from '../../src/api/routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { RATE_METRICS } from '../../src/pipeline/views.js';
import { fakeSnapshot } from './fixtures.js';

/**
 * What a sample costs the live views while nobody looks, through the real routes: a snapshot's
 * unfolded `rates` throw when read, and its forEachRate notes which gauges each call asked for.
 * The recorder asks for the byte and packet rates only; building the API shape asks for all.
 */
function snapshots() {
  const calls: { seq: number; metrics: string[] | undefined }[] = [];
  const make = (seq: number) => {
    const base = fakeSnapshot(seq, seq * 1000, [
      { name: 'eth0', counters: { rxBytes: seq * 1000, txBytes: seq * 10 }, rx: { bytes: seq * 100, packets: seq }, tx: { bytes: 5, packets: 1 } },
      { name: 'idle0', rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } },
    ]);
    return {
      seq,
      sample: base.sample,
      get rates(): never {
        throw new Error(`the unfolded rates of sample ${seq} were read`);
      },
      forEachRate(fn: (metric: string, attributes: Attributes, value: number) => void, metrics?: ReadonlySet<string>) {
        calls.push({ seq, metrics: metrics && [...metrics].sort() });
        for (const r of base.rates) if (metrics === undefined || metrics.has(r.metric)) fn(r.metric, r.attributes, r.value);
      },
    };
  };
  const builds = () => calls.filter((c) => c.metrics === undefined).map((c) => c.seq);
  const records = () => calls.filter((c) => c.metrics !== undefined);
  return { make, calls, builds, records };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** An event stream's `interfaces` events as they arrive. */
function subscribe(url: string): { events: string[]; close: () => void } {
  const events: string[] = [];
  let buf = '';
  const req = request(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      buf += d;
      let at: number;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const e = buf.slice(0, at + 2);
        buf = buf.slice(at + 2);
        if (e.startsWith('id: ')) events.push(e);
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return { events, close: () => req.destroy() };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('live views while nobody looks', () => {
  let server: HttpServer;
  let feed: LiveFeed;
  let routes: LiveRoutes;
  let base: string;
  const pipeline = Object.assign(new EventEmitter(), { latest: () => undefined });

  beforeEach(async () => {
    server = createHttpServer({ host: '127.0.0.1', port: 0 }, silentLogger);
    feed = new LiveFeed({ intervalMs: 1000, host: 'h', historySize: 4 }).attach(pipeline as never);
    routes = mountLiveRoutes(server, feed, silentLogger, { heartbeatMs: 60_000, page: Buffer.from('') });
    await server.start();
    base = server.url().replace(/\/$/, '');
  });

  afterEach(async () => {
    routes.close();
    feed.close();
    await server.close();
  });

  it('records each sample from the byte and packet rates alone, and builds the answer once, when asked', async () => {
    const s = snapshots();
    for (let seq = 1; seq <= 5; seq++) pipeline.emit('snapshot', s.make(seq));
    assert.deepEqual(s.builds(), [], 'no API shape built while nobody asked');
    assert.deepEqual(s.records().map((c) => c.seq), [1, 2, 3, 4, 5], 'one pass over the rates per sample');
    for (const c of s.records()) assert.deepEqual(c.metrics, [RATE_METRICS.bytes, RATE_METRICS.packets].sort());

    const first = await get(`${base}/api/v1/interfaces`);
    const again = await get(`${base}/api/v1/interfaces`);
    assert.equal(first.status, 200);
    assert.equal(again.body, first.body);
    assert.deepEqual(s.builds(), [5], 'built once for both requests');
    const body = JSON.parse(first.body) as LiveSnapshot;
    assert.equal(body.seq, 5);
    const eth0 = body.interfaces.find((i) => i.name === 'eth0');
    assert.deepEqual(eth0?.rates, { rxBytes: 500, txBytes: 5, rxPackets: 5, txPackets: 1, rxErrors: 0, txErrors: 0, rxDrops: 0, txDrops: 0 });
    assert.equal(eth0?.sinceStart.rxBytes, 4000, 'four intervals of 1000 bytes since the first sample');
    assert.equal(eth0?.sinceStart.since, new Date(1000).toISOString());

    const history = JSON.parse((await get(`${base}/api/v1/history`)).body) as { t: number[]; interfaces: Record<string, { rxBytes: (number | null)[] }> };
    assert.deepEqual(history.t, [2000, 3000, 4000, 5000]);
    assert.deepEqual(history.interfaces.eth0?.rxBytes, [200, 300, 400, 500]);
    assert.deepEqual(history.interfaces.idle0?.rxBytes, [0, 0, 0, 0]);
    assert.equal(feed.history.bytes, 4 * 8 + 4 * 16, 'a history buffer for eth0 only: idle0 never had traffic');

    pipeline.emit('snapshot', s.make(6));
    assert.deepEqual(s.builds(), [5], 'the next sample is not built for a reader that has gone');
  });

  it('builds each sample once for every event stream, and stops when the last one goes', async () => {
    const s = snapshots();
    pipeline.emit('snapshot', s.make(1));
    const a = subscribe(`${base}/api/v1/events`);
    const b = subscribe(`${base}/api/v1/events`);
    await until(() => routes.streams() === 2 && a.events.length === 1 && b.events.length === 1);
    for (let seq = 2; seq <= 4; seq++) pipeline.emit('snapshot', s.make(seq));
    await until(() => a.events.length === 4 && b.events.length === 4);
    assert.deepEqual(s.builds(), [1, 2, 3, 4]);
    assert.deepEqual(a.events, b.events);
    const last = JSON.parse((a.events[3] as string).split('\n')[2]!.slice('data: '.length)) as LiveSnapshot;
    assert.equal(last.seq, 4);
    assert.equal(last.interfaces[0]?.rates.rxBytes, 400);

    a.close();
    b.close();
    await until(() => routes.streams() === 0);
    pipeline.emit('snapshot', s.make(5));
    assert.deepEqual(s.builds(), [1, 2, 3, 4]);
  });
});
