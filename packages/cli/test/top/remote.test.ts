import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveFeed } from '../../src/api/live.js';
import { mountLiveRoutes } from '../../src/api/routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { displayRemote, fetchRemote, normalizeRemote } from '../../src/top/remote.js';
import { remoteSource } from '../../src/top/sources.js';
import { fakeSnapshot } from '../api/fixtures.js';

function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function closedPort(): Promise<string> {
  const { url, server } = await rawServer(() => {});
  await new Promise((r) => server.close(r));
  return url;
}

describe('--remote addresses', () => {
  it('accept host:port, URLs with a trailing slash, and a pasted API URL', () => {
    assert.equal(normalizeRemote('10.0.0.1:9464'), 'http://10.0.0.1:9464');
    assert.equal(normalizeRemote('http://box:9464/'), 'http://box:9464');
    assert.equal(normalizeRemote('https://box/agent/api/v1/interfaces'), 'https://box/agent');
    assert.equal(normalizeRemote('[::1]:9464'), 'http://[::1]:9464');
  });

  it('keep user:password for agents behind basic auth, and never show the password', () => {
    assert.equal(normalizeRemote('https://ops:s3cr%40t@box:9464/'), 'https://ops:s3cr%40t@box:9464');
    assert.equal(displayRemote('https://ops:s3cr%40t@box:9464'), 'https://ops@box:9464');
    assert.equal(displayRemote('http://box:9464'), 'http://box:9464');
  });

  it('refuse what is not an http(s) URL', () => {
    assert.throws(() => normalizeRemote('ftp://x'), /^Error: only http:\/\/ and https:\/\/ are supported, not ftp:\/\/$/);
    assert.throws(() => normalizeRemote('http://'), /^Error: not a URL \(e.g. http:\/\/host:9464\)$/);
  });
});

describe('fetching a remote agent', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('explains a refused connection, a 404, a non-JSON answer and a hang in words a user can act on', async () => {
    await assert.rejects(fetchRemote(await closedPort(), 1000), /^Error: connection refused \(is the agent running/);
    const notFound = await rawServer((_q, r) => r.writeHead(404).end('no'));
    const html = await rawServer((_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html>'));
    const other = await rawServer((_q, r) => r.writeHead(200).end('{"hello":1}'));
    const hang = await rawServer(() => {});
    servers.push(notFound.server, html.server, other.server, hang.server);
    await assert.rejects(fetchRemote(notFound.url, 1000), /HTTP 404 for \/api\/v1\/interfaces: an otel-netif agent with the UI on\? \(--no-ui turns the API off\)/);
    await assert.rejects(fetchRemote(html.url, 1000), /the answer is not JSON/);
    await assert.rejects(fetchRemote(other.url, 1000), /not an otel-netif \/api\/v1 snapshot/);
    await assert.rejects(fetchRemote(hang.url, 300), /no answer within 300 ms/);
  });

  it('sends the URL’s credentials as basic auth, and says so when they are missing', async () => {
    const seen: (string | undefined)[] = [];
    const auth = await rawServer((q, r) => {
      seen.push(q.headers.authorization);
      if (q.headers.authorization !== `Basic ${Buffer.from('ops:s3cr@t').toString('base64')}`) return void r.writeHead(401).end();
      r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 1, host: 'h', timeUnixMs: 1, interfaces: [] }));
    });
    servers.push(auth.server);
    const withCreds = auth.url.replace('http://', 'http://ops:s3cr%40t@');
    assert.equal((await fetchRemote(withCreds, 1000)).host, 'h');
    await assert.rejects(fetchRemote(auth.url, 1000), /HTTP 401: the agent wants a user and password/);
    assert.equal(seen[1], undefined);
  });
});

describe('a remote section', () => {
  let http: HttpServer;
  let feed: LiveFeed;
  let url: string;

  beforeEach(async () => {
    http = createHttpServer({ host: '127.0.0.1', port: 0 }, silentLogger);
    feed = new LiveFeed({ intervalMs: 100, host: 'remote-box', historySize: 50 });
    mountLiveRoutes(http, feed, silentLogger, { page: Buffer.from('') });
    await http.start();
    url = http.url().replace(/\/$/, '');
  });
  afterEach(() => http.close());

  it('follows a real agent API, backfilling its history, and shows an error in place while it is away', async () => {
    for (let i = 1; i <= 3; i++) feed.update(fakeSnapshot(i, i * 1000, [{ name: 'eth0', rx: { bytes: i * 100, packets: 1 }, tx: { bytes: 0, packets: 0 } }]));
    const src = remoteSource(url, { intervalMs: 100, historySize: 50 });
    let changes = 0;
    src.start(() => changes++);
    try {
      const until = async (cond: () => boolean): Promise<void> => {
        const end = Date.now() + 5000;
        while (!cond()) {
          if (Date.now() > end) throw new Error(`timed out; error=${src.section.error}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(() => src.section.snapshot !== undefined);
      assert.equal(src.section.snapshot?.host, 'remote-box');
      // Backfilled from /api/v1/history, and the polled sample not recorded twice.
      assert.deepEqual(src.section.history.last('eth0', 'rxBytes', 10), [100, 200, 300]);

      const port = http.address().port;
      await http.close();
      await until(() => src.section.error !== undefined);
      assert.match(src.section.error ?? '', /connection refused/);
      const before = changes;
      await until(() => changes > before + 2);

      // Back on the same port: the section recovers by itself.
      http = createHttpServer({ host: '127.0.0.1', port }, silentLogger);
      mountLiveRoutes(http, feed, silentLogger, { page: Buffer.from('') });
      await http.start();
      feed.update(fakeSnapshot(4, 4000, [{ name: 'eth0', rx: { bytes: 400, packets: 1 }, tx: { bytes: 0, packets: 0 } }]));
      await until(() => src.section.error === undefined && src.section.snapshot?.seq === 4);
      assert.deepEqual(src.section.history.last('eth0', 'rxBytes', 10), [100, 200, 300, 400]);
    } finally {
      src.stop();
    }
  });
});
