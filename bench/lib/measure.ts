import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ScrapeClient } from './client.js';
import type { BenchEnv } from './env.js';
import { topSelfTime, type CpuProfile } from './profile.js';
import type { CycleStats, FloorStats, ProfileEntry, SampleStats, ScrapeStats, SizeResult, SpawnCheck, SteadyStats, TargetResult } from './results.js';
import { Server } from './spawn.js';
import { median, percentile } from './stats.js';
import { agentEnv, agentNode, otelNetifArgs, REPO, type Launch } from './targets.js';

export const TMP = join(REPO, 'bench/results/tmp');

export interface Budget {
  warmup: number;
  count: number;
  minCount: number;
  /** Per server and size: a 3-second scrape gets a handful, a 1-ms one gets `count`. */
  scrapeBudgetMs: number;
  sampleBudgetMs: number;
  /** Alternating floor and sample runs (see runSampleRounds). */
  sampleRounds: number;
  cycleWindowMs: number;
  /** Cycles run (and scraped) before the measured window, so it measures optimized code, not V8 warming up. */
  cycleWarmupMs: number;
  steadyWarmupMs: number;
  steadyWindowMs: number;
}

export function budgetFor(quick: boolean): Budget {
  return quick
    ? { warmup: 3, count: 20, minCount: 5, scrapeBudgetMs: 3000, sampleBudgetMs: 1000, sampleRounds: 1, cycleWindowMs: 5000, cycleWarmupMs: 0, steadyWarmupMs: 5000, steadyWindowMs: 15_000 }
    : { warmup: 5, count: 50, minCount: 5, scrapeBudgetMs: 12_000, sampleBudgetMs: 3000, sampleRounds: 3, cycleWindowMs: 60_000, cycleWarmupMs: 120_000, steadyWarmupMs: 300_000, steadyWindowMs: 60_000 };
}

/** Compiles the floor once per run, so it is built for this machine with this compiler. */
export function buildFloor(): string | undefined {
  mkdirSync(TMP, { recursive: true });
  const out = join(TMP, 'read-proc-net-dev');
  const r = spawnSync('cc', ['-O2', '-o', out, join(REPO, 'bench/floor/read-proc-net-dev.c')], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`bench: no floor (cc failed: ${r.error?.message ?? r.stderr.trim()})\n`);
    return undefined;
  }
  return out;
}

function runFloor(env: BenchEnv, binary: string, n: number): FloorStats {
  // About half a second of reads at any size (0.03 ms each at 10, ~9 ms at 4000).
  const iterations = Math.max(50, Math.min(5000, Math.round(200_000 / (n + 1))));
  const [cmd, args] = env.wrap(binary, [String(iterations), join(env.rootPath, 'proc/net/dev')]);
  const r = JSON.parse(execFileSync(cmd, args, { encoding: 'utf8' })) as { iterations: number; bytes: number; medianNs: number; p90Ns: number; cpuNsPerRead: number };
  return { iterations: r.iterations, bytes: r.bytes, medianMs: r.medianNs / 1e6, p90Ms: r.p90Ns / 1e6, cpuMsPerRead: r.cpuNsPerRead / 1e6 };
}

/**
 * The floor and one sample, alternately for `rounds` rounds: this machine's speed drifts between
 * runs seconds apart (the floor's median moved 0.55-0.64 ms at 1000 between docs runs), so each
 * ratio is of a floor and a sample measured back to back, and the round with the median ratio is
 * the one reported. Only the first round is profiled.
 */
export function runSampleRounds(env: BenchEnv, floorBinary: string | undefined, n: number, budgetMs: number, rounds: number, profileFile?: string): Pick<SizeResult, 'floor' | 'sample' | 'sampleRounds'> {
  const measured: { floor?: FloorStats; sample: SampleStats }[] = [];
  for (let i = 0; i < rounds; i++) {
    const floor = floorBinary ? runFloor(env, floorBinary, n) : undefined;
    const sample = runSample(env, budgetMs, i === 0 ? profileFile : undefined);
    measured.push(floor ? { floor, sample } : { sample });
  }
  const ratio = (m: { floor?: FloorStats; sample: SampleStats }): number => (m.floor ? m.sample.medianMs / m.floor.medianMs : m.sample.medianMs);
  const byRatio = [...measured].sort((a, b) => ratio(a) - ratio(b));
  const kept = byRatio[(byRatio.length - 1) >> 1] as { floor?: FloorStats; sample: SampleStats };
  const out: Pick<SizeResult, 'floor' | 'sample' | 'sampleRounds'> = { sample: kept.sample };
  if (kept.floor) out.floor = kept.floor;
  if (rounds > 1 && floorBinary) out.sampleRounds = measured.map((m) => ({ floorMs: m.floor?.medianMs ?? Number.NaN, sampleMs: m.sample.medianMs }));
  return out;
}

interface SampleCostOutput {
  interfaces: number;
  firstSampleMs: number;
  sample: { medianMs: number; p90Ms: number; cpuMs: number; iterations: number };
  withRefresh: { medianMs: number; cpuMs: number };
  readFile: { medianMs: number };
  parse: { medianMs: number };
  encode: { medianMs: number };
  gzip: { medianMs: number; reusedShare: number };
  gzipWhole: { medianMs: number };
  networkInterfaces: { medianMs: number };
}

function runSample(env: BenchEnv, budgetMs: number, profileFile?: string): SampleStats {
  const script = join(REPO, 'bench/inproc/sample-cost.ts');
  const extra = profileFile ? ['--profile', profileFile] : [];
  const [cmd, args] = env.wrap('/usr/bin/env', [...agentNode(), '--import', 'tsx', script, env.rootPath, '--budget-ms', String(budgetMs), ...extra]);
  const r = JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', cwd: REPO, env: agentEnv() })) as SampleCostOutput;
  return {
    iterations: r.sample.iterations,
    medianMs: r.sample.medianMs,
    p90Ms: r.sample.p90Ms,
    cpuMsPerSample: r.sample.cpuMs,
    interfaces: r.interfaces,
    networkInterfacesMs: r.networkInterfaces.medianMs,
    firstSampleMs: r.firstSampleMs,
    withRefreshMedianMs: r.withRefresh.medianMs,
    withRefreshCpuMs: r.withRefresh.cpuMs,
    readFileMedianMs: r.readFile.medianMs,
    parseMedianMs: r.parse.medianMs,
    encodeMedianMs: r.encode.medianMs,
    gzipMedianMs: r.gzip.medianMs,
    gzipReusedShare: r.gzip.reusedShare,
    gzipWholeMedianMs: r.gzipWhole.medianMs,
  };
}

function died(server: Server): string {
  return `${server.label} exited: ${server.stderrTail.trim().split('\n').slice(-3).join(' | ') || 'no output'}`;
}

/**
 * Starts every server for this size at once (side by side, as on a node), then scrapes each in
 * turn so no two measurements overlap; all are stopped before the next size.
 */
export async function measureTargets(client: ScrapeClient, launches: Launch[], budget: Budget, gzip: boolean, log: (s: string) => void): Promise<Partial<Record<Launch['id'], TargetResult>>> {
  const servers = launches.map((l) => ({ l, s: new Server(l.id, l.argv, agentEnv()) }));
  const out: Partial<Record<Launch['id'], TargetResult>> = {};
  try {
    const readyAt = new Map<Launch['id'], number>();
    for (const { l, s } of servers) {
      try {
        await client.wait({ url: l.readyUrl, timeoutMs: 60_000 });
        readyAt.set(l.id, performance.now());
      } catch (err) {
        out[l.id] = { error: s.alive ? (err as Error).message : died(s) };
      }
    }
    for (const { l, s } of servers) {
      if (out[l.id]) continue;
      const settle = (readyAt.get(l.id) ?? 0) + l.settleMs - performance.now();
      if (settle > 0) await new Promise((r) => setTimeout(r, settle));
      try {
        const r = await client.scrape({ url: l.url, pid: s.pid, warmup: budget.warmup, count: budget.count, minCount: budget.minCount, budgetMs: budget.scrapeBudgetMs, gzip });
        const stats: ScrapeStats = {
          count: r.latenciesMs.length,
          medianMs: median(r.latenciesMs),
          p90Ms: percentile(r.latenciesMs, 90),
          cpuMsPerScrape: r.cpuMs / r.latenciesMs.length,
          rssKb: r.rssKb,
          rssMaxKb: r.rssMaxKb,
          rssReadings: r.rssReadings,
          threads: r.threads,
          ...r.body,
        };
        if (r.body.status !== 200) out[l.id] = { error: `HTTP ${r.body.status}` };
        else out[l.id] = { scrape: stats };
        log(`  ${l.id.padEnd(12)} median ${stats.medianMs.toFixed(2)} ms, CPU ${stats.cpuMsPerScrape.toFixed(2)} ms/scrape, ${stats.interfaces} ifaces, ${stats.count} scrapes`);
      } catch (err) {
        out[l.id] = { error: s.alive ? (err as Error).message : died(s) };
      }
      if (out[l.id]?.error) log(`  ${l.id.padEnd(12)} FAILED: ${out[l.id]?.error}`);
    }
  } finally {
    await Promise.all(servers.map(({ s }) => s.stop()));
  }
  return out;
}

export interface CycleOptions {
  n: number;
  windowMs: number;
  /** Cycles run before the window; 0 or absent: none. */
  warmupMs?: number;
  gzip: boolean;
  /** Also count processes the agent spawns, with strace, over this many ms. */
  straceMs?: number;
  /** Write a V8 CPU profile of the agent here. */
  profileDir?: string;
}

/**
 * otel-netif at a 1 s interval, scraped once per interval half-way between samples: every scrape
 * encodes a new snapshot, as Prometheus's (rarer) scrapes do, and all CPU in the window counts.
 */
export async function runCycle(
  env: BenchEnv,
  client: ScrapeClient,
  o: CycleOptions,
): Promise<{ cycle?: CycleStats; spawns?: SpawnCheck; error?: string; profileSkipMs?: number }> {
  const intervalMs = 1000;
  const port = await env.port(9465);
  const nodeFlags = o.profileDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${o.profileDir}`] : [];
  const server = new Server('otel-netif (cycle)', otelNetifArgs(env, port, intervalMs, nodeFlags), agentEnv());
  const spawnedAt = performance.now();
  try {
    await client.wait({ url: `http://127.0.0.1:${port}/readyz`, timeoutMs: 60_000 });
    // Start after the second sample (the first with rates), half-way to the third.
    const offsetMs = intervalMs * 1.5;
    // The profile should show the cycles, not start-up: skip up to the first paced scrape.
    const profileSkipMs = performance.now() - spawnedAt + offsetMs;
    const url = `http://127.0.0.1:${port}/metrics`;
    // Warm-up cycles, scraped the same way, then the measured ones in the same phase.
    const w = o.warmupMs ? await client.paced({ url, pid: server.pid, offsetMs, periodMs: intervalMs, windowMs: o.warmupMs, gzip: o.gzip }) : undefined;
    const r = await client.paced({ url, pid: server.pid, offsetMs: o.warmupMs ? 0 : offsetMs, periodMs: intervalMs, windowMs: o.windowMs, gzip: o.gzip });
    const cycles = (p: { windowMs: number }): number => Math.max(1, Math.round(p.windowMs / intervalMs));
    const samples = cycles(r);
    const cycle: CycleStats = { intervalMs, windowMs: r.windowMs, samples, cpuMsPerCycle: r.cpuMs / samples, freshScrapeMedianMs: median(r.latenciesMs), rssKb: r.rssKb, rssMaxKb: r.rssMaxKb, rssReadings: r.rssReadings };
    if (w) cycle.warmup = { windowMs: w.windowMs, cpuMsPerCycle: w.cpuMs / cycles(w) };
    const spawns = o.straceMs ? await countSpawns(server.pid, o.straceMs, o.n, intervalMs) : undefined;
    return spawns ? { cycle, spawns, profileSkipMs } : { cycle, profileSkipMs };
  } catch (err) {
    return { error: server.alive ? (err as Error).message : died(server) };
  } finally {
    await server.stop();
  }
}

/** Forks and execs by any thread of `pid` (strace -f), over a window of several samples. */
async function countSpawns(pid: number, ms: number, n: number, intervalMs: number): Promise<SpawnCheck | undefined> {
  if (!existsSync('/usr/bin/strace')) return undefined;
  const file = join(TMP, `strace-${process.pid}.txt`);
  const strace = spawn('strace', ['-f', '-qq', '-e', 'trace=process', '-o', file, '-p', String(pid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, ms));
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('exit', r));
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  rmSync(file, { force: true });
  // Threads are clone(CLONE_THREAD); anything else cloned is a new process.
  const processesSpawned = lines.filter((l) => /\b(clone3?|v?fork)\(/.test(l) && !l.includes('CLONE_THREAD') && !l.includes('<unfinished')).length;
  const execs = lines.filter((l) => /\bexecve(at)?\(/.test(l)).length;
  return { n, windowMs: ms, samples: Math.round(ms / intervalMs), processesSpawned, execs };
}

/** otel-netif at its default interval, scraped like a Prometheus with a 15 s scrape_interval. */
export async function runSteady(env: BenchEnv, client: ScrapeClient, n: number, b: Budget, gzip: boolean): Promise<SteadyStats | undefined> {
  const port = await env.port(9466);
  const server = new Server('otel-netif (steady)', otelNetifArgs(env, port, undefined), agentEnv());
  try {
    await client.wait({ url: `http://127.0.0.1:${port}/readyz`, timeoutMs: 60_000 });
    const scrapePeriodMs = 15_000;
    const url = `http://127.0.0.1:${port}/metrics`;
    // Let start-up work (module loading, the first full sysfs read, JIT) finish before the window,
    // scraped all along as Prometheus would: a window that began with the agent's first scrapes
    // ever measured its one-time first encode and gzip of every chunk and the JIT warm-up of the
    // exporter (0.34-0.41% against 0.10-0.13% once scraped for a few minutes, 2026-12-04).
    const w = await client.paced({ url, pid: server.pid, offsetMs: 0, periodMs: scrapePeriodMs, windowMs: b.steadyWarmupMs, gzip });
    const r = await client.paced({ url, pid: server.pid, offsetMs: 0, periodMs: scrapePeriodMs, windowMs: b.steadyWindowMs, gzip });
    const warmup = { windowMs: w.windowMs, cpuPercentOfCore: (100 * w.cpuMs) / w.windowMs };
    return { n, intervalMs: 5000, scrapePeriodMs, windowMs: r.windowMs, cpuMs: r.cpuMs, cpuPercentOfCore: (100 * r.cpuMs) / r.windowMs, rssKb: r.rssKb, rssMaxKb: r.rssMaxKb, rssReadings: r.rssReadings, warmup };
  } finally {
    await server.stop();
  }
}

export function summariseProfileDir(dir: string, skipMs: number): ProfileEntry[] | undefined {
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return file ? topSelfTime(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, skipMs) : undefined;
}

export function summariseProfileFile(file: string): ProfileEntry[] | undefined {
  return existsSync(file) ? topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile) : undefined;
}
