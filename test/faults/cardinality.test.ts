// Series counts on a Kubernetes-like node (500 pod veths, two NICs, CNI bridge and overlay),
// measured through the agent's own code path (openSource + Pipeline + the /metrics encoder) for
// each way of bounding them. docs/cardinality.md carries the table this renders; the test fails
// when they differ (UPDATE_DOCS=1 rewrites the table; review the diff).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { cleanupNamespaces, parseExposition, type Exposition } from '../../test-support/index.js';
import { openSource } from '../../packages/cli/src/commands/source.js';
import { loadConfig } from '../../packages/cli/src/config/load.js';
import { encodeExposition } from '../../packages/cli/src/export/prometheus/encode.js';
import { silentLogger } from '../../packages/cli/src/log.js';
import { Pipeline } from '../../packages/cli/src/pipeline/pipeline.js';
import { SelfTelemetry } from '../../packages/cli/src/telemetry/self-telemetry.js';
import { advance, kubernetesNode, makeFixtureTree, type FixtureIface, type FixtureTree } from './fixture-tree.js';

const DOC = new URL('../../docs/cardinality.md', import.meta.url);
const BEGIN = '<!-- BEGIN GENERATED: series table (test/faults/cardinality.test.ts) -->';
const END = '<!-- END GENERATED: series table -->';
const PODS = 500;

const CASES: { flags: string; args: Record<string, string | string[]> }[] = [
  { flags: '(defaults)', args: {} },
  { flags: "--exclude 'veth*'", args: { exclude: ['veth*'] } },
  { flags: "--include 'eth*'", args: { include: ['eth*'] } },
  { flags: '--top 10', args: { top: '10' } },
  { flags: '--max-interfaces 100', args: { 'max-interfaces': '100' } },
  { flags: '--top 10 --max-interfaces 100', args: { top: '10', 'max-interfaces': '100' } },
  { flags: "--exclude 'veth*' --top 3", args: { exclude: ['veth*'], top: '3' } },
];

interface Row {
  flags: string;
  interfaces: number;
  counters: number;
  link: number;
  rates: number;
  total: number;
  dropped: string;
}

function count(expo: Exposition, test: (name: string) => boolean): number {
  return expo.samples.filter((s) => test(s.name)).length;
}

/** Two samples through the agent's own code path (the second with traffic: rates need two). */
function measure(tree: FixtureTree, first: FixtureIface[], second: FixtureIface[], flags: string, args: Record<string, string | string[]>): Row {
  tree.write(first);
  const loaded = loadConfig({ command: 'run', flags: { ...args, 'root-path': tree.root }, env: {} });
  const { receiver, processor } = openSource(loaded.config);
  const pipeline = new Pipeline({ receiver, processor, resource: resourceFromAttributes({ 'service.name': 'otel-netif' }), intervalMs: 1000, logger: silentLogger, telemetry: new SelfTelemetry() });
  pipeline.tick();
  tree.write(second);
  const s = pipeline.tick();
  assert.ok(s);
  const expo = parseExposition(encodeExposition(s.scopeMetrics, s.resource));
  const counters = count(expo, (n) => n.endsWith('_total') && n.startsWith('system_network_'));
  const rates = count(expo, (n) => n.startsWith('system_network_') && !n.startsWith('system_network_interface_') && (n.endsWith('_per_second') || n.endsWith('_ratio')));
  const link = count(expo, (n) => n.startsWith('system_network_interface_'));
  const total = count(expo, (n) => n.startsWith('system_network_'));
  assert.equal(counters + rates + link, total, 'a family fell between the columns');
  const self = expo.samples.filter((x) => x.name.startsWith('otelnetif_'));
  assert.equal(self.find((x) => x.name === 'otelnetif_series')?.value, total, 'otelnetif_series disagrees with the scrape');
  const dropped = self.find((x) => x.name === 'otelnetif_series_dropped')?.value;
  return {
    flags,
    interfaces: self.find((x) => x.name === 'otelnetif_interfaces' && x.labels.state === 'exported')?.value ?? NaN,
    counters,
    link,
    rates,
    total,
    dropped: dropped === undefined ? '—' : String(dropped),
  };
}

function render(rows: Row[]): string {
  return [
    '| Flags | Interfaces with series | Counter series | Link-state series | Rate series | Total | `otelnetif_series_dropped` |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| \`${r.flags}\` | ${r.interfaces} | ${r.counters} | ${r.link} | ${r.rates} | **${r.total}** | ${r.dropped} |`),
  ].join('\n');
}

describe(`cardinality: a node with ${PODS} pod veths`, function () {
  this.timeout(60_000);
  after(() => cleanupNamespaces());

  it('has the series counts docs/cardinality.md shows, and the cap bites where it says', () => {
    const ifaces = kubernetesNode(PODS);
    const moved = advance(ifaces, 1000);
    const tree = makeFixtureTree('cardinality', ifaces);
    const rows = CASES.map(({ flags, args }) => measure(tree, ifaces, moved, flags, args));

    const all = rows[0]!;
    assert.equal(all.interfaces, PODS + 5);
    const capped = rows.find((r) => r.flags === '--max-interfaces 100')!;
    assert.equal(capped.interfaces, 100);
    assert.equal(capped.dropped, String((PODS + 5 - 100) * 8));
    for (const r of rows.slice(1)) assert.ok(r.total < all.total, `${r.flags} does not reduce the series`);

    const table = render(rows);
    const text = readFileSync(DOC, 'utf8');
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    assert.ok(begin >= 0 && end > begin, `docs/cardinality.md lacks the markers ${BEGIN} … ${END}`);
    const updated = `${text.slice(0, begin + BEGIN.length)}\n${table}\n${text.slice(end)}`;
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, updated);
    else assert.equal(text, updated, `docs/cardinality.md is out of date (UPDATE_DOCS=1 rewrites the table):\n${table}`);
  });
});
