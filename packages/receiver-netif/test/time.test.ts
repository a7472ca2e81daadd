import assert from 'node:assert/strict';
import { MONOTONIC_ORIGIN_MS, monotonicNowMs, monotonicToHrTime } from '../src/time.js';

describe('monotonicToHrTime', () => {
  it('adds the time origin and the monotonic reading as [seconds, nanos]', () => {
    assert.deepEqual(monotonicToHrTime(1_700_000_000_000, 0), [1_700_000_000, 0]);
    assert.deepEqual(monotonicToHrTime(1_700_000_000_000, 1500.25), [1_700_000_001, 500_250_000]);
    assert.deepEqual(monotonicToHrTime(1_700_000_000_999.5, 0.5), [1_700_000_001, 0]);
    assert.deepEqual(monotonicToHrTime(1_700_000_000_999.75, 0.5), [1_700_000_001, 250_000]);
  });

  it('keeps sub-millisecond precision and never goes back as the reading grows', () => {
    const origin = performance.timeOrigin;
    let prev = monotonicToHrTime(origin, 0);
    for (let ms = 0.001; ms < 5000; ms += 0.37) {
      const t = monotonicToHrTime(origin, ms);
      assert.ok(t[1] >= 0 && t[1] < 1e9);
      assert.ok(t[0] > prev[0] || (t[0] === prev[0] && t[1] >= prev[1]), `${t} < ${prev}`);
      prev = t;
    }
  });
});

describe('monotonicNowMs', () => {
  it('never goes back, moves at the rate of the wall clock, and reads 0 at MONOTONIC_ORIGIN_MS', async () => {
    const wallBefore = Date.now();
    const first = monotonicNowMs();
    let last = first;
    for (let i = 0; i < 10_000; i++) {
      const now = monotonicNowMs();
      assert.ok(now >= last, `went back from ${last} to ${now}`);
      last = now;
    }
    await new Promise((r) => setTimeout(r, 120));
    const elapsed = monotonicNowMs() - first;
    const wallElapsed = Date.now() - wallBefore;
    // setTimeout waits at least its delay; both clocks saw the same wait (20 ms of slack: the wall
    // clock reads whole milliseconds, and a loaded machine may run the two reads apart).
    assert.ok(elapsed >= 119, `only ${elapsed} ms passed`);
    assert.ok(Math.abs(elapsed - wallElapsed) < 20, `monotonic ${elapsed} ms against wall ${wallElapsed} ms`);
    // origin + reading is the wall clock now, as performance.timeOrigin + performance.now() would be.
    assert.ok(Math.abs(MONOTONIC_ORIGIN_MS + monotonicNowMs() - Date.now()) < 50);
    assert.ok(MONOTONIC_ORIGIN_MS <= wallBefore);
  });
});
