import { formatMs } from './format.js';
import { TARGET_LABELS } from './results.js';
import type { BenchResults, SizeResult } from './results.js';

interface Series {
  label: string;
  color: string;
  dash?: string;
  value: (s: SizeResult) => number | undefined;
}

const SERIES: Series[] = [
  { label: `${TARGET_LABELS.neNetclass}, scrape`, color: '#d62728', value: (s) => s.targets.neNetclass?.scrape?.medianMs },
  { label: `${TARGET_LABELS.neNetdev}, scrape`, color: '#ff7f0e', value: (s) => s.targets.neNetdev?.scrape?.medianMs },
  { label: `${TARGET_LABELS.hostMetrics}, scrape`, color: '#9467bd', value: (s) => s.targets.hostMetrics?.scrape?.medianMs },
  { label: 'otel-netif, fresh scrape', color: '#1f77b4', value: (s) => s.cycle?.freshScrapeMedianMs },
  { label: 'otel-netif, cached scrape', color: '#1f77b4', dash: '2 3', value: (s) => s.targets.otelNetif?.scrape?.medianMs },
  { label: 'otel-netif, CPU per cycle', color: '#17becf', dash: '6 3', value: (s) => s.cycle?.cpuMsPerCycle },
  { label: 'otel-netif, one sample', color: '#2ca02c', value: (s) => s.sample?.medianMs },
  { label: 'floor: C read of /proc/net/dev', color: '#444444', dash: '6 3', value: (s) => s.floor?.medianMs },
];

const W = 860;
const H = 480;
const PAD = { left: 70, right: 290, top: 40, bottom: 50 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Log-log cost against N, drawn by hand: one file, no chart library, diffable in review. */
export function renderSvg(r: BenchResults): string {
  const xs = r.sizes.map((s) => s.n);
  const values = r.sizes.flatMap((s) => SERIES.map((x) => x.value(s))).filter((v): v is number => v !== undefined && v > 0);
  if (xs.length === 0 || values.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="60"><text x="10" y="30">no data</text></svg>\n`;
  const x0 = Math.floor(Math.log10(Math.min(...xs)));
  const x1 = Math.max(x0 + 1, Math.ceil(Math.log10(Math.max(...xs))));
  const y0 = Math.floor(Math.log10(Math.min(...values)));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.log10(Math.max(...values))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (n: number): number => PAD.left + ((Math.log10(n) - x0) / (x1 - x0)) * plotW;
  const py = (ms: number): number => PAD.top + plotH - ((Math.log10(ms) - y0) / (y1 - y0)) * plotH;
  const f = (v: number): string => v.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="22" font-size="15">Cost against interfaces (log-log), ${esc(r.date.slice(0, 10))}, ${r.machine.nproc} cores, ${esc(r.mode)}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${PAD.left}" y1="${f(y)}" x2="${PAD.left + plotW}" y2="${f(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${f(y + 4)}" text-anchor="end">${esc(formatMs(10 ** e))}</text>`);
  }
  for (let e = x0; e <= x1; e++) {
    const x = px(10 ** e);
    out.push(`<line x1="${f(x)}" y1="${PAD.top}" x2="${f(x)}" y2="${PAD.top + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${f(x)}" y="${PAD.top + plotH + 18}" text-anchor="middle">${10 ** e}</text>`);
  }
  for (const n of xs) {
    out.push(`<line x1="${f(px(n))}" y1="${PAD.top + plotH}" x2="${f(px(n))}" y2="${PAD.top + plotH + 5}" stroke="#333"/>`);
  }
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${PAD.left + plotW / 2}" y="${H - 10}" text-anchor="middle">interfaces (N)</text>`);
  out.push(`<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">median ms (CPU ms for the cycle)</text>`);

  let legendY = PAD.top + 10;
  for (const s of SERIES) {
    const pts = r.sizes.map((size) => [size.n, s.value(size)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && p[1] > 0);
    if (pts.length === 0) continue;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map(([n, v]) => `${f(px(n))},${f(py(v))}`).join(' ')}"/>`);
    for (const [n, v] of pts) out.push(`<circle cx="${f(px(n))}" cy="${f(py(v))}" r="3" fill="${s.color}"><title>${esc(`${s.label} at ${n}: ${formatMs(v)}`)}</title></circle>`);
    const lx = PAD.left + plotW + 16;
    out.push(`<line x1="${lx}" y1="${legendY}" x2="${lx + 24}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${legendY + 4}">${esc(s.label)}</text>`);
    legendY += 20;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
