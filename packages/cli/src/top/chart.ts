import { resample } from './sparkline.js';

const UP = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

export interface MirrorChart {
  /** Rows above the axis, top first: receive grows up. */
  upper: string[];
  axis: string;
  /** Rows below the axis, nearest the axis first: transmit hangs down. */
  lower: string[];
  rxMax: number;
  txMax: number;
}

function scaleMax(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/**
 * Receive above a shared time axis, transmit mirrored below, newest at the right, each half scaled
 * to its own peak (the labels say which). Above the axis cells have eighth resolution; below only
 * halves (the terminal has no upper partial blocks but "▀").
 */
export function mirrorChart(rx: readonly number[], tx: readonly number[], width: number, height: number): MirrorChart {
  const upRows = Math.max(1, Math.floor((height - 1) / 2));
  const downRows = Math.max(1, height - 1 - upRows);
  const r = resample(rx, width);
  const t = resample(tx, width);
  const rxMax = scaleMax(r);
  const txMax = scaleMax(t);
  const lead = (n: number): string => ' '.repeat(Math.max(0, width - n));
  const upper: string[] = [];
  for (let row = upRows - 1; row >= 0; row--) {
    let line = '';
    for (const v of r) {
      const level = rxMax > 0 && v > 0 ? Math.max(1, Math.round((v / rxMax) * upRows * 8)) : 0;
      const inRow = level - row * 8;
      line += inRow >= 8 ? '█' : inRow > 0 ? UP[inRow] : ' ';
    }
    upper.push(lead(r.length) + line);
  }
  const lower: string[] = [];
  for (let row = 0; row < downRows; row++) {
    let line = '';
    for (const v of t) {
      const level = txMax > 0 && v > 0 ? Math.max(1, Math.round((v / txMax) * downRows * 2)) : 0;
      const inRow = level - row * 2;
      line += inRow >= 2 ? '█' : inRow === 1 ? '▀' : ' ';
    }
    lower.push(lead(t.length) + line);
  }
  return { upper, axis: '─'.repeat(width), lower, rxMax, txMax };
}
