import { closeSync, openSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReadError } from '../errors.js';
import type { LinkAttribute } from '../parse/sysfs.js';
import { KeptFiles, keptFileBudget, onSysfs, openFileLimit } from './kept-files.js';

// What sysfs answers for an attribute the link does not have right now: missing file, EINVAL (speed
// of a virtual link, carrier of a down link), ENODEV (link vanished mid-read), EACCES.
const ABSENT_CODES = new Set(['ENOENT', 'EINVAL', 'ENODEV', 'EACCES', 'ENOTDIR', 'EOPNOTSUPP']);

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export interface HostFsOptions {
  /** The process's soft limit on open files, which bounds the files kept open; read from /proc/self/limits when absent. */
  openFileLimit?: number;
}

/**
 * The only code that touches the disk. Every path is under rootPath (where the host's / is mounted, or
 * "/"), except the agent's own /proc/self/ns/net. Synchronous on purpose: procfs and sysfs reads do
 * not block on I/O, and a sync read keeps one sample one consistent moment.
 */
export class HostFs {
  readonly rootPath: string;
  readonly procNetDevPath: string;
  /**
   * Reused by every read that is not given a buffer: sysfs files (a few per sample, at most a page
   * each), and /proc/net/dev for a caller that does not bring its own (the receiver reads it into
   * its parser's spare buffer: a third copy of the file was 150 KB at 1000 interfaces).
   */
  private buffer: Buffer = Buffer.allocUnsafeSlow(4096);
  /** <root>/sys/class/net, joined once: path.join per attribute read was a visible share of a refresh. */
  private readonly classNet: string;

  /** Open sysfs files of the attributes refreshed often; undefined until needed, null when not on sysfs. */
  private kept: KeptFiles | null | undefined;
  private readonly openFileLimit: number | undefined;

  constructor(rootPath: string, options: HostFsOptions = {}) {
    this.rootPath = resolve(rootPath);
    this.openFileLimit = options.openFileLimit;
    this.procNetDevPath = join(this.rootPath, 'proc/net/dev');
    this.classNet = join(this.rootPath, 'sys/class/net');
  }

  /** Files kept open for re-reading (see KeptFiles); tests count them. */
  get keptFiles(): number {
    return this.kept?.size ?? 0;
  }

  /**
   * Kept files found dead so far (see KeptFiles): a caller that sees this grow during a read of a
   * link knows the link was deleted, and the value read is a new link's if one took the name.
   */
  get keptFilesLost(): number {
    return this.kept?.lost ?? 0;
  }

  /** Stops keeping `iface`'s files open: it vanished, or its name may now be another link's. */
  forgetLink(iface: string): void {
    this.kept?.closeInterface(iface);
  }

  /** Closes every kept file. */
  close(): void {
    this.kept?.closeAll();
  }

  private keptSysfsFiles(): KeptFiles | null {
    // Only sysfs formats the value afresh on every read at offset 0. A fixture tree is regular files,
    // which a test may replace (a new inode the kept file would not see): statfs of the directory
    // says which, once, and also covers a host's /sys mounted below rootPath in a container.
    this.kept ??= onSysfs(this.classNet) ? new KeptFiles(keptFileBudget(this.openFileLimit ?? openFileLimit())) : null;
    return this.kept;
  }

  /** The whole of <root>/proc/net/dev; throws ReadError when it cannot be read. */
  readProcNetDev(): string {
    try {
      return readFileSync(this.procNetDevPath, 'utf8');
    } catch (err) {
      throw this.procNetDevError(err);
    }
  }

  /**
   * The whole of <root>/proc/net/dev as bytes: in `into` when it has room enough, else in a new
   * buffer (the caller's from then on); without `into`, in a buffer this HostFs reuses, valid until
   * its next read. The sampling path parses these in place (ProcNetDevParser), skipping
   * readFileSync's fresh buffer and the UTF-8 decode of the whole file. Throws ReadError like
   * readProcNetDev().
   */
  readProcNetDevBytes(into?: Buffer): Buffer {
    try {
      return into !== undefined ? this.readAll(this.procNetDevPath, false, into) : this.readShared(this.procNetDevPath, false);
    } catch (err) {
      throw this.procNetDevError(err);
    }
  }

  private procNetDevError(err: unknown): ReadError {
    const code = errorCode(err) ?? String(err);
    const fix =
      this.rootPath === '/'
        ? 'is /proc mounted?'
        : `set rootPath to the directory where the host's / (or at least /proc) is mounted, or to "/" outside a container`;
    return new ReadError(this.procNetDevPath, `cannot read ${this.procNetDevPath} (${code}): ${fix}`, { cause: err });
  }

  /**
   * Reads a file to its end into `buffer` (from offset 0), or into a bigger one when it is full
   * (procfs files have no size to stat); returns the bytes, a view of the buffer they are in.
   * `wholeInOneRead`: a read that does not fill the buffer returned everything, which holds for
   * sysfs attributes (the kernel formats them whole, at most a page) and regular files, saving the
   * read that would only return 0; not for /proc/net/dev, whose reads may stop short.
   */
  private readAll(path: string, wholeInOneRead: boolean, buffer: Buffer): Buffer {
    const fd = openSync(path, 'r');
    let length = 0;
    try {
      for (;;) {
        if (length === buffer.length) buffer = grown(buffer, length, Math.max(buffer.length * 2, 4096));
        const room = buffer.length - length;
        const n = readSync(fd, buffer, length, room, null);
        length += n;
        if (n === 0 || (wholeInOneRead && n < room)) break;
      }
    } finally {
      closeSync(fd);
    }
    // Room for the whole file next time with some to spare: every read() of /proc/net/dev makes
    // the kernel walk the device list up to where the read starts, so a file read in two pieces
    // cost half as much again as one read (and node_exporter's reads grow the same way). A quarter
    // more, not twice: at 4000 interfaces the file is 540 KB, and a doubled buffer held 1 MB.
    if (length + (length >> 3) > buffer.length) buffer = grown(buffer, length, length + (length >> 2));
    return buffer.subarray(0, length);
  }

  /** readAll() into the shared buffer, which it keeps when the read needed a bigger one. */
  private readShared(path: string, wholeInOneRead: boolean): Buffer {
    const bytes = this.readAll(path, wholeInOneRead, this.buffer);
    if (bytes.buffer !== this.buffer.buffer) this.buffer = Buffer.from(bytes.buffer as ArrayBuffer);
    return bytes;
  }

  /** Path of <root>/sys/class/net/<iface>/<attr>. */
  linkAttributePath(iface: string, attr: LinkAttribute): string {
    return join(this.rootPath, 'sys/class/net', iface, attr);
  }

  /**
   * Text of <root>/sys/class/net/<iface>/<attr>, or undefined when the kernel has no value for it.
   * Other errors (EIO, ...) are thrown for the caller to report. `keepOpen`: an attribute re-read
   * often; on sysfs its file stays open for the next read (see KeptFiles).
   */
  readLinkAttribute(iface: string, attr: LinkAttribute, keepOpen = false): string | undefined {
    // Kernel names never contain "/" and are never "." or ".."; a name that does must not escape the tree.
    if (iface.includes('/') || iface === '.' || iface === '..' || iface === '') return undefined;
    try {
      const kept = keepOpen ? this.keptSysfsFiles() : null;
      if (kept) {
        const n = kept.read(iface, attr, `${this.classNet}/${iface}/${attr}`, this.buffer);
        return this.buffer.toString('utf8', 0, n);
      }
      // Not readFileSync: its fstat and fresh buffer per call doubled the cost of a refresh, and a
      // refresh reads four files for each of thousands of interfaces.
      // The name is checked above: plain concatenation gives what join() would.
      const bytes = this.readShared(`${this.classNet}/${iface}/${attr}`, true);
      return bytes.toString('utf8');
    } catch (err) {
      if (ABSENT_CODES.has(errorCode(err) ?? '')) return undefined;
      throw err;
    }
  }

  /** The agent's own network namespace (readlink /proc/self/ns/net, e.g. "net:[4026531840]"). */
  readSelfNetNamespace(): string | undefined {
    return readLinkOrUndefined('/proc/self/ns/net');
  }

  /** The network namespace of pid 1 as seen through <root>/proc: the host's, when root is a host mount. */
  readRootInitNetNamespace(): string | undefined {
    return readLinkOrUndefined(join(this.rootPath, 'proc/1/ns/net'));
  }

  /**
   * Inode of <root>/proc/net/dev, the file sample() reads. procfs gives each network namespace's
   * net/dev entry its own inode number (the same through every procfs mount), so this identifies the
   * namespace being read without the ptrace access that readlink of /proc/1/ns/net needs.
   */
  procNetDevInode(): number | undefined {
    return inodeOrUndefined(this.procNetDevPath);
  }

  /** Inode of <root>/proc/1/net/dev: pid 1's, i.e. the host's, namespace entry. Readable without ptrace. */
  rootInitNetDevInode(): number | undefined {
    return inodeOrUndefined(join(this.rootPath, 'proc/1/net/dev'));
  }
}

function inodeOrUndefined(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

function readLinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    // Missing, or EACCES: reading pid 1's ns link needs ptrace access to it, which a container
    // (and even root in some sandboxes) usually lacks.
    return undefined;
  }
}

/** A new buffer of `size` bytes holding the first `length` of `from`; never a slice of Node's pool, so its ArrayBuffer is all of it. */
function grown(from: Buffer, length: number, size: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(size);
  from.copy(bigger, 0, 0, length);
  return bigger;
}
