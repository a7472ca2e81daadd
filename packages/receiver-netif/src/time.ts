import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_MS = 1_000_000;
const NANOS_PER_S = 1_000_000_000;

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
