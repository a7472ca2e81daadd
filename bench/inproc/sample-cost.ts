/**
 * Times one otel-netif sample the way the agent takes it (NetifReceiver.sample() +
 * toScopeMetrics() + RateProcessor.process(), the built packages), in a tight loop inside the
 * bench namespace, and prints one JSON line. Twice: without the sysfs metadata refresh (read +
 * parse + rates + top-N, what the goal names) and with it, the receiver's clock advanced 5 s per
 * sample so its round-robin refresh does the share of work it does at the default interval.
 * Also times what the agent does with each new snapshot for /metrics: encode it (reusing the
 * previous body's unchanged lines, as the agent does) and gzip it (reusing the unchanged chunks'
 * compressed bytes, as the agent does; and the whole body, what a host where everything changed
 * pays), on the agent's default pipeline (no top-N). The agent does this ahead of the scrape, so the fresh scrape's latency no longer shows it.
 * Usage: sample-cost.ts ROOT [--budget-ms MS] [--profile FILE]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { pointColumns, withColumns } from '@otel-netif/metadata';
import { HostFs, NetifReceiver, ProcNetDevParser } from '@otel-netif/receiver-netif';
import { RateProcessor } from '@otel-netif/processor-rate';
import { ChunkedGzip } from '../../packages/cli/dist/export/prometheus/chunked-gzip.js';
import { deflatePiece, pieceOptions } from '../../packages/cli/dist/export/prometheus/piece.js';
import { GZIP_OPTIONS } from '../../packages/cli/dist/export/prometheus/exposition-cache.js';
import { ExpositionWriter } from '../../packages/cli/dist/export/prometheus/writer.js';
import { joinBody } from '../../packages/cli/dist/export/prometheus/body.js';
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
/** Every receiver made here, closed at the end (they keep sysfs files open). */
const receivers: NetifReceiver[] = [];

function pipeline(metadataRefreshMs: number) {
  const receiver = new NetifReceiver({ rootPath: root, include: [], exclude: [], metadataRefreshMs }, { now: () => clock });
  receivers.push(receiver);
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

/**
 * time() for a function that returns a promise, one run at a time, each after an untimed
 * `prepare`; CPU is of every thread (whole-body gzip runs on libuv's), read around each run alone.
 */
async function timeAsync(prepare: () => void, fn: () => Promise<unknown>, budget: number, warmup = 5): Promise<Timed> {
  for (let i = 0; i < warmup; i++) {
    prepare();
    await fn();
  }
  const wallMs: number[] = [];
  let cpuUs = 0;
  const started = performance.now();
  while (wallMs.length < 10 || (wallMs.length < 500 && performance.now() - started < budget)) {
    prepare();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wallMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuUs += cpu.user + cpu.system;
  }
  return { wallMs, cpuMs: cpuUs / 1000 / wallMs.length };
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

// Where the time goes: the stages on their own, as the receiver runs them (bytes into a reused
// buffer). The parser skips lines that did not change since its last parse; here every line
// changes between two parses (the last digit of each line alternates), the cost on a busy host.
const hostfs = new HostFs(root);
const read = time(() => hostfs.readProcNetDevBytes(), budgetMs / 4);
const bytes = Buffer.from(hostfs.readProcNetDevBytes());
const changed = Buffer.from(bytes);
for (let i = 1; i < changed.length; i++) {
  const c = changed[i - 1] as number;
  if (changed[i] === 10 && c >= 48 && c <= 57) changed[i - 1] = c === 57 ? 56 : c + 1;
}
const parser = new ProcNetDevParser();
let flip = false;
const parse = time(() => parser.parse((flip = !flip) ? changed : bytes), budgetMs / 4);

function keptScope(s: ScopeMetrics): ScopeMetrics {
  return {
    scope: s.scope,
    metrics: s.metrics.map((m) => {
      const c = pointColumns(m);
      const base = m.dataPointType === DataPointType.SUM ? { descriptor: m.descriptor, dataPointType: m.dataPointType, aggregationTemporality: m.aggregationTemporality, isMonotonic: m.isMonotonic } : { descriptor: m.descriptor, dataPointType: m.dataPointType, aggregationTemporality: m.aggregationTemporality };
      return withColumns(base as Omit<SumMetricData, 'dataPoints'>, { ...c, values: Float64Array.from(c.values) });
    }),
  };
}

// /metrics for each new snapshot, on the agent's default pipeline (no top-N).
const agent = (() => {
  const receiver = new NetifReceiver({ rootPath: root, include: [], exclude: [], metadataRefreshMs: 0 }, { now: () => clock });
  receivers.push(receiver);
  const processor = new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 });
  return () => {
    clock += INTERVAL_MS;
    const scope = receiver.toScopeMetrics(receiver.sample());
    return [scope, processor.process([scope]).scopeMetrics];
  };
})();
const writer = new ExpositionWriter();
const resource = resourceFromAttributes({ 'service.name': 'otel-netif' });
let body = writer.encode(agent(), resource);
// Kept for later reads, as the agent never does: the pipeline refills a snapshot's values two
// samples on, so each keeps a copy of its values (with the same series objects the agent's have).
const snapshots = Array.from({ length: 8 }, () => agent().map(keptScope));
let next = 0;
const encode = time(() => (body = writer.encode(snapshots[next++ % snapshots.length] ?? [], resource)), budgetMs / 4);
// The agent's gzip, as Prometheus (gzip only) gets it: each new body written against the one before
// it, keeping only compressed chunks, an unchanged one reused (the snapshots rotate, so each differs
// from the one before in its counters, rates and self-metrics).
const pieces = pieceOptions(GZIP_OPTIONS);
const compressingWriter = new ExpositionWriter(undefined, (c) => deflatePiece(c, pieces));
const chunked = new ChunkedGzip(GZIP_OPTIONS);
let reused = 0;
let chunks = 0;
let lastPieces = new Set<unknown>();
const gzip = await timeAsync(
  () => (body = compressingWriter.encode(snapshots[next++ % snapshots.length] ?? [], resource, {}, false)),
  async () => {
    await chunked.gzip(body);
    // Reused: the previous body's compressed chunk, handed out again.
    for (const c of body.chunks) if (lastPieces.has(c.piece)) reused++;
    chunks += body.chunks.length;
    lastPieces = new Set(body.chunks.map((c) => c.piece));
  },
  budgetMs / 4,
);
// A busy host, where every chunk changed, pays one gzip of the whole body.
const whole = joinBody(body);
const gzipWhole = time(() => gzipSync(whole, GZIP_OPTIONS), budgetMs / 4);
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

for (const r of receivers) r.close();

process.stdout.write(
  `${JSON.stringify({
    interfaces,
    firstSampleMs,
    sample: { ...summary(sample), iterations: sample.wallMs.length },
    withRefresh: summary(withRefresh),
    readFile: summary(read),
    parse: summary(parse),
    encode: summary(encode),
    gzip: { ...summary(gzip), bytes: body.length, reusedShare: chunks > 0 ? reused / chunks : 0 },
    gzipWhole: summary(gzipWhole),
    networkInterfaces: summary(netifs),
  })}\n`,
);
