import { sleep } from '../../test-support/index.js';

/**
 * Calls `read` until `done(value)` holds or `timeoutMs` passes, and returns the last value
 * either way: the caller asserts on it, so a timeout fails with the real value in the message
 * rather than a bare "timed out".
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < until) {
    await sleep(everyMs);
    v = await read();
  }
  return v;
}
