import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadError } from '../../src/errors.js';
import { HostFs } from '../../src/hostfs/host-fs.js';

describe('HostFs', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'onr-hostfs-'));
    mkdirSync(join(root, 'proc/net'), { recursive: true });
    writeFileSync(join(root, 'proc/net/dev'), 'contents');
    mkdirSync(join(root, 'sys/class/net/eth0'), { recursive: true });
    writeFileSync(join(root, 'sys/class/net/eth0/mtu'), '1500\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads <root>/proc/net/dev', () => {
    const fs = new HostFs(root);
    assert.equal(fs.procNetDevPath, join(root, 'proc/net/dev'));
    assert.equal(fs.readProcNetDev(), 'contents');
  });

  it('throws a one-line ReadError naming the path and the fix when /proc/net/dev is missing', () => {
    const fs = new HostFs(join(root, 'nowhere'));
    assert.throws(
      () => fs.readProcNetDev(),
      (err: unknown) => {
        assert.ok(err instanceof ReadError);
        assert.equal(err.path, join(root, 'nowhere/proc/net/dev'));
        assert.equal(
          err.message,
          `cannot read ${join(root, 'nowhere/proc/net/dev')} (ENOENT): set rootPath to the directory where the host's / (or at least /proc) is mounted, or to "/" outside a container`,
        );
        assert.ok(!err.message.includes('\n'));
        return true;
      },
    );
  });

  it('reads link attributes and answers undefined for missing ones', () => {
    const fs = new HostFs(root);
    assert.equal(fs.readLinkAttribute('eth0', 'mtu'), '1500\n');
    assert.equal(fs.readLinkAttribute('eth0', 'speed'), undefined);
    assert.equal(fs.readLinkAttribute('eth9', 'mtu'), undefined);
  });

  it('reads files bigger than its reused buffer whole, and the same bytes as readFileSync', () => {
    const big = `${'x'.repeat(200_000)}\n`;
    mkdirSync(join(root, 'sys/class/net/eth0.100'), { recursive: true });
    writeFileSync(join(root, 'sys/class/net/eth0.100/operstate'), big);
    writeFileSync(join(root, 'proc/net/dev.big'), big);
    const fs = new HostFs(root);
    assert.equal(fs.readLinkAttribute('eth0.100', 'operstate'), big);
    assert.equal(fs.readLinkAttribute('eth0', 'mtu'), '1500\n', 'a short read after a long one');
    writeFileSync(join(root, 'proc/net/dev'), big);
    try {
      assert.equal(Buffer.from(fs.readProcNetDevBytes()).toString(), big);
      assert.equal(fs.readProcNetDev(), big);
    } finally {
      writeFileSync(join(root, 'proc/net/dev'), 'contents');
    }
  });

  it('reads /proc/net/dev into a buffer it is given, or into a new one when that is too small, never into its own', () => {
    const text = 'Inter-|\n face |\n  eth0: 1 2 3\n';
    writeFileSync(join(root, 'proc/net/dev'), text);
    try {
      const fs = new HostFs(root);
      const given = Buffer.alloc(100);
      const bytes = fs.readProcNetDevBytes(given);
      assert.equal(bytes.buffer, given.buffer);
      assert.equal(bytes.toString(), text);
      const small = Buffer.alloc(5);
      const grown = fs.readProcNetDevBytes(small);
      assert.notEqual(grown.buffer, small.buffer);
      assert.equal(grown.toString(), text);
      // The shared buffer was not used: a sysfs read in between leaves the bytes handed out alone.
      const kept = Buffer.from(bytes);
      assert.equal(fs.readLinkAttribute('eth0', 'mtu'), '1500\n');
      assert.deepEqual(bytes, kept);
      assert.equal(fs.readProcNetDevBytes(Buffer.alloc(0)).toString(), text, 'an empty buffer grows');
    } finally {
      writeFileSync(join(root, 'proc/net/dev'), 'contents');
    }
  });

  it('reads /proc/net/dev bytes from the real procfs as readFileSync does', function () {
    if (!existsSync('/proc/net/dev')) this.skip();
    const text = new HostFs('/').readProcNetDev();
    const bytes = Buffer.from(new HostFs('/').readProcNetDevBytes()).toString();
    // Counters move between the two reads; the interface lines and their names do not.
    assert.deepEqual(bytes.split('\n').map((l) => l.split(':')[0]), text.split('\n').map((l) => l.split(':')[0]));
  });

  it('never leaves sys/class/net for names with "/" or dot-dot', () => {
    const fs = new HostFs(root);
    assert.equal(fs.readLinkAttribute('../../../proc/net', 'mtu'), undefined);
    assert.equal(fs.readLinkAttribute('..', 'mtu'), undefined);
  });

  it('answers undefined for EINVAL from the real sysfs (speed of loopback)', function () {
    if (!existsSync('/sys/class/net/lo/speed')) this.skip();
    assert.equal(new HostFs('/').readLinkAttribute('lo', 'speed'), undefined);
    assert.match(new HostFs('/').readLinkAttribute('lo', 'mtu') ?? '', /^\d+\n$/);
  });

  it('reads the namespace links, or undefined when <root>/proc/1 is missing', () => {
    const fs = new HostFs(root);
    assert.equal(fs.readRootInitNetNamespace(), undefined);
    assert.equal(fs.rootInitNetDevInode(), undefined);
    assert.equal(typeof fs.procNetDevInode(), 'number');
    if (existsSync('/proc/self/ns/net')) assert.match(fs.readSelfNetNamespace() ?? '', /^net:\[\d+\]$/);
  });

  it('sees the same net/dev inode through /proc/net and /proc/self/net (one namespace, one procfs entry)', function () {
    if (!existsSync('/proc/self/net/dev')) this.skip();
    const fs = new HostFs('/');
    assert.equal(fs.procNetDevInode(), statSync('/proc/self/net/dev').ino);
  });
});
