import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_MS = 1_000_000;
const NANOS_PER_S = 1_000_000_000;

// The monotonic clock is process.hrtime(), not performance.now(): the first read of the global
// `performance` loads perf_hooks and eight internal modules, ~0.1 MiB of resident memory the agent
// kept for two numbers (measured 2026-12-05, Node 20). Both count from an arbitrary point; this one
// from this module's first evaluation, with the wall clock read at the same moment.
const [ORIGIN_S, ORIGIN_NS] = process.hrtime();
/** Wall-clock milliseconds (Unix epoch) when monotonicNowMs() read 0: the role of performance.timeOrigin. */
export const MONOTONIC_ORIGIN_MS = Date.now();

/** Monotonic milliseconds since MONOTONIC_ORIGIN_MS, fractional: the role of performance.now(). */
export function monotonicNowMs(): number {
  const [s, ns] = process.hrtime();
  return (s - ORIGIN_S) * 1000 + (ns - ORIGIN_NS) / NANOS_PER_MS;
}

function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * NANOS_PER_MS)];
}

/**
 * Wall-clock HrTime for a monotonic reading: timeOrigin + now, added as two HrTimes so the epoch's
 * magnitude does not eat the sub-millisecond digits. Never goes back, unlike Date.now().
 */
export function monotonicToHrTime(timeOriginMs: number, nowMs: number): HrTime {
  const a = msToHrTime(timeOriginMs);
  const b = msToHrTime(nowMs);
  let seconds = a[0] + b[0];
  let nanos = a[1] + b[1];
  if (nanos >= NANOS_PER_S) {
    seconds += Math.floor(nanos / NANOS_PER_S);
    nanos %= NANOS_PER_S;
  }
  return [seconds, nanos];
}
