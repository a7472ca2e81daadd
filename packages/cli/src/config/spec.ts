import type { CommandName, Config } from './types.js';

/** One environment variable an option is read from. */
export interface EnvSource<T> {
  name: string;
  /**
   * How this variable's text becomes the option's value when it differs from the flag's syntax
   * (OTel's millisecond and header formats, the Prometheus host/port pair). `base` is the value
   * so far, so a variable can set part of it. Throws ValueProblem.
   */
  parse?: (raw: string, base: T) => T;
  /** Shown next to the name in the docs, e.g. "ms". */
  note?: string;
}

interface SpecBase<K extends keyof Config> {
  /** Flag name without "--", and the YAML key. */
  key: string;
  field: K;
  short?: string;
  /** "<duration>" etc.; absent for boolean flags. */
  valueName?: string;
  /** In priority order: the first is the most specific (OTel's signal-specific variables first). */
  env: EnvSource<Config[K]>[];
  /** Whether a config file may set it. */
  yaml: boolean;
  commands: CommandName[];
  default: Config[K];
  defaultText: string;
  description: string;
  /** A valid value, for "needs a value" messages. */
  example?: string;
  /** Never echo values: they can hold credentials. */
  secret?: boolean;
  /** Range checks after parsing; throws ValueProblem. */
  check?: (value: Config[K]) => void;
}

export interface ScalarSpec<K extends keyof Config> extends SpecBase<K> {
  kind: 'scalar';
  parse: (raw: string) => Config[K];
}

/** Repeatable flags; a file may give a YAML list; comma-separated lists are split everywhere. */
export interface ListSpec<K extends keyof Config> extends SpecBase<K> {
  kind: 'list';
  parseItem: (raw: string) => unknown;
  /** Also checks the list as a whole (e.g. "none" with other exporters). */
  combine: (items: unknown[]) => Config[K];
  /** Whether "a,b" is two items (false for key=value headers, whose values may hold commas). */
  splitCommas: boolean;
  /** Whether a file may give a key: value mapping, read as key=value items (headers). */
  mapping?: boolean;
}

export interface BooleanSpec<K extends keyof Config> extends SpecBase<K> {
  kind: 'boolean';
}

export type OptionSpec<K extends keyof Config = keyof Config> = ScalarSpec<K> | ListSpec<K> | BooleanSpec<K>;

/** The table holds options of different value types; this keeps each entry checked against its field. */
export type AnyOptionSpec = { [K in keyof Config]: OptionSpec<K> }[keyof Config];

export function scalar<K extends keyof Config>(spec: Omit<ScalarSpec<K>, 'kind'>): AnyOptionSpec {
  return { kind: 'scalar', ...spec } as unknown as AnyOptionSpec;
}

export function list<K extends keyof Config, I>(
  spec: Omit<ListSpec<K>, 'kind' | 'parseItem' | 'combine'> & { parseItem: (raw: string) => I; combine: (items: I[]) => Config[K] },
): AnyOptionSpec {
  return { kind: 'list', ...spec } as unknown as AnyOptionSpec;
}

export function flag<K extends keyof Config>(spec: Omit<BooleanSpec<K>, 'kind'>): AnyOptionSpec {
  return { kind: 'boolean', ...spec } as unknown as AnyOptionSpec;
}
