import { isIP } from 'node:net';
import { didYouMean } from './did-you-mean.js';
import { EXPORTER_NAMES, LOG_LEVELS, OTLP_PROTOCOLS } from './types.js';
import type { ExporterName, ListenAddress, LogLevelSetting, OtlpProtocol } from './types.js';

/**
 * A value that cannot be used. The message says what is wrong and how to fix it, but not where
 * the value came from: the caller prefixes the flag, variable or file key.
 */
export class ValueProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueProblem';
  }
}

const DURATION_HINT = 'use e.g. 500ms, 5s, 1m';
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "5s", "1m", "1.5h", "1m30s" → milliseconds (rounded). A bare number is refused: 5 what? */
export function parseDuration(raw: string): number {
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    if (Number(s) === 0) return 0;
    throw new ValueProblem(`a duration needs a unit (e.g. ${Number(s) >= 1000 ? `${s}ms` : `${s}s or ${s}ms`})`);
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let matched = 0;
  while (part.lastIndex < s.length) {
    const m = part.exec(s);
    if (!m) break;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
    matched = part.lastIndex;
  }
  if (s === '' || matched !== s.length || !Number.isFinite(total)) throw new ValueProblem(`not a duration (${DURATION_HINT})`);
  return Math.round(total);
}

/** The OTel variables that are defined in milliseconds (OTEL_METRIC_EXPORT_INTERVAL, …). */
export function parseMilliseconds(raw: string): number {
  const s = raw.trim();
  if (!/^\d+$/.test(s)) {
    throw new ValueProblem('not a whole number of milliseconds (OpenTelemetry defines this variable in ms, e.g. 60000)');
  }
  return Number(s);
}

/** 60000 → "1m", 5000 → "5s", 1500 → "1500ms": the inverse of parseDuration for messages and docs. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function parseWholeNumber(raw: string, hint: string): number {
  const s = raw.trim();
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new ValueProblem(`not a whole number (${hint})`);
  return Number(s);
}

const BANDWIDTH_HINT = 'use e.g. 1Gbit, 100Mbit or 125MB, all per second; 0 for none';
const PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };

/**
 * Link capacity → bytes per second. "bit"/"bps" are bits and "B" bytes, both per second with or
 * without "/s"; a lone lower-case "b" is refused because "Mb" is read both ways in the wild.
 */
export function parseBandwidth(raw: string): number {
  const s = raw.trim();
  if (/^0+(\.0+)?$/.test(s)) return 0;
  if (/^\d+(\.\d+)?$/.test(s)) throw new ValueProblem(`a bandwidth needs a unit (use e.g. ${s}Mbit or ${s}MB)`);
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]i?)?(bits?|bps|B|Bps|b)(\/s)?$/.exec(s);
  if (!m) throw new ValueProblem(`not a bandwidth (${BANDWIDTH_HINT})`);
  const [, num, prefix = '', unit = ''] = m;
  if (unit === 'b') throw new ValueProblem(`"b" is ambiguous (write ${num}${prefix}bit for bits or ${num}${prefix}B for bytes)`);
  const value = Number(num) * (PREFIX[prefix.toLowerCase()] ?? NaN);
  const bytes = unit === 'B' || unit === 'Bps' ? value : value / 8;
  if (!Number.isFinite(bytes)) throw new ValueProblem(`not a bandwidth (${BANDWIDTH_HINT})`);
  return bytes;
}

const SIZE_HINT = 'use e.g. 1MiB, 512KiB or 4MB';

/** A size in bytes: a whole number of bytes, or a number with B, kB/KiB, MB/MiB or GB/GiB (decimal or binary prefixes as written). */
export function parseByteSize(raw: string): number {
  const s = raw.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kKmMgG]i?)?B)?$/.exec(s);
  if (!m) throw new ValueProblem(`not a size (${SIZE_HINT})`);
  const [, num = '', prefix = ''] = m;
  if (prefix === '' && !/B$/.test(s) && !/^\d+$/.test(s)) throw new ValueProblem(`a fraction of a byte needs a unit (${SIZE_HINT})`);
  const bytes = Math.floor(Number(num) * (PREFIX[prefix.toLowerCase()] ?? NaN));
  if (!Number.isSafeInteger(bytes)) throw new ValueProblem(`not a size (${SIZE_HINT})`);
  return bytes;
}

/** bytes as parseByteSize reads it back: whole MiB or KiB where it is one. */
export function formatByteSize(bytes: number): string {
  if (bytes > 0 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}MiB`;
  if (bytes > 0 && bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10}KiB`;
  return `${bytes}B`;
}

const LISTEN_HINT = 'use host:port, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464';

export function parsePort(raw: string): number {
  const s = raw.trim();
  const port = Number(s);
  if (!/^\d+$/.test(s) || port < 1 || port > 65535) throw new ValueProblem('not a port (use 1-65535)');
  return port;
}

/** Bare host as OTEL_EXPORTER_PROMETHEUS_HOST gives it: IPv6 without brackets, or a name. */
export function parseHost(raw: string): string {
  const s = raw.trim();
  const unbracketed = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  if (isIP(unbracketed) !== 0) return unbracketed;
  if (/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(s)) return s;
  throw new ValueProblem('not an IP address or host name (use e.g. 127.0.0.1, 0.0.0.0 or ::)');
}

export function parseListen(raw: string): ListenAddress {
  const s = raw.trim();
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(s);
  if (bracketed) {
    if (isIP(bracketed[1] ?? '') !== 6) throw new ValueProblem(`"[${bracketed[1]}]" is not an IPv6 address (${LISTEN_HINT})`);
    return { host: bracketed[1] ?? '', port: parsePort(bracketed[2] ?? '') };
  }
  const colons = s.split(':').length - 1;
  if (colons > 1) throw new ValueProblem(`put an IPv6 address in brackets (e.g. [::]:9464 or [::1]:9464)`);
  if (colons === 0) throw new ValueProblem(`missing port (${LISTEN_HINT})`);
  const [host = '', port = ''] = s.split(':');
  if (host === '') throw new ValueProblem('missing host (use 127.0.0.1:PORT for this host only, 0.0.0.0:PORT for every interface)');
  return { host: parseHost(host), port: parsePort(port) };
}

/** host:port for messages and URLs: brackets around IPv6. */
export function formatListen({ host, port }: ListenAddress): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

export function parseUrl(raw: string): string {
  const s = raw.trim();
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ValueProblem('not a URL (use e.g. http://localhost:4318 or https://collector.example:4318)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValueProblem(`not an http:// or https:// URL (e.g. http://${s.replace(/^[a-z+.-]*:\/\//i, '')})`);
  }
  return s;
}

export function parseOtlpProtocol(raw: string): OtlpProtocol {
  const s = raw.trim().toLowerCase();
  const found = OTLP_PROTOCOLS.find((p) => p === s);
  if (found) return found;
  const guess = didYouMean(s, OTLP_PROTOCOLS);
  throw new ValueProblem(`not an OTLP protocol (${guess ? `did you mean "${guess}"? ` : ''}use ${OTLP_PROTOCOLS.join(', ')})`);
}

/** OTEL_LOG_LEVEL spellings map onto ours: verbose and all are debug, warning is warn. */
const LOG_LEVEL_ALIASES: Record<string, LogLevelSetting> = { verbose: 'debug', all: 'debug', warning: 'warn' };

export function parseLogLevel(raw: string): LogLevelSetting {
  const s = raw.trim().toLowerCase();
  const found = LOG_LEVELS.find((l) => l === s) ?? LOG_LEVEL_ALIASES[s];
  if (found) return found;
  throw new ValueProblem(`not a log level (use ${LOG_LEVELS.join(', ')})`);
}

/** One exporter name; "none" is returned as is for the list check. "logging" is OTel's old name for console. */
export function parseExporterName(raw: string): ExporterName | 'none' {
  const s = raw.trim().toLowerCase();
  if (s === 'none') return 'none';
  if (s === 'logging') return 'console';
  const found = EXPORTER_NAMES.find((e) => e === s);
  if (found) return found;
  const all = [...EXPORTER_NAMES, 'none'];
  const guess = didYouMean(s, all);
  throw new ValueProblem(`unknown exporter (${guess ? `did you mean "${guess}"? ` : ''}use ${all.join(', ')})`);
}

/** Deduplicated; "none" only alone, where it means no exporter at all. */
export function combineExporters(names: (ExporterName | 'none')[]): ExporterName[] {
  if (names.length === 0) throw new ValueProblem('no exporter given (use none to export nothing)');
  if (names.includes('none')) {
    if (names.some((n) => n !== 'none')) throw new ValueProblem('"none" cannot be combined with other exporters');
    return [];
  }
  return [...new Set(names as ExporterName[])];
}

/**
 * Splits a comma-separated list, leaving commas inside {…} alone so brace globs such as
 * "{eth,en}*" survive. Empty items are dropped.
 */
export function splitList(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of raw) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** RFC 9110 token characters: what an HTTP header name may consist of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerName(raw: string, where: string): string {
  const name = raw.trim();
  if (name === '') throw new ValueProblem(`${where} has no header name (use key=value)`);
  if (!HEADER_NAME.test(name)) throw new ValueProblem(`${where}: "${name}" is not a valid header name`);
  return name;
}

/**
 * One `--otlp-header key=value`. The value is taken literally (no percent-decoding: the shell
 * already quotes). Values can be secrets, so no message ever repeats one.
 */
export function parseHeaderFlag(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq < 0) throw new ValueProblem('missing "=" (use key=value, e.g. authorization=Bearer …)');
  return [headerName(raw.slice(0, eq), 'header'), raw.slice(eq + 1).trim()];
}

/**
 * OTEL_EXPORTER_OTLP_HEADERS: `k=v,k2=v2` with percent-encoded values, as the OTel spec defines
 * it (W3C Baggage format). Messages name entries by position and key, never by value.
 */
export function parseHeaderList(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  raw.split(',').forEach((entry, i) => {
    if (entry.trim() === '') return;
    const where = `entry ${i + 1}`;
    const eq = entry.indexOf('=');
    if (eq < 0) throw new ValueProblem(`${where} has no "=" (use key=value pairs separated by commas)`);
    const name = headerName(entry.slice(0, eq), where);
    try {
      headers[name] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw new ValueProblem(`${where} ("${name}"): invalid percent-encoding in the value (encode "%" as %25)`);
    }
  });
  return headers;
}

/** OTEL_RESOURCE_ATTRIBUTES has the same k=v,… format; keys are attribute names, not header tokens. */
export function checkResourceAttributes(raw: string): string {
  raw.split(',').forEach((entry, i) => {
    if (entry.trim() === '') return;
    const eq = entry.indexOf('=');
    if (eq <= 0 || entry.slice(0, eq).trim() === '') {
      throw new ValueProblem(`entry ${i + 1} is not key=value (use e.g. deployment.environment=prod,host.role=edge)`);
    }
    try {
      decodeURIComponent(entry.slice(eq + 1));
    } catch {
      throw new ValueProblem(`entry ${i + 1}: invalid percent-encoding in the value (encode "%" as %25)`);
    }
  });
  return raw;
}

/**
 * Takes service.name out of an OTEL_RESOURCE_ATTRIBUTES-style list, so the service name has one
 * home (the service-name option) and the OTel precedence between the two can be applied there.
 */
export function splitServiceName(raw: string): { serviceName: string | undefined; rest: string } {
  let serviceName: string | undefined;
  const rest = raw.split(',').filter((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0 || entry.slice(0, eq).trim() !== 'service.name') return true;
    try {
      serviceName = decodeURIComponent(entry.slice(eq + 1).trim()) || serviceName;
    } catch {
      // checkResourceAttributes has reported it already.
    }
    return false;
  });
  return { serviceName, rest: rest.join(',') };
}
