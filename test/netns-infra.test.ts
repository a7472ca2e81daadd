// Proves the e2e harness itself against the kernel, without the agent: if these fail, the
// agent-level e2e failures mean nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  UDP_OVERHEAD_BYTES,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  deleteNamespace,
  ip,
  namespaceRoot,
  parseProcNetDev,
  readCounters,
  readProcNetDev,
  requireRoot,
  sendUdp,
  sleep,
  startUdpSink,
  type Namespace,
  type NetDevCounters,
  type VethPair,
} from '../test-support/index.js';

const PORT = 40000;

async function netnsNames(): Promise<string[]> {
  const { stdout } = await ip(['netns', 'list']);
  return stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n !== '');
}

function delta(after: NetDevCounters, before: NetDevCounters): Record<string, number> {
  return {
    rxBytes: after.rxBytes - before.rxBytes,
    rxPackets: after.rxPackets - before.rxPackets,
    txBytes: after.txBytes - before.txBytes,
    txPackets: after.txPackets - before.txPackets,
  };
}

describe('e2e harness: namespaces, veth and exact UDP counts @root', function () {
  this.timeout(60_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let veth: VethPair;

  before(async function () {
    requireRoot(this);
    nsA = await createNamespace('infraA');
    nsB = await createNamespace('infraB');
    veth = await createVethPair(nsA, nsB);
  });

  after(async () => {
    await cleanupNamespaces();
  });

  it('a fresh veth pair stays at zero: no IPv6, no ARP chatter', async () => {
    // Router solicitations and MLD reports would appear within a few seconds of link-up.
    await sleep(3000);
    const pick = (c: NetDevCounters) => ({ rxBytes: c.rxBytes, rxPackets: c.rxPackets, txBytes: c.txBytes, txPackets: c.txPackets });
    const zero = { rxBytes: 0, rxPackets: 0, txBytes: 0, txPackets: 0 };
    assert.deepEqual(pick(await readCounters(nsA, veth.a.name)), zero);
    assert.deepEqual(pick(await readCounters(nsB, veth.b.name)), zero);
  });

  it('N datagrams of P bytes add exactly N packets and N×(P+42) bytes, one way only', async () => {
    const N = 777;
    const P = 1000;
    const sink = await startUdpSink(nsB, veth.b.ip, PORT);
    const beforeA = await readCounters(nsA, veth.a.name);
    const beforeB = await readCounters(nsB, veth.b.name);
    const sent = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: N, payloadBytes: P });
    const got = await sink.stop();
    const afterA = await readCounters(nsA, veth.a.name);
    const afterB = await readCounters(nsB, veth.b.name);
    assert.equal(sent.wireBytes, N * (P + UDP_OVERHEAD_BYTES));
    assert.deepEqual(delta(afterA, beforeA), { rxBytes: 0, rxPackets: 0, txBytes: N * (P + 42), txPackets: N });
    assert.deepEqual(delta(afterB, beforeB), { rxBytes: N * (P + 42), rxPackets: N, txBytes: 0, txPackets: 0 });
    assert.deepEqual(got, { datagrams: N, bytes: N * P });
  });

  it('paces a send to the duration asked for', async () => {
    const sink = await startUdpSink(nsB, veth.b.ip, PORT);
    const sent = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: 400, payloadBytes: 200, durationMs: 2000 });
    await sink.stop();
    const took = sent.endMs - sent.startMs;
    assert.ok(took > 1900 && took < 2600, `400 datagrams paced over 2 s took ${took.toFixed(0)} ms`);
    assert.ok(Math.abs(sent.bytesPerSecond - (400 * 242) / (took / 1000)) < 1e-6);
  });

  it("a namespace root shows the namespace's /proc/net/dev and /sys/class/net from the host", async () => {
    const root = await namespaceRoot(nsA);
    try {
      const viaRoot = parseProcNetDev(readFileSync(join(root.path, 'proc', 'net', 'dev'), 'utf8'));
      const inside = await readProcNetDev(nsA);
      assert.deepEqual([...viaRoot.keys()].sort(), ['lo', veth.a.name].sort());
      assert.deepEqual(viaRoot.get(veth.a.name), inside.get(veth.a.name));
      assert.deepEqual(readdirSync(join(root.path, 'sys', 'class', 'net')).sort(), ['lo', veth.a.name].sort());
      const dev = join(root.path, 'sys', 'class', 'net', veth.a.name);
      assert.equal(readFileSync(join(dev, 'operstate'), 'utf8').trim(), 'up');
      assert.equal(readFileSync(join(dev, 'mtu'), 'utf8').trim(), '1500');
      assert.equal(readFileSync(join(dev, 'address'), 'utf8').trim(), veth.a.mac);
      assert.equal(Number(readFileSync(join(dev, 'statistics', 'tx_bytes'), 'utf8')), inside.get(veth.a.name)?.txBytes);
      // The host's own view must not contain the namespace's link, or the root would be leaking the host.
      assert.ok(!parseProcNetDev(readFileSync('/proc/net/dev', 'utf8')).has(veth.a.name) || veth.a.name === 'lo');
    } finally {
      await root.close();
    }
  });

  it('deleteNamespace removes the namespace and what runs in it', async () => {
    const ns = await createNamespace('gone');
    await startUdpSink(ns, '127.0.0.1', PORT);
    assert.ok((await netnsNames()).includes(ns.name));
    await deleteNamespace(ns);
    assert.ok(!(await netnsNames()).includes(ns.name));
  });

  for (const how of ['an uncaught exception', 'SIGTERM'] as const) {
    it(`namespaces are deleted when the test process dies by ${how}`, async () => {
      const script = `
        import { createNamespace } from './test-support/netns.ts';
        const ns = await createNamespace('orphan');
        process.stdout.write(ns.name + '\\n');
        ${how === 'SIGTERM' ? 'setInterval(() => {}, 1000);' : "setTimeout(() => { throw new Error('boom'); }, 100);"}
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const until = Date.now() + 30_000;
      while (!stdout.includes('\n') && Date.now() < until && child.exitCode === null) await sleep(50);
      const name = stdout.trim();
      assert.match(name, /^onx-\d+-\d+-orphan$/);
      if (how === 'SIGTERM') child.kill('SIGTERM');
      await exited;
      assert.ok(!(await netnsNames()).includes(name), `${name} survived its creator`);
    });
  }

  it('N×(P+42) holds for other payload sizes too', async () => {
    for (const [N, P] of [[100, 1], [50, 1458], [300, 64]] as const) {
      const sink = await startUdpSink(nsB, veth.b.ip, PORT);
      const beforeA = await readCounters(nsA, veth.a.name);
      const beforeB = await readCounters(nsB, veth.b.name);
      await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: N, payloadBytes: P });
      await sink.stop();
      // Ethernet pads frames to 60 bytes; veth does not pad, so even a 1-byte payload is 43 bytes.
      assert.equal((await readCounters(nsA, veth.a.name)).txBytes - beforeA.txBytes, N * (P + 42), `N=${N} P=${P}`);
      assert.equal((await readCounters(nsB, veth.b.name)).rxBytes - beforeB.rxBytes, N * (P + 42), `N=${N} P=${P}`);
    }
  });
});
