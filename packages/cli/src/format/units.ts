/**
 * Human units for local views (console, snapshot, top). Decimal prefixes throughout, as link
 * speeds and ifconfig-style tools use them, with three significant digits so columns stay narrow.
 */
const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P'] as const;

/** `value` scaled to the largest prefix that keeps it below 1000 once rounded. */
function scale(value: number): { scaled: number; prefix: string } {
  let scaled = value;
  let i = 0;
  // Compare the rounded text, not the raw value: 999.7 must become "1.00 K", not "1000".
  while (i < PREFIXES.length - 1 && Number(threeDigits(Math.abs(scaled))) >= 1000) {
    scaled /= 1000;
    i++;
  }
  return { scaled, prefix: PREFIXES[i] ?? '' };
}

function threeDigits(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function withUnit(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '-';
  if (value === 0) return `0 ${unit}`;
  const { scaled, prefix } = scale(value);
  // Whole numbers below 1000 (byte totals, idle counters) read better without ".00".
  const text = prefix === '' && Number.isInteger(scaled) ? String(scaled) : threeDigits(Math.abs(scaled));
  return `${scaled < 0 ? '-' : ''}${text} ${prefix}${unit}`;
}

/** 1210000 → "1.21 MB/s". */
export function formatBytesPerSecond(bytesPerSecond: number): string {
  return withUnit(bytesPerSecond, 'B/s');
}

/** Bits per second from bytes per second, as link speeds are quoted: 125000000 → "1.00 Gbit/s". */
export function formatBits(bytesPerSecond: number): string {
  return withUnit(bytesPerSecond * 8, 'bit/s');
}

/** 1210000000 → "1.21 GB". */
export function formatBytes(bytes: number): string {
  return withUnit(bytes, 'B');
}

/**
 * Counts and count rates (packets/s, errors/s): 802 → "802", 0.25 → "0.25", 12345 → "12.3K".
 * Unitless so callers add "pkt/s" or put it in a column header.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value === 0) return '0';
  const { scaled, prefix } = scale(value);
  const text = prefix === '' && Number.isInteger(scaled) ? String(scaled) : threeDigits(Math.abs(scaled));
  return `${scaled < 0 ? '-' : ''}${text}${prefix}`;
}

/** 0.423 → "42.3%"; utilization is a 0..1 ratio. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  const pct = ratio * 100;
  return `${pct >= 100 ? pct.toFixed(0) : pct >= 10 ? pct.toFixed(1) : pct.toFixed(2)}%`;
}
