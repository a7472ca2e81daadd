import { readFileSync } from 'node:fs';
import { parseYaml } from './yaml.js';
import type { AttributeMetadata, ComponentMetadata, MetricMetadata } from './types.js';

/** Thrown when a metadata.yaml does not have the expected shape; lists every problem found. */
export class MetadataError extends Error {
  constructor(file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'MetadataError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses metadata.yaml text; `file` only labels errors. */
export function parseMetadata(text: string, file = 'metadata.yaml'): ComponentMetadata {
  return metadataFromDocument(parseYaml(text), file);
}

/** Checks a parsed metadata document (from YAML, or its compiled metadata.json); `file` only labels errors. */
export function metadataFromDocument(doc: unknown, file = 'metadata.yaml'): ComponentMetadata {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new MetadataError(file, ['top level must be a mapping']);
  const type = typeof doc.type === 'string' ? doc.type : (problems.push('type: must be a string'), '');
  const scope = isRecord(doc.scope) ? doc.scope : {};
  const scopeName = typeof scope.name === 'string' ? scope.name : (problems.push('scope.name: must be a string'), '');

  const attributes: Record<string, AttributeMetadata> = {};
  for (const [key, raw] of Object.entries(isRecord(doc.attributes) ? doc.attributes : {})) {
    if (!isRecord(raw) || typeof raw.description !== 'string' || typeof raw.type !== 'string') {
      problems.push(`attributes.${key}: needs description and type`);
      continue;
    }
    attributes[key] = {
      description: raw.description,
      type: raw.type as AttributeMetadata['type'],
      ...(Array.isArray(raw.enum) ? { enum: raw.enum.map(String) } : {}),
    };
  }

  const metrics: Record<string, MetricMetadata> = {};
  for (const [name, raw] of Object.entries(isRecord(doc.metrics) ? doc.metrics : {})) {
    const at = `metrics.${name}`;
    if (!isRecord(raw)) {
      problems.push(`${at}: must be a mapping`);
      continue;
    }
    const kind = isRecord(raw.sum) ? 'sum' : isRecord(raw.gauge) ? 'gauge' : undefined;
    if (!kind) {
      problems.push(`${at}: needs a sum or gauge section`);
      continue;
    }
    const body = raw[kind] as Record<string, unknown>;
    const attrs = Array.isArray(raw.attributes) ? raw.attributes.map(String) : [];
    for (const a of attrs) if (!attributes[a]) problems.push(`${at}.attributes: ${a} is not declared under attributes`);
    if (typeof raw.unit !== 'string') problems.push(`${at}.unit: must be a string ("" for none)`);
    if (typeof raw.description !== 'string') problems.push(`${at}.description: must be a string`);
    metrics[name] = {
      name,
      description: String(raw.description ?? ''),
      unit: String(raw.unit ?? ''),
      kind,
      valueType: body.value_type === 'double' ? 'double' : 'int',
      monotonic: kind === 'sum' && body.monotonic === true,
      attributes: attrs,
      ...(isRecord(raw.source) ? { source: Object.fromEntries(Object.entries(raw.source).map(([k, v]) => [k, String(v)])) } : {}),
      ...(typeof raw.from === 'string' ? { from: raw.from } : {}),
    };
  }
  if (problems.length > 0) throw new MetadataError(file, problems);
  return { type, scopeName, attributes, metrics };
}

/**
 * Reads a metadata.yaml, or the metadata.json compiled from it (`npm run docs`; a test keeps the
 * two equal). The agent loads the JSON: the YAML parser alone added 7 MB to its resident memory.
 */
export function loadMetadata(path: string | URL): ComponentMetadata {
  const text = readFileSync(path, 'utf8');
  const file = String(path);
  return file.endsWith('.json') ? metadataFromDocument(JSON.parse(text), file) : parseMetadata(text, file);
}

/** metadata.json's text for a metadata.yaml's: the parsed document, as stable JSON. */
export function compileMetadata(yamlText: string, file = 'metadata.yaml'): string {
  const doc = parseYaml(yamlText);
  metadataFromDocument(doc, file);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
