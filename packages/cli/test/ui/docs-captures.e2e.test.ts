// Regenerates the pictures in docs/live-views.md and the README from a real agent and real
// traffic: docs/img/ui.png (headless Chromium) and docs/img/top.txt (tmux). Runs only when asked:
//   OTEL_NETIF_DOCS_CAPTURE=1 npx mocha packages/cli/test/ui/docs-captures.e2e.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  CLI_BIN,
  REPO_ROOT,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  ip,
  namespaceRoot,
  requireCli,
  requireRoot,
  sendUdp,
  sleep,
  startAgent,
  startUdpSink,
  type Namespace,
  type VethPair,
} from '../../../../test-support/index.js';
import { Tmux } from '../top/tmux.js';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './chromium.js';

const SECONDS = 75;
const PAYLOAD = 8958;

/** A link with jumbo frames, so big datagrams are not fragmented into many small ones. */
async function jumbo(pair: VethPair): Promise<void> {
  await ip(['-n', pair.a.ns.name, 'link', 'set', pair.a.name, 'mtu', '9000']);
  await ip(['-n', pair.b.ns.name, 'link', 'set', pair.b.name, 'mtu', '9000']);
}

describe('docs captures (OTEL_NETIF_DOCS_CAPTURE=1) @root', function () {
  this.timeout(300_000);

  before(function () {
    if (process.env.OTEL_NETIF_DOCS_CAPTURE !== '1') {
      process.stderr.write('      skipping: regenerates docs/img only when OTEL_NETIF_DOCS_CAPTURE=1\n');
      this.skip();
    }
    requireRoot(this);
    requireCli(this);
    requireChromium(this);
  });

  after(() => cleanupNamespaces());

  it('captures the page and top while three links carry changing traffic', async () => {
    const host = await createNamespace('docH');
    const peers: Namespace[] = [await createNamespace('docUp'), await createNamespace('docLan'), await createNamespace('docDb')];
    const links = [
      await createVethPair(host, peers[0]!, { nameA: 'eth0', nameB: 'up0', ipA: '192.0.2.1', ipB: '192.0.2.2' }),
      await createVethPair(host, peers[1]!, { nameA: 'eth1', nameB: 'lan0', ipA: '198.51.100.1', ipB: '198.51.100.2' }),
      await createVethPair(host, peers[2]!, { nameA: 'veth-db', nameB: 'db0', ipA: '203.0.113.1', ipB: '203.0.113.2' }),
    ];
    for (const l of links) {
      await jumbo(l);
      await startUdpSink(l.b.ns, l.b.ip, 40400);
      await startUdpSink(host, l.a.ip, 40400);
    }
    const root = await namespaceRoot(host);
    const agent = await startAgent({ args: ['run', '--interval', '1s', '--root-path', root.path] });
    const tmux = new Tmux();
    await tmux.start(132, 16);
    await tmux.type(`ip netns exec ${host.name} ${process.execPath} ${CLI_BIN} top`, true);

    // MB/s per direction and link over time: an uplink with a slow swell, a LAN with bursts, a
    // database link with a steady trickle and one spike. A chunk of sends starts every 3 s without
    // waiting for the last, so the links never go quiet between chunks.
    const shape = (t: number): [number, number][] => [
      [20 + 12 * Math.sin(t / 9), 9 + 5 * Math.cos(t / 6)],
      [t % 21 < 6 ? 22 : 4, t % 21 < 6 ? 6 : 1.5],
      [0.8 + (t > 40 && t < 49 ? 7 : 0), 0.4 + (t > 40 && t < 49 ? 2 : 0)],
    ];
    const sending: Promise<unknown>[] = [];
    let stop = false;
    const traffic = (async () => {
      for (let t = 0; !stop; t += 3) {
        shape(t).forEach(([tx, rx], i) => {
          const l = links[i]!;
          const count = (mb: number): number => Math.max(1, Math.round((mb * 1e6 * 3) / (PAYLOAD + 42)));
          sending.push(sendUdp({ from: host, to: l.b.ip, port: 40400, count: count(tx), payloadBytes: PAYLOAD, durationMs: 3000 }));
          sending.push(sendUdp({ from: l.b.ns, to: l.a.ip, port: 40400, count: count(rx), payloadBytes: PAYLOAD, durationMs: 3000 }));
        });
        await sleep(3000);
      }
    })();
    await sleep(SECONDS * 1000);

    const dir = join(REPO_ROOT, 'docs', 'img');
    mkdirSync(dir, { recursive: true });
    const screen = await tmux.screen();
    writeFileSync(join(dir, 'top.txt'), `${screen.map((l) => l.trimEnd()).join('\n').trimEnd()}\n`);
    await tmux.type('q');
    await tmux.kill();

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
      await page.goto(`${agent.url}/`);
      await page.waitForSelector('[data-iface="veth-db"] [data-field="tx-rate"][data-raw]');
      await sleep(2500);
      await page.screenshot({ path: join(dir, 'ui.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    stop = true;
    await traffic;
    await Promise.all(sending);
    await agent.stop();
    assert.ok(screen.some((l) => l.startsWith('eth0 ')), screen.join('\n'));
  });
});
