import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../../src/commands/run.js';
import { describePrometheus, EXPORTERS } from '../../src/commands/exporters.js';
import type { ExporterEntry, ExporterRegistry } from '../../src/commands/exporters.js';
import { loadConfig } from '../../src/config/load.js';
import type { FlagValues } from '../../src/config/resolve.js';
import { StartupError } from '../../src/errors.js';
import type { Exporter } from '../../src/export/exporter.js';
import { freePort } from '../../../../test-support/ports.js';
import { BASIC_ROOT, captureLogger, fakeSignals, waitFor } from './helpers.js';

function config(flags: FlagValues, env: Record<string, string> = {}) {
  return loadConfig({ command: 'run', flags: { 'root-path': BASIC_ROOT, ...flags }, env });
}

/** An exporter whose start and shutdown the test controls and observes. */
function fakeEntry(name: string, events: string[], behaviour: { start?: () => Promise<void>; shutdown?: () => Promise<void> } = {}): ExporterEntry {
  return {
    create: (): Exporter => ({
      name,
      start: async () => {
        events.push(`${name} start`);
        await behaviour.start?.();
      },
      shutdown: async () => {
        events.push(`${name} shutdown`);
        await behaviour.shutdown?.();
      },
    }),
    describe: () => `${name} ready`,
  };
}

function registry(entries: Partial<ExporterRegistry>): ExporterRegistry {
  return { ...EXPORTERS, ...entries };
}

describe('run command', () => {
  it('samples, prints to the console, and stops cleanly on SIGTERM', async () => {
    const { logger, lines } = captureLogger();
    const out: string[] = [];
    const signals = fakeSignals();
    const done = runAgent(config({ exporter: ['console'], interval: '100ms' }), { logger, env: {}, signals, write: (t) => out.push(t) });
    await waitFor(() => out.length >= 1);
    assert.match(out[0] ?? '', /^lo +up +rx 0 B\/s \(0 pkt\/s\) {2}tx 0 B\/s/m);
    assert.match(out[0] ?? '', /^eth0 +up +rx 0 B\/s/m);
    signals.emit('SIGTERM');
    assert.equal(await done, 0);
    assert.deepEqual(lines, [
      `info sampling ${BASIC_ROOT}/proc/net/dev every 100ms`,
      'info printing interface rates to stdout every 100ms',
      'info SIGTERM received: stopping',
      'info stopped',
    ]);
    assert.equal(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT'), 0, 'hands the signals back');
  });

  it('shuts every exporter down on SIGINT, and logs each start-up line', async () => {
    const { logger, lines } = captureLogger();
    const events: string[] = [];
    const signals = fakeSignals();
    const exporters = registry({ prometheus: fakeEntry('prometheus', events), otlp: fakeEntry('otlp', events) });
    const done = runAgent(config({ exporter: ['prometheus,otlp'] }), { logger, env: {}, signals, exporters });
    await waitFor(() => events.length === 2);
    signals.emit('SIGINT');
    assert.equal(await done, 0);
    assert.deepEqual(events, ['prometheus start', 'otlp start', 'prometheus shutdown', 'otlp shutdown']);
    assert.ok(lines.includes('info prometheus ready') && lines.includes('info otlp ready'), lines.join('\n'));
  });

  it('exits anyway, with a warning, when shutdown takes too long', async () => {
    const { logger, lines } = captureLogger();
    const signals = fakeSignals();
    const exporters = registry({ otlp: fakeEntry('otlp', [], { shutdown: () => new Promise(() => {}) }) });
    const done = runAgent(config({ exporter: ['otlp'] }), { logger, env: {}, signals, exporters, shutdownTimeoutMs: 50 });
    await waitFor(() => lines.includes('info otlp ready'));
    const t0 = Date.now();
    signals.emit('SIGTERM');
    assert.equal(await done, 0);
    assert.ok(Date.now() - t0 < 1000);
    assert.ok(lines.includes('warn shutdown took longer than 50ms (still busy: otlp); exiting anyway'), lines.join('\n'));
  });

  it('fails start-up with one line naming the path when proc/net/dev cannot be read', async () => {
    const { logger } = captureLogger();
    const signals = fakeSignals();
    await assert.rejects(
      runAgent(loadConfig({ command: 'run', flags: { 'root-path': '/nonexistent-root' } }), { logger, env: {}, signals }),
      (err: unknown) =>
        err instanceof StartupError &&
        err.exitCode === 1 &&
        err.message ===
          "cannot read /nonexistent-root/proc/net/dev (ENOENT) — is --root-path /nonexistent-root where the host's / is mounted? (it needs proc/ and sys/ below it; use --root-path / outside a container)",
    );
    assert.equal(signals.listenerCount('SIGTERM'), 0);
  });

  it('when an exporter cannot start, shuts down the ones that did and rethrows its error', async () => {
    const { logger } = captureLogger();
    const events: string[] = [];
    const exporters = registry({
      console: fakeEntry('console', events),
      prometheus: fakeEntry('prometheus', events, { start: () => Promise.reject(new StartupError('cannot listen on 127.0.0.1:9464: address in use')) }),
    });
    await assert.rejects(runAgent(config({ exporter: ['console,prometheus'] }), { logger, env: {}, signals: fakeSignals(), exporters }), /address in use/);
    assert.deepEqual(events, ['console start', 'prometheus start', 'console shutdown']);
  });

  it('logs configuration warnings and "none" at start-up', async () => {
    const { logger, lines } = captureLogger();
    const signals = fakeSignals();
    const done = runAgent(config({ exporter: ['none'], listen: '0.0.0.0:1' }), { logger, env: {}, signals });
    await waitFor(() => lines.some((l) => l.includes('sampling only')));
    signals.emit('SIGTERM');
    assert.equal(await done, 0);
    assert.ok(lines.includes('warn listen is set but the prometheus exporter is not selected (add --exporter prometheus); it is ignored'), lines.join('\n'));
    assert.ok(lines.includes('warn no exporter selected (--exporter none): sampling only, nothing is exported'));
  });

  it('describes the Prometheus endpoint and whether it is exposed', () => {
    assert.equal(describePrometheus('127.0.0.1', 9464, 9464), 'serving /metrics on http://127.0.0.1:9464/metrics (loopback only; use --listen 0.0.0.0:9464 to expose it)');
    assert.equal(describePrometheus('::1', 9464, 9464), 'serving /metrics on http://[::1]:9464/metrics (loopback only; use --listen [::]:9464 to expose it)');
    assert.equal(describePrometheus('0.0.0.0', 9100, 9100), 'serving /metrics on http://0.0.0.0:9100/metrics (all interfaces: reachable from other hosts)');
    assert.equal(describePrometheus('::', 9464, 9464), 'serving /metrics on http://[::]:9464/metrics (all interfaces: reachable from other hosts)');
    assert.equal(describePrometheus('10.1.2.3', 9464, 9464), 'serving /metrics on http://10.1.2.3:9464/metrics');
  });

  it('keeps the history within --history-memory: fewer slots once the busy interfaces fill it', async () => {
    const port = await freePort();
    const root = mkdtempSync(join(tmpdir(), 'otel-netif-history-'));
    cpSync(BASIC_ROOT, root, { recursive: true });
    const dev = join(root, 'proc/net/dev');
    const text = readFileSync(dev, 'utf8');
    const config = loadConfig({ command: 'run', flags: { 'root-path': root, exporter: ['prometheus'], listen: `127.0.0.1:${port}`, interval: '100ms', 'history-size': '100', 'history-memory': '1KiB' }, env: {} });
    let moved = 0;
    // eth0 receives 1000 bytes every 20 ms: an interface with traffic, which takes a row.
    const traffic = setInterval(() => writeFileSync(dev, text.replace('987654321', String(987654321 + ++moved * 1000))), 20);
    const { logger, lines } = captureLogger();
    const signals = fakeSignals();
    const done = runAgent(config, { logger, env: {}, signals });
    try {
      await waitFor(() => lines.some((l) => l.includes('serving /metrics on')));
      const url = `http://127.0.0.1:${port}`;
      type History = { capacity: number; t: number[]; interfaces: Record<string, { rxBytes: (number | null)[] }> };
      const history = async (): Promise<History> => (await (await fetch(`${url}/api/v1/history`)).json()) as History;
      let h = await history();
      const until = Date.now() + 5000;
      while (!(h.interfaces['eth0']?.rxBytes ?? []).some((v) => v !== null && v > 0) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        h = await history();
      }
      // One busy row of 100 slots × 16 bytes is 1600 bytes; in 1 KiB, with room for a second: 32 slots.
      assert.equal(h.capacity, 32);
      assert.ok(h.t.length <= 32 && h.interfaces['eth0']!.rxBytes.length === h.t.length);
    } finally {
      clearInterval(traffic);
      signals.emit('SIGTERM');
      assert.equal(await done, 0);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
