import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadMetadata, prometheusMetricName } from '@otel-netif/metadata';

const metadata = loadMetadata(new URL('../../metadata.yaml', import.meta.url));
const code = (s: string) => `\`${s}\``;

/** Table rows (cells trimmed) whose first cell names an otelnetif.* metric. */
function rows(file: URL): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `otelnetif.'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

describe('self-telemetry docs match packages/cli/metadata.yaml', () => {
  for (const [doc, url] of [
    ['packages/cli/README.md', new URL('../../README.md', import.meta.url)],
    ['docs/faults.md', new URL('../../../../docs/faults.md', import.meta.url)],
  ] as const) {
    it(`${doc} lists every self-metric with its Prometheus name, and nothing else`, () => {
      const table = rows(url);
      assert.deepEqual(table.map((r) => r[0]), Object.keys(metadata.metrics).map(code));
      for (const m of Object.values(metadata.metrics)) {
        const row = table.find((r) => r[0] === code(m.name))!;
        // docs/faults.md adds the label values to the Prometheus name; the README gives type, unit, attributes.
        const prom = prometheusMetricName(m);
        assert.ok(row[1] === code(prom) || row[1]!.startsWith(`\`${prom}{`), `${doc}: ${m.name} → ${row[1]}, expected ${prom}`);
        if (doc === 'packages/cli/README.md') {
          assert.equal(row[2], m.kind === 'sum' ? 'counter' : 'gauge');
          assert.equal(row[3], code(m.unit));
          assert.equal(row[4], m.attributes.length === 0 ? '—' : m.attributes.map(code).join(', '));
        }
      }
    });
  }
});
