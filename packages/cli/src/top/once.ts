import { formatDuration, visibleInterfaces, type Section } from './section.js';
import { headerLine, nameWidthFor, plainColumns, rowLine, usedWidth } from './table.js';

/**
 * What `top --once` (or `top` without a terminal) prints: the same columns as the screen, at
 * their natural widths, busiest first, without sparklines or trailing spaces. With remote agents,
 * each gets a "# host (url)" line, and one that did not answer says why in its place.
 */
export function plainTable(sections: readonly Section[], bits: boolean, intervalMs: number): string[] {
  const names = sections.flatMap((s) => s.snapshot?.interfaces.map((i) => i.name) ?? []);
  const cols = plainColumns(nameWidthFor(names));
  const width = usedWidth(cols);
  const titled = sections.length > 1 || sections.some((s) => s.remote);
  const out: string[] = [];
  sections.forEach((s, idx) => {
    if (titled) {
      if (idx > 0) out.push('');
      out.push(`# ${s.snapshot && s.remote ? `${s.snapshot.host} (${s.label})` : s.label}`);
    }
    if (s.error !== undefined) {
      out.push(`! ${s.error}`);
      return;
    }
    if (s.snapshot === undefined) {
      out.push(`! no sample within ${formatDuration(intervalMs)}`);
      return;
    }
    out.push(headerLine(cols, 'total', width).replace('▼', ' ').trimEnd());
    for (const iface of visibleInterfaces(s, 'total', '')) {
      out.push(rowLine(cols, { iface, rxSpark: [], txSpark: [] }, bits, width).trimEnd());
    }
  });
  return out;
}
