/**
 * One server-sent event. Every line of `data` gets its own "data:" field (the spec joins them with
 * newlines again), so a payload can never end the event early or inject a field.
 */
export function sseEvent(event: string, data: string, id?: string | number): string {
  const head = `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\n`;
  return `${head}${data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('')}\n`;
}

/** A comment line: ignored by EventSource, but keeps proxies and NAT from closing an idle stream. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/** Tells EventSource how long to wait before reconnecting (ms). */
export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
