import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseProcNetDev } from '@otel-netif/receiver-netif';
import { BusyNamespace } from '../../bench/lib/netns.js';
import { Server } from '../../bench/lib/spawn.js';
import { REPO } from '../../bench/lib/targets.js';

describe('the bench measures an agent on veths that all carry traffic', () => {
  let ns: BusyNamespace | undefined;

  afterEach(() => {
    ns?.destroy();
    ns = undefined;
  });

  it('sends a datagram out of each end of every veth pair each second, so every interface moves both ways', async function () {
    this.timeout(20_000);
    ns = new BusyNamespace();
    ns.growTo(6);
    assert.equal(ns.size, 6);
    const packets = (): Map<string, [number, number]> =>
      new Map(
        parseProcNetDev((ns as BusyNamespace).exec('cat', ['/proc/net/dev']))
          .interfaces.filter(({ name }) => name.startsWith('bv'))
          .map(({ name, counters }): [string, [number, number]] => [name, [counters.rxPackets, counters.txPackets]]),
      );
    // Bringing a link up sends a few IPv6 multicast listener reports of its own; once they are
    // out, nothing but the sender moves a counter.
    let before = packets();
    for (let quiet = 0, tries = 0; quiet < 2 && tries < 20; tries++) {
      await new Promise((r) => setTimeout(r, 400));
      const now = packets();
      quiet = JSON.stringify([...now]) === JSON.stringify([...before]) ? quiet + 1 : 0;
      before = now;
    }
    assert.deepEqual([...before.keys()].sort(), ['bva0', 'bva1', 'bva2', 'bvb0', 'bvb1', 'bvb2']);
    const sender = new Server('multicast traffic', ns.wrap(process.execPath, ['--import', 'tsx', join(REPO, 'bench/client/multicast-traffic.ts'), '3']));
    try {
      await new Promise((r) => setTimeout(r, 2500));
      assert.ok(sender.alive, sender.stderrTail);
    } finally {
      await sender.stop();
    }
    const after = packets();
    for (const [name, [rx, tx]] of after) {
      const [rx0, tx0] = before.get(name) as [number, number];
      // Each round: one datagram out of this end (tx), one from its peer into it (rx); at least two rounds.
      assert.ok(tx - tx0 >= 2 && rx - rx0 >= 2, `${name}: rx ${rx0} -> ${rx}, tx ${tx0} -> ${tx}`);
    }
    // Bytes as the bench counts them move on every interface too.
    const bytes = ns.bytesByInterface();
    for (const name of after.keys()) assert.ok((bytes.get(name) ?? 0) > 0, name);
  });
});
