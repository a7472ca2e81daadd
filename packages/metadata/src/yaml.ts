import { createRequire } from 'node:module';

type YamlParse = (text: string, options?: { logLevel?: 'silent' | 'error' | 'warn' | 'debug' }) => unknown;

let parse: YamlParse | undefined;

/**
 * YAML's parse(), loaded on first use: the library costs the agent about 7 MB of resident memory,
 * and only a config file, a web-config file or a metadata.yaml (tests, generators) needs it.
 */
export function parseYaml(text: string, options?: { logLevel?: 'silent' | 'error' | 'warn' | 'debug' }): unknown {
  parse ??= (createRequire(import.meta.url)('yaml') as { parse: YamlParse }).parse;
  return parse(text, options);
}
