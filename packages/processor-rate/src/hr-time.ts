import type { HrTime } from '@opentelemetry/api';

/** `to - from` in seconds. Seconds and nanoseconds are subtracted apart so large epochs lose no precision. */
export function secondsBetween(from: HrTime, to: HrTime): number {
  return to[0] - from[0] + (to[1] - from[1]) / 1e9;
}

export function isBefore(a: HrTime, b: HrTime): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
