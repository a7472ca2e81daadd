import type { LiveInterface } from '../api/model.js';
import { utilizationBar } from './bar.js';
import { bytesCell, countCell, rateCell, stateCell, sumKnown } from './cells.js';
import type { SortKey } from './sort.js';
import { sparkline } from './sparkline.js';
import { cells, fit } from './text.js';

export interface TableRow {
  iface: LiveInterface;
  /** Per-second receive and transmit bytes over the last minute, oldest first; NaN unknown. */
  rxSpark: readonly number[];
  txSpark: readonly number[];
}

export type ColumnId = 'name' | 'state' | 'rx' | 'tx' | 'rxpps' | 'txpps' | 'err' | 'drop' | 'util' | 'utilPct' | 'start' | 'boot' | 'sparkRx' | 'sparkTx';

export interface Column {
  id: ColumnId;
  header: string;
  width: number;
  align: 'left' | 'right';
  /** Columns with the lowest priority are dropped first when the terminal is narrow. */
  priority: number;
  sort?: SortKey;
}

const UTIL_BAR_CELLS = 8;
const SPARK_MIN = 8;
const SPARK_MAX = 60;
const SPARK_PRIORITY = 7;
/** The longest Linux interface name (IFNAMSIZ - 1). */
const NAME_MAX = 15;

function baseColumns(nameWidth: number): Column[] {
  return [
    { id: 'name', header: 'IFACE', width: nameWidth, align: 'left', priority: 10, sort: 'name' },
    { id: 'state', header: 'STATE', width: 7, align: 'left', priority: 9 },
    { id: 'rx', header: 'RX', width: 11, align: 'right', priority: 10, sort: 'rx' },
    { id: 'tx', header: 'TX', width: 11, align: 'right', priority: 10, sort: 'tx' },
    { id: 'rxpps', header: 'RX PPS', width: 7, align: 'right', priority: 6, sort: 'packets' },
    { id: 'txpps', header: 'TX PPS', width: 7, align: 'right', priority: 6, sort: 'packets' },
    { id: 'err', header: 'ERR/s', width: 6, align: 'right', priority: 5, sort: 'errors' },
    { id: 'drop', header: 'DRP/s', width: 6, align: 'right', priority: 5, sort: 'errors' },
    { id: 'util', header: 'UTIL', width: UTIL_BAR_CELLS + 5, align: 'left', priority: 8 },
    { id: 'start', header: 'ΣSTART', width: 7, align: 'right', priority: 4 },
    { id: 'boot', header: 'ΣBOOT', width: 7, align: 'right', priority: 3 },
  ];
}

/**
 * IFACE is as wide as the longest name shown (6..15 cells: "IFACE▼" must fit), so short names
 * leave room for the charts. Every header has room for its sort mark the same way.
 */
export function nameWidthFor(names: readonly string[]): number {
  let w = 6;
  for (const n of names) w = Math.max(w, cells(n));
  return Math.min(w, NAME_MAX);
}

export function usedWidth(cols: readonly Column[]): number {
  return cols.reduce((s, c) => s + c.width, 0) + Math.max(0, cols.length - 1);
}

/**
 * The columns that fit `width`: least important groups are dropped first (ΣBOOT, ΣSTART,
 * errors/drops, packets, sparklines, UTIL, STATE); IFACE, RX and TX always stay. The two
 * sparklines share what the fixed columns leave (8..60 cells each); `sparks: false` leaves
 * them out.
 */
export function layoutColumns(width: number, nameWidth: number, sparks = true): Column[] {
  let cols = baseColumns(nameWidth);
  let wantSparks = sparks;
  const build = (): Column[] => {
    const free = width - usedWidth(cols) - 2;
    if (!wantSparks || free < 2 * SPARK_MIN) return cols;
    const w = Math.min(SPARK_MAX, Math.floor(free / 2));
    return [
      ...cols,
      { id: 'sparkRx', header: 'RX 1m', width: w, align: 'left', priority: SPARK_PRIORITY },
      { id: 'sparkTx', header: 'TX 1m', width: w, align: 'left', priority: SPARK_PRIORITY },
    ];
  };
  for (;;) {
    const out = build();
    const droppable = cols.filter((c) => c.priority < 10).map((c) => c.priority);
    if (wantSparks) droppable.push(SPARK_PRIORITY);
    const sparksShown = out.length > cols.length;
    // Sparklines that do not fit yet are only worth keeping if something cheaper can still go.
    const fits = usedWidth(out) <= width && (sparksShown || !wantSparks || droppable.every((p) => p >= SPARK_PRIORITY));
    if (fits || droppable.length === 0) return out;
    const lowest = Math.min(...droppable);
    if (lowest === SPARK_PRIORITY) wantSparks = false;
    cols = cols.filter((c) => c.priority !== lowest);
  }
}

/**
 * Every column at its natural width, utilization as a plain percentage and no sparklines: the
 * table `--once` and a non-TTY stdout get, meant for logs and pipes rather than a screen.
 */
export function plainColumns(nameWidth: number): Column[] {
  return baseColumns(nameWidth).map((c) => (c.id === 'util' ? { ...c, id: 'utilPct', width: 5, align: 'right' } : c));
}

function maxUtilization(i: LiveInterface): number | null {
  const { rx, tx } = i.utilization;
  return rx === null && tx === null ? null : Math.max(rx ?? 0, tx ?? 0);
}

export function headerLine(cols: readonly Column[], sort: SortKey, width: number): string {
  const parts = cols.map((c) => fit(c.sort === sort ? `${c.header}▼` : c.header, c.width, c.align));
  return fit(parts.join(' '), width);
}

function cell(c: Column, row: TableRow, bits: boolean): string {
  const i = row.iface;
  const r = i.rates;
  switch (c.id) {
    case 'name':
      return i.name;
    case 'state':
      return stateCell(i.operstate, i.up);
    case 'rx':
      return rateCell(r.rxBytes, bits);
    case 'tx':
      return rateCell(r.txBytes, bits);
    case 'rxpps':
      return countCell(r.rxPackets);
    case 'txpps':
      return countCell(r.txPackets);
    case 'err':
      return countCell(sumKnown(r.rxErrors, r.txErrors));
    case 'drop':
      return countCell(sumKnown(r.rxDrops, r.txDrops));
    case 'util':
      return utilizationBar(maxUtilization(i), UTIL_BAR_CELLS);
    case 'utilPct': {
      const u = maxUtilization(i);
      return u === null ? '-' : `${Math.round(u * 100)}%`;
    }
    case 'start':
      return bytesCell(i.sinceStart.rxBytes + i.sinceStart.txBytes);
    case 'boot':
      return bytesCell(i.counters.rxBytes + i.counters.txBytes);
    case 'sparkRx':
      return sparkline(row.rxSpark, c.width);
    case 'sparkTx':
      return sparkline(row.txSpark, c.width);
  }
}

/** One interface as exactly `width` cells. */
export function rowLine(cols: readonly Column[], row: TableRow, bits: boolean, width: number): string {
  return fit(cols.map((c) => fit(cell(c, row, bits), c.width, c.align)).join(' '), width);
}
