// Stopping the real CLI at bad moments. SIGTERM while an OTLP export is in flight: the agent
// waits for it, sends the latest snapshot once more (the final flush), and exits 0 within 5 s,
// also when the collector never answers. SIGKILL: the agent keeps no state on disk, so nothing can
// be left half-written; a restart starts clean from what the kernel says.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupNamespaces, findSample, makeTempDir, requireCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { findDataPoint, pointValue, startOtlpHttpReceiver, type OtlpReceiver } from '../../test-support/otlp-receiver.js';
import { loadOtlpSchema } from '../../test-support/otlp-schema.js';
import { pollUntil } from '../helpers/poll.js';
import { advance, kubernetesNode, makeFixtureTree, type FixtureIface } from './fixture-tree.js';
import { selfStats } from './self-metrics.js';

/** Resolves when the agent's process has exited, with how long after `sinceMs` (performance.now()). */
async function exitedWithin(a: Agent, sinceMs: number, timeoutMs: number): Promise<number> {
  while (a.running()) {
    if (performance.now() - sinceMs > timeoutMs) throw new Error(`still running ${timeoutMs} ms after the signal`);
    await sleep(20);
  }
  return performance.now() - sinceMs;
}

/** path → size and mtime of every file and directory below `dir`. */
function listing(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      out.set(p, `${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('fault: SIGTERM during an OTLP export', function () {
  this.timeout(60_000);
  let receiver: OtlpReceiver | undefined;
  let agent: Agent | undefined;

  before(function () {
    requireCli(this);
    loadOtlpSchema();
  });
  afterEach(async () => {
    if (agent?.running()) agent.stop().catch(() => {});
    await receiver?.close();
    receiver = agent = undefined;
  });
  after(() => cleanupNamespaces());

  async function start(delayMs: number, ifaces: FixtureIface[]) {
    receiver = await startOtlpHttpReceiver();
    receiver.delayMs = delayMs;
    const tree = makeFixtureTree('sigterm', ifaces);
    agent = await startAgent({
      args: ['run', '--root-path', tree.root, '--interval', '200ms', '--exporter', 'prometheus,otlp',
        '--otlp-endpoint', receiver.endpoint, '--export-interval', '60s', '--otlp-timeout', '30s'],
    });
    return { tree, receiver, agent };
  }

  it('waits for the export in flight, flushes the latest snapshot once, and exits 0 within 5 s', async () => {
    let ifaces = kubernetesNode(3);
    const { tree, receiver: r, agent: a } = await start(1000, ifaces);
    // The first export leaves a second after start and takes a second to answer.
    await pollUntil(async () => r.attempts, (n) => n >= 1, 5000, 10);
    ifaces = advance(ifaces, 777);
    tree.write(ifaces);
    await sleep(450); // two samples: the new counters are in the latest snapshot
    assert.equal(r.attempts, 1, 'a second export started before the signal');
    const t0 = performance.now();
    process.kill(a.pid, 'SIGTERM');
    const took = await exitedWithin(a, t0, 6000);
    await a.stop(); // asserts exit code 0
    process.stdout.write(`      exited ${took.toFixed(0)} ms after SIGTERM\n`);
    assert.ok(took < 5000, `exit took ${took.toFixed(0)} ms`);
    // The in-flight export and exactly one final flush, which carries the counters written last.
    await sleep(1200);
    assert.equal(r.attempts, 2, `${r.attempts} exports reached the collector`);
    assert.equal(r.exports.length, 2);
    const eth0 = findDataPoint(r.exports[1]!.request, 'system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' });
    assert.equal(eth0 && pointValue(eth0), Number(ifaces[1]!.rx));
    assert.ok(a.stderrLines.some((l) => / info  SIGTERM received: stopping$/.test(l)));
    assert.ok(a.stderrLines.some((l) => / info  stopped$/.test(l)));
  });

  it('exits 0 within 5 s when the collector never answers', async () => {
    const { receiver: r, agent: a } = await start(60_000, kubernetesNode(1));
    await pollUntil(async () => r.attempts, (n) => n >= 1, 5000, 10);
    const t0 = performance.now();
    process.kill(a.pid, 'SIGTERM');
    const took = await exitedWithin(a, t0, 6000);
    await a.stop();
    process.stdout.write(`      exited ${took.toFixed(0)} ms after SIGTERM with the collector hung\n`);
    assert.ok(took < 5000, `exit took ${took.toFixed(0)} ms`);
    assert.ok(a.stderrLines.some((l) => /warn  OTLP: the final export to .* did not finish within 3s; dropped$/.test(l)), a.stderrLines.join('\n'));
  });
});

describe('fault: SIGKILL, then a restart', function () {
  this.timeout(60_000);
  after(() => cleanupNamespaces());

  it('writes nothing under the root path, the working directory, HOME or TMPDIR, and restarts clean', async function () {
    requireCli(this);
    const ifaces = kubernetesNode(3);
    const tree = makeFixtureTree('sigkill', ifaces);
    const work = makeTempDir('sigkill-cwd');
    const home = join(work, 'home');
    const tmp = join(work, 'tmp');
    mkdirSync(home);
    mkdirSync(tmp);
    const receiver = await startOtlpHttpReceiver();
    const env = { HOME: home, TMPDIR: tmp, XDG_CACHE_HOME: join(home, '.cache') };
    const args = ['run', '--root-path', tree.root, '--interval', '100ms', '--exporter', 'prometheus,otlp', '--otlp-endpoint', receiver.endpoint, '--export-interval', '200ms'];
    try {
      const rootBefore = listing(tree.root);
      const workBefore = listing(work);
      const first = await startAgent({ args, cwd: work, env });
      await receiver.waitForExports(2, 10_000);
      const s1 = selfStats(await pollUntil(() => first.scrape(), (e) => selfStats(e).samplesOk >= 10, 5000, 50));
      process.kill(first.pid, 'SIGKILL');
      await exitedWithin(first, performance.now(), 5000);
      assert.deepEqual(listing(tree.root), rootBefore, 'the agent wrote under --root-path');
      assert.deepEqual(listing(work), workBefore, 'the agent wrote under its working directory, HOME or TMPDIR');

      const second = await startAgent({ args, cwd: work, env });
      try {
        const e = await second.scrape();
        // Fresh counters: its own count starts over, the interface values are the kernel's.
        assert.ok(selfStats(e).samplesOk < s1.samplesOk, 'the self-metrics carried over from the killed agent');
        assert.equal(findSample(e, 'system_network_io_bytes_total', { network_interface_name: 'eth0', network_io_direction: 'receive' })?.value, Number(ifaces[1]!.rx));
        await receiver.waitForExports(receiver.exports.length + 1, 10_000);
      } finally {
        await second.stop();
      }
      assert.deepEqual(listing(tree.root), rootBefore);
      assert.deepEqual(listing(work), workBefore);
    } finally {
      await receiver.close();
    }
  });
});
