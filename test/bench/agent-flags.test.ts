import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT } from '../../bench/lib/targets.js';
import { agentShebang } from '../../test-support/shebang.js';

describe('the agent runs with its shebang node flags in the bench and the tests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-flags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = (first: string): string => {
    const file = join(dir, `bin-${Math.random()}.js`);
    writeFileSync(file, `${first}\nconsole.log(1);\n`);
    return file;
  };

  it('reads the environment and flags of `#!/usr/bin/env -S VAR=value node …`', () => {
    assert.deepEqual(agentShebang(bin('#!/usr/bin/env -S A=1 B=2 node --max-semi-space-size=1 --foo')), { env: ['A=1', 'B=2'], nodeFlags: ['--max-semi-space-size=1', '--foo'] });
    assert.deepEqual(agentShebang(bin('#!/usr/bin/env -S node')), { env: [], nodeFlags: [] });
    assert.deepEqual(agentShebang(bin('#!/usr/bin/env node')), { env: [], nodeFlags: [] });
  });

  it('finds the flags in the bundle that `otel-netif` runs', () => {
    const { env, nodeFlags } = agentShebang(AGENT);
    assert.ok(nodeFlags.includes('--max-semi-space-size=1'));
    assert.ok(nodeFlags.includes('--no-concurrent-recompilation'));
    assert.ok(nodeFlags.includes('--expose-gc'));
    assert.ok(env.includes('MALLOC_ARENA_MAX=1'));
  });

  it('keeps the shebang within the 127 characters a kernel before Linux 5.1 reads of it', () => {
    // BINPRM_BUF_SIZE was 128 bytes: a longer line is cut there, and node gets a truncated flag.
    const first = readFileSync(AGENT, 'utf8').split('\n', 1)[0] as string;
    assert.ok(first.length <= 127, `${first.length} characters: ${first}`);
  });
});
