// Interface churn while the agent runs: a veth is deleted and re-created under the same name
// (as container runtimes do with every restart). The counters restart at 0; the agent must treat
// that as a new series (later start time), never as a negative delta or a wrap-around spike, and
// must stop serving the series while the interface is gone.
import assert from 'node:assert/strict';
import {
  UDP_OVERHEAD_BYTES,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  deleteLink,
  findSamples,
  requireCli,
  requireRoot,
  sendUdp,
  sleep,
  startUdpSink,
  type Exposition,
  type Namespace,
  type UdpSink,
  type VethPair,
} from '../test-support/index.js';
import { attributesOf, findMetric, pointValue, startOtlpHttpReceiver, type OtlpReceiver } from '../test-support/otlp-receiver.js';
import { loadOtlpSchema } from '../test-support/otlp-schema.js';
import { IFACE, IO_BYTES, IO_RATE, PACKETS, mustValue, startNamespaceAgent, value, type NamespaceAgent } from './helpers/netif.js';
import { pollUntil } from './helpers/poll.js';

const PORT = 42000;
const NAME_A = 'churn0';
const NAME_B = 'churn0peer';

interface Scrape {
  atMs: number;
  expo: Exposition;
}

describe('interface churn: delete and re-create a veth under the agent @root', function () {
  this.timeout(180_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let veth: VethPair;
  let agent: NamespaceAgent;
  let otlp: OtlpReceiver;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    nsA = await createNamespace('churnA');
    nsB = await createNamespace('churnB');
    veth = await createVethPair(nsA, nsB, { nameA: NAME_A, nameB: NAME_B });
    // Fails here, naming the install script, rather than as a timeout when no export decodes.
    loadOtlpSchema();
    // The default OTLP protocol (http/protobuf), decoded with the official schema as a Collector would.
    otlp = await startOtlpHttpReceiver();
    agent = await startNamespaceAgent(nsA, [
      '--interval', '500ms',
      '--exporter', 'prometheus,otlp',
      '--otlp-endpoint', otlp.endpoint,
      '--export-interval', '1s',
    ]);
  });

  after(async () => {
    let stopError: unknown;
    await agent?.stop().catch((e: unknown) => (stopError = e));
    await otlp?.close();
    await cleanupNamespaces();
    if (stopError) throw stopError;
  });

  it('restarts the series cleanly: no negative or spiking rate, exact new counts, later start time, gone while deleted', async () => {
    const scrapes: Scrape[] = [];
    let recording = true;
    const recorder = (async () => {
      while (recording) {
        scrapes.push({ atMs: Date.now(), expo: await agent.agent.scrape() });
        await sleep(100);
      }
    })();
    let sink: UdpSink | undefined;
    try {
      // Phase 1: the original link carries 1.5 MB.
      const N1 = 1500;
      const P1 = 1000;
      sink = await startUdpSink(nsB, veth.b.ip, PORT);
      const sent1 = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: N1, payloadBytes: P1, durationMs: 3000 });
      await sink.stop();
      sink = undefined;
      const before = await pollUntil(() => agent.agent.scrape(), (e) => value(e, IO_BYTES, NAME_A, 'transmit') === sent1.wireBytes, 10_000);
      assert.equal(mustValue(before, IO_BYTES, NAME_A, 'transmit'), N1 * (P1 + UDP_OVERHEAD_BYTES));

      // Delete: the series must leave /metrics (not linger at its last value).
      const deletedAtMs = Date.now();
      await deleteLink(nsA, NAME_A);
      const gone = await pollUntil(() => agent.agent.scrape(), (e) => findSamples(e, IO_BYTES, { [IFACE]: NAME_A }).length === 0, 10_000);
      assert.deepEqual(findSamples(gone, IO_BYTES, { [IFACE]: NAME_A }), [], 'deleted interface still served');
      assert.deepEqual(findSamples(gone, IO_RATE, { [IFACE]: NAME_A }), [], 'deleted interface still has a rate');
      // Stay gone for several sampling rounds and at least two OTLP exports.
      await sleep(2500);
      const stillGone = await agent.agent.scrape();
      assert.deepEqual(findSamples(stillGone, IO_BYTES, { [IFACE]: NAME_A }), []);

      // Re-create under the same names: the kernel starts its counters at 0.
      const recreatedAtMs = Date.now();
      veth = await createVethPair(nsA, nsB, { nameA: NAME_A, nameB: NAME_B });
      const N2 = 300;
      const P2 = 500;
      sink = await startUdpSink(nsB, veth.b.ip, PORT);
      const sent2 = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: N2, payloadBytes: P2, durationMs: 2000 });
      await sink.stop();
      sink = undefined;
      const after = await pollUntil(() => agent.agent.scrape(), (e) => value(e, IO_BYTES, NAME_A, 'transmit') === sent2.wireBytes, 10_000);
      // Exactly phase 2's traffic: nothing carried over from the old link, nothing lost.
      assert.equal(mustValue(after, IO_BYTES, NAME_A, 'transmit'), N2 * (P2 + UDP_OVERHEAD_BYTES));
      assert.equal(mustValue(after, PACKETS, NAME_A, 'transmit'), N2);
      assert.equal(mustValue(after, IO_BYTES, NAME_A, 'receive'), 0);
      await sleep(1500);

      // Rates over the whole run: never negative, and after re-creation never above what phase 2
      // sent (a reset mistaken for a wrap-around would show ~1.8e19 B/s). The 25% allows for a
      // 500 ms interval catching a late pacing tick's catch-up burst.
      const rates = scrapes.flatMap((s) => findSamples(s.expo, IO_RATE, { [IFACE]: NAME_A }).map((x) => ({ atMs: s.atMs, v: x.value, labels: x.labels })));
      assert.ok(rates.length > 0, 'no rate was ever served for the interface');
      for (const r of rates) assert.ok(r.v >= 0 && Number.isFinite(r.v), `rate ${r.v} at ${r.atMs} (${JSON.stringify(r.labels)})`);
      const afterRecreate = rates.filter((r) => r.atMs > recreatedAtMs);
      assert.ok(afterRecreate.length > 0, 'no rate served after re-creation');
      const cap = sent2.bytesPerSecond * 1.25;
      for (const r of afterRecreate) assert.ok(r.v <= cap, `rate ${r.v.toFixed(0)} B/s after re-creation exceeds the ${sent2.bytesPerSecond.toFixed(0)} B/s sent`);
      // Phase 1's rate was also served (the test would prove nothing if rates never appeared).
      assert.ok(rates.some((r) => r.atMs < deletedAtMs && r.v > sent1.bytesPerSecond * 0.5), 'no phase-1 rate observed');

      // Start time: the re-created series starts after the deletion; the old one before it.
      await otlp.waitForExports(1, 10_000);
      await sleep(1500); // one more export after the last scrape above
      const tx = otlp.exports.flatMap((e) =>
        (findMetric(e.request, 'system.network.io')?.sum?.dataPoints ?? [])
          .filter((p) => {
            const a = attributesOf(p.attributes);
            return a['network.interface.name'] === NAME_A && a['network.io.direction'] === 'transmit';
          })
          .map((p) => ({ receivedAtMs: e.at, startTimeUnixNano: BigInt(p.startTimeUnixNano), value: pointValue(p) })));
      const old = tx.filter((p) => p.receivedAtMs < deletedAtMs);
      const fresh = tx.filter((p) => p.value === sent2.wireBytes);
      assert.ok(old.length > 0, `no OTLP point for ${NAME_A} before the deletion (${otlp.exports.length} exports)`);
      assert.ok(fresh.length > 0, `no OTLP point for the re-created ${NAME_A} with ${sent2.wireBytes} bytes`);
      const ms = (ns: bigint): number => Number(ns / 1_000_000n);
      for (const p of old) assert.ok(p.startTimeUnixNano > 0n && ms(p.startTimeUnixNano) < deletedAtMs, `old start ${ms(p.startTimeUnixNano)}`);
      for (const p of fresh) {
        assert.ok(ms(p.startTimeUnixNano) >= deletedAtMs, `re-created series starts at ${ms(p.startTimeUnixNano)}, before the deletion at ${deletedAtMs}`);
        assert.ok(p.startTimeUnixNano > (old[0]?.startTimeUnixNano ?? 0n));
      }
      // A cumulative counter must not keep reporting the vanished series at its old value. An
      // export may still carry the last sample taken before the deletion (interval 500 ms).
      assert.ok(otlp.exports.some((e) => e.at > deletedAtMs + 1200 && e.at < recreatedAtMs), 'no OTLP export while the interface was gone');
      const lingering = tx.filter((p) => p.receivedAtMs > deletedAtMs + 1200 && p.receivedAtMs < recreatedAtMs);
      assert.deepEqual(lingering.map((p) => p.value), [], 'OTLP kept exporting the deleted interface');
    } finally {
      recording = false;
      await recorder;
      await sink?.stop().catch(() => undefined);
    }
  });
});
