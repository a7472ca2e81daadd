// OTLP over TLS from the real CLI to a receiver that requires a client certificate, for each
// protocol, configured through the standard variables: OTEL_EXPORTER_OTLP_CERTIFICATE,
// _CLIENT_KEY, _CLIENT_CERTIFICATE, and their _METRICS_ forms, which win. Also the refusals: no
// client certificate, a collector signed by a CA the agent does not trust, and half a key pair.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cleanupNamespaces, requireCli, runCli, startAgent, type Agent } from '../../test-support/index.js';
import { findMetric, startOtlpGrpcReceiver, startOtlpHttpReceiver, type OtlpReceiver } from '../../test-support/otlp-receiver.js';
import { loadOtlpSchema } from '../../test-support/otlp-schema.js';
import { makePki, opensslUnavailableReason, type Pki } from '../../test-support/pki.js';
import { kubernetesNode, makeFixtureTree } from '../faults/fixture-tree.js';

describe('security: OTLP over TLS with a custom CA and a client certificate', function () {
  this.timeout(60_000);
  let pki: Pki;
  let root: string;
  let receiver: OtlpReceiver | undefined;
  let agent: Agent | undefined;

  before(function () {
    requireCli(this);
    const reason = opensslUnavailableReason();
    if (reason) {
      process.stderr.write(`      skipping: ${reason}\n`);
      this.skip();
    }
    loadOtlpSchema();
    pki = makePki();
    root = makeFixtureTree('otlp-tls', kubernetesNode(1)).root;
  });
  afterEach(async () => {
    await agent?.stop().catch(() => {});
    await receiver?.close();
    agent = receiver = undefined;
  });
  after(async () => {
    pki?.remove();
    await cleanupNamespaces();
  });

  async function mtlsReceiver(protocol: string): Promise<OtlpReceiver> {
    const tls = { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), clientCa: readFileSync(pki.caCert) };
    return protocol === 'grpc' ? startOtlpGrpcReceiver({ tls }) : startOtlpHttpReceiver({ tls });
  }

  function run(protocol: string, endpoint: string, env: Record<string, string>): Promise<Agent> {
    return startAgent({
      args: ['run', '--root-path', root, '--interval', '200ms', '--exporter', 'otlp', '--otlp-protocol', protocol, '--otlp-endpoint', endpoint, '--export-interval', '500ms', '--otlp-timeout', '500ms'],
      listen: false,
      env,
    });
  }

  const generic = () => ({
    OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert,
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.clientCert,
    OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.clientKey,
  });
  // The generic variables point at the wrong identity: only the _METRICS_ ones can make this work.
  const metricsSpecific = () => ({
    OTEL_EXPORTER_OTLP_CERTIFICATE: pki.otherCaCert,
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.otherClientCert,
    OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.otherClientKey,
    OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: pki.caCert,
    OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE: pki.clientCert,
    OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: pki.clientKey,
  });

  for (const [protocol, vars, which] of [
    ['http/protobuf', generic, 'OTEL_EXPORTER_OTLP_*'],
    ['http/json', metricsSpecific, 'OTEL_EXPORTER_OTLP_METRICS_* over OTEL_EXPORTER_OTLP_*'],
    ['grpc', generic, 'OTEL_EXPORTER_OTLP_*'],
    ['grpc', metricsSpecific, 'OTEL_EXPORTER_OTLP_METRICS_* over OTEL_EXPORTER_OTLP_*'],
  ] as const) {
    it(`${protocol}: exports over mutual TLS with ${which}`, async () => {
      receiver = await mtlsReceiver(protocol);
      agent = await run(protocol, receiver.endpoint, vars());
      const [first] = await receiver.waitForExports(1, 15_000);
      assert.equal(first!.protocol, protocol);
      assert.ok(findMetric(first!.request, 'system.network.io'));
      assert.ok(agent.stderrLines.every((l) => !/ warn /.test(l)), agent.stderrLines.join('\n'));
    });
  }

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`${protocol}: without a client certificate the collector refuses it, and the agent says so once`, async () => {
      receiver = await mtlsReceiver(protocol);
      agent = await run(protocol, receiver.endpoint, { OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert });
      const line = await agent.waitForStderr(/warn  OTLP export to https:\/\/127\.0\.0\.1:\d+\S* failed: /, 15_000);
      assert.match(line, /certificate|alert|socket hang up|ECONNRESET|handshake|UNAVAILABLE/i);
      assert.equal(receiver.exports.length, 0);
    });

    it(`${protocol}: does not send to a collector whose CA it does not trust`, async () => {
      receiver = await mtlsReceiver(protocol);
      agent = await run(protocol, receiver.endpoint, { ...generic(), OTEL_EXPORTER_OTLP_CERTIFICATE: pki.otherCaCert });
      const line = await agent.waitForStderr(/warn  OTLP export to https:\/\/127\.0\.0\.1:\d+\S* failed: /, 15_000);
      assert.match(line, /self[- ]signed|unable to (get|verify)|certificate/i);
      assert.equal(receiver.exports.length, 0);
    });
  }

  it('refuses half a key pair, and an unreadable file, at start-up: one line, exit 2', async () => {
    const half = await runCli(['run', '--root-path', root, '--exporter', 'otlp', '--otlp-endpoint', 'https://127.0.0.1:1'], { env: { OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.clientCert } });
    assert.equal(half.code, 2);
    assert.equal(half.stderr, 'otel-netif: --otlp-client-certificate and --otlp-client-key go together: only the certificate is set — set --otlp-client-key or OTEL_EXPORTER_OTLP_CLIENT_KEY too (see otel-netif --help)\n');
    const missing = await runCli(['run', '--root-path', root, '--exporter', 'otlp'], { env: { OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: '/nonexistent/key.pem' } });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'otel-netif: OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY="/nonexistent/key.pem": cannot read /nonexistent/key.pem — ENOENT (see otel-netif --help)\n');
  });
});
