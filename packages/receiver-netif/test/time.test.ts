import assert from 'node:assert/strict';
import { monotonicToHrTime } from '../src/time.js';

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
