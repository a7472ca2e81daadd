import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/main.js';
import { BASIC_ROOT } from '../commands/helpers.js';

async function call(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, signals: new EventEmitter() });
  return { code, stdout, stderr: stderr.split('\n').filter((l) => l !== '') };
}

describe('main()', () => {
  it('turns a misspelt command into a suggestion', async () => {
    const r = await call(['snaphot']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: unknown command "snaphot" — did you mean "snapshot"? commands: run, snapshot, top, help (see otel-netif --help)']);
  });

  it('help for an unknown command: one error line, exit 2', async () => {
    const r = await call(['help', 'nope']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr, ['otel-netif: no such command — commands: run, snapshot, top (see otel-netif --help)']);
  });

  it('refuses stray arguments after a command', async () => {
    const r = await call(['snapshot', 'eth0']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: unexpected argument "eth0" — otel-netif snapshot takes options only (see otel-netif --help)']);
  });

  it('points at the command an option belongs to', async () => {
    const r = await call(['--json']);
    assert.deepEqual(r.stderr, ['otel-netif: --json is an option of otel-netif snapshot, not run — run otel-netif snapshot --json … (see otel-netif --help)']);
    const s = await call(['snapshot', '--exporter', 'otlp']);
    assert.deepEqual(s.stderr, ['otel-netif: --exporter is an option of otel-netif run, not snapshot — run otel-netif run --exporter … (see otel-netif --help)']);
  });

  it('says when an unknown option has no close match', async () => {
    const r = await call(['--frobnicate']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, ['otel-netif: unknown option --frobnicate — otel-netif run has no such option (see otel-netif --help)']);
  });

  it('prints every configuration problem, one line each, the help hint once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-netif-main-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'intervall: 5s\ntop: many\n');
    const r = await call(['--config', file, '--listen', '9464']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr, [
      `otel-netif: ${file}: unknown key "intervall" — did you mean "interval"?`,
      `otel-netif: --listen "9464": missing port — use host:port, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464`,
      `otel-netif: ${file}: top: "many": not a whole number — use 0 to keep every interface, or e.g. 10 (see otel-netif --help)`,
    ]);
  });

  it('--log-level none silences the log but not the output', async () => {
    const r = await call(['snapshot', '--json', '--duration', '100ms', '--root-path', BASIC_ROOT, '--log-level', 'none'], { OTEL_NETIF_BOGUS: '1' });
    assert.equal(r.code, 0);
    assert.deepEqual(r.stderr, []);
    assert.ok(r.stdout.startsWith('{'));
  });

  it('logs configuration warnings on stderr and still succeeds', async () => {
    const r = await call(['snapshot', '--duration', '100ms', '--root-path', BASIC_ROOT], { OTEL_NETIF_BOGUS: '1' });
    assert.equal(r.code, 0);
    assert.equal(r.stderr.length, 1);
    assert.match(r.stderr[0] ?? '', / warn  OTEL_NETIF_BOGUS is not a variable otel-netif reads; it is ignored$/);
  });

  it('an unexpected error is one line and exit 1', async () => {
    let stderr = '';
    const code = await main(['snapshot', '--duration', '100ms', '--root-path', BASIC_ROOT], {
      stdout: () => {
        throw new Error('EPIPE: broken pipe\n    at somewhere');
      },
      stderr: (t) => (stderr += t),
      env: {},
      signals: new EventEmitter(),
    });
    assert.equal(code, 1);
    assert.equal(stderr, 'otel-netif: unexpected error: EPIPE: broken pipe (a bug: please report it with the command line used)\n');
  });
});
