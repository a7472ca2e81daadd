import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { createServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { StartupError } from '../../src/errors.js';
import { createHttpServer } from '../../src/http/server.js';
import type { HttpServer } from '../../src/http/server.js';
import { listenError } from '../../src/http/listen-error.js';
import { createLogger } from '../../src/log.js';
import { captureLogger } from './capture-logger.js';
import type { CapturedLogger } from './capture-logger.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, method = 'GET', headers: Record<string, string> = {}, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, ...(agent ? { agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function occupy(host: string): Promise<{ server: NetServer; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      resolve({ server, port: addr.port });
    });
  });
}

describe('http server', () => {
  let server: HttpServer;
  let base: string;
  let log: CapturedLogger;

  beforeEach(async () => {
    log = captureLogger();
    server = createHttpServer({ host: '127.0.0.1', port: 0 }, log);
    server.addRoute('GET', '/hello', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('hi');
    });
    server.addRoute('POST', '/hello', (_req, res) => void res.writeHead(201).end());
    server.addRoute('GET', '/boom', () => {
      throw new Error('kaput');
    });
    server.addRoute('GET', '/ui/*', (req, res) => void res.writeHead(200).end(`ui:${req.url}`));
    await server.start();
    base = server.url().replace(/\/$/, '');
  });

  afterEach(() => server.close());

  it('reports the port the OS picked', () => {
    const { host, port } = server.address();
    assert.equal(host, '127.0.0.1');
    assert.ok(port > 0);
    assert.equal(server.url(), `http://127.0.0.1:${port}/`);
  });

  it('routes by method and exact path, ignoring the query string', async () => {
    const r = await call(`${base}/hello?x=1`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hi');
    assert.equal((await call(`${base}/hello`, 'POST')).status, 201);
  });

  it('answers HEAD with the GET handler and no body', async () => {
    const r = await call(`${base}/hello`, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
  });

  it('404s an unknown path', async () => {
    const r = await call(`${base}/nope`);
    assert.equal(r.status, 404);
    assert.match(r.body, /not found: \/nope/);
  });

  it('405s a known path with another method, listing the allowed ones', async () => {
    const r = await call(`${base}/hello`, 'DELETE');
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, POST, HEAD');
  });

  it('serves prefix routes', async () => {
    const r = await call(`${base}/ui/app.js`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ui:/ui/app.js');
  });

  it('turns a throwing handler into a 500 and one log line', async () => {
    const r = await call(`${base}/boom`);
    assert.equal(r.status, 500);
    assert.deepEqual(log.lines, ['error GET /boom failed: kaput']);
  });

  it("writes its own Date header and log times: Node's and Date's formatters would load the time zone", async () => {
    const methods = Object.getOwnPropertyNames(Date.prototype).filter((m) => /^(to|get)/.test(m) && m !== 'getTime');
    const saved = methods.map((m) => Object.getOwnPropertyDescriptor(Date.prototype, m) as PropertyDescriptor);
    const lines: string[] = [];
    let r: Reply;
    // Node keeps the Date it formatted for a second: wait until an earlier request's has expired.
    await new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));
    try {
      for (const m of methods) {
        Object.defineProperty(Date.prototype, m, { configurable: true, writable: true, value: () => assert.fail(`Date.prototype.${m} was called`) });
      }
      r = await call(`${base}/hello`);
      createLogger('info', (l) => lines.push(l)).info('hello');
    } finally {
      methods.forEach((m, i) => Object.defineProperty(Date.prototype, m, saved[i] as PropertyDescriptor));
    }
    assert.equal(r.status, 200);
    assert.match(String(r.headers.date), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
    assert.ok(Math.abs(Date.parse(String(r.headers.date)) - Date.now()) < 2000, String(r.headers.date));
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  hello\n$/);
  });

  it('refuses a route registered twice', () => {
    assert.throws(() => server.addRoute('GET', '/hello', () => {}), /already registered/);
  });

  it('closes promptly with a keep-alive client connected, and twice', async () => {
    const agent = new Agent({ keepAlive: true });
    await call(`${base}/hello`, 'GET', {}, agent);
    const t0 = performance.now();
    await server.close();
    await server.close();
    assert.ok(performance.now() - t0 < 1000, 'close waited for the idle keep-alive socket');
    agent.destroy();
    await assert.rejects(call(`${base}/hello`), /ECONNREFUSED/);
  });
});

describe('http server listen errors', () => {
  it('says which address is in use and how to fix it', async () => {
    const { server: blocker, port } = await occupy('127.0.0.1');
    try {
      const s = createHttpServer({ host: '127.0.0.1', port }, captureLogger());
      const err = await s.start().then(
        () => assert.fail('start() should have thrown'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof StartupError);
      assert.equal(err.exitCode, 1);
      assert.equal(
        err.message,
        `cannot listen on 127.0.0.1:${port}: address in use — stop the other process or pick another port with --listen HOST:PORT`,
      );
      await s.close();
    } finally {
      blocker.close();
    }
  });

  it('brackets IPv6 hosts and explains other errors', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(
      listenError('::1', 9464, e('EADDRINUSE')).message,
      'cannot listen on [::1]:9464: address in use — stop the other process or pick another port with --listen HOST:PORT',
    );
    assert.match(listenError('0.0.0.0', 80, e('EACCES')).message, /^cannot listen on 0\.0\.0\.0:80: permission denied — .*CAP_NET_BIND_SERVICE/);
    assert.match(listenError('10.255.0.9', 9464, e('EADDRNOTAVAIL')).message, /no interface on this host has that address/);
    assert.match(listenError('nohost.invalid', 9464, e('ENOTFOUND')).message, /cannot resolve host "nohost.invalid"/);
  });

  it('fails for an address this host does not have', async () => {
    // TEST-NET-3 (RFC 5737): never assigned to a local interface.
    const s = createHttpServer({ host: '203.0.113.7', port: 0 }, captureLogger());
    await assert.rejects(s.start(), (e: unknown) => e instanceof StartupError && /^cannot listen on 203\.0\.113\.7:0: no interface/.test(e.message));
  });
});
