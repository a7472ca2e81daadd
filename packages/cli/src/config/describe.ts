import { OPTIONS } from './options.js';
import type { Config, LoadedConfig } from './types.js';
import { formatDuration, formatListen } from './values.js';

function shown(field: keyof Config, value: unknown): string {
  if (value === undefined) return '-';
  if (field === 'otlpHeaders') return `{${Object.keys(value as Record<string, string>).join(',')}}`; // names only: values are secrets
  if (field === 'listen') return formatListen(value as Config['listen']);
  if (field === 'webConfig') return (value as NonNullable<Config['webConfig']>).file;
  if (field === 'otlpCertificate' || field === 'otlpClientCertificate' || field === 'otlpClientKey') return (value as { path: string }).path;
  if (field === 'otlpEndpoint') return (value as NonNullable<Config['otlpEndpoint']>).url.replace(/\/\/[^@/]*@/, '//');
  if (field.endsWith('Ms') && typeof value === 'number') return formatDuration(value);
  if (Array.isArray(value)) return value.join(',') || '[]';
  return String(value);
}

/**
 * One line with every setting that is not a default and where it came from, for --log-level
 * debug: "why is it using that value?" is the usual precedence question.
 */
export function describeSettings({ config, sources }: LoadedConfig): string {
  const set = OPTIONS.filter((o) => sources[o.field] !== 'default').map((o) => `${o.key}=${shown(o.field, config[o.field])} (${sources[o.field]})`);
  return set.length === 0 ? 'settings: all defaults' : `settings: ${set.join(', ')}`;
}
