import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { BASIC_ROOT as ROOT, BASIC_ROOT_INTERFACES as EXPECTED_INTERFACES } from '../commands/helpers.js';
import { runCli, startCli } from './cli.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('otel-netif as a process', function () {
  // Each spawn pays for tsx compiling the sources.
  this.timeout(30_000);
  this.slow(5000);

  it('unknown flag: exactly one stderr line, exit 2', async () => {
    const r = await runCli(['--intervall', '5s']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: unknown option --intervall — did you mean --interval? (see otel-netif --help)']);
    assert.deepEqual(r.stdout, []);
  });

  it('bad duration: one line, exit 2', async () => {
    const r = await runCli(['run', '--interval', '5x']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: --interval "5x": not a duration — use e.g. 500ms, 5s, 1m (see otel-netif --help)']);
  });

  it('missing value: one line, exit 2', async () => {
    const r = await runCli(['snapshot', '--duration']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: --duration needs a value — e.g. --duration 1s (see otel-netif --help)']);
  });

  it('bad environment variable: exit 2 naming the variable', async () => {
    const r = await runCli(['snapshot', '--root-path', ROOT], { OTEL_NETIF_TOP: 'abc' });
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: OTEL_NETIF_TOP="abc": not a whole number — use 0 to keep every interface, or e.g. 10 (see otel-netif --help)']);
  });

  it('--help and --version: exit 0 on stdout', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout[0], 'Usage: otel-netif [options] [command]');
    assert.deepEqual(help.stderr, []);
    const runHelp = await runCli(['run', '--help']);
    assert.equal(runHelp.code, 0);
    assert.ok(runHelp.stdout.some((l) => l.includes('--otlp-endpoint <url>')));
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout[0] ?? '', /^\d+\.\d+\.\d+/);
  });

  it('snapshot --json over a fixture tree prints the expected JSON, exit 0', async () => {
    const r = await runCli(['snapshot', '--json', '--duration', '200ms', '--root-path', ROOT]);
    assert.equal(r.code, 0, r.stderr.join('\n'));
    assert.deepEqual(r.stderr, []);
    const doc = JSON.parse(r.stdout.join('\n')) as { interval_ms: number; interfaces: unknown[] };
    assert.ok(doc.interval_ms >= 200);
    assert.deepEqual(doc.interfaces, EXPECTED_INTERFACES);
  });

  it('run with an unreadable root path: one line, exit 1', async () => {
    const r = await runCli(['run', '--root-path', '/nonexistent-root']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.length, 1, r.stderr.join('\n'));
    assert.match(r.stderr[0] ?? '', /^otel-netif: cannot read \/nonexistent-root\/proc\/net\/dev \(ENOENT\) — .*--root-path/);
  });

  it('SIGTERM stops a running agent: exit 0 within 5 s', async () => {
    const run = startCli(['run', '--exporter', 'console', '--interval', '200ms', '--root-path', ROOT]);
    await run.waitForStderr(/printing interface rates/);
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    const { code, signal } = await run.exit;
    assert.equal(signal, null);
    assert.equal(code, 0, run.stderr.join('\n'));
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.ok(run.stderr.some((l) => /SIGTERM received: stopping/.test(l)));
  });

  it('no arguments: the Prometheus exporter on 127.0.0.1', async () => {
    // The port comes from OTel's variable so a busy 9464 on this machine cannot break the test;
    // the host is the default.
    const port = await freePort();
    const run = startCli(['--root-path', ROOT], { OTEL_EXPORTER_PROMETHEUS_PORT: String(port) });
    try {
      await run.waitForStderr(/serving \/metrics on/);
      assert.ok(
        run.stderr.some((l) => l.endsWith(`serving /metrics on http://127.0.0.1:${port}/metrics (loopback only; use --listen 0.0.0.0:${port} to expose it)`)),
        run.stderr.join('\n'),
      );
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /system_network_io/);
    } finally {
      run.child.kill('SIGTERM');
      assert.equal((await run.exit).code, 0);
    }
  });
});
