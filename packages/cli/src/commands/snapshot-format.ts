import type { NetifSample } from '@otel-netif/receiver-netif';
import type { InterfaceView } from '../pipeline/views.js';
import { formatBytes, formatBytesPerSecond, formatCount } from '../format/units.js';
import { hrTimeIso } from '../format/utc-time.js';

/** The kernel's /proc/net/dev column names, which users grep for, as JSON keys. */
const COUNTER_KEYS = {
  rxBytes: 'rx_bytes',
  rxPackets: 'rx_packets',
  rxErrs: 'rx_errs',
  rxDrop: 'rx_drop',
  rxFifo: 'rx_fifo',
  rxFrame: 'rx_frame',
  rxCompressed: 'rx_compressed',
  rxMulticast: 'rx_multicast',
  txBytes: 'tx_bytes',
  txPackets: 'tx_packets',
  txErrs: 'tx_errs',
  txDrop: 'tx_drop',
  txFifo: 'tx_fifo',
  txColls: 'tx_colls',
  txCarrier: 'tx_carrier',
  txCompressed: 'tx_compressed',
} as const;

function direction(v: InterfaceView, dir: 'rx' | 'tx') {
  const r = v.rates?.[dir];
  const out: Record<string, number> = r
    ? { bytes_per_second: r.bytes, packets_per_second: r.packets, errors_per_second: r.errors, drops_per_second: r.drops }
    : {};
  const u = v.utilization[dir];
  if (u !== undefined) out.utilization = u;
  return out;
}

export interface SnapshotJson {
  time: string;
  interval_ms: number;
  interfaces: {
    name: string;
    state: string | null;
    up: boolean | null;
    speed_bytes_per_second?: number;
    counters: Record<string, number>;
    rates: { rx: Record<string, number>; tx: Record<string, number> };
  }[];
}

/** The `snapshot --json` document; snake_case keys, counters named as in /proc/net/dev. */
export function snapshotJson(sample: NetifSample, intervalMs: number, views: InterfaceView[]): SnapshotJson {
  return {
    time: hrTimeIso(sample.time),
    interval_ms: Math.round(intervalMs),
    interfaces: views.map((v) => ({
      name: v.name,
      state: v.link.operstate ?? null,
      up: v.link.up ?? null,
      ...(v.link.speedBytesPerSecond !== undefined ? { speed_bytes_per_second: v.link.speedBytesPerSecond } : {}),
      counters: Object.fromEntries(Object.entries(COUNTER_KEYS).map(([field, key]) => [key, v.counters[field as keyof typeof COUNTER_KEYS]])),
      rates: { rx: direction(v, 'rx'), tx: direction(v, 'tx') },
    })),
  };
}

const HEADER = ['INTERFACE', 'STATE', 'RX/s', 'TX/s', 'RX pkt/s', 'TX pkt/s', 'ERRORS rx/tx', 'DROPS rx/tx', 'RX TOTAL', 'TX TOTAL'];
/** Numbers are right-aligned, names and states left-aligned. */
const LEFT = new Set([0, 1]);

/** The human table: rates over the snapshot window; errors, drops and totals since the counters started. */
export function snapshotTable(views: InterfaceView[]): string {
  const rows = views.map((v) => {
    const r = v.rates;
    const rate = (n: number | undefined, f: (x: number) => string) => (n === undefined ? '-' : f(n));
    return [
      v.name,
      v.link.up === true ? 'up' : (v.link.operstate ?? '?'),
      rate(r?.rx.bytes, formatBytesPerSecond),
      rate(r?.tx.bytes, formatBytesPerSecond),
      rate(r?.rx.packets, formatCount),
      rate(r?.tx.packets, formatCount),
      `${formatCount(v.counters.rxErrs)}/${formatCount(v.counters.txErrs)}`,
      `${formatCount(v.counters.rxDrop)}/${formatCount(v.counters.txDrop)}`,
      formatBytes(v.counters.rxBytes),
      formatBytes(v.counters.txBytes),
    ];
  });
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (LEFT.has(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADER), ...rows.map(line)].join('\n') + '\n';
}
