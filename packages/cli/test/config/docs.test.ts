import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { BEGIN_MARKER, END_MARKER, renderOptionsTable, updateConfigDocs } from '../../src/config/docs.js';
import { OPTIONS } from '../../src/config/options.js';

const DOC = new URL('../../../../docs/configuration.md', import.meta.url);

describe('docs/configuration.md', () => {
  it('carries the options table generated from options.ts', () => {
    const text = readFileSync(DOC, 'utf8');
    assert.ok(
      updateConfigDocs(text) === text,
      'docs/configuration.md is out of date with packages/cli/src/config/options.ts: run `npm run docs` and commit the result',
    );
  });

  it('has one row per option, naming its flag and every variable', () => {
    const table = renderOptionsTable();
    for (const o of OPTIONS) {
      const line = table.split('\n').find((l) => l.startsWith(`| \`${o.key}\` |`));
      assert.ok(line, `no row for ${o.key}`);
      for (const e of o.env) assert.ok(line.includes(`\`${e.name}\``), `${o.key}: ${e.name} missing`);
      assert.ok(line.includes(`--${o.key}`));
    }
  });

  it('replaces only what is between the markers', () => {
    const updated = updateConfigDocs(`intro\n${BEGIN_MARKER}\nstale\n${END_MARKER}\noutro\n`);
    assert.equal(updated, `intro\n${BEGIN_MARKER}\n${renderOptionsTable()}\n${END_MARKER}\noutro\n`);
    assert.throws(() => updateConfigDocs('no markers'), /markers/);
  });
});
