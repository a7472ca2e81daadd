import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetifReceiver, parseProcNetDev } from '@otel-netif/receiver-netif';
import { benchInterfaceNames, renderProcNetDev, writeFixture } from '../../bench/lib/fixture.js';
import { formatBytes, formatMs, formatRatio, markdownTable, ratioSentence } from '../../bench/lib/format.js';
import { evaluateGoals } from '../../bench/lib/goals.js';
import type { SoakResult } from '../../bench/lib/soak-result.js';
import type { BenchResults, SizeResult } from '../../bench/lib/results.js';
import { growthExponent, median, percentile } from '../../bench/lib/stats.js';

// The bench's fixture mode is only a fair comparison if the agent reads exactly the interfaces
// the fixture claims to hold; timing is never asserted here.
describe('bench: fixture generator', () => {
  for (const n of [1, 37, 1000]) {
    it(`renders a /proc/net/dev the receiver parses as loopback plus ${n} taps`, () => {
      const names = benchInterfaceNames(n);
      const parsed = parseProcNetDev(renderProcNetDev(names));
      assert.deepEqual(parsed.problems, []);
      assert.equal(parsed.interfaces.length, n + 1);
      assert.deepEqual(parsed.interfaces.map((i) => i.name), names);
    });
  }

  it('writes counters past 2^32 that survive parsing exactly', () => {
    const text = renderProcNetDev(benchInterfaceNames(50));
    const parsed = parseProcNetDev(text);
    const big = parsed.interfaces.filter((i) => i.counters.rxBytes > 2 ** 32);
    assert.ok(big.length > 0);
    const first = big[0]!;
    assert.ok(text.includes(`${first.name.padStart(6)}:${String(first.counters.rxBytes).padStart(8)} `));
  });

  it('is deterministic for a seed', () => {
    assert.equal(renderProcNetDev(['lo', 'tap0'], 7), renderProcNetDev(['lo', 'tap0'], 7));
    assert.notEqual(renderProcNetDev(['lo', 'tap0'], 7), renderProcNetDev(['lo', 'tap0'], 8));
  });

  it('writes a tree the receiver samples through --root-path, and grows it in place', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-fixture-test-'));
    try {
      await writeFixture(root, benchInterfaceNames(5));
      await writeFixture(root, benchInterfaceNames(12));
      const receiver = new NetifReceiver({ rootPath: root, include: [], exclude: [], metadataRefreshMs: 0 });
      const sample = receiver.sample();
      assert.deepEqual(sample.problems, []);
      assert.equal(sample.interfaces.length, 13);
      const tap = sample.interfaces.find((i) => i.name === 'tap11');
      assert.deepEqual(tap?.link, { operstate: 'up', carrier: true, speedBytesPerSecond: 1_250_000_000, mtu: 1500 });
      const lo = sample.interfaces.find((i) => i.name === 'lo');
      assert.equal(lo?.link.speedBytesPerSecond, undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('bench: table and ratio formatting', () => {
  it('writes durations like the issue does', () => {
    assert.deepEqual(
      [0.03, 0.17, 1.8, 8.6, 109, 517, 3600, 0.0042, 1.04, 99.5, undefined, Number.NaN].map(formatMs),
      ['0.03 ms', '0.17 ms', '1.8 ms', '8.6 ms', '109 ms', '517 ms', '3.6 s', '4.2 µs', '1 ms', '100 ms', '—', '—'],
    );
  });

  it('writes sizes and ratios', () => {
    assert.deepEqual([512, 1536, 5 * 1024 * 1024 + 1].map(formatBytes), ['512 B', '1.5 KiB', '5 MiB']);
    assert.deepEqual([23.4, 0.421, 150.2, undefined].map(formatRatio), ['23×', '0.42×', '150×', '—']);
  });

  it('names the direction of a ratio in words', () => {
    const base = { subject: 'otel-netif', what: 'scrape', peer: 'node_exporter netdev-only', n: 1000, better: 'faster', worse: 'slower' };
    assert.equal(ratioSentence({ ...base, ours: 4.7, theirs: 109 }), 'otel-netif scrape is 23× faster than node_exporter netdev-only at 1000');
    assert.equal(ratioSentence({ ...base, ours: 20, theirs: 10 }), 'otel-netif scrape is 2× slower than node_exporter netdev-only at 1000');
    assert.equal(ratioSentence({ ...base, ours: undefined, theirs: 10 }), 'otel-netif scrape vs node_exporter netdev-only at 1000: not measured');
  });

  it('renders a markdown table with right-aligned numbers', () => {
    assert.equal(
      markdownTable(['what', '10', '100'], [['a', '1 ms', '2 ms']]),
      '| what | 10 | 100 |\n|---|---:|---:|\n| a | 1 ms | 2 ms |',
    );
  });

  it('computes nearest-rank percentiles and growth exponents', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.ok(Number.isNaN(median([])));
    assert.equal(growthExponent(1000, 2, 4000, 8), 1);
  });

  it('judges the sample-versus-floor goal from the numbers alone', () => {
    const size = (medianMs: number): SizeResult => ({
      n: 1000,
      interfaces: 1001,
      setupMs: 0,
      targets: {},
      floor: { medianMs: 2, p90Ms: 2, cpuMsPerRead: 2, bytes: 0, iterations: 1 },
      sample: {
        iterations: 1, medianMs, p90Ms: medianMs, cpuMsPerSample: medianMs, interfaces: 1001, networkInterfacesMs: 0,
        firstSampleMs: 0, withRefreshMedianMs: 10, withRefreshCpuMs: 10, readFileMedianMs: 0, parseMedianMs: 0,
      },
    });
    const results = (s: SizeResult): BenchResults => ({
      version: 1, date: '2026-01-01T00:00:00Z', mode: 'fixture', quick: false, gzip: true, runtimeMs: 0, sizes: [s],
      machine: { nproc: 2, cpuModel: 'x', kernel: 'y', node: 'v20', nodeExporter: '1.5.0', hostMetrics: '0.39.0' },
    });
    const [met] = evaluateGoals(results(size(3)));
    assert.equal(met?.status, 'met');
    assert.equal(met?.detail, '1.5× (3 ms vs 2 ms; CPU 3 ms vs 2 ms); with its share of sysfs refresh 5× (10 ms)');
    assert.equal(evaluateGoals(results(size(5)))[0]?.status, 'missed');
  });
  it('judges the soak goal from bench:soak\'s result: flat within 5% over 30 min after the warm-up', () => {
    const base: BenchResults = {
      version: 1, date: '2026-01-01T00:00:00Z', mode: 'netns', quick: false, gzip: true, runtimeMs: 0, sizes: [],
      machine: { nproc: 2, cpuModel: 'x', kernel: 'y', node: 'v20', nodeExporter: '1.5.0', hostMetrics: '0.39.0' },
    };
    const soak = (maxKb: number, minutes = 35): SoakResult => ({
      date: '2026-01-02T00:00:00Z', commit: 'abc1234', minutes, warmupMinutes: 5, size: 1000, churnPerSecond: 20, intervalMs: 5000,
      tapsAdded: 42000, scrapes: 420, scrapeErrors: 0, rssKbAfterWarmup: 80 * 1024, rssKbLast: 81 * 1024, rssKbMax: maxKb, rssKbMin: 79 * 1024,
      seriesLast: 23000, readings: [],
    });
    const goal = (r: BenchResults) => evaluateGoals(r).find((g) => g.goal.includes('soak'));
    assert.equal(goal(base)?.status, 'not measured');
    const flat = goal({ ...base, soak: soak(83 * 1024) });
    assert.equal(flat?.status, 'met');
    assert.match(flat?.detail ?? '', /RSS 80\.0 MiB → 81\.0 MiB, range 79\.0 MiB–83\.0 MiB \(\+3\.8% \/ −1\.3%\).*abc1234/);
    assert.equal(goal({ ...base, soak: soak(85 * 1024) })?.status, 'missed', '+6.3%');
    assert.equal(goal({ ...base, soak: soak(83 * 1024, 20) })?.status, 'not measured', '15 min after the warm-up is not a 30-minute soak');
    // Readings are medians of five reads; the highest single read is shown, not judged.
    const peaked = goal({ ...base, soak: { ...soak(83 * 1024), rssKbPeak: 90 * 1024 } });
    assert.equal(peaked?.status, 'met');
    assert.match(peaked?.detail ?? '', /\(\+3\.8% \/ −1\.3%\); highest single read 90\.0 MiB; 0 failed scrapes/);
    assert.doesNotMatch(flat?.detail ?? '', /single read/);
  });
});
