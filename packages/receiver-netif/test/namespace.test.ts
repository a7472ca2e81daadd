import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNamespace, deleteAllNamespaces, requireNetns, runReceiver } from './helpers/netns.js';

/**
 * The container trap for real: a root dir whose proc and sys point at the real ones, read from a
 * process in another network namespace. /proc/net follows the reader, so the receiver sees that
 * namespace's interfaces although the root "is" the host's; namespaceWarning() must say so.
 */
describe('namespaceWarning in real network namespaces @root', function () {
  let root: string;
  let ns: string;

  before(function () {
    requireNetns(this);
    root = mkdtempSync(join(tmpdir(), 'onr-nsroot-'));
    symlinkSync('/proc', join(root, 'proc'));
    symlinkSync('/sys', join(root, 'sys'));
    ns = createNamespace();
  });

  after(() => {
    deleteAllNamespaces();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('warns when the agent runs in a fresh namespace with a host-like root, and names the fix', () => {
    const report = runReceiver(ns, root);
    assert.ok(report.warning, 'expected a warning');
    assert.ok(!report.warning.includes('\n'), 'one line');
    assert.ok(report.warning.startsWith(`${root}/proc/net/dev shows the agent's own network namespace (`), report.warning);
    assert.match(report.warning, /hostNetwork: true/);
    assert.match(report.warning, /network_mode: host/);
    assert.match(report.warning, /--network host/);
    // And it is right: what it read is the fresh namespace's /proc/net/dev, which holds only lo.
    assert.deepEqual(report.sample.interfaces.map((i) => i.name), ['lo']);
  });

  it('does not warn with rootPath "/" in the same fresh namespace', () => {
    assert.equal(runReceiver(ns, root).rootWarning, null);
  });

  it('does not warn when run in the host namespace with the same root', function () {
    // Inodes, not readlink: reading /proc/1/ns/net needs ptrace access that even root may lack here.
    if (statSync('/proc/self/net/dev').ino !== statSync('/proc/1/net/dev').ino) {
      process.stderr.write('      skipping: this test process itself is not in the network namespace of pid 1\n');
      this.skip();
    }
    const report = runReceiver(undefined, root);
    assert.equal(report.warning, null);
    assert.equal(report.rootWarning, null);
  });
});
