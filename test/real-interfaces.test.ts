// The agent against real kernel interfaces: two namespaces joined by a quiet veth pair, exact
// UDP traffic, and one agent per end. The counters it serves must equal what the kernel counted
// to the byte, and its rate must match the rate that was measurably sent.
import assert from 'node:assert/strict';
import {
  UDP_OVERHEAD_BYTES,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  findSample,
  readCounters,
  requireCli,
  requireRoot,
  sendUdp,
  sleep,
  startUdpSink,
  type Namespace,
  type UdpSink,
  type VethPair,
} from '../test-support/index.js';
import { IFACE, IO_BYTES, IO_RATE, PACKETS, DIRECTION, mustValue, startNamespaceAgent, value, type NamespaceAgent } from './helpers/netif.js';
import { pollUntil } from './helpers/poll.js';

const PORT = 41000;
const N = 2000;
const P = 1000;
const SEND_MS = 4000;
const INTERVAL_MS = 1000;

interface RateObservation {
  requestedAtMs: number;
  answeredAtMs: number;
  txA: number | undefined;
  rxB: number | undefined;
}

describe('real interfaces: the agent serves exactly what the kernel counted @root', function () {
  this.timeout(120_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let veth: VethPair;
  let agentA: NamespaceAgent;
  let agentB: NamespaceAgent;
  let sink: UdpSink;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    nsA = await createNamespace('realA');
    nsB = await createNamespace('realB');
    veth = await createVethPair(nsA, nsB);
    sink = await startUdpSink(nsB, veth.b.ip, PORT);
    agentA = await startNamespaceAgent(nsA, ['--interval', '1s']);
    agentB = await startNamespaceAgent(nsB, ['--interval', '1s']);
  });

  after(async () => {
    // Stop the agents first so a clean exit is asserted; cleanup then removes whatever is left.
    const errors: unknown[] = [];
    for (const a of [agentA, agentB]) await a?.stop().catch((e: unknown) => errors.push(e));
    await sink?.stop().catch(() => undefined);
    await cleanupNamespaces();
    if (errors.length > 0) throw errors[0];
  });

  it('each agent serves only its own namespace: lo and its veth end', async () => {
    const a = await agentA.agent.scrape();
    const b = await agentB.agent.scrape();
    const names = (e: typeof a) => [...new Set(e.samples.filter((s) => s.name === IO_BYTES).map((s) => s.labels[IFACE]))].sort();
    assert.deepEqual(names(a), ['lo', veth.a.name].sort());
    assert.deepEqual(names(b), ['lo', veth.b.name].sort());
    // lo moves with unrelated activity inside the namespace; only its presence is checked.
    for (const dir of ['receive', 'transmit']) {
      assert.ok(findSample(a, IO_BYTES, { [IFACE]: 'lo', [DIRECTION]: dir }), `lo ${dir} missing`);
    }
  });

  it(`${N} datagrams of ${P} bytes paced over ${SEND_MS / 1000} s: exact byte and packet deltas, and the rate that was sent`, async () => {
    const wire = N * (P + UDP_OVERHEAD_BYTES);
    const a0 = await agentA.agent.scrape();
    const b0 = await agentB.agent.scrape();
    const txA0 = mustValue(a0, IO_BYTES, veth.a.name, 'transmit');
    const txPA0 = mustValue(a0, PACKETS, veth.a.name, 'transmit');
    const rxA0 = mustValue(a0, IO_BYTES, veth.a.name, 'receive');
    const rxPA0 = mustValue(a0, PACKETS, veth.a.name, 'receive');
    const rxB0 = mustValue(b0, IO_BYTES, veth.b.name, 'receive');
    const rxPB0 = mustValue(b0, PACKETS, veth.b.name, 'receive');
    const txB0 = mustValue(b0, IO_BYTES, veth.b.name, 'transmit');
    // The link is quiet, so the agent's last sample must already equal the kernel's counters now.
    assert.equal(txA0, (await readCounters(nsA, veth.a.name)).txBytes);
    assert.equal(rxB0, (await readCounters(nsB, veth.b.name)).rxBytes);

    const observations: RateObservation[] = [];
    let recording = true;
    const recorder = (async () => {
      while (recording) {
        const requestedAtMs = Date.now();
        const [a, b] = await Promise.all([agentA.agent.scrape(), agentB.agent.scrape()]);
        observations.push({
          requestedAtMs,
          answeredAtMs: Date.now(),
          txA: value(a, IO_RATE, veth.a.name, 'transmit'),
          rxB: value(b, IO_RATE, veth.b.name, 'receive'),
        });
        await sleep(200);
      }
    })();
    let sent;
    try {
      sent = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: N, payloadBytes: P, durationMs: SEND_MS });
    } finally {
      recording = false;
      await recorder;
    }
    assert.equal(sent.wireBytes, wire);

    // Poll until the agents have sampled after the last datagram, then assert exactly.
    const a1 = await pollUntil(() => agentA.agent.scrape(), (e) => value(e, IO_BYTES, veth.a.name, 'transmit') === txA0 + wire, 15_000);
    const b1 = await pollUntil(() => agentB.agent.scrape(), (e) => value(e, IO_BYTES, veth.b.name, 'receive') === rxB0 + wire, 15_000);
    assert.equal(mustValue(a1, IO_BYTES, veth.a.name, 'transmit') - txA0, wire, 'A transmit bytes');
    assert.equal(mustValue(a1, PACKETS, veth.a.name, 'transmit') - txPA0, N, 'A transmit packets');
    assert.equal(mustValue(a1, IO_BYTES, veth.a.name, 'receive') - rxA0, 0, 'A receive bytes (the sink answers nothing)');
    assert.equal(mustValue(a1, PACKETS, veth.a.name, 'receive') - rxPA0, 0, 'A receive packets');
    assert.equal(mustValue(b1, IO_BYTES, veth.b.name, 'receive') - rxB0, wire, 'B receive bytes');
    assert.equal(mustValue(b1, PACKETS, veth.b.name, 'receive') - rxPB0, N, 'B receive packets');
    assert.equal(mustValue(b1, IO_BYTES, veth.b.name, 'transmit') - txB0, 0, 'B transmit bytes');
    // And the agent agrees with the kernel itself, not just with arithmetic.
    assert.equal(mustValue(a1, IO_BYTES, veth.a.name, 'transmit'), (await readCounters(nsA, veth.a.name)).txBytes);
    assert.equal(mustValue(b1, PACKETS, veth.b.name, 'receive'), (await readCounters(nsB, veth.b.name)).rxPackets);

    // Rates: never negative; in the steady part within 5% of what was measurably sent. A value
    // read at time t covers the agent's last interval, which ended after t - interval and began
    // one interval before that; reads requested 2.4 s after the first datagram (2 intervals plus
    // timer slack) and answered before the last one cover sending time only.
    for (const o of observations) {
      for (const v of [o.txA, o.rxB]) if (v !== undefined) assert.ok(v >= 0, `negative rate ${v}`);
    }
    const steady = observations.filter((o) => o.requestedAtMs >= sent.startMs + 2 * INTERVAL_MS + 400 && o.answeredAtMs <= sent.endMs);
    assert.ok(steady.length > 0, `no scrape fell in the steady part of the send (${observations.length} scrapes, send ${(sent.endMs - sent.startMs).toFixed(0)} ms)`);
    const expected = sent.bytesPerSecond;
    for (const o of steady) {
      for (const [what, v] of [['A transmit', o.txA], ['B receive', o.rxB]] as const) {
        assert.ok(v !== undefined, `${what} rate missing during the send`);
        const err = Math.abs(v - expected) / expected;
        assert.ok(err <= 0.05, `${what} rate ${v.toFixed(0)} B/s is ${(err * 100).toFixed(1)}% off the ${expected.toFixed(0)} B/s sent`);
      }
    }
  });

  it('the counters stay put once the link is quiet again (no traffic the test did not send)', async () => {
    const before = await agentA.agent.scrape();
    await sleep(2.5 * INTERVAL_MS);
    const after = await agentA.agent.scrape();
    for (const dir of ['receive', 'transmit'] as const) {
      assert.equal(mustValue(after, IO_BYTES, veth.a.name, dir), mustValue(before, IO_BYTES, veth.a.name, dir), dir);
    }
    assert.equal(mustValue(after, IO_RATE, veth.a.name, 'transmit'), 0);
  });

  it('logged no warning or error while watching a real namespace', () => {
    for (const a of [agentA, agentB]) {
      const bad = a.agent.stderrLines.filter((l) => /^\S+ (warn|error)\b/.test(l));
      assert.deepEqual(bad, []);
    }
  });
});
