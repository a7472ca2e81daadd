/**
 * `npm run bench`: otel-netif against node_exporter, @opentelemetry/host-metrics and a C floor,
 * side by side at N = 10…4000 interfaces. See docs/benchmarks.md for what is measured and how.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchArgs, USAGE } from './lib/args.js';
import { runCleanup } from './lib/cleanup.js';
import { ScrapeClient } from './lib/client.js';
import { renderDocs } from './lib/docs.js';
import { fixtureEnv, netnsEnv, type BenchEnv } from './lib/env.js';
import { formatBytes, formatMs, formatRatio } from './lib/format.js';
import { evaluateGoals, goalMark } from './lib/goals.js';
import { describeMachine } from './lib/machine.js';
import { runBusy } from './lib/busy.js';
import { buildFloor, budgetFor, measureTargets, runCycle, runSampleRounds, runSteady, summariseProfileDir, summariseProfileFile, TMP } from './lib/measure.js';
import { BusyNamespace } from './lib/netns.js';
import { renderRatioTable, renderTables, ratioSentences } from './lib/report.js';
import { TARGET_IDS, type BenchResults, type ProfileEntry, type SampleStats, type SizeResult } from './lib/results.js';
import { readSoak } from './lib/soak-result.js';
import { renderSvg } from './lib/svg.js';
import { AGENT, launches, REPO } from './lib/targets.js';

const STEADY_N = 100;
/** The sizes the RSS goal names are measured again with traffic on every interface. */
const BUSY_MIN_N = 1000;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function formatProfile(entries: ProfileEntry[]): string {
  return entries.map((e) => `  ${e.selfPercent.toFixed(1).padStart(5)}% ${e.selfMs.toFixed(1).padStart(8)} ms  ${e.fn}  ${e.where}`).join('\n');
}

/** Docs and chart from the published results, after a change to how they are rendered. */
function render(): void {
  const json = join(REPO, 'bench/results/latest.json');
  const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  const soak = readSoak(REPO);
  if (soak) results.soak = soak;
  writeFileSync(join(REPO, 'bench/results/latest.svg'), renderSvg(results));
  writeFileSync(join(REPO, 'docs/benchmarks.md'), renderDocs(results));
  log(`bench: re-rendered docs/benchmarks.md and bench/results/latest.svg from ${json}`);
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.render) return render();
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: build first (npx tsc -b)`);
  if (!args.fixture && process.getuid?.() !== 0) throw new Error(`namespaces need root; run as root or use --fixture\n${USAGE}`);
  const started = performance.now();
  const budget = budgetFor(args.quick);
  const env: BenchEnv = args.fixture ? fixtureEnv() : netnsEnv();
  const client = new ScrapeClient((cmd, a) => env.wrap(cmd, a));
  const floor = buildFloor();
  const profiles: Record<string, ProfileEntry[]> = {};
  let busyNs: BusyNamespace | undefined;
  const profileSize = (n: number): boolean => args.profile && (n >= 1000 || n === args.sizes.at(-1));
  const results: BenchResults = {
    version: 1,
    date: new Date().toISOString(),
    mode: env.mode,
    quick: args.quick,
    gzip: args.gzip,
    machine: describeMachine(),
    sizes: [],
    runtimeMs: 0,
  };
  log(`bench: ${env.mode}, sizes ${args.sizes.join(',')}${args.quick ? ' (quick)' : ''}, ${results.machine.nproc} cores, ${results.machine.cpuModel}`);

  try {
    for (const n of args.sizes) {
      const setupMs = await env.grow(n);
      log(`N=${n}: ${env.mode === 'netns' ? 'created taps' : 'wrote fixture'} in ${formatMs(setupMs)}`);
      const size: SizeResult = { n, interfaces: n + 1, setupMs, targets: {} };
      results.sizes.push(size);
      const sampleProfile = profileSize(n) ? join(TMP, `sample-${n}.cpuprofile`) : undefined;
      Object.assign(size, runSampleRounds(env, floor, n, budget.sampleBudgetMs, budget.sampleRounds, sampleProfile));
      const sample = size.sample as SampleStats;
      if (sampleProfile) {
        const p = summariseProfileFile(sampleProfile);
        if (p) profiles[`one sample in-process, with its sysfs refresh share, N=${n}`] = p;
      }
      log(`  floor ${formatMs(size.floor?.medianMs)}, one sample ${formatMs(sample.medianMs)} (read ${formatMs(sample.readFileMedianMs)}, parse ${formatMs(sample.parseMedianMs)}, with sysfs refresh ${formatMs(sample.withRefreshMedianMs)}, first ${formatMs(sample.firstSampleMs)})${size.sampleRounds ? `; ratios by round ${size.sampleRounds.map((x) => formatRatio(x.sampleMs / x.floorMs)).join(', ')}` : ''}`);

      const { launches: ls, skipped } = await launches(env, TARGET_IDS);
      for (const [id, why] of Object.entries(skipped)) size.targets[id as keyof typeof skipped] = { skipped: why };
      Object.assign(size.targets, await measureTargets(client, ls, budget, args.gzip, log));

      const straceMs = env.mode === 'netns' && n === STEADY_N ? 4000 : undefined;
      const cyc = await runCycle(env, client, { n, windowMs: budget.cycleWindowMs, warmupMs: budget.cycleWarmupMs, gzip: args.gzip, ...(straceMs ? { straceMs } : {}) });
      if (cyc.cycle) size.cycle = cyc.cycle;
      if (cyc.spawns) results.spawns = cyc.spawns;
      if (cyc.error) log(`  cycle FAILED: ${cyc.error}`);
      log(`  cycle: ${formatMs(size.cycle?.cpuMsPerCycle)} CPU per sample+scrape, fresh scrape ${formatMs(size.cycle?.freshScrapeMedianMs)}`);
      if (env.mode === 'netns' && n >= BUSY_MIN_N) {
        busyNs ??= new BusyNamespace();
        log(`  busy: ${n} veth interfaces with traffic, the cycle run again…`);
        size.busy = await runBusy(busyNs, n, budget, args.gzip);
        const b = size.busy;
        log(`  busy: ${b.error ? `FAILED: ${b.error}` : `RSS ${formatBytes((b.cycle?.rssKb ?? 0) * 1024)} (max ${formatBytes((b.cycle?.rssMaxKb ?? 0) * 1024)}), ${formatMs(b.cycle?.cpuMsPerCycle)} CPU per cycle`}; ${b.interfacesMoved} of ${b.n} interfaces moved`);
      }
      if (profileSize(n)) {
        // A separate run: profiling costs CPU, so the measured cycle above must not be profiled.
        const profileDir = join(TMP, `agent-${n}`);
        rmSync(profileDir, { recursive: true, force: true });
        const prof = await runCycle(env, client, { n, windowMs: budget.cycleWindowMs, warmupMs: budget.cycleWarmupMs, gzip: args.gzip, profileDir });
        const p = summariseProfileDir(profileDir, prof.profileSkipMs ?? 0);
        if (p) profiles[`otel-netif agent, 1 s interval + fresh scrapes, N=${n}`] = p;
      }

      if (n === STEADY_N) {
        log(`  steady CPU at the default interval: ${(budget.steadyWindowMs / 1000).toFixed(0)} s window…`);
        const steady = await runSteady(env, client, n, budget, args.gzip);
        if (steady) results.steady = steady;
      }
    }
  } finally {
    client.close();
    env.destroy();
    busyNs?.destroy();
  }

  results.runtimeMs = performance.now() - started;
  if (Object.keys(profiles).length > 0) results.profiles = profiles;
  // The soak runs on its own (35 min); its last result is reported with its own date and commit.
  const soak = readSoak(REPO);
  if (soak) results.soak = soak;
  const goals = evaluateGoals(results);
  process.stdout.write(
    `\n${renderTables(results)}\n\n${renderRatioTable(results)}\n\n${ratioSentences(results).join('\n')}\n\n` +
      `${goals.map((g) => `${goalMark(g.status)} ${g.goal}: ${g.detail}`).join('\n')}\n`,
  );
  for (const [what, entries] of Object.entries(profiles)) process.stdout.write(`\nCPU profile, self time: ${what}\n${formatProfile(entries)}\n`);

  const dir = args.publish ? join(REPO, 'bench/results') : TMP;
  const base = args.publish ? 'latest' : `${env.mode}${args.quick ? '-quick' : ''}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${base}.svg`), renderSvg(results));
  const docs = args.publish ? join(REPO, 'docs/benchmarks.md') : join(TMP, `${base}.md`);
  mkdirSync(join(docs, '..'), { recursive: true });
  writeFileSync(docs, renderDocs(results));
  log(`\nbench: ${(results.runtimeMs / 1000).toFixed(0)} s; wrote ${join(dir, `${base}.{json,svg}`)} and ${docs}`);
}

main().catch((err: unknown) => {
  log(`bench: ${(err as Error).message}`);
  runCleanup();
  process.exitCode = 1;
});
