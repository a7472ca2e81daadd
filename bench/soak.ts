/**
 * The soak: otel-netif as shipped, in a namespace of its own with `--size` taps, while taps are
 * deleted and new ones (new names, so new series) added every second, and /metrics is scraped
 * (gzip) every 5 s; at most 3×churn churned taps live at once. RSS is read every 10 s (the median of five
 * reads 100 ms apart); after the warm-up, RSS must stay within 5% of its
 * post-warm-up reading, the goal "flat over a 30-minute soak with interfaces added and deleted all
 * the time". Writes bench/results/soak.json, which the main bench's report reads. Needs root.
 * Usage: npm run bench:soak -- [--minutes 35] [--warmup-minutes 5] [--size 1000] [--churn 20] [--interval 5000 (ms)]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onCleanup, runCleanup } from './lib/cleanup.js';
import { BenchNamespace, removeStaleNamespaces } from './lib/netns.js';
import { readRssKb } from './lib/proc.js';
import { SOAK_FILE, soakSpreadPercent, type SoakResult } from './lib/soak-result.js';
import { median } from './lib/stats.js';
import { Server } from './lib/spawn.js';
import { AGENT, agentEnv, agentNode, REPO } from './lib/targets.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '35' },
    'warmup-minutes': { type: 'string', default: '5' },
    size: { type: 'string', default: '1000' },
    churn: { type: 'string', default: '20' },
    interval: { type: 'string', default: '5000' },
    // Internal: set when this script re-runs itself inside the namespace it made.
    inside: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const warmupMinutes = Number(values['warmup-minutes']);
const size = Number(values.size);
const churn = Number(values.churn);
const intervalMs = Number(values.interval);
for (const [name, v] of Object.entries({ minutes, 'warmup-minutes': warmupMinutes, size, churn, interval: intervalMs })) {
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`bench:soak: --${name} must be a non-negative number\n`);
    process.exit(2);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const READS_PER_READING = 5;

/** One gzip scrape; resolves to the number of series (sample lines) in it. */
function scrape(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/metrics', headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/metrics answered ${res.statusCode}`));
        import('node:zlib')
          .then(({ gunzipSync }) => {
            const text = gunzipSync(Buffer.concat(parts)).toString('utf8');
            let series = 0;
            for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) series++;
            resolve(series);
          })
          .catch(reject);
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('/metrics timed out')));
  });
}

/** Outside: make the namespace and its taps, then run the soak itself inside it. */
function outside(): void {
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench:soak: needs root (it creates a network namespace and taps)\n');
    process.exit(2);
  }
  removeStaleNamespaces();
  const ns = new BenchNamespace();
  ns.growTo(size);
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, '--import', 'tsx', self, '--inside', ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: REPO,
  });
  ns.destroy();
  process.exitCode = r.status ?? 1;
}

/** Inside the namespace: the agent, the churn, the scrapes and the RSS readings. */
async function inside(): Promise<void> {
  const port = 9464;
  const agent = new Server(
    'otel-netif',
    ['/usr/bin/env', [...agentNode(), AGENT, '--listen', `127.0.0.1:${port}`, '--log-level', 'info', '--interval', `${intervalMs}ms`]],
    agentEnv(),
  );
  onCleanup(() => void agent.stop());

  // Churn: every second delete the `churn` oldest churned taps and add as many with new names
  // (new names are new series: the worst case for state keyed by interface).
  let next = 0;
  const live: string[] = [];
  const churnOnce = (): void => {
    const lines: string[] = [];
    while (live.length >= 3 * churn) lines.push(`link del ${live.shift() as string}`);
    for (let i = 0; i < churn; i++) {
      const name = `soak${next++}`;
      live.push(name);
      lines.push(`tuntap add ${name} mode tap`, `link set ${name} up`);
    }
    execFileSync('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n` });
  };

  const started = Date.now();
  const endAt = started + minutes * 60_000;
  const warmEndS = warmupMinutes * 60;
  const readings: SoakResult['readings'] = [];
  let scrapes = 0;
  let scrapeErrors = 0;
  let seriesLast = 0;
  let lastScrape = 0;
  let lastRead = 0;
  await sleep(3000);
  while (Date.now() < endAt) {
    if (!agent.alive) throw new Error(`otel-netif ended (${agent.ended ?? '?'}) after ${Math.round((Date.now() - started) / 1000)} s of the soak: ${agent.stderrTail}`);
    churnOnce();
    const now = Date.now();
    if (now - lastScrape >= 5000) {
      lastScrape = now;
      try {
        seriesLast = await scrape(port);
        scrapes++;
      } catch (err) {
        scrapeErrors++;
        process.stderr.write(`bench:soak: scrape failed: ${(err as Error).message}\n`);
      }
    }
    if (now - lastRead >= 10_000) {
      lastRead = now;
      const atS = Math.round((now - started) / 1000);
      // A full collection compacts into new pages before it frees the old: a single read inside
      // one (50-85 ms, every 5 s at most) is up to 8-11 MiB higher. Five reads 100 ms apart, and
      // their median, read the level; the highest single read is kept beside it.
      const reads: number[] = [];
      for (let i = 0; i < READS_PER_READING; i++) {
        if (i > 0) await sleep(100);
        reads.push(readRssKb(agent.pid));
      }
      const rssKb = median(reads);
      readings.push({ atS, rssKb, peakKb: Math.max(...reads) });
      if (atS % 60 < 10) process.stderr.write(`bench:soak: ${atS} s, RSS ${(rssKb / 1024).toFixed(1)} MiB, ${next} taps added, ${seriesLast} series\n`);
    }
    await sleep(Math.max(0, 1000 - (Date.now() - now)));
  }

  const after = readings.filter((r) => r.atS >= warmEndS);
  const kbs = after.map((r) => r.rssKb);
  const result: SoakResult = {
    date: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim(),
    minutes,
    warmupMinutes,
    size,
    churnPerSecond: churn,
    intervalMs,
    tapsAdded: next,
    scrapes,
    scrapeErrors,
    rssKbAfterWarmup: kbs[0] ?? Number.NaN,
    rssKbLast: kbs[kbs.length - 1] ?? Number.NaN,
    rssKbMax: Math.max(...kbs),
    rssKbMin: Math.min(...kbs),
    rssKbPeak: Math.max(...after.map((r) => r.peakKb ?? r.rssKb)),
    seriesLast,
    readings,
  };
  await agent.stop();
  mkdirSync(join(REPO, 'bench/results'), { recursive: true });
  writeFileSync(join(REPO, SOAK_FILE), `${JSON.stringify(result)}\n`);
  const { up, down } = soakSpreadPercent(result);
  const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`;
  process.stdout.write(
    `soak: ${minutes} min, ${size} taps + ${churn} added and deleted per second (${next} in all), ${scrapes} scrapes (${scrapeErrors} failed), ${seriesLast} series at the end\n` +
      `RSS after the ${warmupMinutes}-min warm-up ${mb(result.rssKbAfterWarmup)}, at the end ${mb(result.rssKbLast)}, ` +
      `range ${mb(result.rssKbMin)}–${mb(result.rssKbMax)} (+${up.toFixed(1)}% / −${down.toFixed(1)}%), highest single read ${mb(result.rssKbPeak ?? Number.NaN)}; wrote ${SOAK_FILE}\n`,
  );
}

if (values.inside) {
  inside().catch((err: unknown) => {
    process.stderr.write(`bench:soak: ${(err as Error).message}\n`);
    runCleanup();
    process.exitCode = 1;
  });
} else {
  outside();
}
