// A real Prometheus (2.42, Debian's) scrapes the agent: what a user's PromQL returns must be
// exactly what the agent serves, which in turn is exactly what the kernel counted.
import assert from 'node:assert/strict';
import {
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  readCounters,
  requireCli,
  requirePrometheus,
  requireRoot,
  sendUdp,
  sleep,
  startPrometheus,
  startUdpSink,
  type Namespace,
  type PrometheusServer,
  type VethPair,
} from '../test-support/index.js';
import { IO_BYTES, mustValue, startNamespaceAgent, value, type NamespaceAgent } from './helpers/netif.js';
import { pollUntil } from './helpers/poll.js';

const PORT = 43000;
const JOB = 'otel-netif-e2e';

describe('Prometheus scrapes the agent @root', function () {
  this.timeout(180_000);
  let nsA: Namespace;
  let nsB: Namespace;
  let veth: VethPair;
  let agent: NamespaceAgent;
  let prom: PrometheusServer;
  let wire: number;

  before(async function () {
    requireRoot(this);
    requireCli(this);
    requirePrometheus(this);
    nsA = await createNamespace('promA');
    nsB = await createNamespace('promB');
    veth = await createVethPair(nsA, nsB);
    agent = await startNamespaceAgent(nsA, ['--interval', '1s']);
    prom = await startPrometheus({ jobs: [{ job: JOB, targets: [`127.0.0.1:${agent.agent.port}`] }], scrapeIntervalSeconds: 1 });
    const sink = await startUdpSink(nsB, veth.b.ip, PORT);
    const sent = await sendUdp({ from: nsA, to: veth.b.ip, port: PORT, count: 1200, payloadBytes: 800, durationMs: 3000 });
    await sink.stop();
    wire = sent.wireBytes;
    const settled = await pollUntil(() => agent.agent.scrape(), (e) => value(e, IO_BYTES, veth.a.name, 'transmit') === wire, 15_000);
    assert.equal(mustValue(settled, IO_BYTES, veth.a.name, 'transmit'), wire);
  });

  after(async () => {
    let stopError: unknown;
    await prom?.stop();
    await agent?.stop().catch((e: unknown) => (stopError = e));
    await cleanupNamespaces();
    if (stopError) throw stopError;
  });

  it('scrapes the target successfully: up == 1', async () => {
    const up = await prom.waitForSeries(`up{job="${JOB}"} == 1`, 30_000);
    assert.equal(up.length, 1);
    const targets = await prom.targets();
    assert.deepEqual(targets.map((t) => [t.job, t.health, t.lastError]), [[JOB, 'up', '']]);
  });

  it('PromQL returns both directions with exactly the values the agent serves and the kernel counted', async () => {
    const q = `${IO_BYTES}{network_interface_name="${veth.a.name}"}`;
    // Wait until Prometheus has scraped a sample taken after the traffic settled.
    const until = Date.now() + 30_000;
    let series = await prom.waitForSeries(q, 30_000, 2);
    while (!series.some((s) => s.metric.network_io_direction === 'transmit' && s.value === wire) && Date.now() < until) {
      await sleep(500);
      series = await prom.query(q);
    }
    const served = await agent.agent.scrape();
    const kernel = await readCounters(nsA, veth.a.name);
    const byDir = Object.fromEntries(series.map((s) => [s.metric.network_io_direction, s]));
    assert.deepEqual(Object.keys(byDir).sort(), ['receive', 'transmit']);
    assert.equal(byDir.transmit?.value, wire);
    assert.equal(byDir.transmit?.value, mustValue(served, IO_BYTES, veth.a.name, 'transmit'));
    assert.equal(byDir.transmit?.value, kernel.txBytes);
    assert.equal(byDir.receive?.value, mustValue(served, IO_BYTES, veth.a.name, 'receive'));
    assert.equal(byDir.receive?.value, kernel.rxBytes);
    for (const s of series) {
      assert.equal(s.metric.job, JOB);
      assert.equal(s.metric.instance, `127.0.0.1:${agent.agent.port}`);
    }
  });

  it('rate() over the counter returns data', async () => {
    const r = await prom.waitForSeries(`rate(${IO_BYTES}{network_interface_name="${veth.a.name}"}[10s])`, 30_000, 2);
    for (const s of r) assert.ok(Number.isFinite(s.value) && s.value >= 0, `rate ${s.value}`);
  });

  it("the agent's own rate gauge is there for both directions", async () => {
    const r = await prom.waitForSeries(`system_network_io_rate_bytes_per_second{network_interface_name="${veth.a.name}"}`, 30_000, 2);
    assert.deepEqual(r.map((s) => s.metric.network_io_direction).sort(), ['receive', 'transmit']);
    for (const s of r) assert.ok(Number.isFinite(s.value) && s.value >= 0);
  });

  it('ingests the whole exposition without a scrape error (every family passes Prometheus’s parser)', async () => {
    const samples = await prom.waitForSeries(`scrape_samples_scraped{job="${JOB}"}`, 30_000);
    const served = await agent.agent.scrape();
    assert.equal(samples[0]?.value, served.samples.length);
  });
});
