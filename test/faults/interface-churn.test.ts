// 1500 add/delete cycles of real veth and tap interfaces in a namespace (the last 1000 measured,
// after a warm-up), while the real CLI samples it every 100 ms and traffic runs over the veths. Names come back every other round, so
// counters restart under a name the agent knew (a reset it may or may not see in between).
// Checked: the agent never crashes, never serves a negative or non-finite rate, serves no series
// of a deleted interface at the end, and keeps memory bounded; and a RateProcessor following the
// same namespace never remembers more series than its last input had. CHURN_ROUNDS=300 makes it a
// soak (50 cycles a round); RSS is flat after the first few hundred cycles, as Node's heap sizes up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { RateProcessor } from '@otel-netif/processor-rate';
import { NetifReceiver } from '@otel-netif/receiver-netif';
import {
  cleanupNamespaces,
  createNamespace,
  findSamples,
  ip,
  makeTempDir,
  namespaceRoot,
  requireCli,
  requireRoot,
  sleep,
  trackProcess,
  type Exposition,
  type Namespace,
  type NamespaceRoot,
} from '../../test-support/index.js';
import { silentLogger } from '../../packages/cli/src/log.js';
import { Pipeline } from '../../packages/cli/src/pipeline/pipeline.js';
import { startNamespaceAgent, type NamespaceAgent } from '../helpers/netif.js';
import { rssBytes } from './fixture-tree.js';
import { selfStats } from './self-metrics.js';

const ROUNDS = Math.max(30, Number(process.env.CHURN_ROUNDS) || 0);
// Memory is compared from here on: Node's heap and the live views' buffers take a few hundred
// cycles to reach their working size.
const WARMUP_ROUNDS = 10;
const VETHS = 25;
const TAPS = 25;
const MB = 1024 * 1024;
const CHURNED = /^c[vpt]\d+$/;

// Sprays small datagrams at every peer address, present or not, until killed.
const SPRAYER = `
const s = require('node:dgram').createSocket('udp4');
s.on('error', () => {});
const buf = Buffer.alloc(200);
setInterval(() => { for (let i = 0; i < ${2 * VETHS}; i++) s.send(buf, 9, '10.77.' + i + '.2', () => {}); }, 5);
`;

/** ip -batch lines for one round: its veth pairs (peer in the other namespace, addressed, up) and taps. */
function roundBatch(round: number, nsB: Namespace): { a: string; b: string; group: number } {
  const group = 100 + (round % 2);
  const a: string[] = [];
  const b: string[] = [];
  for (let k = 0; k < VETHS; k++) {
    // Even rounds use slots 0-24, odd rounds 25-49: each name returns two rounds later.
    const slot = (round % 2) * VETHS + k;
    a.push(`link add cv${slot} group ${group} type veth peer name cp${slot} netns ${nsB.name}`);
    a.push(`addr add 10.77.${slot}.1/30 dev cv${slot}`);
    a.push(`link set cv${slot} up`);
    b.push(`addr add 10.77.${slot}.2/30 dev cp${slot}`);
    b.push(`link set cp${slot} up`);
  }
  for (let k = 0; k < TAPS; k++) {
    const slot = (round % 2) * TAPS + k;
    a.push(`tuntap add ct${slot} mode tap`);
    a.push(`link set ct${slot} group ${group} up`);
  }
  return { a: `${a.join('\n')}\n`, b: `${b.join('\n')}\n`, group };
}

function badRates(expo: Exposition): string[] {
  return expo.samples
    .filter((s) => s.name.endsWith('_per_second') || s.name.endsWith('_ratio'))
    .filter((s) => !(Number.isFinite(s.value) && s.value >= 0))
    .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`);
}

describe('fault: 1500 add/delete cycles of veth and tap interfaces under a 100 ms agent @root', function () {
  this.timeout(180_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let agent: NamespaceAgent | undefined;
  let follower: NamespaceRoot | undefined;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    nsA = await createNamespace('churnA');
    nsB = await createNamespace('churnB');
    agent = await startNamespaceAgent(nsA, ['--interval', '100ms']);
    follower = await namespaceRoot(nsA);
  });

  after(async () => {
    let stopError: unknown;
    await agent?.stop().catch((e: unknown) => (stopError = e));
    await follower?.close();
    await cleanupNamespaces();
    if (stopError) throw stopError;
  });

  it('survives without negative rates, stale series or growth', async () => {
    const a = agent!.agent;
    const batchDir = makeTempDir('churn-batch');
    const sprayer = trackProcess(spawn('ip', ['netns', 'exec', nsA.name, process.execPath, '-e', SPRAYER], { stdio: 'ignore' }));

    // A pipeline of our own over the same namespace, to look at the processor's memory directly.
    const processor = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 });
    const receiver = new NetifReceiver({ rootPath: follower!.path, include: [], exclude: [], metadataRefreshMs: 1000 });
    const pipeline = new Pipeline({ receiver, processor, resource: resourceFromAttributes({}), intervalMs: 100, logger: silentLogger });
    const tracked: { series: number; bound: number }[] = [];
    pipeline.on('snapshot', (s) => tracked.push({ series: processor.trackedSeriesCount, bound: s.sample.interfaces.length * receiver.counterSeriesPerInterface() }));
    pipeline.start();

    const problems: string[] = [];
    let scrapes = 0;
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        const expo = await a.scrape();
        scrapes++;
        problems.push(...badRates(expo));
        await sleep(50);
      }
    })();

    let cycles = 0;
    let rssStart = 0;
    try {
      let previous: number | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const batch = roundBatch(round, nsB);
        const fa = join(batchDir, `a${round}`);
        const fb = join(batchDir, `b${round}`);
        writeFileSync(fa, batch.a);
        writeFileSync(fb, batch.b);
        await ip(['-n', nsA.name, '-batch', fa]);
        await ip(['-n', nsB.name, '-batch', fb]);
        // The last round's links go while this round's are there: adds and deletes overlap samples.
        if (previous !== undefined) await ip(['-n', nsA.name, 'link', 'del', 'group', String(previous)]);
        cycles += VETHS + TAPS;
        previous = batch.group;
        await sleep(150 + (round % 3) * 60);
        if (round === WARMUP_ROUNDS - 1) rssStart = await rssBytes(a.pid);
      }
      if (previous !== undefined) await ip(['-n', nsA.name, 'link', 'del', 'group', String(previous)]);
    } finally {
      sprayer.kill('SIGKILL');
      scraping = false;
      await scraper.catch((e: unknown) => problems.push(`scrape failed: ${String(e)}`));
      pipeline.stop();
    }
    assert.equal(cycles, ROUNDS * (VETHS + TAPS));
    const rssEnd = await rssBytes(a.pid);

    // Settled: a few samples after the last deletion nothing churned is left.
    await sleep(500);
    const final = await a.scrape();
    const left = [...new Set(findSamples(final, 'system_network_io_bytes_total').map((s) => s.labels.network_interface_name ?? ''))];
    assert.deepEqual(left.filter((n) => CHURNED.test(n)), [], 'series of deleted interfaces are still served');
    assert.deepEqual(left, ['lo']);
    const stats = selfStats(final);
    assert.equal(stats.interfaces('exported'), 1);
    assert.ok(a.running(), 'the agent died');
    assert.equal(a.stderrLines.filter((l) => / error /.test(l)).length, 0, a.stderrLines.filter((l) => / error /.test(l)).join('\n'));

    assert.deepEqual(problems, [], 'negative or non-finite rates were served');
    assert.ok(scrapes >= 40, `only ${scrapes} scrapes`);
    assert.ok(stats.samplesOk >= 40, `only ${stats.samplesOk} samples`);
    // The churn itself was seen: interfaces came and went between samples and during them.
    assert.ok(tracked.some((t) => t.bound >= 50 * receiver.counterSeriesPerInterface()), 'the follower never saw a full round of links');

    for (const t of tracked) assert.ok(t.series <= t.bound, `the processor remembers ${t.series} series for ${t.bound} present`);
    assert.equal(tracked.at(-1)?.series, tracked.at(-1)?.bound);

    const measured = (ROUNDS - WARMUP_ROUNDS) * (VETHS + TAPS);
    process.stdout.write(`      ${cycles} cycles, ${scrapes} scrapes, ${stats.samplesOk} samples; agent RSS ${(rssStart / MB).toFixed(1)} → ${(rssEnd / MB).toFixed(1)} MB over the last ${measured}\n`);
    assert.ok(rssEnd - rssStart < 20 * MB, `the agent grew by ${((rssEnd - rssStart) / MB).toFixed(1)} MB over ${measured} cycles`);
  });
});
