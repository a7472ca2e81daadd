import { formatBits, formatBytes, formatBytesPerSecond, formatCount } from '../format/units.js';

/** A rate in the unit the user toggled with `b`; "-" before the second sample. */
export function rateCell(bytesPerSecond: number | null, bits: boolean): string {
  if (bytesPerSecond === null) return '-';
  return bits ? formatBits(bytesPerSecond) : formatBytesPerSecond(bytesPerSecond);
}

export function countCell(v: number | null): string {
  return v === null ? '-' : formatCount(v);
}

/** Sum of per-second values where at least one is known. */
export function sumKnown(...vs: (number | null)[]): number | null {
  let sum: number | null = null;
  for (const v of vs) if (v !== null) sum = (sum ?? 0) + v;
  return sum;
}

export function bytesCell(v: number): string {
  return formatBytes(v);
}

/** operstate shortened to the STATE column's 7 cells. */
export function stateCell(operstate: string | null, up: boolean | null): string {
  if (operstate === null) return up === null ? '?' : up ? 'up' : 'down';
  if (operstate === 'lowerlayerdown') return 'lldown';
  if (operstate === 'notpresent') return 'absent';
  return operstate;
}
