/**
 * What the live views (page, /api/v1, SSE) cost the agent per sample, in-process: a LiveFeed
 * attached to a stand-in pipeline is fed synthetic snapshots shaped as the receiver and the rate
 * processor make them (stable names and attribute objects, rates in columns behind forEachRate,
 * the unfolded `rates` built on first read), and one JSON line per scenario is printed:
 * µs of CPU per sample, bytes allocated per sample, and how often `rates` was read.
 *
 * Scenarios: nobody looking; a client polling /api/v1/interfaces every sample; one SSE client.
 * Each on idle interfaces (counters unchanged, rates 0: the receiver hands out the same objects)
 * and busy ones (every counter moves).
 *
 * Usage: node --expose-gc --conditions=source --import tsx \
 *          bench/inproc/live-feed-cost.ts [--interfaces N] [--src DIR] [--seconds S]
 * --src: a packages/cli/src to measure instead of this tree's (e.g. an older commit's, extracted
 * with `git archive COMMIT packages/cli/src | tar -x -C /tmp/x`).
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    interfaces: { type: 'string', default: '1000' },
    src: { type: 'string', default: new URL('../../packages/cli/src', import.meta.url).pathname },
    seconds: { type: 'string', default: '2' },
  },
});
const N = Number(values.interfaces);
const SECONDS = Number(values.seconds);
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (exposedGc === undefined) throw new Error('run with --expose-gc');
const gc: () => void = exposedGc;

interface Feed extends EventEmitter {
  latest(): unknown;
  attach(p: unknown): Feed;
  close(): void;
}
const { LiveFeed } = (await import(pathToFileURL(resolve(values.src, 'api/live.ts')).href)) as { LiveFeed: new (o: object) => Feed };

const RATE_METRICS = ['system.network.io.rate', 'system.network.packet.count.rate', 'system.network.errors.rate', 'system.network.packet.dropped.rate'];
const UTILIZATION = 'system.network.bandwidth.utilization';
const COUNTER_FIELDS = ['rxBytes', 'rxPackets', 'rxErrs', 'rxDrop', 'rxFifo', 'rxFrame', 'rxCompressed', 'rxMulticast', 'txBytes', 'txPackets', 'txErrs', 'txDrop', 'txFifo', 'txColls', 'txCarrier', 'txCompressed'] as const;
type Counters = Record<(typeof COUNTER_FIELDS)[number], number>;

const names = Array.from({ length: N }, (_, i) => `tap${i}`);
// As the receiver's: one attribute object per interface and direction, the same every round.
const attributes = names.flatMap((name) => [
  { 'network.interface.name': name, 'network.io.direction': 'receive' },
  { 'network.interface.name': name, 'network.io.direction': 'transmit' },
]);
const links = names.map(() => ({ operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000, mtu: 1500 }));

/** A source of snapshots; `busy`: every counter moves every round, else none does. */
function snapshots(busy: boolean) {
  let seq = 0;
  const reads = { rates: 0 };
  let samples = names.map((name, i) => ({ name, counters: counters(0, i), link: links[i], startTime: [1_700_000_000, 0] }));
  function counters(round: number, i: number): Counters {
    const c = {} as Counters;
    for (const [k, f] of COUNTER_FIELDS.entries()) c[f] = (i + 1) * 1_000_000 + round * (k + 1) * 1000;
    return c;
  }
  function next() {
    seq++;
    if (busy) samples = samples.map((s, i) => ({ ...s, counters: counters(seq, i) }));
    else samples = samples.slice();
    // The processor's columns: one value per interface and direction per gauge.
    const columns = [...RATE_METRICS, UTILIZATION].map((metric, m) => {
      const v = new Float64Array(2 * N);
      if (busy && seq > 1) for (let i = 0; i < v.length; i++) v[i] = m === 4 ? 0.01 : (m + 1) * 1000;
      return { metric, values: v };
    });
    const rateColumns = seq > 1 ? columns : [];
    const forEachRate = (fn: (metric: string, attrs: object, value: number) => void, metrics?: ReadonlySet<string>): void => {
      for (const { metric, values: v } of rateColumns) {
        if (metrics !== undefined && !metrics.has(metric)) continue;
        for (let i = 0; i < v.length; i++) fn(metric, attributes[i] as object, v[i] as number);
      }
    };
    const sample = { time: [1_700_000_000 + seq, 0], monotonicMs: seq * 1000, interfaces: samples, problems: [] };
    let series: unknown[] | undefined;
    return {
      seq,
      sample,
      get rates() {
        reads.rates++;
        return (series ??= rateColumns.flatMap(({ metric, values: v }) => Array.from(v, (value, i) => ({ metric, attributes: attributes[i], value }))));
      },
      forEachRate,
    };
  }
  return { next, reads };
}

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
// GC entries reach the observer a little later, not at the next immediate.
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Who reads the feed: `watch` once when it is made, `after` after every sample. */
interface Look {
  watch?: (feed: Feed) => void;
  after?: (feed: Feed) => void;
}
const looks: Record<string, Look> = {
  nobody: {},
  // A client polling /api/v1/interfaces once per sample (the route sends the feed's memoized JSON).
  poll: { after: (feed) => void JSON.stringify(feed.latest()) },
  // One event-stream client (the route frames the same JSON once for all of them).
  sse: { watch: (feed) => feed.on('update', (s) => void JSON.stringify(s)) },
};

async function scenario(name: string, busy: boolean) {
  const look = looks[name] as Look;
  const pipeline = Object.assign(new EventEmitter(), { latest: () => undefined });
  const feed = new LiveFeed({ intervalMs: 1000, host: 'bench', historySize: 720 }).attach(pipeline);
  look.watch?.(feed);
  const source = snapshots(busy);
  const round = (s: unknown) => {
    pipeline.emit('snapshot', s);
    look.after?.(feed);
  };
  // V8 optimises the per-sample path first.
  for (let i = 0; i < 200; i++) round(source.next());

  // CPU per sample, garbage collection included: snapshots made ahead, outside the clock.
  const cpuUs: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  while (performance.now() < deadline) {
    const batch = Array.from({ length: 20 }, source.next);
    const c0 = process.cpuUsage();
    for (const s of batch) round(s);
    const c = process.cpuUsage(c0);
    cpuUs.push((c.user + c.system) / batch.length);
  }

  // Bytes per sample: heap growth over a batch with no collection inside it (batches with one are retried).
  const bytes: number[] = [];
  for (let tries = 0; bytes.length < 20 && tries < 200; tries++) {
    const batch = Array.from({ length: 2 }, source.next);
    gc();
    await settle();
    const g0 = gcs;
    const h0 = process.memoryUsage().heapUsed;
    for (const s of batch) round(s);
    const h1 = process.memoryUsage().heapUsed;
    await settle();
    if (gcs === g0) bytes.push((h1 - h0) / batch.length);
  }
  const readsBefore = source.reads.rates;
  round(source.next());
  feed.close();
  cpuUs.sort((a, b) => a - b);
  bytes.sort((a, b) => a - b);
  return {
    look: name,
    traffic: busy ? 'busy' : 'idle',
    interfaces: N,
    cpuUsPerSample: Math.round(cpuUs[Math.floor(cpuUs.length / 2)] as number),
    bytesPerSample: Math.round(bytes[Math.floor(bytes.length / 2)] ?? Number.NaN),
    ratesReadsPerSample: source.reads.rates - readsBefore,
  };
}

for (const name of Object.keys(looks)) {
  for (const busy of [false, true]) process.stdout.write(`${JSON.stringify(await scenario(name, busy))}\n`);
}
