/**
 * The chart README's values table, generated from values.yaml (defaults and `# --` comments) and
 * values.schema.json (types, and which objects are settings groups rather than free maps).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { CHART_DIR } from './paths.js';

export const TABLE_BEGIN = '<!-- values-table:begin (generated from values.yaml by test/deploy; UPDATE_GOLDEN=1 rewrites) -->';
export const TABLE_END = '<!-- values-table:end -->';

export interface ValueRow {
  key: string;
  type: string;
  default: unknown;
  description: string;
}

function describe(comment: string | null | undefined): string {
  if (!comment) return '';
  // Only the last `-- ` block before the key documents it; earlier lines are section comments.
  const lines = comment.split('\n');
  let start = -1;
  lines.forEach((l, i) => {
    if (l.trimStart().startsWith('--')) start = i;
  });
  if (start < 0) return '';
  return lines.slice(start).map((l, i) => (i === 0 ? l.trimStart().replace(/^--\s?/, '') : l.trim())).join(' ').trim();
}

export function valueRows(): ValueRow[] {
  const doc = parseDocument(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
  const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as Record<string, any>;
  const rows: ValueRow[] = [];
  const walk = (map: YAMLMap, sch: Record<string, any>, prefix: string, firstComment?: string | null): void => {
    map.items.forEach((item, idx) => {
      const pair = item as Pair;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const path = prefix ? `${prefix}.${key}` : key;
      const sub = (sch.properties ?? {})[key] as Record<string, any> | undefined;
      if (!sub) throw new Error(`values.yaml has ${path}, which values.schema.json does not describe`);
      let comment = isScalar(pair.key) ? pair.key.commentBefore : undefined;
      if (idx === 0 && !comment) comment = firstComment;
      // helm-docs' convention: a key with its own `# --` comment is one row, whatever its type
      // (securityContext, affinity); an undocumented settings group is broken into its keys.
      if (!describe(comment) && sub.properties && isMap(pair.value)) {
        walk(pair.value, sub, path, pair.value.commentBefore);
        return;
      }
      const type = Array.isArray(sub.type) ? sub.type.join(' \\| ') : String(sub.type ?? '');
      rows.push({ key: path, type, default: (pair.value as { toJSON(): unknown } | null)?.toJSON() ?? null, description: describe(comment) });
    });
  };
  if (!isMap(doc.contents)) throw new Error('values.yaml must be a mapping');
  walk(doc.contents, schema, '', undefined);
  return rows;
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function valuesTable(rows = valueRows()): string {
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| \`${r.key}\` | ${r.type} | \`${cell(JSON.stringify(r.default))}\` | ${cell(r.description)} |`);
  return lines.join('\n');
}

export function replaceTable(readme: string, table: string): string {
  const a = readme.indexOf(TABLE_BEGIN);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`the chart README needs the markers ${TABLE_BEGIN} … ${TABLE_END}`);
  return `${readme.slice(0, a + TABLE_BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}
