import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run bench:soak` writes, relative to the repo; the main bench's report reads it. */
export const SOAK_FILE = 'bench/results/soak.json';

/** The soak is a separate 35-minute run, so its result carries its own date and commit. */
export interface SoakResult {
  date: string;
  commit: string;
  minutes: number;
  warmupMinutes: number;
  size: number;
  churnPerSecond: number;
  intervalMs: number;
  tapsAdded: number;
  scrapes: number;
  scrapeErrors: number;
  rssKbAfterWarmup: number;
  rssKbLast: number;
  rssKbMax: number;
  rssKbMin: number;
  /** The highest single VmRSS read after the warm-up; absent from soaks before readings were medians. */
  rssKbPeak?: number;
  /** Series in the last scrape: bounded by the live interfaces, not by how many ever existed. */
  seriesLast: number;
  /** Every 10 s: the median of five reads 100 ms apart, and the highest of them. */
  readings: { atS: number; rssKb: number; peakKb?: number }[];
}

/** The last soak's result, if one was run in this checkout. */
export function readSoak(repo: string): SoakResult | undefined {
  const file = join(repo, SOAK_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SoakResult) : undefined;
}

/** "Flat within 5%": the highest and lowest reading after the warm-up, against the first one after it. */
export function soakSpreadPercent(s: SoakResult): { up: number; down: number } {
  return {
    up: (100 * (s.rssKbMax - s.rssKbAfterWarmup)) / s.rssKbAfterWarmup,
    down: (100 * (s.rssKbAfterWarmup - s.rssKbMin)) / s.rssKbAfterWarmup,
  };
}
