/**
 * The agent, started as `otel-netif` starts it (the shebang's node flags, --expose-gc among them),
 * runs V8's full collection itself once its old generation has grown ~1 MB (src/pipeline/gc-pacer.ts)
 * rather than V8's 8 MB, which kept RSS creeping up for tens of minutes. 1000 interfaces whose
 * counters move, sampled every 100 ms and scraped with gzip: the garbage a sample leaves in the old
 * generation reaches the threshold within seconds, and the debug log says what each collection freed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { requireCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { advance, kubernetesNode, makeFixtureTree } from '../faults/fixture-tree.js';

function gzipScrape(a: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    request(`${a.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

describe('the agent paces V8 full collections', function () {
  this.timeout(90_000);
  let agent: Agent | undefined;

  before(function () {
    requireCli(this);
  });
  after(async () => {
    await agent?.stop().catch(() => {});
  });

  it('collects soon after the old generation grew, and the collection frees memory', async () => {
    let ifaces = kubernetesNode(1000);
    const tree = makeFixtureTree('gc-pacing', ifaces);
    agent = await startAgent({ args: ['run', '--root-path', tree.root, '--interval', '100ms', '--log-level', 'debug'] });
    const a = agent;
    const line = a.waitForStderr(/full collection: old generation [\d.]+ -> [\d.]+ MiB/, 60_000);
    let done = false;
    void line.finally(() => (done = true));
    while (!done) {
      ifaces = advance(ifaces, 1500);
      tree.write(ifaces);
      await gzipScrape(a);
      await sleep(100);
    }
    const [, before, after] = /old generation ([\d.]+) -> ([\d.]+) MiB/.exec(await line) as unknown as [string, string, string];
    assert.ok(Number(after) < Number(before), `${before} -> ${after} MiB`);
  });
});
