/**
 * Times one otel-netif sample the way the agent takes it (NetifReceiver.sample() +
 * toScopeMetrics() + RateProcessor.process(), the built packages), in a tight loop inside the
 * bench namespace, and prints one JSON line. Twice: without the sysfs metadata refresh (read +
 * parse + rates + top-N, what the goal names) and with it, the receiver's clock advanced 5 s per
 * sample so its round-robin refresh does the share of work it does at the default interval.
 * Usage: sample-cost.ts ROOT [--budget-ms MS] [--profile FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NetifReceiver, parseProcNetDev } from '@otel-netif/receiver-netif';
import { RateProcessor } from '@otel-netif/processor-rate';
import { median, percentile } from '../lib/stats.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'budget-ms': { type: 'string', default: '2000' }, profile: { type: 'string' } },
});
const root = positionals[0] ?? '/';
const budgetMs = Number(values['budget-ms']);
const INTERVAL_MS = 5000;
const TOP_N = 10;

let clock = 0;
function pipeline(metadataRefreshMs: number) {
  const receiver = new NetifReceiver({ rootPath: root, include: [], exclude: [], metadataRefreshMs }, { now: () => clock });
  const processor = new RateProcessor({ topN: TOP_N, maxBandwidthBytesPerSecond: 0 });
  return () => {
    clock += INTERVAL_MS;
    const sample = receiver.sample();
    const scope = receiver.toScopeMetrics(sample);
    processor.process([scope]);
    return sample.interfaces.length;
  };
}

interface Timed {
  wallMs: number[];
  cpuMs: number;
}

/** Runs fn until `budget` ms or 500 runs (at least 10), after warm-ups that let V8 optimise it. */
function time(fn: () => unknown, budget: number, warmup = 5): Timed {
  for (let i = 0; i < warmup; i++) fn();
  const wallMs: number[] = [];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  while (wallMs.length < 10 || (wallMs.length < 500 && performance.now() - started < budget)) {
    const t0 = performance.now();
    fn();
    wallMs.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / wallMs.length };
}

const summary = (t: Timed) => ({ medianMs: median(t.wallMs), p90Ms: percentile(t.wallMs, 90), cpuMs: t.cpuMs });

// The first sample reads every interface's sysfs metadata: the cost when N interfaces appear.
const cold = pipeline(30_000);
const coldStart = performance.now();
const interfaces = cold();
const firstSampleMs = performance.now() - coldStart;

const withRefresh = time(pipeline(30_000), budgetMs / 2);
// metadataRefreshMs 0: link metadata is read only when an interface first appears.
const sample = time(pipeline(0), budgetMs / 2);

// Where the time goes: the stages on their own.
const path = join(root, 'proc/net/dev');
const read = time(() => readFileSync(path, 'utf8'), budgetMs / 4);
const text = readFileSync(path, 'utf8');
const parse = time(() => parseProcNetDev(text), budgetMs / 4);
const netifs = time(() => networkInterfaces(), budgetMs / 4, 1);

// Profiled separately: the profiler's own cost must not reach the numbers above.
if (values.profile) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  time(pipeline(30_000), budgetMs / 2);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(values.profile, JSON.stringify(profile));
}

process.stdout.write(
  `${JSON.stringify({
    interfaces,
    firstSampleMs,
    sample: { ...summary(sample), iterations: sample.wallMs.length },
    withRefresh: summary(withRefresh),
    readFile: summary(read),
    parse: summary(parse),
    networkInterfaces: summary(netifs),
  })}\n`,
);
