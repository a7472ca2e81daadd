import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { keptFileBudget, openFileLimit, KeptFiles } from '../../src/hostfs/kept-files.js';
import { createNamespace, deleteAllNamespaces, nsExec, REPO_ROOT, requireNetns } from '../helpers/netns.js';
import { FixtureRoot } from '../helpers/fixture-root.js';
import { HostFs } from '../../src/hostfs/host-fs.js';

const PROBE = fileURLToPath(new URL('../helpers/kept-files-probe.ts', import.meta.url));

describe('sysfs files kept open for link refreshes', () => {
  it('budgets half of what the open-file limit leaves after a reserve, and reads the limit from /proc/self/limits', () => {
    assert.equal(openFileLimit('Limit Soft Hard Units\nMax open files            1024                 524288               files\n'), 1024);
    assert.equal(openFileLimit('Max open files unlimited unlimited files\n'), Number.MAX_SAFE_INTEGER);
    assert.equal(openFileLimit('nothing here'), 1024);
    assert.ok(openFileLimit() >= 1024);
    assert.equal(keptFileBudget(1024), 384);
    assert.equal(keptFileBudget(100), 0);
  });

  it('keeps no more than its budget open and reads the rest by opening them', () => {
    const root = new FixtureRoot();
    try {
      for (const i of ['a', 'b', 'c']) root.writeLink(i, { operstate: 'up' });
      const kept = new KeptFiles(2);
      const buf = Buffer.alloc(64);
      for (const i of ['a', 'b', 'c']) {
        const n = kept.read(i, 'operstate', `${root.path}/sys/class/net/${i}/operstate`, buf);
        assert.equal(buf.toString('utf8', 0, n), 'up\n');
      }
      assert.equal(kept.size, 2);
      // The budget is the process's: another KeptFiles keeps nothing more while this one holds it.
      const other = new KeptFiles(2);
      other.read('c', 'operstate', `${root.path}/sys/class/net/c/operstate`, buf);
      assert.equal(other.size, 0);
      assert.equal(KeptFiles.keptInProcess, 2);
      kept.closeInterface('a');
      assert.equal(kept.size, 1);
      kept.closeAll();
      assert.equal(kept.size, 0);
    } finally {
      root.remove();
    }
  });

  it('keeps nothing open for a fixture tree, whose files a test may replace', () => {
    const root = new FixtureRoot();
    try {
      root.writeLink('eth0', { operstate: 'up' });
      const fs = new HostFs(root.path);
      assert.equal(fs.readLinkAttribute('eth0', 'operstate', true), 'up\n');
      assert.equal(fs.keptFiles, 0);
      root.writeLink('eth0', { operstate: 'down' });
      assert.equal(fs.readLinkAttribute('eth0', 'operstate', true), 'down\n');
    } finally {
      root.remove();
    }
  });

  describe('on a real veth @root', function () {
    before(function () {
      requireNetns(this);
    });
    after(() => deleteAllNamespaces());

    it('sees operstate and carrier change through the same files, reads a re-created link anew, and closes them when it goes', () => {
      const ns = createNamespace();
      const r = JSON.parse(nsExec(ns, [process.execPath, '--conditions=source', '--import', 'tsx', PROBE], { cwd: REPO_ROOT })) as Record<string, unknown>;
      assert.deepEqual(r.peerDown, { operstate: 'lowerlayerdown', carrier: false, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      // operstate and carrier of kv0 (only kv0 is included)
      assert.equal(r.keptAfterFirst, 2);
      assert.equal(r.kv0FilesOpen, 2);
      assert.deepEqual(r.peerUp, { operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      assert.equal(r.fdsAfterRefreshSame, true, 'a refresh reuses the open files');
      assert.deepEqual(r.recreated, { operstate: 'down', speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      assert.equal(r.vanished, null);
      assert.equal(r.keptAfterVanish, 0);
      assert.equal(r.keptAfterClose, 0);
      assert.equal(r.kv0FilesOpenAtEnd, 0, 'every kept file is closed');
    });
  });
});
