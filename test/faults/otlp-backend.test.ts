// The OTLP backend down, refusing (503, 429) and slow, one phase after another, against the real
// CLI: sampling and /metrics must not notice, every failed export must be counted with the points
// it carried, memory must stay flat (nothing queues up: the latest snapshot wins), and data must
// flow again as soon as the backend is back. Phases are seconds, not minutes: at a 150 ms export
// interval each holds dozens of failed exports, more than an hour-long outage at the default 60 s.
import assert from 'node:assert/strict';
import { cleanupNamespaces, findSample, freePort, requireCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { findDataPoint, pointValue, startOtlpHttpReceiver, type OtlpReceiver } from '../../test-support/otlp-receiver.js';
import { loadOtlpSchema } from '../../test-support/otlp-schema.js';
import { advance, kubernetesNode, makeFixtureTree, rssBytes, type FixtureIface, type FixtureTree } from './fixture-tree.js';
import { selfStats } from './self-metrics.js';

/**
 * The agent's RSS as the lowest of five readings 100 ms apart: one reading can land on a garbage
 * collection's peak (one CI run read +18 MB where the runs around it read -1 to +4 MB).
 */
async function settledRss(pid: number): Promise<number> {
  let low = Infinity;
  for (let i = 0; i < 5; i++) {
    low = Math.min(low, await rssBytes(pid));
    await new Promise((r) => setTimeout(r, 100));
  }
  return low;
}

const MB = 1024 * 1024;

describe('fault: OTLP backend down, refusing with 503/429, then slow', function () {
  this.timeout(120_000);
  let tree: FixtureTree;
  let ifaces: FixtureIface[];
  let agent: Agent | undefined;
  let receiver: OtlpReceiver | undefined;
  let port: number;

  before(async function () {
    requireCli(this);
    loadOtlpSchema();
    // 300 interfaces: each export carries ~6000 points, so a retained export would show in RSS.
    ifaces = kubernetesNode(295);
    tree = makeFixtureTree('otlp-fault', ifaces);
    port = await freePort();
    agent = await startAgent({
      args: ['run', '--root-path', tree.root, '--interval', '200ms', '--exporter', 'prometheus,otlp',
        '--otlp-endpoint', `http://127.0.0.1:${port}`, '--export-interval', '150ms', '--otlp-timeout', '120ms'],
    });
  });

  after(async () => {
    await agent?.stop();
    await receiver?.close();
    await cleanupNamespaces();
  });

  it('keeps sampling and serving, counts failed exports and dropped points, stays flat, and delivers again', async () => {
    const a = agent!;
    const scrapes: { ok: boolean; ms: number }[] = [];
    let scraping = true;
    // A scraper all along: /metrics must answer correctly in every phase.
    const scraper = (async () => {
      while (scraping) {
        const t0 = performance.now();
        const expo = await a.scrape();
        scrapes.push({ ok: findSample(expo, 'system_network_io_bytes_total', { network_interface_name: 'eth0', network_io_direction: 'receive' }) !== undefined, ms: performance.now() - t0 });
        await sleep(100);
      }
    })();
    // Counters move all along, so every snapshot (and every export) is new data.
    let moving = true;
    const mover = (async () => {
      while (moving) {
        ifaces = advance(ifaces, 1000);
        tree.write(ifaces);
        await sleep(200);
      }
    })();

    try {
      await sleep(1000);
      const t0 = Date.now();
      const s0 = selfStats(await a.scrape());

      // Down: nothing listens on the port.
      await sleep(5000);
      const s1 = selfStats(await a.scrape());
      assert.ok(s1.exportsFailed('otlp') - s0.exportsFailed('otlp') >= 10, `only ${s1.exportsFailed('otlp') - s0.exportsFailed('otlp')} failed exports counted while down`);
      assert.equal(s1.exportsOk('otlp'), 0);
      assert.ok(s1.droppedPoints('otlp') >= (s1.exportsFailed('otlp') - 1) * 5000, `dropped points ${s1.droppedPoints('otlp')} for ${s1.exportsFailed('otlp')} failed exports of ~6000 points`);
      // Measured from here: Node's heap takes the first seconds to grow to its working size,
      // whether exports fail or not.
      const rssStart = await settledRss(a.pid);
      const failedAtStart = s1.exportsFailed('otlp');

      // Up but refusing: 503, then 429.
      receiver = await startOtlpHttpReceiver({ port });
      for (const status of [503, 429]) {
        receiver.failWith = status;
        const before = { attempts: receiver.attempts, failed: selfStats(await a.scrape()).exportsFailed('otlp') };
        await sleep(2500);
        const failed = selfStats(await a.scrape()).exportsFailed('otlp');
        assert.ok(receiver.attempts - before.attempts >= 5, `${status}: only ${receiver.attempts - before.attempts} attempts reached the backend`);
        assert.ok(failed - before.failed >= 5, `${status}: only ${failed - before.failed} failed exports counted`);
        assert.equal(receiver.exports.length, 0, `${status}: the receiver accepted an export`);
      }

      // Slow: answers after 2 s, far past the 120 ms timeout (a 30 s backend, scaled down).
      receiver.failWith = undefined;
      receiver.delayMs = 2000;
      const beforeSlow = selfStats(await a.scrape()).exportsFailed('otlp');
      await sleep(3000);
      const s2 = selfStats(await a.scrape());
      assert.ok(s2.exportsFailed('otlp') - beforeSlow >= 3, `only ${s2.exportsFailed('otlp') - beforeSlow} timed-out exports counted`);
      const rssEnd = await settledRss(a.pid);

      // Sampling went on at its 200 ms cadence through all of it (generous: CI machines stall).
      const elapsed = Date.now() - t0;
      const sampled = s2.samplesOk - s0.samplesOk;
      assert.ok(sampled >= (elapsed / 200) * 0.6, `${sampled} samples in ${elapsed} ms at a 200 ms interval`);
      assert.equal(s2.samplesFailed, 0);

      // Requests the agent gave up on still finish on the backend 2 s later; let them end in a
      // refusal so that every export accepted below is one sent after the recovery.
      receiver.failWith = 503;
      receiver.delayMs = 0;
      await sleep(2200);

      // Back: the next exports arrive, with the current counters and the failures counted.
      receiver.failWith = undefined;
      const failedBefore = s2.exportsFailed('otlp');
      const accepted = receiver.exports.length;
      const recoveredAt = Date.now();
      await receiver.waitForExports(accepted + 3, 10_000);
      const burst = receiver.exports.filter((e) => e.at >= recoveredAt && e.at < recoveredAt + 1500).length;
      // Latest wins, nothing queued: no replay of the failed exports once the backend is back.
      assert.ok(burst <= 15, `${burst} exports in the first 1.5 s after recovery: a backlog was replayed`);
      const last = receiver.exports.at(-1)!.request;
      const eth0 = findDataPoint(last, 'system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' });
      assert.ok(eth0 && pointValue(eth0) > Number(kubernetesNode(0)[1]!.rx), 'the export after recovery does not carry the current eth0 counter');
      const failedPoint = findDataPoint(last, 'otelnetif.exports', { exporter: 'otlp', outcome: 'failure' });
      assert.ok(failedPoint && pointValue(failedPoint) >= failedBefore - 1, 'the backend is not told how many exports failed');
      await sleep(600);
      const s3 = selfStats(await a.scrape());
      assert.ok(s3.exportsOk('otlp') >= 3);

      // Memory: dozens of failed exports of ~6000 points each; a queue of them would be tens of MB.
      const growth = rssEnd - rssStart;
      const failedSince = s2.exportsFailed('otlp') - failedAtStart;
      process.stdout.write(`      RSS ${(rssStart / MB).toFixed(1)} MB → ${(rssEnd / MB).toFixed(1)} MB over ${failedSince} more failed exports\n`);
      assert.ok(failedSince >= 30, `only ${failedSince} failed exports while memory was watched`);
      assert.ok(growth < 15 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB over ${failedSince} failed exports`);
    } finally {
      scraping = false;
      moving = false;
      await scraper.catch(() => {});
      await mover;
    }
    assert.ok(scrapes.length >= 50, `only ${scrapes.length} scrapes`);
    assert.ok(scrapes.every((s) => s.ok), '/metrics lost eth0 during the outage');
    const worst = Math.max(...scrapes.map((s) => s.ms));
    process.stdout.write(`      ${scrapes.length} scrapes during the outage, slowest ${worst.toFixed(0)} ms\n`);
  });
});

describe('fault: OTLP backend answering 503 within one export', function () {
  this.timeout(60_000);
  let agent: Agent | undefined;
  let receiver: OtlpReceiver | undefined;
  after(async () => {
    await agent?.stop();
    await receiver?.close();
    await cleanupNamespaces();
  });

  it('retries with growing backoff inside the export timeout, and counts the export once', async function () {
    requireCli(this);
    receiver = await startOtlpHttpReceiver();
    receiver.failWith = 503;
    const tree = makeFixtureTree('otlp-backoff', kubernetesNode(2));
    agent = await startAgent({
      args: ['run', '--root-path', tree.root, '--interval', '500ms', '--exporter', 'prometheus,otlp',
        '--otlp-endpoint', receiver.endpoint, '--export-interval', '20s', '--otlp-timeout', '4s'],
    });
    // The first export goes out a second after start; watch its attempts arrive.
    const times: number[] = [];
    let seen = 0;
    const until = Date.now() + 8000;
    while (Date.now() < until && times.length < 3) {
      if (receiver.attempts > seen) {
        seen = receiver.attempts;
        times.push(performance.now());
      }
      await sleep(10);
    }
    assert.ok(times.length >= 3, `only ${times.length} attempts within one export`);
    const gap1 = times[1]! - times[0]!;
    const gap2 = times[2]! - times[1]!;
    process.stdout.write(`      503 retries after ${gap1.toFixed(0)} ms, then ${gap2.toFixed(0)} ms\n`);
    // The SDK's backoff: 1 s, then 1.5 s, each ±20% jitter: never a tight loop, and growing.
    assert.ok(gap1 >= 700 && gap2 >= 1100, `retries ${gap1.toFixed(0)} ms and ${gap2.toFixed(0)} ms apart`);
    assert.ok(gap2 >= gap1 * 0.99, 'the backoff did not grow');
    await sleep(2500);
    const s = selfStats(await agent.scrape());
    assert.equal(s.exportsFailed('otlp'), 1, 'one export with its retries is one failure');
  });
});
