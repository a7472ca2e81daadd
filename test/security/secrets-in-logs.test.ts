// OTLP headers carry API keys. The real CLI at --log-level debug, given keys by flag, by the
// signal-specific and the generic variable and by a config file, exports to a "proxy" that echoes
// the key back in its HTTP status line (as misconfigured gateways do), and is given a malformed
// header on the command line. Every line it writes, stdout and stderr, is searched for the keys.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupNamespaces, makeTempDir, requireCli, runCli, sleep, startAgent, type Agent } from '../../test-support/index.js';
import { kubernetesNode, makeFixtureTree } from '../faults/fixture-tree.js';

const SECRETS = ['sk-flag-7f3a9c1e55d0', 'sk-metrics-env-2b8e4d', 'sk-generic-env-91c7aa', 'sk-file-0d6f3b27e9', 'sk-typo-5a1c8e3f'];

describe('security: header values (API keys) never reach the log', function () {
  this.timeout(60_000);
  let echo: Server;
  let url: string;
  const seen: string[] = [];
  const agents: Agent[] = [];

  before(async function () {
    requireCli(this);
    echo = createServer((req, res) => {
      const keys = `${req.headers.authorization ?? ''} ${String(req.headers['x-api-key'] ?? '')}`.trim();
      seen.push(keys);
      req.resume();
      // A gateway that repeats what it rejected, in the status line the exporter reports.
      res.writeHead(401, `rejected credentials ${keys}`, { 'Content-Type': 'text/plain' }).end(`you sent: ${keys}`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const a of agents) await a.stop().catch(() => {});
    echo.closeAllConnections();
    await new Promise<void>((r) => echo.close(() => r()));
    await cleanupNamespaces();
  });

  it('is true for keys from a flag, both variables and a config file, in every failure line and at debug level', async () => {
    const root = makeFixtureTree('secrets', kubernetesNode(1)).root;
    const dir = makeTempDir('secrets-cfg');
    const cfg = join(dir, 'config.yaml');
    writeFileSync(cfg, `otlp-header:\n  x-api-key: ${SECRETS[3]}\n`);
    const base = ['run', '--root-path', root, '--interval', '200ms', '--exporter', 'otlp', '--otlp-endpoint', url, '--export-interval', '300ms', '--otlp-timeout', '300ms', '--log-level', 'debug'];
    agents.push(await startAgent({ args: [...base, '--otlp-header', `authorization=Bearer ${SECRETS[0]}`], listen: false }));
    agents.push(await startAgent({
      args: [...base, '--otlp-protocol', 'http/json'],
      listen: false,
      env: { OTEL_EXPORTER_OTLP_METRICS_HEADERS: `authorization=Bearer%20${SECRETS[1]}` },
    }));
    agents.push(await startAgent({ args: base, listen: false, env: { OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${SECRETS[2]}` } }));
    agents.push(await startAgent({ args: [...base, '--config', cfg], listen: false }));
    // Several failed exports each, so the first-failure warning and the debug repeats are all there.
    await sleep(2500);
    for (const a of agents) await a.stop();

    const typo = await runCli(['run', '--root-path', root, '--exporter', 'otlp', '--otlp-header', `Bearer ${SECRETS[4]}`]);
    assert.equal(typo.code, 2);

    // The keys were really in play: the proxy received each one.
    const received = seen.join('\n');
    for (const s of SECRETS.slice(0, 3)) assert.ok(received.includes(s), `the proxy never received ${s}`);
    assert.ok(received.includes(SECRETS[3]!), 'the proxy never received the config-file key');
    const log = [...agents.flatMap((a) => [...a.stderrLines, ...a.stdoutLines]), typo.stdout, typo.stderr].join('\n');
    assert.match(log, /warn  OTLP export to .* failed: HTTP 401 rejected credentials .*<redacted>/, 'the failure line is not there to check');
    assert.match(log, /debug settings: .*otlp-header=\{authorization\}/, 'the debug settings line is not there to check');
    for (const s of SECRETS) assert.ok(!log.includes(s), `${s} reached the log:\n${log.split('\n').filter((l) => l.includes(s)).join('\n')}`);
  });
});
