import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadMetadata } from '@otel-netif/metadata';

const metadata = loadMetadata(new URL('../metadata.yaml', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Rows of the table under "## Metrics", as trimmed cells. */
function metricsTable(): string[][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Metrics\n'));
  assert.ok(section, 'README.md has no "## Metrics" section');
  return section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2) // header and separator
    .map((l) => l.slice(1, l.lastIndexOf('|')).split('|').map((c) => c.trim()));
}

const code = (s: string): string => `\`${s}\``;

describe('README.md metrics table matches metadata.yaml', () => {
  const rows = metricsTable();

  it('lists every metric with its unit, type and attributes', () => {
    for (const m of Object.values(metadata.metrics)) {
      const row = rows.find((r) => r[0] === code(m.name));
      assert.ok(row, `${m.name} is not in the README metrics table`);
      assert.equal(row[1], m.unit === '' ? '(none)' : code(m.unit), `unit of ${m.name}`);
      assert.ok(row[2]!.startsWith(m.kind), `type of ${m.name}: "${row[2]}" should start with "${m.kind}"`);
      assert.equal(row[3], m.attributes.map(code).join(', '), `attributes of ${m.name}`);
      if (m.source) assert.equal(row[4], Object.values(m.source).map(code).join(' / '), `source columns of ${m.name}`);
    }
  });

  it('lists nothing that metadata.yaml does not define', () => {
    const names = Object.keys(metadata.metrics).map(code);
    assert.deepEqual(rows.map((r) => r[0]).filter((n) => !names.includes(n!)), []);
    assert.equal(rows.length, names.length);
  });
});
