import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadMetadata } from '@otel-netif/metadata';

const metadata = loadMetadata(new URL('../metadata.yaml', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Cells of the table rows in the README's "## Metrics" section, backticks removed. */
const metricsSection = readme.split(/^## /m).find((s) => s.startsWith('Metrics\n')) ?? '';
const rows = metricsSection
  .split('\n')
  .filter((l) => l.trimStart().startsWith('|'))
  .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/^`(.*)`$/, '$1')));

describe('processor-rate README', () => {
  for (const m of Object.values(metadata.metrics)) {
    it(`lists ${m.name} with unit ${JSON.stringify(m.unit)}`, () => {
      const row = rows.find((cells) => cells[0] === m.name);
      assert.ok(row, `no table row for ${m.name}`);
      assert.ok(row.includes(m.unit), `row for ${m.name} has no cell ${m.unit}: ${JSON.stringify(row)}`);
    });
  }

  it('has a Metrics section with a table', () => assert.ok(rows.length > 2));

  it('lists no metric that metadata.yaml does not have', () => {
    const listed = rows.slice(2).map((r) => r[0] ?? '');
    assert.deepEqual(listed.sort(), Object.keys(metadata.metrics).sort());
  });
});
