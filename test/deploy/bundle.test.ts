/**
 * `otel-netif` runs one bundled file (packages/cli/scripts/bundle.mjs), and an npm install lays
 * packages out differently from this workspace (node_modules/otel-netif next to
 * node_modules/@otel-netif/*, no packages/ directory). This packs the four packages with `npm pack`,
 * as a release would, installs the tarballs into a node_modules tree of their own, removes every
 * compiled module the bundle should not need, and requires the installed command to run: the
 * metadata of each package, its version, the UI page, a YAML config file (yaml loads lazily from
 * node_modules) all found where the install put them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BIN, makeTempDir, parseExposition, findSample, findSamples, requireCli, startAgent } from '../../test-support/index.js';
import { REPO_ROOT } from './lib/paths.js';

const FIXTURE = join(REPO_ROOT, 'packages', 'receiver-netif', 'test', 'testdata', 'typical-server');
const WORKSPACES: Record<string, string> = {
  'packages/cli': 'otel-netif',
  'packages/metadata': '@otel-netif/metadata',
  'packages/receiver-netif': '@otel-netif/receiver-netif',
  'packages/processor-rate': '@otel-netif/processor-rate',
};

function versionOf(dir: string): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The four packages packed and unpacked into <dir>/node_modules; returns the installed command. */
function install(dir: string): string {
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  for (const [workspace, name] of Object.entries(WORKSPACES)) {
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', packs, `./${workspace}`], { cwd: REPO_ROOT, encoding: 'utf8' });
    const tarball = join(packs, out.trim().split('\n').at(-1) as string);
    const target = join(dir, 'node_modules', name);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
    // The bundle carries every module of these packages: their compiled files must not be read.
    const dist = join(target, 'dist');
    for (const entry of readdirSync(dist)) if (!(name === 'otel-netif' && entry === 'bundle')) rmSync(join(dist, entry), { recursive: true });
  }
  // A dependency npm would install beside them; imported only when a config file is given.
  symlinkSync(join(REPO_ROOT, 'node_modules', 'yaml'), join(dir, 'node_modules', 'yaml'));
  return join(dir, 'node_modules', 'otel-netif', 'dist', 'bundle', 'otel-netif.js');
}

describe('the bundled otel-netif, installed from packed tarballs', function () {
  this.timeout(120_000);
  let bin: string;
  let dir: string;

  before(function () {
    requireCli(this);
    dir = makeTempDir('bundle-install');
    bin = install(dir);
  });

  it('is the file the package names as its bin, and the tarball ships it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(join(REPO_ROOT, 'packages', 'cli', pkg.bin['otel-netif'] as string), CLI_BIN);
    const lines = readFileSync(bin, 'utf8').split('\n', 3);
    assert.equal(lines[0], '#!/bin/sh', 'the installed bundle keeps the launcher with the agent flags');
    assert.match(lines[1] ?? '', /^":" \/\/; .* exec node .* "\$0" "\$@"$/);
    // CommonJS (its own package.json says so), strict from its first statement as an ES module was.
    assert.deepEqual(JSON.parse(readFileSync(join(bin, '..', 'package.json'), 'utf8')), { type: 'commonjs' });
    assert.equal(lines[2], '"use strict";');
  });

  it('serves every package\'s metrics, the versions and the UI from where npm put them', async () => {
    const config = join(dir, 'otel-netif.yaml');
    writeFileSync(config, `interval: 200ms\nroot-path: ${JSON.stringify(FIXTURE)}\n`);
    const agent = await startAgent({ bin, args: ['run', '--config', config, '--log-level', 'warn'], cwd: dir });
    try {
      let text = '';
      // Rates exist from the second sample on.
      for (let i = 0; i < 50 && !text.includes('system_network_io_rate_bytes_per_second'); i++) {
        text = (await agent.get('/metrics')).body;
        await new Promise((r) => setTimeout(r, 100));
      }
      const exposition = parseExposition(text);
      assert.ok(findSample(exposition, 'system_network_io_bytes_total', { network_interface_name: 'eth0', network_io_direction: 'receive' }), 'receiver metrics (its metadata.json)');
      assert.ok(findSample(exposition, 'system_network_io_rate_bytes_per_second', { network_interface_name: 'eth0', network_io_direction: 'receive' }), 'processor metrics (its metadata.json)');
      assert.ok(findSamples(exposition, 'otelnetif_samples_total').length > 0, 'self-telemetry (the CLI\'s metadata.json)');
      assert.equal(findSample(exposition, 'target_info')?.labels.service_version, versionOf('packages/cli'));
      const page = await agent.get('/');
      assert.equal(page.status, 200);
      assert.match(page.body, /^<!doctype html>/i);
      const api = await agent.get('/api/v1/interfaces');
      assert.equal(api.status, 200);
      assert.ok(JSON.stringify(JSON.parse(api.body)).includes('"eth0"'), 'the API answers from the bundle');
    } finally {
      await agent.stop();
    }
  });
});
