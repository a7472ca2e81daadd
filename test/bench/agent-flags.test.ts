import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT, REPO } from '../../bench/lib/targets.js';
import { agentLauncher } from '../../test-support/launcher.js';
import { requireCli } from '../../test-support/index.js';

describe('the agent runs with its launcher\'s node flags and environment, in the bench and the tests as when started', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-flags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = (head: string): string => {
    const file = join(dir, `bin-${Math.random()}.js`);
    writeFileSync(file, `${head}\nconsole.log(1);\n`);
    return file;
  };

  it('reads the environment and flags of `#!/bin/sh` + `":" //; VAR=value exec node … "$0" "$@"`', () => {
    assert.deepEqual(agentLauncher(bin('#!/bin/sh\n":" //; A=1 B=2 exec node --max-semi-space-size=1 --foo "$0" "$@"')), { env: ['A=1', 'B=2'], nodeFlags: ['--max-semi-space-size=1', '--foo'] });
    assert.deepEqual(agentLauncher(bin('#!/bin/sh\n":" //; exec node "$0" "$@"')), { env: [], nodeFlags: [] });
    assert.deepEqual(agentLauncher(bin('#!/usr/bin/env node')), { env: [], nodeFlags: [] });
    assert.deepEqual(agentLauncher(bin('#!/bin/sh\n":" //; exec python "$0" "$@"')), { env: [], nodeFlags: [] });
  });

  it('finds the flags in the bundle that `otel-netif` runs', function () {
    requireCli(this);
    const { env, nodeFlags } = agentLauncher(AGENT);
    assert.ok(nodeFlags.includes('--max-semi-space-size=1'));
    assert.ok(nodeFlags.includes('--no-concurrent-recompilation'));
    assert.ok(nodeFlags.includes('--single-threaded-gc'));
    assert.ok(nodeFlags.includes('--expose-gc'));
    assert.ok(env.includes('MALLOC_ARENA_MAX=1'));
    assert.ok(env.includes('MALLOC_MMAP_THRESHOLD_=131072'));
  });

  it('is what sh runs: node with those flags and that environment, on the bundle, with the arguments as given', function () {
    requireCli(this);
    // A `node` first on PATH that records what it was started with, instead of running.
    const fake = mkdtempSync(join(dir, 'path-'));
    const record = join(fake, 'record');
    writeFileSync(join(fake, 'node'), `#!/bin/sh\nprintf '%s\\0' "$@" > ${record}.args\nenv > ${record}.env\n`);
    chmodSync(join(fake, 'node'), 0o755);
    execFileSync(AGENT, ['run', 'a b', '--x=$HOME'], { env: { PATH: `${fake}:/usr/bin:/bin` } });
    const { env, nodeFlags } = agentLauncher(AGENT);
    assert.deepEqual(readFileSync(`${record}.args`, 'utf8').split('\0').slice(0, -1), [...nodeFlags, AGENT, 'run', 'a b', '--x=$HOME']);
    const started = readFileSync(`${record}.env`, 'utf8').split('\n');
    for (const e of env) assert.ok(started.includes(e), `${e} in the environment node was started with`);
  });

  it('is quoted as it is in docs/deploy.md', function () {
    requireCli(this);
    const header = readFileSync(AGENT, 'utf8').split('\n', 2).join('\n');
    const deployDoc = readFileSync(`${REPO}docs/deploy.md`, 'utf8');
    assert.ok(deployDoc.includes(`\`\`\`sh\n${header}\n\`\`\``), 'docs/deploy.md quotes the launcher the bundle has');
  });

  it('starts the real node through sh', function () {
    requireCli(this);
    const version = (JSON.parse(readFileSync(join(AGENT, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(execFileSync(AGENT, ['--version'], { encoding: 'utf8' }).trim(), version);
  });
});
