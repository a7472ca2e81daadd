/**
 * Width in terminal cells. Everything the renderers print (ASCII, block elements, box drawing,
 * Σ, arrows) is one cell wide, so code points are cells; names with wide characters are rare
 * enough on Linux interfaces that they are only kept from breaking the layout by truncation.
 */
export function cells(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Exactly `width` cells: padded, or cut with "…" when too long. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? s + pad : pad + s;
}

/** `left` and `right` on one line of exactly `width` cells; `right` gives way first. */
export function spread(left: string, right: string, width: number): string {
  const gap = width - cells(left) - cells(right);
  if (gap >= 1) return left + ' '.repeat(gap) + right;
  return fit(left, width);
}
