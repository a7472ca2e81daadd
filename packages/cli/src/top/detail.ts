import { utilizationBar } from './bar.js';
import { bytesCell, countCell, rateCell } from './cells.js';
import { mirrorChart } from './chart.js';
import type { LineKind, ScreenInput } from './screen.js';
import { formatDuration, rowId, sectionInterval } from './section.js';
import { fit } from './text.js';

const GUTTER = 16;

function maxOf(values: readonly number[]): number | null {
  let m: number | null = null;
  for (const v of values) if (!Number.isNaN(v) && (m === null || v > m)) m = v;
  return m;
}

function meanOf(values: readonly number[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) {
    sum += v;
    n++;
  }
  return n ? sum / n : null;
}

/**
 * The selected interface alone: a two-column table (receive | transmit) of rates, peaks over the
 * chart's window, packets, errors, drops, utilization and totals, then receive and transmit
 * mirrored around a time axis over the rest of the screen.
 */
export function renderDetail(input: ScreenInput, rows: number): { text: string; kind: LineKind }[] {
  const { sections, state, width, intervalMs } = input;
  const section = sections.find((s) => s.snapshot?.interfaces.some((i) => rowId(s, i.name) === state.selected));
  const iface = section?.snapshot?.interfaces.find((i) => rowId(section, i.name) === state.selected);
  if (section === undefined || iface === undefined) {
    const name = state.selected?.slice(state.selected.lastIndexOf('/') + 1) ?? '';
    return [{ text: fit(`  ${name} is gone — enter or esc to go back`, width), kind: 'error' }];
  }
  const bits = state.bits;
  const chartWidth = Math.max(10, width - GUTTER);
  const rx = section.history.last(iface.name, 'rxBytes', chartWidth);
  const tx = section.history.last(iface.name, 'txBytes', chartWidth);
  const r = iface.rates;
  const speed = iface.speedBytesPerSecond === null ? 'speed unknown' : rateCell(iface.speedBytesPerSecond, true);
  const where = section.remote ? ` · ${section.snapshot?.host ?? section.label}` : '';
  const bar = `── ${iface.name}${where} · ${iface.operstate ?? '?'}${iface.carrier === null ? '' : iface.carrier ? ' · carrier' : ' · no carrier'} · ${speed}${iface.mtu === null ? '' : ` · mtu ${iface.mtu}`} `;
  const row = (label: string, a: string, b: string): string => fit(`${label.padEnd(GUTTER)}${a.padStart(12)}  ${b.padStart(12)}`, width);
  const table = [
    row('', 'RECEIVE', 'TRANSMIT'),
    row('rate', rateCell(r.rxBytes, bits), rateCell(r.txBytes, bits)),
    row('peak', rateCell(maxOf(rx), bits), rateCell(maxOf(tx), bits)),
    row('average', rateCell(meanOf(rx), bits), rateCell(meanOf(tx), bits)),
    row('packets/s', countCell(r.rxPackets), countCell(r.txPackets)),
    row('errors/s', countCell(r.rxErrors), countCell(r.txErrors)),
    row('drops/s', countCell(r.rxDrops), countCell(r.txDrops)),
    row('utilization', utilizationBar(iface.utilization.rx, 6).trim() || '-', utilizationBar(iface.utilization.tx, 6).trim() || '-'),
    row('since start', bytesCell(iface.sinceStart.rxBytes), bytesCell(iface.sinceStart.txBytes)),
    row('since boot', bytesCell(iface.counters.rxBytes), bytesCell(iface.counters.txBytes)),
    row('errs (boot)', countCell(iface.counters.rxErrs), countCell(iface.counters.txErrs)),
    row('drop (boot)', countCell(iface.counters.rxDrop), countCell(iface.counters.txDrop)),
  ];
  const out: { text: string; kind: LineKind }[] = [
    { text: fit(bar.padEnd(width, '─'), width), kind: 'section' },
    ...table.map((text, i) => ({ text, kind: (i === 0 ? 'header' : 'text') as LineKind })),
  ];
  const chartRows = rows - out.length - 2;
  if (chartRows >= 3) {
    const c = mirrorChart(rx, tx, chartWidth, chartRows);
    out.push({ text: fit(`${''.padEnd(GUTTER)}last ${formatDuration(chartWidth * sectionInterval(section, intervalMs))}, newest at the right`, width), kind: 'text' });
    const label = (s: string): string => fit(s, GUTTER - 1, 'right') + ' ';
    c.upper.forEach((l, i) => out.push({ text: fit((i === 0 ? label(`RX ${rateCell(c.rxMax, bits)}`) : ' '.repeat(GUTTER)) + l, width), kind: 'text' }));
    out.push({ text: fit(label('0') + c.axis, width), kind: 'text' });
    c.lower.forEach((l, i) => out.push({ text: fit((i === c.lower.length - 1 ? label(`TX ${rateCell(c.txMax, bits)}`) : ' '.repeat(GUTTER)) + l, width), kind: 'text' }));
  }
  return out;
}
