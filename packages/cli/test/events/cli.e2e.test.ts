// `otel-netif run --exporter events` on a namespace with known traffic: the lines a log shipper
// would get, checked against the kernel's own counters. Root only; skipped with the reason otherwise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  makeTempDir,
  namespaceRoot,
  readCounters,
  requireCli,
  requireRoot,
  sendUdp,
  sleep,
  startAgent,
  startUdpSink,
  type Namespace,
  type NamespaceRoot,
  type VethPair,
} from '../../../../test-support/index.js';
import type { EventLine } from '../../src/export/events.js';

const lines = (text: string): EventLine[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as EventLine);

describe('run --exporter events @root', function () {
  this.timeout(120_000);
  let nsA: Namespace;
  let pair: VethPair;
  let root: NamespaceRoot;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    nsA = await createNamespace('evA');
    const nsB = await createNamespace('evB');
    pair = await createVethPair(nsA, nsB, { nameA: 'vevta', nameB: 'vevtb' });
    await startUdpSink(nsB, pair.b.ip, 40300);
    root = await namespaceRoot(nsA);
  });

  after(() => cleanupNamespaces());

  it('writes a line per moving interface and sample, whose counters are the kernel’s', async () => {
    const file = join(makeTempDir('events'), 'events.jsonl');
    const agent = await startAgent({ args: ['run', '--exporter', 'events', '--events-file', file, '--interval', '500ms', '--root-path', root.path], listen: false });
    await agent.waitForStderr(/writing a JSON line per moving interface and sample to .*events\.jsonl/, 10_000);
    await sleep(1200);
    const sent = await sendUdp({ from: nsA, to: pair.b.ip, port: 40300, count: 600, payloadBytes: 458, durationMs: 1500 });
    await sleep(1500);
    await agent.stop();
    const kernel = await readCounters(nsA, 'vevta');
    const events = lines(readFileSync(file, 'utf8'));
    assert.ok(events.length >= 2, `${events.length} lines`);
    // The namespace's lo is idle and the link is quiet but for our datagrams: only vevta moves.
    assert.deepEqual([...new Set(events.map((e) => e.listener))], ['vevta']);
    for (const e of events) {
      assert.deepEqual(Object.keys(e), ['eid', 'sensor', 'listener', 'data']);
      assert.match(e.sensor, /^otel-netif@.+/);
      assert.equal(e.data.action, 'sample');
      assert.equal(e.data.sample.iface, 'vevta');
      assert.ok(e.data.sample.interval_ms >= 400 && e.data.sample.interval_ms <= 1500, String(e.data.sample.interval_ms));
      assert.ok(e.data.sample.tx_bytes_per_sec > 0);
      assert.equal(e.data.sample.rx_bytes_per_sec, 0);
    }
    const eids = events.map((e) => e.eid);
    assert.deepEqual(eids, [...eids].sort((a, b) => a - b));
    // The last line carries the final counters, exactly as /proc/net/dev has them.
    const last = events.at(-1)?.data.sample.counters;
    assert.equal(last?.tx_bytes, kernel.txBytes);
    assert.equal(last?.tx_packets, kernel.txPackets);
    assert.equal(kernel.txBytes, sent.wireBytes);
    // Rate × interval over all lines adds up to what was sent (interval_ms is rounded to 1 ms).
    const moved = events.reduce((n, e) => n + (e.data.sample.tx_bytes_per_sec * e.data.sample.interval_ms) / 1000, 0);
    assert.ok(Math.abs(moved - sent.wireBytes) / sent.wireBytes < 0.01, `${moved} vs ${sent.wireBytes}`);
  });

  it('with --events-all also reports idle interfaces, on stdout', async () => {
    const agent = await startAgent({ args: ['run', '--exporter', 'events', '--events-all', '--interval', '500ms', '--root-path', root.path], listen: false });
    const end = Date.now() + 10_000;
    while (agent.stdoutLines.length < 4 && Date.now() < end) await sleep(100);
    await agent.stop();
    const events = lines(agent.stdoutLines.join('\n'));
    assert.deepEqual([...new Set(events.map((e) => e.listener))].sort(), ['lo', 'vevta']);
    assert.ok(events.every((e) => e.data.sample.tx_bytes_per_sec === 0 && e.data.sample.rx_packets_per_sec === 0));
  });
});
