import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMetadata, prometheusMetricName } from '@otel-netif/metadata';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
// The packages whose metrics the README documents; the agent's own self-telemetry is documented
// with its package, not here.
const DOCUMENTED = ['receiver-netif', 'processor-rate'];

describe('README', () => {
  it('has a quick start of exactly two commands: run the agent, run the tests', () => {
    const section = README.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const commands = block.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/\s+#.*$/, '').trim());
    assert.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm test']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const cli = JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = join('packages', 'cli', cli.bin['otel-netif'] ?? '');
    assert.ok(pkg.scripts.start?.endsWith(` && ${bin}`), `npm start runs the agent (${bin}) with its defaults`);
    assert.ok(pkg.scripts.test, 'npm test exists');
  });

  for (const name of DOCUMENTED) {
    const md = loadMetadata(join(ROOT, 'packages', name, 'metadata.yaml'));
    for (const m of Object.values(md.metrics)) {
      it(`documents ${m.name} from ${name}/metadata.yaml with its Prometheus name, unit and attributes`, () => {
        const row = README.split('\n').find((l) => l.startsWith(`| \`${m.name}\` |`));
        assert.ok(row, `README has no table row for ${m.name}`);
        const cells = row.split('|').map((c) => c.trim());
        assert.equal(cells[2], `\`${prometheusMetricName(m)}\``);
        assert.equal(cells[3]?.startsWith(m.kind === 'sum' ? 'counter' : 'gauge'), true, `type of ${m.name}`);
        assert.equal(cells[4], m.unit === '' ? '—' : `\`${m.unit}\``);
        assert.equal(cells[5], m.attributes.map((a) => `\`${a}\``).join(', '));
      });
    }
  }

  it('has no metric row that metadata does not define', () => {
    const known = new Set(DOCUMENTED.flatMap((n) => Object.keys(loadMetadata(join(ROOT, 'packages', n, 'metadata.yaml')).metrics)));
    const rows = README.split('\n').filter((l) => /^\| `system\./.test(l)).map((l) => /^\| `([^`]+)`/.exec(l)?.[1]);
    for (const r of rows) assert.ok(r && known.has(r), `README documents ${r}, which no metadata.yaml defines`);
  });

  it('links only to files that exist', () => {
    const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    for (const doc of docs) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue;
        assert.ok(existsSync(resolve(ROOT, dirname(doc), target)), `${doc} links to ${target}, which does not exist`);
      }
    }
  });

  it('has a README in every package', () => {
    for (const p of readdirSync(join(ROOT, 'packages'))) {
      assert.ok(existsSync(join(ROOT, 'packages', p, 'README.md')), `packages/${p} has no README.md`);
    }
  });
});
