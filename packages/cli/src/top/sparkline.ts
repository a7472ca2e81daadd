const LEVELS = '▁▂▃▄▅▆▇█';

/**
 * `values` squeezed into at most `width` buckets, keeping each bucket's maximum: a one-second
 * burst must still show when a minute of samples shares a few cells. NaN (unknown) only wins
 * when the whole bucket is unknown.
 */
export function resample(values: readonly number[], width: number): number[] {
  const n = values.length;
  if (n <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * n) / width);
    const to = Math.floor(((i + 1) * n) / width);
    let max = Number.NaN;
    for (let j = from; j < to; j++) {
      const v = values[j] as number;
      if (!Number.isNaN(v) && !(v <= max)) max = v;
    }
    out.push(max);
  }
  return out;
}

/**
 * One cell per value, right-aligned in `width` cells (newest at the right edge). Unknown is a
 * blank, zero the lowest bar, and any traffic at least the second bar, so an idle link and a
 * trickle never look the same. Scaled to `max` (default: the largest value shown).
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const shown = resample(values, width);
  let top = max ?? 0;
  if (max === undefined) for (const v of shown) if (v > top) top = v;
  let out = '';
  for (const v of shown) {
    if (Number.isNaN(v)) out += ' ';
    else if (v <= 0 || top <= 0) out += LEVELS[0];
    else out += LEVELS[Math.min(7, 1 + Math.floor((v / top) * 6.999))];
  }
  return ' '.repeat(Math.max(0, width - shown.length)) + out;
}
