import { readFileSync } from 'node:fs';
import { parseYaml } from '@otel-netif/metadata';

export type ConfigDocument = Record<string, unknown>;

/** The config file's top-level mapping, or the problems that keep it from being one. */
export function readConfigDocument(
  path: string,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): { doc: ConfigDocument; problems: string[] } {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { doc: {}, problems: [`${path}: cannot read the config file (${code}) (check the --config path)`] };
  }
  let doc: unknown;
  try {
    // 'error': the yaml library would otherwise print its warnings (an unknown %directive) itself, as a Node warning.
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (err) {
    // The yaml library puts an excerpt with a caret on the next lines; the first line has the position.
    const first = ((err as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    return { doc: {}, problems: [`${path}: not valid YAML: ${first}`] };
  }
  if (doc === null || doc === undefined) return { doc: {}, problems: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { doc: {}, problems: [`${path}: must be a mapping of option: value, e.g. "interval: 5s" (see docs/configuration.md)`] };
  }
  return { doc: doc as ConfigDocument, problems: [] };
}
