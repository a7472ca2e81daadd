import { formatBytes, formatMs, formatRatio, markdownTable, ratioSentence } from './format.js';
import { TARGET_IDS, TARGET_LABELS } from './results.js';
import type { BenchResults, SizeResult, TargetId } from './results.js';

const ne = TARGET_LABELS.neNetdev;

function header(r: BenchResults, first: string): string[] {
  return [first, ...r.sizes.map((s) => `${s.n} ifaces`)];
}

function row(label: string, r: BenchResults, cell: (s: SizeResult) => string): string[] {
  return [label, ...r.sizes.map(cell)];
}

const withP90 = (median: number | undefined, p90: number | undefined): string =>
  median === undefined ? '—' : `${formatMs(median)} (${formatMs(p90)})`;

function scrapeOf(s: SizeResult, id: TargetId) {
  return s.targets[id]?.scrape;
}

function cellOrError(s: SizeResult, id: TargetId, f: (x: NonNullable<ReturnType<typeof scrapeOf>>) => string): string {
  const t = s.targets[id];
  if (t?.scrape) return f(t.scrape);
  if (t?.skipped) return 'n/a';
  return t?.error ? 'failed' : '—';
}

/** Latency, CPU, memory and size, each a table with one column per N. */
export function renderTables(r: BenchResults): string {
  const targets = TARGET_IDS.filter((id) => r.sizes.some((s) => s.targets[id]));
  const latency = markdownTable(header(r, 'one full scrape of /metrics, median (p90)'), [
    ...targets.map((id) => row(TARGET_LABELS[id], r, (s) => cellOrError(s, id, (x) => withP90(x.medianMs, x.p90Ms)))),
    row('otel-netif, first scrape after a new sample', r, (s) => formatMs(s.cycle?.freshScrapeMedianMs)),
    row('otel-netif, one sample in-process (read+parse+rates+top-N)', r, (s) => withP90(s.sample?.medianMs, s.sample?.p90Ms)),
    row('… plus its share of sysfs refresh (5 s interval, 30 s refresh)', r, (s) => formatMs(s.sample?.withRefreshMedianMs)),
    row('otel-netif, first sample (all sysfs metadata read)', r, (s) => formatMs(s.sample?.firstSampleMs)),
    row('floor: one read of /proc/net/dev (C)', r, (s) => withP90(s.floor?.medianMs, s.floor?.p90Ms)),
    row('os.networkInterfaces(), for reference', r, (s) => formatMs(s.sample?.networkInterfacesMs)),
  ]);
  const cpu = markdownTable(header(r, 'CPU per scrape'), [
    ...targets.map((id) => row(TARGET_LABELS[id], r, (s) => cellOrError(s, id, (x) => formatMs(x.cpuMsPerScrape)))),
    row('otel-netif, one whole cycle (sample + fresh scrape)', r, (s) => formatMs(s.cycle?.cpuMsPerCycle)),
    row('otel-netif, one sample in-process', r, (s) => formatMs(s.sample?.cpuMsPerSample)),
    row('… plus its share of sysfs refresh', r, (s) => formatMs(s.sample?.withRefreshCpuMs)),
    row('floor (C)', r, (s) => formatMs(s.floor?.cpuMsPerRead)),
  ]);
  const rss = markdownTable(header(r, 'RSS over the scrapes, median (max)'), [
    ...targets.map((id) =>
      row(TARGET_LABELS[id], r, (s) => cellOrError(s, id, (x) => (x.rssMaxKb === undefined ? formatBytes(x.rssKb * 1024) : `${formatBytes(x.rssKb * 1024)} (${formatBytes(x.rssMaxKb * 1024)})`))),
    ),
  ]);
  const bytes = markdownTable(header(r, 'bytes of /metrics (on the wire)'), [
    ...targets.map((id) =>
      row(TARGET_LABELS[id], r, (s) =>
        cellOrError(s, id, (x) => (x.contentEncoding === 'gzip' ? `${formatBytes(x.bytes)} (${formatBytes(x.wireBytes)} gzip)` : formatBytes(x.bytes))),
      ),
    ),
  ]);
  const seen = markdownTable(header(r, 'series exported (interfaces seen)'), [
    ...targets.map((id) => row(TARGET_LABELS[id], r, (s) => cellOrError(s, id, (x) => `${x.series} (${x.interfaces})`))),
  ]);
  return [latency, cpu, rss, bytes, seen].join('\n\n');
}

/** Peers' cost over ours, per N: above 1× otel-netif is the cheaper one. */
export function renderRatioTable(r: BenchResults): string {
  const ratio = (ours: number | undefined, theirs: number | undefined): string =>
    ours !== undefined && theirs !== undefined && ours > 0 ? formatRatio(theirs / ours) : '—';
  const rows = [
    row(`scrape latency: ${ne} ÷ otel-netif (cached)`, r, (s) => ratio(scrapeOf(s, 'otelNetif')?.medianMs, scrapeOf(s, 'neNetdev')?.medianMs)),
    row(`scrape latency: ${ne} ÷ otel-netif (fresh; goal ≥ 10×)`, r, (s) => ratio(s.cycle?.freshScrapeMedianMs, scrapeOf(s, 'neNetdev')?.medianMs)),
    row(`scrape latency: ${TARGET_LABELS.neNetclass} ÷ otel-netif (fresh)`, r, (s) => ratio(s.cycle?.freshScrapeMedianMs, scrapeOf(s, 'neNetclass')?.medianMs)),
    row(`scrape latency: ${TARGET_LABELS.hostMetrics} ÷ otel-netif (fresh)`, r, (s) => ratio(s.cycle?.freshScrapeMedianMs, scrapeOf(s, 'hostMetrics')?.medianMs)),
    row(`CPU: ${ne} per scrape ÷ otel-netif per cycle (goal ≥ 5×)`, r, (s) => ratio(s.cycle?.cpuMsPerCycle, scrapeOf(s, 'neNetdev')?.cpuMsPerScrape)),
    row('one otel-netif sample ÷ floor (goal ≤ 2×)', r, (s) => ratio(s.floor?.medianMs, s.sample?.medianMs)),
  ];
  return markdownTable(header(r, 'ratio'), rows);
}

/** The headline sentences, at the sizes the goals name (1000 and 4000) or the largest measured. */
export function ratioSentences(r: BenchResults): string[] {
  const wanted = r.sizes.filter((s) => s.n >= 1000);
  const sizes = wanted.length > 0 ? wanted : r.sizes.slice(-1);
  const out: string[] = [];
  for (const s of sizes) {
    const base = { subject: 'otel-netif', n: s.n };
    const fresh = s.cycle?.freshScrapeMedianMs;
    for (const id of ['neNetdev', 'neNetclass', 'hostMetrics'] as const) {
      const peer = scrapeOf(s, id);
      if (!peer) continue;
      out.push(ratioSentence({ ...base, what: 'scrape', ours: fresh, theirs: peer.medianMs, peer: TARGET_LABELS[id], better: 'faster', worse: 'slower' }));
    }
    out.push(
      ratioSentence({
        ...base,
        what: 'CPU per whole cycle',
        ours: s.cycle?.cpuMsPerCycle,
        theirs: scrapeOf(s, 'neNetdev')?.cpuMsPerScrape,
        peer: `${ne}'s CPU per scrape`,
        better: 'cheaper',
        worse: 'costlier',
      }),
    );
    if (s.sample && s.floor) {
      out.push(`otel-netif one sample costs ${formatRatio(s.sample.medianMs / s.floor.medianMs)} the floor (one C read of /proc/net/dev) at ${s.n}`);
    }
  }
  return out;
}

/** One sample split into its stages, from the in-process timings; medians, so they need not add up. */
export function renderBreakdown(r: BenchResults): string {
  return markdownTable(header(r, 'where one otel-netif sample goes (median)'), [
    row('read /proc/net/dev from Node (into a reused buffer)', r, (s) => formatMs(s.sample?.readFileMedianMs)),
    row('… the C floor for the same read', r, (s) => formatMs(s.floor?.medianMs)),
    row('parse it, every line changed (a sample skips unchanged lines)', r, (s) => formatMs(s.sample?.parseMedianMs)),
    row('whole sample: read + parse + track + ScopeMetrics + rates + top-N', r, (s) => formatMs(s.sample?.medianMs)),
    row('… with the sysfs refresh share', r, (s) => formatMs(s.sample?.withRefreshMedianMs)),
    row('encode one new snapshot for /metrics (no top-N, unchanged lines reused)', r, (s) => formatMs(s.sample?.encodeMedianMs)),
    row('… gzip it (level 1; chunks unchanged since the last body reused, share in brackets)', r, (s) =>
      s.sample?.gzipReusedShare === undefined ? formatMs(s.sample?.gzipMedianMs) : `${formatMs(s.sample.gzipMedianMs)} (${Math.round(100 * s.sample.gzipReusedShare)}%)`,
    ),
    row('… gzip the whole body (every line changed)', r, (s) => formatMs(s.sample?.gzipWholeMedianMs)),
    row('first scrape after a new sample (encoded ahead, so mostly sending)', r, (s) => formatMs(s.cycle?.freshScrapeMedianMs)),
  ]);
}

/** The top functions by self time of each profile taken with --profile. */
export function renderProfiles(r: BenchResults, limit = 10): string {
  const out: string[] = [
    'V8 CPU profiles (100 µs sampling), self time per function; the in-process sample profile is of the loop with the sysfs refresh share, the agent profile of its 1 s-interval cycles after start-up. `(native)` frames are V8 and libuv internals: string flattening, Buffer writes, syscalls.\n',
  ];
  for (const [what, entries] of Object.entries(r.profiles ?? {})) {
    out.push(`**${what}** (self time)\n`);
    out.push(markdownTable(['function', 'where', 'self'], entries.slice(0, limit).map((e) => [`\`${e.fn}\``, `\`${e.where}\``, `${e.selfPercent.toFixed(1)}%`])));
    out.push('');
  }
  return out.join('\n');
}
