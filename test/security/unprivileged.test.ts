// The agent needs no privileges: the built CLI run as nobody:nogroup, with no capabilities and
// no_new_privs (setpriv, when the test runs as root; as whoever runs it otherwise), reads the real
// /proc/net/dev and /sys/class/net of this machine and serves /metrics on loopback.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cleanupNamespaces, findSample, findSamples, requireCli, startAgent, type Agent } from '../../test-support/index.js';
import { NOBODY_UID, unprivilegedWrap } from '../../test-support/unprivileged.js';

function status(pid: number, field: string): string {
  const m = new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return m[1]!.trim();
}

describe('security: runs as an unprivileged user', function () {
  this.timeout(30_000);
  let agent: Agent | undefined;
  after(async () => {
    await agent?.stop();
    await cleanupNamespaces();
  });

  it('samples the host and serves /metrics as nobody, with no capabilities', async function () {
    requireCli(this);
    const wrap = unprivilegedWrap();
    agent = await startAgent({ args: ['run', '--root-path', '/', '--interval', '200ms'], wrap });
    const uids = status(agent.pid, 'Uid').split(/\s+/).map(Number);
    if (wrap.length > 0) assert.deepEqual(uids, [NOBODY_UID, NOBODY_UID, NOBODY_UID, NOBODY_UID]);
    else assert.ok(uids.every((u) => u !== 0), `running as uid ${uids.join(',')}`);
    for (const caps of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb']) assert.equal(status(agent.pid, caps), '0000000000000000', caps);
    if (wrap.length > 0) {
      assert.equal(status(agent.pid, 'NoNewPrivs'), '1');
      assert.equal(status(agent.pid, 'CapBnd'), '0000000000000000');
    }

    const expo = await agent.scrape();
    assert.ok(findSamples(expo, 'system_network_io_bytes_total', { network_interface_name: 'lo' }).length === 2, 'lo counters missing');
    assert.ok(findSample(expo, 'system_network_interface_mtu_bytes', { network_interface_name: 'lo' }), 'sysfs link data missing');
    assert.equal(findSample(expo, 'otelnetif_samples_total', { outcome: 'failure' })?.value, 0);
    assert.ok(agent.stderrLines.every((l) => !/ (warn|error) /.test(l)), agent.stderrLines.join('\n'));
  });
});
