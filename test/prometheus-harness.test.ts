// Proves the Prometheus helper and the namespace root end to end without the agent: a
// ten-line exporter in this process reads the namespace's counters through the root, a real
// Prometheus scrapes it, and PromQL must return the exact bytes sent. When the agent-level
// Prometheus test fails and this one passes, the fault is in the agent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  namespaceRoot,
  parseProcNetDev,
  requirePrometheus,
  requireRoot,
  sendUdp,
  startPrometheus,
  startUdpSink,
  type NamespaceRoot,
  type PrometheusServer,
  type VethPair,
} from '../test-support/index.js';

describe('e2e harness: real Prometheus scraping a namespace through a root path @root', function () {
  this.timeout(120_000);
  let veth: VethPair;
  let root: NamespaceRoot;
  let server: Server;
  let prom: PrometheusServer;

  before(async function () {
    requireRoot(this);
    requirePrometheus(this);
    const nsA = await createNamespace('pharnA');
    const nsB = await createNamespace('pharnB');
    veth = await createVethPair(nsA, nsB);
    root = await namespaceRoot(nsA);
    server = createServer((_req, res) => {
      const dev = parseProcNetDev(readFileSync(join(root.path, 'proc', 'net', 'dev'), 'utf8'));
      const lines = ['# TYPE harness_tx_bytes_total counter'];
      for (const [name, c] of dev) lines.push(`harness_tx_bytes_total{dev="${name}"} ${c.txBytes}`);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`${lines.join('\n')}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no port');
    prom = await startPrometheus({ jobs: [{ job: 'harness', targets: [`127.0.0.1:${addr.port}`] }] });
  });

  after(async () => {
    await prom?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await root?.close();
    await cleanupNamespaces();
  });

  it('PromQL returns the exact bytes sent over the veth', async () => {
    await prom.waitForSeries('up{job="harness"} == 1', 30_000);
    const sink = await startUdpSink(veth.b.ns, veth.b.ip, 44000);
    const sent = await sendUdp({ from: veth.a.ns, to: veth.b.ip, port: 44000, count: 321, payloadBytes: 123 });
    await sink.stop();
    const r = await prom.waitForSeries(`harness_tx_bytes_total{dev="${veth.a.name}"} == ${sent.wireBytes}`, 30_000);
    assert.equal(r[0]?.value, 321 * (123 + 42));
    assert.deepEqual((await prom.query('harness_tx_bytes_total')).map((s) => s.metric.dev).sort(), ['lo', veth.a.name].sort());
  });

  it('rejects a bad PromQL query with its error', async () => {
    await assert.rejects(prom.query('rate(harness_tx_bytes_total'), /failed/);
  });
});
