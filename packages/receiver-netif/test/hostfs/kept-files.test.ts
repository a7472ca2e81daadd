import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { keptFileBudget, openFileLimit, KeptFiles } from '../../src/hostfs/kept-files.js';
import { createNamespace, deleteAllNamespaces, nsExec, REPO_ROOT, requireNetns } from '../helpers/netns.js';
import { FixtureRoot } from '../helpers/fixture-root.js';
import { HostFs } from '../../src/hostfs/host-fs.js';
import { SLOW_REFRESH_EVERY } from '../../src/receiver.js';

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

    it('sees link state change through the same files, reads a re-created or renamed-away link anew, keeps within its budget, and closes them all', () => {
      const ns = createNamespace();
      const r = JSON.parse(nsExec(ns, [process.execPath, '--conditions=source', '--import', 'tsx', PROBE], { cwd: REPO_ROOT })) as Record<string, unknown>;
      assert.deepEqual(r.peerDown, { operstate: 'lowerlayerdown', carrier: false, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      // operstate and carrier of kv0 (only kv0 is included)
      assert.equal(r.keptAfterFirst, 2);
      assert.equal(r.kv0FilesOpen, 2);
      assert.deepEqual(r.peerUp, { operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      assert.equal(r.fdsAfterRefreshSame, true, 'a refresh reuses the open files');
      // peerUp was kv0's first refresh: the mtu comes with the SLOW_REFRESH_EVERY-th.
      assert.equal(r.mtuSeenAfter, SLOW_REFRESH_EVERY - 1);
      // Down, so no speed and no carrier; the mtu is the new link's, read because its kept files died.
      assert.deepEqual(r.recreated, { operstate: 'down', mtu: 1300 });
      assert.equal(r.lostOnRecreate, 1);
      assert.equal(r.recreatedFilesOpen, 2, 'carrier, unreadable while down, stays open too');
      // Coming up, it gets its speed at once.
      assert.deepEqual(r.beforeRename, { operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 1300 });
      const renamed = r.renamedSeenAfter as number;
      assert.ok(renamed >= 1 && renamed <= SLOW_REFRESH_EVERY, `the new kv0 was seen after ${renamed} refreshes`);
      assert.equal(r.vanished, null);
      assert.equal(r.keptAfterVanish, 0);
      assert.equal(r.keptAfterClose, 0);
      assert.equal(r.kv0FilesOpenAtEnd, 0, 'every kept file is closed');
      assert.equal(r.budgetKv0Files, 2, 'the budget of two goes to the first interface read');
      assert.equal(r.budgetKv2Files, 0, 'beyond it, files are opened for each read and closed');
      assert.deepEqual(r.budgetLinks, { kv0: 'up', kv2: 'up' });
      assert.equal(r.budgetFilesOpenAtEnd, 0);
    });
  });
});
