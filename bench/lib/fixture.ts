import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The interfaces a bench namespace holds for size N: loopback plus N tap devices. */
export function benchInterfaceNames(n: number): string[] {
  return ['lo', ...Array.from({ length: n }, (_, i) => `tap${i}`)];
}

/** Deterministic counters (mulberry32), so two runs of the fixture parse to the same numbers. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

// Column widths of the kernel's dev_seq_printf_stats(), so parsers see the real spacing.
const WIDTHS = [8, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10] as const;

/** A /proc/net/dev as the kernel prints it; byte counters go past 2^32 to exercise 64-bit parsing. */
export function renderProcNetDev(names: readonly string[], seed = 1): string {
  const next = rng(seed);
  let out = HEADER;
  for (const name of names) {
    const packets = Math.floor(next() * 2 ** 32);
    const values = WIDTHS.map((_, col) => {
      if (col === 0 || col === 8) return packets * 900 + Math.floor(next() * 1000);
      if (col === 1 || col === 9) return packets;
      return Math.floor(next() * 16) === 0 ? Math.floor(next() * 1000) : 0;
    });
    out += `${name.padStart(6)}:${values.map((v, i) => String(v).padStart(WIDTHS[i] ?? 0)).join(' ')}\n`;
  }
  return out;
}

/** The sysfs attributes node_exporter's netclass collector and otel-netif read, for a tap that is up. */
function sysfsAttributes(name: string, index: number): Record<string, string> {
  const loopback = name === 'lo';
  const mac = loopback ? '00:00:00:00:00:00' : `02:00:${[index >> 24, index >> 16, index >> 8, index].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`;
  const attrs: Record<string, string> = {
    addr_assign_type: '3',
    addr_len: '6',
    address: mac,
    broadcast: loopback ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
    carrier: '1',
    carrier_changes: '1',
    carrier_down_count: '0',
    carrier_up_count: '1',
    dev_id: '0x0',
    dormant: '0',
    flags: loopback ? '0x9' : '0x1003',
    ifalias: '',
    ifindex: String(index + 1),
    iflink: String(index + 1),
    link_mode: '0',
    mtu: loopback ? '65536' : '1500',
    name_assign_type: '3',
    netdev_group: '0',
    operstate: loopback ? 'unknown' : 'up',
    tx_queue_len: loopback ? '1000' : '1000',
    type: loopback ? '772' : '1',
  };
  // Loopback has no speed or duplex: the kernel answers EINVAL, which a fixture expresses by absence.
  if (!loopback) {
    attrs['speed'] = '10000';
    attrs['duplex'] = 'full';
  }
  return attrs;
}

/**
 * Writes ROOT/proc/net/dev and ROOT/sys/class/net/NAME -> ../../devices/virtual/net/NAME, the
 * layout a real sysfs has, for agents pointed at ROOT (--root-path, --path.procfs/--path.sysfs).
 * Interfaces already in ROOT are kept, so growing a fixture from 1000 to 4000 writes 3000
 * (the sysfs tree is ~23 files per interface: seconds at 4000).
 */
export async function writeFixture(root: string, names: readonly string[], seed = 1): Promise<void> {
  await mkdir(join(root, 'proc/net'), { recursive: true });
  await mkdir(join(root, 'sys/class/net'), { recursive: true });
  await writeFile(join(root, 'proc/net/dev'), renderProcNetDev(names, seed));
  for (const [index, name] of names.entries()) {
    const link = join(root, 'sys/class/net', name);
    if (existsSync(link)) continue;
    const dev = join(root, 'sys/devices/virtual/net', name);
    await mkdir(dev, { recursive: true });
    const attrs = sysfsAttributes(name, index);
    await Promise.all(Object.entries(attrs).map(([file, value]) => writeFile(join(dev, file), `${value}\n`)));
    await symlink(`../../devices/virtual/net/${name}`, link);
  }
}
