import type { MetricKind } from './types.js';

// The OTel→Prometheus compatibility rules, as the Collector's Prometheus exporter and Prometheus's
// own OTLP ingestion apply them, so a dashboard works against either path.
const UNIT_WORDS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '1': '', '%': 'percent',
};
const PER_UNIT_WORDS: Record<string, string> = {
  s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year',
};

const NON_ALNUM = /[^\p{L}\p{N}]+/u;

function tokens(s: string): string[] {
  return s.split(NON_ALNUM).filter((t) => t !== '');
}

export interface PrometheusNameInput {
  name: string;
  unit: string;
  kind: MetricKind;
  monotonic: boolean;
}

/** The Prometheus metric name for an OTel metric, with unit and type suffixes. */
export function prometheusMetricName(m: PrometheusNameInput): string {
  let out = tokens(m.name);
  const [main = '', per] = m.unit.split(/\/(.*)/s, 2);
  const mainUnit = main.trim();
  if (mainUnit !== '' && !/[{}]/.test(mainUnit)) {
    const word = tokens(UNIT_WORDS[mainUnit] ?? mainUnit).join('_');
    if (word !== '' && !out.includes(word)) out.push(word);
  }
  const perUnit = (per ?? '').trim();
  if (perUnit !== '' && !/[{}]/.test(perUnit)) {
    const word = tokens(PER_UNIT_WORDS[perUnit] ?? perUnit).join('_');
    if (word !== '' && !out.includes(word)) out.push('per', word);
  }
  if (m.kind === 'sum' && m.monotonic) out = [...out.filter((t) => t !== 'total'), 'total'];
  if (m.unit === '1' && m.kind === 'gauge') out = [...out.filter((t) => t !== 'ratio'), 'ratio'];
  const joined = out.join('_');
  return /^\p{N}/u.test(joined) ? `_${joined}` : joined;
}

/** The Prometheus label name for an OTel attribute key. */
export function prometheusLabelName(key: string): string {
  const cleaned = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(cleaned)) return `key_${cleaned}`;
  return cleaned;
}
