// Counters that go down: a driver reload or re-created link (reset to 0), a 32-bit counter wrapping
// at 2^32, a 64-bit one at 2^64, and a single column out of sixteen. Decided behaviour, the same for
// all: a decrease is a reset. The interface's series restart together (new start time, so OTLP
// backends and Prometheus see a reset, not a drop), that one interval has no rate (never negative,
// never a spike), and rates resume on the next sample. A wrap is NOT corrected by adding 2^32: a
// reset that lands near 2^32 looks the same, and guessing wrong invents gigabytes.
import assert from 'node:assert/strict';
import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { RateProcessor } from '@otel-netif/processor-rate';
import { NetifReceiver } from '@otel-netif/receiver-netif';
import { cleanupNamespaces, parseExposition } from '../../test-support/index.js';
import { encodeExposition } from '../../packages/cli/src/export/prometheus/encode.js';
import { silentLogger } from '../../packages/cli/src/log.js';
import { Pipeline } from '../../packages/cli/src/pipeline/pipeline.js';
import type { PipelineSnapshot } from '../../packages/cli/src/pipeline/pipeline.js';
import { makeFixtureTree, type FixtureIface, type FixtureTree } from './fixture-tree.js';

const TIME_ORIGIN = 1_700_000_000_000;
const STEP_MS = 1000;

interface Round {
  /** eth0's receive bytes as the kernel would print them. */
  rx: number | bigint;
  /** Other columns' overrides (the whole line is otherwise derived from rx). */
  line?: string;
}

class Harness {
  clock = 10_000;
  readonly pipeline: Pipeline;

  constructor(readonly tree: FixtureTree) {
    const receiver = new NetifReceiver({ rootPath: tree.root, include: [], exclude: [], metadataRefreshMs: 0 }, { now: () => this.clock, timeOrigin: TIME_ORIGIN });
    this.pipeline = new Pipeline({
      receiver,
      processor: new RateProcessor({ topN: 0, maxBandwidthBytesPerSecond: 0 }),
      resource: resourceFromAttributes({ 'service.name': 'otel-netif' }),
      intervalMs: STEP_MS,
      logger: silentLogger,
    });
  }

  step(round: Round): PipelineSnapshot {
    if (round.line !== undefined) this.tree.writeText(round.line);
    else this.tree.write([{ name: 'eth0', rx: round.rx, tx: 0 }]);
    this.clock += STEP_MS;
    const s = this.pipeline.tick();
    assert.ok(s, 'the sample failed');
    return s;
  }
}

function rxPoint(s: PipelineSnapshot, metric = 'system.network.io') {
  const m = s.scopeMetrics.flatMap((sc) => sc.metrics).find((x) => x.descriptor.name === metric);
  assert.ok(m && m.dataPointType === DataPointType.SUM);
  const p = (m as SumMetricData).dataPoints.find((d) => d.attributes['network.io.direction'] === 'receive');
  assert.ok(p);
  return p;
}

function rxRate(s: PipelineSnapshot): number | undefined {
  return s.rates.find((r) => r.metric === 'system.network.io.rate' && r.attributes['network.io.direction'] === 'receive')?.value;
}

const same = (a: HrTime, b: HrTime) => a[0] === b[0] && a[1] === b[1];

describe('fault: counters that go down (resets and wraps)', () => {
  let tree: FixtureTree;
  let h: Harness;
  beforeEach(() => {
    tree = makeFixtureTree('resets', [{ name: 'eth0', rx: 0, tx: 0 } satisfies FixtureIface]);
    h = new Harness(tree);
  });
  after(() => cleanupNamespaces());

  /**
   * Runs the rounds; returns rate and start times per round, read as each round is made (a
   * snapshot's values are only valid until the sample after next).
   */
  function run(rounds: Round[]) {
    return rounds.map((r) => {
      const s = h.step(r);
      return { s, rate: rxRate(s), start: rxPoint(s).startTime, value: rxPoint(s).value, errorsStart: rxPoint(s, 'system.network.errors').startTime };
    });
  }

  function assertResetAt(out: ReturnType<typeof run>, i: number, expectedRateAfter: number): void {
    assert.equal(out[i]!.rate, undefined, `round ${i}: a rate across the decrease`);
    assert.ok(!same(out[i]!.start, out[i - 1]!.start), `round ${i}: the start time did not move`);
    assert.deepEqual(out[i]!.start, out[i]!.s.sample.time, 'the new start is the sample that saw the decrease');
    assert.ok(same(out[i + 1]!.start, out[i]!.start));
    assert.equal(out[i + 1]!.rate, expectedRateAfter, `round ${i + 1}: rates do not resume`);
    for (const o of out) assert.ok(o.rate === undefined || (o.rate >= 0 && Number.isFinite(o.rate)), `rate ${o.rate}`);
  }

  it('a reset to 0: no rate for that interval, a new start time, rates resume', () => {
    const out = run([{ rx: 1000 }, { rx: 1500 }, { rx: 200 }, { rx: 700 }]);
    assert.equal(out[1]!.rate, 500);
    assertResetAt(out, 2, 500);
  });

  it('a 32-bit counter wrapping at 2^32: treated as a reset, not guessed', () => {
    const max32 = 2 ** 32;
    const out = run([{ rx: max32 - 1000 }, { rx: max32 - 200 }, { rx: 192 }, { rx: 692 }]);
    assert.equal(out[1]!.rate, 800);
    // The true increase was 392 bytes; a reset to 0 then 192 bytes would read the same, so no rate.
    assertResetAt(out, 2, 500);
    assert.equal(out[2]!.value, 192);
  });

  it('a 64-bit counter wrapping at 2^64: a reset too, and no value past 2^53 fakes one', () => {
    const near = 2n ** 64n - 5000n;
    const out = run([{ rx: near - 2000n }, { rx: near }, { rx: 3000n }, { rx: 4000n }]);
    // Past 2^53 doubles step by 4096: 2000 bytes may read as 0 or 4096, never as a decrease.
    assert.ok(out[1]!.rate !== undefined && out[1]!.rate >= 0);
    assertResetAt(out, 2, 1000);
  });

  it('one column of sixteen going down restarts all the interface\'s series together', () => {
    const header = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
    const line = (rxBytes: number, rxErrs: number) => `${header}  eth0: ${rxBytes} 10 ${rxErrs} 0 0 0 0 0 5000 20 0 0 0 0 0 0\n`;
    const out = run([{ rx: 0, line: line(1000, 7) }, { rx: 0, line: line(2000, 7) }, { rx: 0, line: line(3000, 2) }, { rx: 0, line: line(4000, 2) }]);
    assert.equal(out[1]!.rate, 1000);
    assertResetAt(out, 2, 1000);
    // The transmit series did not go down, but restarts with the rest of the interface.
    assert.ok(!same(out[2]!.errorsStart, out[1]!.errorsStart));
  });

  it('shows Prometheus a counter that went down (its own reset handling) and no rate sample for that interval', () => {
    const out = run([{ rx: 1000 }, { rx: 1500 }, { rx: 200 }]);
    const expo = (i: number) => parseExposition(encodeExposition(out[i]!.s.scopeMetrics, out[i]!.s.resource));
    const rx = (i: number) => expo(i).samples.find((x) => x.name === 'system_network_io_bytes_total' && x.labels.network_io_direction === 'receive')?.value;
    const rate = (i: number) => expo(i).samples.find((x) => x.name === 'system_network_io_rate_bytes_per_second' && x.labels.network_io_direction === 'receive');
    assert.equal(rx(1), 1500);
    assert.equal(rx(2), 200);
    assert.equal(rate(1)?.value, 500);
    assert.equal(rate(2), undefined);
  });
});
