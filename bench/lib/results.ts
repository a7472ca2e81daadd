import type { SoakResult } from './soak-result.js';
/** The shape of bench/results/latest.json; docs and the chart are rendered from it alone. */

export const TARGET_IDS = ['otelNetif', 'neNetdev', 'neNetclass', 'hostMetrics'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export const TARGET_LABELS: Record<TargetId, string> = {
  otelNetif: 'otel-netif',
  neNetdev: 'node_exporter netdev-only',
  neNetclass: 'node_exporter netdev+netclass',
  hostMetrics: '@opentelemetry/host-metrics',
};

export interface ScrapeStats {
  count: number;
  medianMs: number;
  p90Ms: number;
  cpuMsPerScrape: number;
  /** Median VmRSS over the scrapes, read every 250 ms (older results: one reading after them). */
  rssKb: number;
  /** The largest of those readings, and how many there were (absent in older results). */
  rssMaxKb?: number;
  rssReadings?: number;
  threads: number;
  /** Decoded /metrics size; wireBytes is what crossed the socket (gzip when offered). */
  bytes: number;
  wireBytes: number;
  contentEncoding: string;
  series: number;
  interfaces: number;
  families: string[];
}

export interface TargetResult {
  scrape?: ScrapeStats;
  error?: string;
  /** Why this peer cannot run in this mode (not a failure). */
  skipped?: string;
}

/** One C read of /proc/net/dev: what no agent can go below. */
export interface FloorStats {
  medianMs: number;
  p90Ms: number;
  cpuMsPerRead: number;
  bytes: number;
  iterations: number;
}

/**
 * otel-netif's sample() + toScopeMetrics() + process() with top-N, timed in-process in a tight
 * loop: without the sysfs refresh (the goal's "read + parse + rates + top-N"), and with the
 * share of round-robin refresh one sample does at the default interval (5 s) and refresh (30 s).
 */
export interface SampleStats {
  iterations: number;
  medianMs: number;
  p90Ms: number;
  cpuMsPerSample: number;
  interfaces: number;
  /** os.networkInterfaces() in the same process: the per-sample call the issue warns about. */
  networkInterfacesMs: number;
  /** Where the time goes: the first sample (all sysfs read), no sysfs refresh, and stages alone. */
  firstSampleMs: number;
  withRefreshMedianMs: number;
  withRefreshCpuMs: number;
  readFileMedianMs: number;
  parseMedianMs: number;
  /** Encoding one new snapshot for /metrics and gzipping it, in-process; absent in older results. */
  encodeMedianMs?: number;
  /** The agent's gzip of a new body: chunks unchanged since the body before keep their compressed bytes. */
  gzipMedianMs?: number;
  /** Share of chunks reused in those gzips (idle bench taps: nearly all). */
  gzipReusedShare?: number;
  /** One gzip of the whole body: what a host where every line changed pays. */
  gzipWholeMedianMs?: number;
}

/** otel-netif at a short interval scraped once per interval: all CPU over the window ÷ samples. */
export interface CycleStats {
  intervalMs: number;
  windowMs: number;
  samples: number;
  cpuMsPerCycle: number;
  /** Latency of a scrape that follows a new sample, so encodes (and gzips) afresh. */
  freshScrapeMedianMs: number;
  /** Median VmRSS over the window, read every 250 ms (older results: one reading at its end). */
  rssKb: number;
  rssMaxKb?: number;
  rssReadings?: number;
  /** The cycles before the window, from the second sample on: V8 still optimizing (absent in older results). */
  warmup?: { windowMs: number; cpuMsPerCycle: number };
}

/** The cycle run on N veth interfaces that all carry traffic (see bench/lib/busy.ts). */
export interface BusyStats {
  /** Veth interfaces (pairs × 2) besides loopback. */
  n: number;
  setupMs: number;
  /** Interfaces whose bytes moved over the run: all N when the traffic flowed. */
  interfacesMoved: number;
  cycle?: CycleStats;
  error?: string;
}

export interface SizeResult {
  n: number;
  /** Lines in /proc/net/dev: N taps plus loopback. */
  interfaces: number;
  setupMs: number;
  floor?: FloorStats;
  sample?: SampleStats;
  /**
   * Floor and sample measured alternately, each round's medians: `floor` and `sample` are the round
   * whose ratio is the median (absent in older results, which measured each once).
   */
  sampleRounds?: { floorMs: number; sampleMs: number }[];
  cycle?: CycleStats;
  /** The cycle run again with traffic on every interface (namespaces only, 1000 and more; absent in older results). */
  busy?: BusyStats;
  targets: Partial<Record<TargetId, TargetResult>>;
}

export interface SteadyStats {
  n: number;
  intervalMs: number;
  scrapePeriodMs: number;
  windowMs: number;
  cpuMs: number;
  cpuPercentOfCore: number;
  /** Median VmRSS over the window (older results: one reading at its end). */
  rssKb: number;
  rssMaxKb?: number;
  rssReadings?: number;
  /** The same agent from its first scrape to the window: start-up and V8's tier-up (absent in older results). */
  warmup?: { windowMs: number; cpuPercentOfCore: number };
}

export interface SpawnCheck {
  n: number;
  windowMs: number;
  samples: number;
  processesSpawned: number;
  execs: number;
}

export interface ProfileEntry {
  fn: string;
  where: string;
  selfMs: number;
  selfPercent: number;
}

export interface BenchResults {
  version: 1;
  date: string;
  mode: 'netns' | 'fixture';
  quick: boolean;
  gzip: boolean;
  machine: { nproc: number; cpuModel: string; kernel: string; node: string; nodeExporter: string; hostMetrics: string };
  sizes: SizeResult[];
  steady?: SteadyStats;
  spawns?: SpawnCheck;
  profiles?: Record<string, ProfileEntry[]>;
  /** The last `npm run bench:soak` in this checkout (its own date and commit), if any. */
  soak?: SoakResult;
  runtimeMs: number;
}

export type GoalStatus = 'met' | 'missed' | 'not measured';

export interface Goal {
  goal: string;
  status: GoalStatus;
  detail: string;
}
