const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A utilization bar of `width` cells with eighth-cell resolution, then the percentage:
 * `utilizationBar(0.45, 8)` → "███▋░░░░  45%". Null (no known capacity) is blank. Over 100% (a link
 * faster than it says, or --max-bandwidth set low) fills the bar and shows the real figure.
 */
export function utilizationBar(ratio: number | null, width: number): string {
  const total = width + 5;
  if (ratio === null || !Number.isFinite(ratio)) return ' '.repeat(total);
  const r = Math.max(0, ratio);
  const eighths = Math.round(Math.min(1, r) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8] ?? '';
  const filled = '█'.repeat(full) + part;
  const empty = '░'.repeat(width - full - (part ? 1 : 0));
  const pct = `${Math.round(r * 100)}%`.padStart(4);
  return `${filled}${empty} ${pct}`;
}
