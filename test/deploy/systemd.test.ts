import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEMD_UNIT } from './lib/paths.js';
import { requireBinary, run } from './lib/tools.js';

const unit = readFileSync(SYSTEMD_UNIT, 'utf8');

/** Directive values in [Service], last one wins as systemd does (empty resets lists). */
function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    const key = `${section}.${line.slice(0, eq)}`;
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

/**
 * systemd-analyze verify insists that ExecStart's binary exists, which the CLI does not (here) at
 * /usr/local/bin. A copy with the binary swapped for /bin/true is otherwise the same unit.
 */
function withTrue(text: string): string {
  return text.replace(/^ExecStart=\S+/m, 'ExecStart=/bin/true');
}

function analyze(ctx: Mocha.Context, args: string[], text: string): { code: number | null; out: string } {
  const bin = requireBinary(ctx, 'systemd-analyze', 'systemd');
  const dir = mkdtempSync(join(tmpdir(), 'otel-netif-unit-'));
  try {
    const file = join(dir, 'otel-netif.service');
    writeFileSync(file, text);
    const r = run(bin, [...args, file]);
    return { code: r.code, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy: systemd unit (deploy/systemd/otel-netif.service)', () => {
  const d = directives(unit);
  const one = (k: string): string | undefined => d.get(`Service.${k}`)?.at(-1);

  it('runs `otel-netif run` as a dynamic user with settings from an optional environment file', () => {
    assert.match(one('ExecStart') ?? '', /\/otel-netif run$/);
    assert.equal(one('DynamicUser'), 'yes');
    assert.equal(one('EnvironmentFile'), '-/etc/default/otel-netif');
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(d.get('Install.WantedBy')?.at(-1), 'multi-user.target');
  });

  it('is hardened: read-only system, no privileges, no capabilities, restricted syscalls and sockets', () => {
    const want: Record<string, string> = {
      ProtectSystem: 'strict', ProtectHome: 'yes', NoNewPrivileges: 'yes', CapabilityBoundingSet: '', AmbientCapabilities: '',
      PrivateTmp: 'yes', PrivateDevices: 'yes', ProtectKernelTunables: 'yes', ProtectKernelModules: 'yes',
      ProtectControlGroups: 'yes', RestrictNamespaces: 'yes', RestrictSUIDSGID: 'yes', LockPersonality: 'yes',
      SystemCallArchitectures: 'native', RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
    };
    for (const [k, v] of Object.entries(want)) assert.equal(one(k), v, `${k}`);
    assert.ok(d.get('Service.SystemCallFilter')?.includes('@system-service'));
  });

  it('does not set what would break the agent: ProcSubset=pid hides /proc/net, W^X breaks the V8 JIT', () => {
    assert.notEqual(one('ProcSubset'), 'pid');
    assert.notEqual(one('MemoryDenyWriteExecute'), 'yes');
  });

  it('passes systemd-analyze verify without a warning', function () {
    const r = analyze(this, ['verify'], withTrue(unit));
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.trim(), '', r.out);
  });

  it('systemd-analyze verify reports a misspelt directive (the check can fail)', function () {
    const r = analyze(this, ['verify'], withTrue(unit).replace('ProtectSystem=strict', 'ProtectSytem=strict'));
    assert.match(r.out, /Unknown key 'ProtectSytem'/);
  });

  it('scores "OK" (exposure below 2.0) in systemd-analyze security', function () {
    const r = analyze(this, ['security', '--offline=yes'], withTrue(unit));
    const m = /Overall exposure level for \S+: (\d+\.\d+)/.exec(r.out);
    assert.ok(m, r.out);
    assert.ok(Number(m[1]) < 2, `exposure ${m[1]}:\n${r.out}`);
    const loose = analyze(this, ['security', '--offline=yes'], '[Service]\nExecStart=/bin/true\n');
    assert.ok(Number(/: (\d+\.\d+)/.exec(loose.out)?.[1]) > 5, 'an unhardened unit should score badly');
  });
});
