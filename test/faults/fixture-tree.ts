// A generated host root (proc/net/dev and sys/class/net) for fault tests that need many interfaces,
// counters the test controls, or a /proc/net/dev it can break and repair while the agent runs.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../test-support/index.js';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

export interface FixtureIface {
  name: string;
  /** Bytes; packets are derived (÷1000, at least 1). Decimal strings allowed for values past 2^53. */
  rx: number | bigint;
  tx: number | bigint;
  /** sysfs speed in Mb/s; absent for virtual links. */
  speedMbps?: number;
}

/** One /proc/net/dev line the way the kernel prints it ("%6s:%8llu …"). */
export function kernelLine(i: FixtureIface): string {
  const packets = (v: number | bigint) => (typeof v === 'bigint' ? v / 1000n : BigInt(Math.max(1, Math.floor(v / 1000))));
  const cols = [i.rx, packets(i.rx), 0, 0, 0, 0, 0, 0, i.tx, packets(i.tx), 0, 0, 0, 0, 0, 0];
  return `${i.name.padStart(6)}:${cols.map((c) => String(c).padStart(8)).join(' ')}\n`;
}

export function procNetDevText(ifaces: readonly FixtureIface[]): string {
  return HEADER + ifaces.map(kernelLine).join('');
}

export interface FixtureTree {
  /** Pass as --root-path. */
  root: string;
  procNetDev: string;
  /** Rewrites proc/net/dev atomically (rename), as a reader of procfs never sees half a file. */
  write(ifaces: readonly FixtureIface[]): void;
  writeText(text: string): void;
  /** chmod of proc/net/dev; 0 makes it unreadable to anyone but root. */
  chmod(mode: number): void;
}

/** A temp root with sysfs entries for `ifaces` (removed with the other temp dirs at cleanup). */
export function makeFixtureTree(label: string, ifaces: readonly FixtureIface[]): FixtureTree {
  const root = makeTempDir(label);
  mkdirSync(join(root, 'proc/net'), { recursive: true });
  for (const i of ifaces) {
    const dir = join(root, 'sys/class/net', i.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'operstate'), 'up\n');
    writeFileSync(join(dir, 'carrier'), '1\n');
    writeFileSync(join(dir, 'mtu'), '1500\n');
    if (i.speedMbps !== undefined) writeFileSync(join(dir, 'speed'), `${i.speedMbps}\n`);
  }
  const procNetDev = join(root, 'proc/net/dev');
  const writeText = (text: string) => {
    const tmp = `${procNetDev}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, procNetDev);
  };
  writeText(procNetDevText(ifaces));
  return {
    root,
    procNetDev,
    write: (list) => writeText(procNetDevText(list)),
    writeText,
    chmod: (mode) => chmodSync(procNetDev, mode),
  };
}

/**
 * A Kubernetes-like node: loopback, two NICs, the CNI bridge and overlay, and `pods` veths named
 * as runtimes name them (veth + 8 hex digits, deterministic here). Every interface carries some
 * traffic, the NICs the most.
 */
export function kubernetesNode(pods: number): FixtureIface[] {
  const out: FixtureIface[] = [
    { name: 'lo', rx: 5_000_000, tx: 5_000_000 },
    { name: 'eth0', rx: 9_000_000_000, tx: 4_000_000_000, speedMbps: 25_000 },
    { name: 'eth1', rx: 2_000_000_000, tx: 1_000_000_000, speedMbps: 25_000 },
    { name: 'cni0', rx: 700_000_000, tx: 800_000_000 },
    { name: 'flannel.1', rx: 300_000_000, tx: 200_000_000 },
  ];
  for (let i = 0; i < pods; i++) {
    const hex = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
    out.push({ name: `veth${hex}`, rx: 1_000_000 + i * 7919, tx: 2_000_000 + i * 104_729 });
  }
  return out;
}

/** Every interface's counters moved on by `bytes` (× its position + 1, so rates differ). */
export function advance(ifaces: readonly FixtureIface[], bytes: number): FixtureIface[] {
  return ifaces.map((i, n) => ({ ...i, rx: Number(i.rx) + bytes * (n + 1), tx: Number(i.tx) + bytes * (n + 1) }));
}

/** The agent's resident set size in bytes, from /proc/<pid>/status. */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}
