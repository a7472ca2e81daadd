/**
 * node:crypto and node:https (with node:tls) load only when something configured needs them
 * (packages/cli/src/lazy-builtins.ts): an agent that loaded them at start held ~0.9 MiB more
 * resident memory for nothing. The agent runs with a preload (through NODE_OPTIONS) that prints
 * Node's list of loaded built-in modules when it exits; basic auth is the control that shows the
 * list does see a module loaded later.
 *
 * Nor does any agent load what it never needs: perf_hooks (the first read of the global
 * `performance` loads it and eight internal modules) or util's parseArgs and MIMEType (an ESM
 * import of node:util runs their lazy getters); the agent's clock is process.hrtime(), its
 * promisified gzip its own. Together ~0.3 MiB of resident memory (2026-12-05). Nor, without an OTLP
 * exporter (the only import() on its way), the part of the ES module loader that runs ES modules:
 * the bundle is CommonJS (packages/cli/scripts/bundle.mjs).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { makeTempDir, requireCli, startAgent, type Agent } from '../../test-support/index.js';
import { kubernetesNode, makeFixtureTree } from '../faults/fixture-tree.js';

const MARK = 'loaded builtins:';
const LAZY = ['crypto', 'tls', 'https'];
const NEVER = [
  'perf_hooks',
  'internal/perf/performance',
  'internal/util/parse_args/parse_args',
  'internal/mime',
  'internal/modules/esm/module_job',
  'internal/modules/esm/translators',
];

// CommonJS, and loaded with --require: an ES module preload would load the ES module loader itself.
const PRELOAD = `const { writeSync } = require('node:fs');
process.on('exit', () => {
  const names = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  writeSync(2, '${MARK} ' + names.join(' ') + '\\n');
});
`;

function loadedBuiltins(a: Agent): Set<string> {
  const line = a.stderrLines.find((l) => l.startsWith(MARK));
  assert.ok(line !== undefined, `no module list on stderr:\n${a.stderrLines.join('\n')}`);
  return new Set(line.slice(MARK.length).trim().split(' '));
}

describe('built-in modules the agent loads only when configured', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let env: Record<string, string>;

  before(function () {
    requireCli(this);
    dir = makeTempDir('lazy-builtins');
    root = makeFixtureTree('lazy-builtins', kubernetesNode(3)).root;
    const preload = join(dir, 'list-builtins.cjs');
    writeFileSync(preload, PRELOAD);
    env = { NODE_OPTIONS: `--require ${preload}` };
  });

  it('an agent without TLS, basic auth or certificate files never loads node:crypto, node:tls or node:https, and no agent perf_hooks, util\'s parseArgs or the loader of ES modules', async () => {
    const a = await startAgent({ args: ['run', '--root-path', root, '--interval', '200ms'], env });
    for (const path of ['/metrics', '/api/v1/interfaces', '/']) assert.equal((await a.get(path)).status, 200, path);
    const gzipped = await fetch(`${a.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzipped.status, 200);
    assert.match(await gzipped.text(), /system_network_io_bytes_total/);
    await a.stop();
    const loaded = loadedBuiltins(a);
    assert.ok(loaded.has('http') && loaded.has('zlib'), `the list holds what every agent loads: ${[...loaded].join(' ')}`);
    assert.deepEqual(LAZY.filter((m) => loaded.has(m)), []);
    assert.deepEqual(NEVER.filter((m) => loaded.has(m)), []);
  });

  it('with basic auth, node:crypto loads once a request is checked', async () => {
    const web = join(dir, 'web.yml');
    writeFileSync(web, `basic_auth_users:\n  scraper: '${bcrypt.hashSync('secret', 4)}'\n`);
    const a = await startAgent({ args: ['run', '--root-path', root, '--interval', '200ms', '--web-config', web], env, waitReady: false });
    const get = (auth: string) => fetch(`${a.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } }).then((r) => r.status, () => 0);
    const until = Date.now() + 15_000;
    while ((await get('scraper:wrong')) !== 401) {
      assert.ok(a.running() && Date.now() < until, `no answer:\n${a.stderrLines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await get('scraper:secret'), 200);
    await a.stop();
    assert.ok(loadedBuiltins(a).has('crypto'));
  });
});
