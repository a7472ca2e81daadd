import type { RateProcessorConfig } from './types.js';

export const DEFAULT_RATE_PROCESSOR_CONFIG: RateProcessorConfig = Object.freeze({
  topN: 0,
  maxBandwidthBytesPerSecond: 0,
});

const KNOWN_KEYS: readonly string[] = Object.keys(DEFAULT_RATE_PROCESSOR_CONFIG);

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Every problem in a would-be RateProcessorConfig, each prefixed with its path; empty when valid. */
export function validateRateProcessorConfig(c: unknown): string[] {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return [`config: must be an object, got ${show(c)}`];
  const o = c as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o.topN !== 'number' || !Number.isSafeInteger(o.topN) || o.topN < 0) {
    problems.push(`topN: must be a whole number >= 0, got ${show(o.topN)}`);
  }
  const bw = o.maxBandwidthBytesPerSecond;
  if (typeof bw !== 'number' || !Number.isFinite(bw) || bw < 0) {
    problems.push(`maxBandwidthBytesPerSecond: must be a finite number >= 0, got ${show(bw)}`);
  }
  // A misspelt option would otherwise be silently ignored and the default used.
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.includes(key)) problems.push(`${key}: unknown option (known: ${KNOWN_KEYS.join(', ')})`);
  }
  return problems;
}
