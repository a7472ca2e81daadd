import { strict as assert } from 'node:assert';
import { snapshotCommand } from '../../src/commands/snapshot.js';
import { loadConfig } from '../../src/config/load.js';
import type { FlagValues } from '../../src/config/resolve.js';
import { StartupError } from '../../src/errors.js';
import { BASIC_ROOT, BASIC_ROOT_INTERFACES as EXPECTED_INTERFACES, captureLogger } from './helpers.js';

async function snapshot(flags: FlagValues): Promise<{ code: number; out: string; log: string[] }> {
  const { logger, lines } = captureLogger();
  let out = '';
  const loaded = loadConfig({ command: 'snapshot', flags: { 'root-path': BASIC_ROOT, duration: '100ms', ...flags } });
  const code = await snapshotCommand(loaded, { logger, write: (t) => (out += t) });
  return { code, out, log: lines };
}

describe('snapshot command', () => {
  it('--json: counters exactly as in the fixture, rates 0 for a static tree', async () => {
    const { code, out, log } = await snapshot({ json: true });
    assert.equal(code, 0);
    assert.deepEqual(log, []);
    const doc = JSON.parse(out) as { time: string; interval_ms: number; interfaces: unknown[] };
    assert.match(doc.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(doc.interval_ms >= 100 && doc.interval_ms < 1000, `interval_ms ${doc.interval_ms}`);
    assert.deepEqual(doc.interfaces, EXPECTED_INTERFACES);
  });

  it('prints a table by default', async () => {
    const { out } = await snapshot({});
    assert.equal(
      out,
      [
        'INTERFACE  STATE   RX/s   TX/s  RX pkt/s  TX pkt/s  ERRORS rx/tx  DROPS rx/tx  RX TOTAL  TX TOTAL',
        'lo         up     0 B/s  0 B/s         0         0           0/0          0/0   52.0 KB   52.0 KB',
        'eth0       up     0 B/s  0 B/s         0         0           1/7          2/8    988 MB    123 MB',
        'docker0    down   0 B/s  0 B/s         0         0           0/0          0/0       0 B       0 B',
        '',
      ].join('\n'),
    );
  });

  it('honours --include, --exclude and --top', async () => {
    const names = async (flags: FlagValues) => (JSON.parse((await snapshot({ json: true, ...flags })).out) as { interfaces: { name: string }[] }).interfaces.map((i) => i.name);
    assert.deepEqual(await names({ include: ['eth*', 'lo'] }), ['lo', 'eth0']);
    assert.deepEqual(await names({ exclude: ['docker*'] }), ['lo', 'eth0']);
    // All idle: ties are broken by name.
    assert.deepEqual(await names({ top: '2' }), ['docker0', 'eth0']);
  });

  it('fails with a StartupError when the root has no proc/net/dev', async () => {
    await assert.rejects(snapshot({ 'root-path': '/nonexistent-root' }), (e: unknown) => e instanceof StartupError && /cannot read \/nonexistent-root\/proc\/net\/dev/.test(e.message));
  });
});
