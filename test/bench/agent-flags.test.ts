import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentNodeFlags } from '../../bench/lib/targets.js';

describe('bench: the agent runs with its shebang node flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-flags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = (first: string): string => {
    const file = join(dir, `bin-${Math.random()}.js`);
    writeFileSync(file, `${first}\nconsole.log(1);\n`);
    return file;
  };

  it('reads the flags of `#!/usr/bin/env -S node …`', () => {
    assert.deepEqual(agentNodeFlags(bin('#!/usr/bin/env -S node --max-semi-space-size=1 --foo')), ['--max-semi-space-size=1', '--foo']);
    assert.deepEqual(agentNodeFlags(bin('#!/usr/bin/env node')), []);
  });

  it('finds the flags in the built bin.js that `otel-netif` starts', () => {
    assert.ok(agentNodeFlags().includes('--max-semi-space-size=1'));
  });
});
