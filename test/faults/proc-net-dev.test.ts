// /proc/net/dev unreadable (chmod 000) and then garbage for a while, under the real CLI running
// as an unprivileged user (root would read a 000 file anyway). Decided behaviour: /readyz answers
// 503; /metrics keeps answering 200 but with the interface series left out (a clear state, not
// the last values frozen: a backend then sees the series go stale instead of flat counters and
// made-up rates) and otelnetif_samples_total{outcome="failure"} counting up; the log says so once,
// not per sample; and on recovery the same series continue, with no rate spike over the gap.
import assert from 'node:assert/strict';
import { cleanupNamespaces, findSample, findSamples, requireCli, sleep, startAgent, type Agent, type Exposition } from '../../test-support/index.js';
import { openToAll, unprivilegedWrap } from '../../test-support/unprivileged.js';
import { pollUntil } from '../helpers/poll.js';
import { advance, kubernetesNode, makeFixtureTree, type FixtureIface, type FixtureTree } from './fixture-tree.js';
import { selfStats } from './self-metrics.js';

const RX = { network_interface_name: 'eth0', network_io_direction: 'receive' };
const RX_RATE = 'system_network_io_rate_bytes_per_second';

describe('fault: /proc/net/dev unreadable, then garbage, then back', function () {
  this.timeout(60_000);
  let tree: FixtureTree;
  let ifaces: FixtureIface[];
  let agent: Agent | undefined;

  before(async function () {
    requireCli(this);
    ifaces = kubernetesNode(3);
    tree = makeFixtureTree('procfault', ifaces);
    openToAll(tree.root);
    agent = await startAgent({ args: ['run', '--root-path', tree.root, '--interval', '100ms'], wrap: unprivilegedWrap() });
  });

  after(async () => {
    await agent?.stop();
    await cleanupNamespaces();
  });

  const interfaceSeries = (e: Exposition) => findSamples(e, 'system_network_io_bytes_total').length;

  async function expectFailing(a: Agent, why: RegExp): Promise<void> {
    const ready = await pollUntil(() => a.get('/readyz'), (r) => r.status === 503, 5000, 50);
    assert.equal(ready.status, 503);
    assert.match(ready.body, /^not ready: sampling is failing; last successful sample at \d{4}-\d\d-\d\dT[\d:.]+Z \(see the agent's log\)\n$/);
    const e1 = await a.scrape();
    assert.equal(interfaceSeries(e1), 0, 'interface series are still served while sampling fails');
    assert.ok(findSample(e1, 'target_info'), 'target_info is gone');
    const f1 = selfStats(e1).samplesFailed;
    assert.ok(f1 >= 1);
    await sleep(400);
    const f2 = selfStats(await a.scrape()).samplesFailed;
    assert.ok(f2 >= f1 + 2, `the failure count went from ${f1} to only ${f2} in 400 ms at a 100 ms interval`);
    await a.waitForStderr(why, 2000);
  }

  async function expectRecovered(a: Agent): Promise<Exposition> {
    const ready = await pollUntil(() => a.get('/readyz'), (r) => r.status === 200, 5000, 50);
    assert.equal(ready.status, 200);
    const e = await pollUntil(() => a.scrape(), (x) => findSample(x, 'system_network_io_bytes_total', RX)?.value === Number(ifaces[1]!.rx), 3000, 50);
    assert.equal(findSample(e, 'system_network_io_bytes_total', RX)?.value, Number(ifaces[1]!.rx));
    return e;
  }

  it('goes unready with a clear /metrics while it lasts, counts the failures, and recovers without a spike', async () => {
    const a = agent!;
    await pollUntil(() => a.scrape(), (e) => findSample(e, RX_RATE, RX) !== undefined, 3000, 50);
    const before = selfStats(await a.scrape());
    assert.equal(before.samplesFailed, 0);

    // Unreadable.
    tree.chmod(0o000);
    await expectFailing(a, /error sampling failed: cannot read .*proc\/net\/dev \(EACCES\)/);
    ifaces = advance(ifaces, 1_000_000);
    tree.write(ifaces);
    tree.chmod(0o644);
    await expectRecovered(a);
    await a.waitForStderr(/info  sampling recovered/, 2000);

    // Garbage.
    const failedSoFar = selfStats(await a.scrape()).samplesFailed;
    const garbageAt = performance.now();
    tree.writeText('\u0000\u0001 this is not a table\n{"json": true}\n');
    await expectFailing(a, /no interface could be read from .*proc\/net\/dev: line 1: expected a header line/);
    const gapSeconds = (performance.now() - garbageAt) / 1000;
    ifaces = advance(ifaces, 1_000_000);
    tree.write(ifaces);
    tree.chmod(0o644);
    const back = await expectRecovered(a);
    const after = selfStats(back);
    assert.ok(after.samplesFailed > failedSoFar);

    // The bytes that came in during the outage show as a rate no higher than the gap allows:
    // the first rate after recovery spans the gap, it is not charged to one 100 ms interval.
    const e = await pollUntil(() => a.scrape(), (x) => findSample(x, RX_RATE, RX) !== undefined, 3000, 50);
    const rate = findSample(e, RX_RATE, RX)!.value;
    const added = 2_000_000; // eth0 is second: advance() adds bytes × 2
    assert.ok(rate >= 0 && rate <= added / gapSeconds, `rate ${rate.toFixed(0)} B/s right after a ${gapSeconds.toFixed(1)} s gap with ${added} B: a spike`);

    // One error line per outage start (and every 12th failure), not one per sample.
    const errors = a.stderrLines.filter((l) => l.includes('sampling failed'));
    assert.ok(errors.length >= 2 && errors.length <= after.samplesFailed / 12 + 2, `${errors.length} error lines for ${after.samplesFailed} failed samples`);
  });
});
