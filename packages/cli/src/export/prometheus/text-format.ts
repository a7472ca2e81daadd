/** Prometheus text exposition format 0.0.4: the low-level spelling rules. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LABEL_VALUE_SPECIAL = /[\\"\n]/;
const HELP_SPECIAL = /[\\\n]/;

/** Label values escape backslash, double quote and line feed; everything else (UTF-8) is literal. */
export function escapeLabelValue(v: string): string {
  // Most values (interface names, directions) need nothing: skip the replace and its allocation.
  if (!LABEL_VALUE_SPECIAL.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** HELP text escapes only backslash and line feed (quotes are literal there). */
export function escapeHelp(v: string): string {
  if (!HELP_SPECIAL.test(v)) return v;
  return v.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

/**
 * A sample value as Prometheus parses it (Go's ParseFloat): NaN and ±Inf spelled its way, and
 * otherwise JavaScript's shortest round-trip form, which never uses an exponent for integers
 * below 1e21, so counters up to 2^53 print as plain digits.
 */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** An attribute value as a label value: strings as they are, arrays as JSON (as the Collector does). */
export function attributeToLabelValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}
