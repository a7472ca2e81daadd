// 200 concurrent clients scraping the real CLI on loopback for 10 s: /metrics, and the JSON API
// where this build serves it. Every response is checked (status, parse, the expected series), p99
// latency is reported (not asserted: it says more about the machine than the agent), and the
// sampling cadence must hold: the agent's own sample counter advances as the interval says.
import assert from 'node:assert/strict';
import { Agent as HttpAgent, request } from 'node:http';
import { cleanupNamespaces, parseExposition, requireCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { pollUntil } from '../helpers/poll.js';
import { advance, kubernetesNode, makeFixtureTree, type FixtureIface, type FixtureTree } from './fixture-tree.js';
import { interfaceSeries, selfStats } from './self-metrics.js';

const CLIENTS = 200;
const DURATION_MS = 10_000;
const INTERVAL_MS = 200;

interface Response {
  status: number;
  type: string;
  body: string;
}

function get(agent: HttpAgent, url: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('fault: 200 concurrent scrapers for 10 s', function () {
  this.timeout(60_000);
  let tree: FixtureTree;
  let ifaces: FixtureIface[];
  let agent: Agent | undefined;

  before(async function () {
    requireCli(this);
    ifaces = kubernetesNode(45);
    tree = makeFixtureTree('load', ifaces);
    agent = await startAgent({ args: ['run', '--root-path', tree.root, '--interval', `${INTERVAL_MS}ms`] });
  });
  after(async () => {
    await agent?.stop();
    await cleanupNamespaces();
  });

  it('answers every request correctly and keeps sampling on time', async () => {
    const a = agent!;
    // From the second sample on every family is there (rates need two), and the count is fixed.
    const first = await pollUntil(() => a.scrape(), (e) => e.samples.some((x) => x.name === 'system_network_io_rate_bytes_per_second'), 5000, 50);
    const expectedSeries = interfaceSeries(first);
    assert.ok(expectedSeries > 500, `${expectedSeries} series`);
    const api = (await a.get('/api/v1/interfaces')).status === 200;
    const paths = api ? ['/metrics', '/api/v1/interfaces'] : ['/metrics'];
    if (!api) process.stdout.write('      (no /api/v1/interfaces in this build: /metrics only)\n');

    // Counters keep moving, so every sample makes a new exposition for the clients to check.
    let moving = true;
    const mover = (async () => {
      while (moving) {
        ifaces = advance(ifaces, 1500);
        tree.write(ifaces);
        await sleep(INTERVAL_MS);
      }
    })();

    const http = new HttpAgent({ keepAlive: true, maxSockets: CLIENTS });
    const checked = new Map<string, string | undefined>(); // body → problem (bodies repeat between samples)
    const latencies: number[] = [];
    const problems: string[] = [];
    const check = (path: string, r: Response): string | undefined => {
      if (r.status !== 200) return `${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`;
      const key = `${path}\0${r.body}`;
      if (checked.has(key)) return checked.get(key);
      let problem: string | undefined;
      try {
        if (path === '/metrics') {
          if (!r.type.startsWith('text/plain; version=0.0.4')) problem = `content type ${r.type}`;
          const n = interfaceSeries(parseExposition(r.body));
          if (n !== expectedSeries) problem = `${n} interface series, expected ${expectedSeries}`;
        } else {
          JSON.parse(r.body);
          if (!r.body.includes('"eth0"')) problem = 'eth0 missing from the API answer';
        }
      } catch (err) {
        problem = `${path}: ${(err as Error).message}`;
      }
      if (checked.size < 5000) checked.set(key, problem);
      return problem;
    };

    const before = selfStats(await a.scrape());
    const t0 = Date.now();
    const until = t0 + DURATION_MS;
    let requests = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        let n = i;
        while (Date.now() < until) {
          const path = paths[n++ % paths.length]!;
          const s = performance.now();
          try {
            const r = await get(http, `${a.url}${path}`);
            latencies.push(performance.now() - s);
            const p = check(path, r);
            if (p !== undefined && problems.length < 20) problems.push(p);
          } catch (err) {
            if (problems.length < 20) problems.push(`${path}: ${(err as Error).message}`);
          }
          requests++;
        }
      }),
    );
    const elapsed = Date.now() - t0;
    moving = false;
    await mover;
    http.destroy();
    const after = selfStats(await a.scrape());

    latencies.sort((x, y) => x - y);
    const sampled = after.samplesOk - before.samplesOk;
    process.stdout.write(
      `      ${requests} requests by ${CLIENTS} clients in ${(elapsed / 1000).toFixed(1)} s (${((requests / elapsed) * 1000).toFixed(0)}/s): ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms; ` +
        `${sampled} samples (${Math.round(elapsed / INTERVAL_MS)} expected)\n`,
    );
    assert.deepEqual(problems, []);
    assert.ok(requests >= CLIENTS * 5, `only ${requests} requests answered`);
    assert.equal(after.samplesFailed, 0);
    // The cadence, not a latency: sampling runs on its own timer and must not starve behind scrapes.
    assert.ok(sampled >= (elapsed / INTERVAL_MS) * 0.7, `${sampled} samples in ${elapsed} ms at a ${INTERVAL_MS} ms interval`);
    assert.ok(after.exportsOk('prometheus') - before.exportsOk('prometheus') >= requests / paths.length - CLIENTS);
  });
});
