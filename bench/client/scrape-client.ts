/**
 * Runs inside the bench namespace (the servers listen on its loopback) and scrapes on request.
 * Being one long-lived process keeps node's start-up out of every timing, and reading the
 * server's /proc right around the scrapes keeps the CPU window tight.
 */
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { cpuDeltaMs, readCpu, readThreads, RssSampler } from '../lib/proc.js';
import type { BodyInfo, ClientRequest, ClientResponse, PacedResult, ScrapeResult } from '../lib/protocol.js';

// Keep-alive like Prometheus, so connection set-up is not counted as scrape cost.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Raw {
  status: number;
  encoding: string;
  body: Buffer;
  ms: number;
}

function get(url: string, gzip: boolean): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        agent,
        headers: {
          // What Prometheus 2.x sends for the classic text format, minus OpenMetrics.
          accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
          'accept-encoding': gzip ? 'gzip' : 'identity',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: String(res.headers['content-encoding'] ?? 'identity'),
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('scrape timed out')));
    req.on('error', reject);
    req.end();
  });
}

const IFACE_LABEL = /(?:^|[{,])(?:device|network_interface_name|interface|system_device)="([^"]*)"/;

function describe(raw: Raw): BodyInfo {
  const text = (raw.encoding === 'gzip' ? gunzipSync(raw.body) : raw.body).toString('utf8');
  const names = new Set<string>();
  const families: string[] = [];
  let series = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) families.push(line.split(' ')[2] ?? '');
    if (line === '' || line.startsWith('#')) continue;
    series++;
    const m = IFACE_LABEL.exec(line);
    if (m?.[1] !== undefined) names.add(m[1]);
  }
  return {
    status: raw.status,
    contentEncoding: raw.encoding,
    wireBytes: raw.body.length,
    bytes: Buffer.byteLength(text),
    series,
    interfaces: names.size,
    families,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The shortest window over which a scraped server's RSS is read (every 250 ms). */
const RSS_WINDOW_MS = 5000;

async function wait(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < timeoutMs) {
    try {
      const r = await get(url, false);
      if (r.status === 200) return performance.now() - started;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

async function scrape(q: Extract<ClientRequest, { op: 'scrape' }>): Promise<ScrapeResult> {
  const warmStarted = performance.now();
  for (let i = 0; i < q.warmup; i++) {
    await get(q.url, q.gzip);
    // A server that takes seconds per scrape is warm after one or two.
    if (performance.now() - warmStarted > q.budgetMs / 4) break;
  }
  const latenciesMs: number[] = [];
  let last: Raw | undefined;
  const cpu0 = readCpu(q.pid);
  const rss = new RssSampler(q.pid);
  const started = performance.now();
  while (latenciesMs.length < q.count) {
    last = await get(q.url, q.gzip);
    latenciesMs.push(last.ms);
    if (latenciesMs.length >= q.minCount && performance.now() - started > q.budgetMs) break;
  }
  const cpuMs = cpuDeltaMs(cpu0, readCpu(q.pid));
  // Fast servers finish their scrapes in a fraction of a second: RSS is read for a few seconds
  // whatever they take, so its median is of ~20 readings, not of the two around the scrapes.
  await sleep(started + RSS_WINDOW_MS - performance.now());
  const memory = rss.stop();
  if (last === undefined) throw new Error('no scrape was made');
  return { latenciesMs, cpuMs, ...memory, threads: readThreads(q.pid), body: describe(last) };
}

/** Scrapes on a fixed period and reports all CPU the server used in the window, idle time included. */
async function paced(q: Extract<ClientRequest, { op: 'paced' }>): Promise<PacedResult> {
  await sleep(q.offsetMs);
  const latenciesMs: number[] = [];
  const cpu0 = readCpu(q.pid);
  const rss = new RssSampler(q.pid);
  const started = performance.now();
  for (let k = 0; ; k++) {
    const due = started + k * q.periodMs;
    if (due >= started + q.windowMs) break;
    await sleep(due - performance.now());
    latenciesMs.push((await get(q.url, q.gzip)).ms);
  }
  await sleep(started + q.windowMs - performance.now());
  const windowMs = performance.now() - started;
  return { cpuMs: cpuDeltaMs(cpu0, readCpu(q.pid)), windowMs, scrapes: latenciesMs.length, latenciesMs, ...rss.stop() };
}

async function handle(q: ClientRequest): Promise<unknown> {
  switch (q.op) {
    case 'wait':
      return wait(q.url, q.timeoutMs);
    case 'scrape':
      return scrape(q);
    case 'paced':
      return paced(q);
  }
}

// One request at a time: concurrent scrapes would measure contention, not cost.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const q = JSON.parse(line) as ClientRequest;
  queue = queue.then(async () => {
    let res: ClientResponse;
    try {
      res = { id: q.id, ok: true, result: await handle(q) };
    } catch (err) {
      res = { id: q.id, ok: false, error: (err as Error).message };
    }
    process.stdout.write(`${JSON.stringify(res)}\n`);
  });
});
