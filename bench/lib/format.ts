/** Milliseconds the way the table writes them: 0.03 ms, 8.1 ms, 109 ms, 3.6 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${sig(ms / 1000)} s`;
  if (ms >= 0.01) return `${sig(ms)} ms`;
  return `${sig(ms * 1000)} µs`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes >= 1024 * 1024) return `${sig(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${sig(bytes / 1024)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** A ratio of two costs: "23×", "0.42×". */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${sig(ratio)}×`;
}

export interface Comparison {
  subject: string;
  /** What is compared, e.g. "scrape" or "CPU per cycle". */
  what: string;
  ours: number | undefined;
  theirs: number | undefined;
  peer: string;
  n: number;
  /** Words for lower and higher cost: "faster"/"slower" for latency, "cheaper"/"costlier" for CPU. */
  better: string;
  worse: string;
}

/**
 * "otel-netif scrape is 23× faster than node_exporter netdev-only at 1000": the sentence names
 * the direction, so no reader has to guess whether a ratio is ours over theirs or the reverse.
 */
export function ratioSentence(c: Comparison): string {
  const { ours, theirs } = c;
  if (ours === undefined || theirs === undefined || !(ours > 0) || !(theirs > 0)) {
    return `${c.subject} ${c.what} vs ${c.peer} at ${c.n}: not measured`;
  }
  if (ours <= theirs) return `${c.subject} ${c.what} is ${formatRatio(theirs / ours)} ${c.better} than ${c.peer} at ${c.n}`;
  return `${c.subject} ${c.what} is ${formatRatio(ours / theirs)} ${c.worse} than ${c.peer} at ${c.n}`;
}

/** Two significant digits below 100, whole numbers above: run-to-run noise makes more digits fiction. */
export function sig(x: number): string {
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(2)));
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const sep = `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return [line(header), sep, ...rows.map(line)].join('\n');
}
