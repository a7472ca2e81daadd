import { didYouMean } from './did-you-mean.js';
import { readConfigDocument } from './file.js';
import type { ConfigDocument } from './file.js';
import { OPTIONS } from './options.js';
import type { AnyOptionSpec } from './spec.js';
import type { CommandName, Config, ConfigSources, LoadedConfig, SourceKind } from './types.js';
import { splitList, ValueProblem } from './values.js';
import { crossOptionProblems, finalize } from './finalize.js';

/** Raw flag values as commander collected them, keyed by option key ("otlp-header"). */
export type FlagValues = Record<string, string | string[] | boolean | undefined>;

export interface ConfigInput {
  command: CommandName;
  flags?: FlagValues;
  env?: Record<string, string | undefined>;
  /** Reads the config file (tests inject fixtures); defaults to the file system. */
  readFile?: (path: string) => string;
}

export interface Resolution extends LoadedConfig {
  /** Every problem, each prefixed with where the bad value came from. */
  problems: string[];
}

/** Where a value came from, as the user would find it again: `--top "x"`, `OTEL_NETIF_TOP="x"`, `config.yaml: top: "x"`. */
type Locate = (spec: AnyOptionSpec, raw: string | undefined) => string;

function quoted(spec: AnyOptionSpec, raw: string | undefined): string {
  return spec.secret || raw === undefined ? '' : JSON.stringify(raw);
}

const atFlag: Locate = (spec, raw) => `--${spec.key}${raw === undefined || spec.secret ? '' : ` ${quoted(spec, raw)}`}`;
const atEnv = (name: string): Locate => (spec, raw) => `${name}${spec.secret ? '' : `=${quoted(spec, raw)}`}`;
const atFile = (file: string, key: string): Locate => (spec, raw) => `${file}: ${key}${spec.secret || raw === undefined ? '' : `: ${quoted(spec, raw)}`}`;

/** Applies one option's parse and range check, collecting the problem instead of throwing. */
function attempt<T>(problems: string[], where: string, fn: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof ValueProblem)) throw err;
    problems.push(`${where}: ${err.message}`);
    return { ok: false };
  }
}

function check(spec: AnyOptionSpec, value: unknown): unknown {
  (spec.check as ((v: unknown) => void) | undefined)?.(value);
  return value;
}

/** Items of a list option, each with its own location so a bad one is named exactly. */
function parseItems(spec: AnyOptionSpec & { kind: 'list' }, items: { raw: string; where: string }[], problems: string[], whereAll: string) {
  const parsed: unknown[] = [];
  let ok = true;
  for (const { raw, where } of items) {
    const r = attempt(problems, where, () => spec.parseItem(raw));
    if (r.ok) parsed.push(r.value);
    else ok = false;
  }
  if (!ok) return { ok: false as const };
  return attempt(problems, whereAll, () => check(spec, (spec.combine as (i: unknown[]) => unknown)(parsed)));
}

function fromFlag(spec: AnyOptionSpec, raw: string | string[] | boolean, problems: string[]) {
  if (spec.kind === 'boolean') return { ok: true as const, value: raw === true };
  if (spec.kind === 'list') {
    const raws = (Array.isArray(raw) ? raw : [String(raw)]).flatMap((r) => (spec.splitCommas ? splitList(r) : [r]));
    return parseItems(spec, raws.map((r) => ({ raw: r, where: atFlag(spec, r) })), problems, atFlag(spec, undefined));
  }
  const text = Array.isArray(raw) ? (raw.at(-1) ?? '') : String(raw);
  return attempt(problems, atFlag(spec, text), () => check(spec, spec.parse(text)));
}

function fromEnv(spec: AnyOptionSpec, name: string, raw: string, base: unknown, problems: string[]) {
  const where = atEnv(name);
  const custom = spec.env.find((e) => e.name === name)?.parse as ((raw: string, base: unknown) => unknown) | undefined;
  if (custom) return attempt(problems, where(spec, raw), () => check(spec, custom(raw, base)));
  if (spec.kind === 'list') {
    const items = spec.splitCommas ? splitList(raw) : [raw];
    return parseItems(spec, items.map((r) => ({ raw: r, where: where(spec, r) })), problems, where(spec, raw));
  }
  if (spec.kind === 'boolean') return { ok: true as const, value: /^(1|true|yes|on)$/i.test(raw.trim()) };
  return attempt(problems, where(spec, raw), () => check(spec, spec.parse(raw)));
}

/** YAML scalars become the text a flag would have carried, so both share one parser and one message. */
function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function fromFile(spec: AnyOptionSpec, file: string, value: unknown, problems: string[]) {
  const where = atFile(file, spec.key);
  if (value === null || value === undefined) {
    problems.push(`${file}: ${spec.key}: has no value (remove the key or give e.g. ${spec.key}: ${spec.example ?? '…'})`);
    return { ok: false as const };
  }
  if (spec.kind === 'list') {
    let items: { raw: string; where: string }[];
    if (Array.isArray(value)) {
      items = [];
      for (const [i, v] of value.entries()) {
        const text = scalarText(v);
        const at = `${file}: ${spec.key}[${i}]`;
        if (text === undefined) {
          problems.push(`${at}: must be a single value, not a list or mapping`);
          return { ok: false as const };
        }
        items.push({ raw: text, where: spec.secret ? at : `${at}: ${JSON.stringify(text)}` });
      }
    } else if (typeof value === 'object') {
      if (!spec.mapping) {
        problems.push(`${file}: ${spec.key}: must be a list or a single value, e.g. ${spec.key}: [${spec.example ?? '…'}]`);
        return { ok: false as const };
      }
      items = Object.entries(value as Record<string, unknown>).map(([k, v]) => ({
        raw: `${k}=${scalarText(v) ?? ''}`,
        where: `${file}: ${spec.key}.${k}`,
      }));
    } else {
      const text = scalarText(value) ?? '';
      items = (spec.splitCommas ? splitList(text) : [text]).map((r) => ({ raw: r, where: where(spec, r) }));
    }
    return parseItems(spec, items, problems, `${file}: ${spec.key}`);
  }
  const text = scalarText(value);
  if (text === undefined || spec.kind === 'boolean') {
    problems.push(`${file}: ${spec.key}: must be a single value, e.g. ${spec.key}: ${spec.example ?? '…'}`);
    return { ok: false as const };
  }
  return attempt(problems, where(spec, text), () => check(spec, spec.parse(text)));
}

function checkFileKeys(file: string, doc: ConfigDocument, problems: string[]): void {
  const yamlKeys = OPTIONS.filter((o) => o.yaml).map((o) => o.key);
  for (const key of Object.keys(doc)) {
    const spec = OPTIONS.find((o) => o.key === key);
    if (spec && !spec.yaml) {
      problems.push(`${file}: "${key}" cannot be set in a config file (use --${key} on the command line)`);
    } else if (!spec) {
      const guess = didYouMean(key, yamlKeys);
      problems.push(`${file}: unknown key "${key}" ${guess ? `(did you mean "${guess}"?)` : '(see docs/configuration.md for the keys)'}`);
    }
  }
}

/** Every set variable of an option, lowest priority first, so a higher one is applied last and wins. */
function envValues(spec: AnyOptionSpec, env: Record<string, string | undefined>): { name: string; raw: string }[] {
  const set: { name: string; raw: string }[] = [];
  for (const { name } of spec.env) {
    const raw = env[name];
    // OTel: an empty variable is treated as unset.
    if (raw !== undefined && raw.trim() !== '') set.unshift({ name, raw });
  }
  return set;
}

/**
 * Reads every source for `command`, applies precedence (flag > env > file > default; within env
 * the signal-specific OTel variable first) and collects every problem rather than stopping at the
 * first. Values that are overridden are still validated: a broken file is broken either way.
 */
export function resolveConfig(input: ConfigInput): Resolution {
  const flags = input.flags ?? {};
  const env = input.env ?? {};
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const sources: Record<string, SourceKind> = {};

  const fileFlag = flags.config;
  const configPath = typeof fileFlag === 'string' && fileFlag.trim() !== '' ? fileFlag : env.OTEL_NETIF_CONFIG?.trim() || undefined;
  let doc: ConfigDocument = {};
  if (configPath !== undefined) {
    const read = readConfigDocument(configPath, input.readFile);
    problems.push(...read.problems);
    doc = read.doc;
    checkFileKeys(configPath, doc, problems);
  }

  for (const spec of OPTIONS) {
    values[spec.field] = spec.default;
    sources[spec.field] = 'default';
    if (!spec.commands.includes(input.command)) continue;
    const layer = (source: SourceKind, r: { ok: true; value: unknown } | { ok: false }) => {
      if (!r.ok) return;
      values[spec.field] = r.value;
      sources[spec.field] = source;
    };
    if (configPath !== undefined && spec.yaml && Object.hasOwn(doc, spec.key)) {
      layer('file', fromFile(spec, configPath, doc[spec.key], problems));
    }
    for (const { name, raw } of envValues(spec, env)) layer('env', fromEnv(spec, name, raw, values[spec.field], problems));
    const raw = flags[spec.key];
    if (raw !== undefined) layer('flag', fromFlag(spec, raw, problems));
  }

  const loaded = finalize(input.command, values as unknown as Config, sources as ConfigSources, env);
  if (problems.length === 0) problems.push(...crossOptionProblems(input.command, loaded.config));
  return { ...loaded, problems };
}
