/**
 * No Docker engine (and no hadolint) runs here, so the Dockerfile is checked as text: the
 * properties that matter for a safe, small image, and that it still matches the workspace layout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERFILE, REPO_ROOT } from './lib/paths.js';

interface Instr {
  op: string;
  args: string;
  line: number;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instr[] {
  const out: Instr[] = [];
  let buf = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (buf === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (buf === '') start = i + 1;
    buf += `${line.replace(/\\$/, '')} `;
    if (!line.endsWith('\\')) {
      const m = /^\s*(\w+)\s+(.*)$/s.exec(buf.trim());
      if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
      buf = '';
    }
  });
  return out;
}

function stages(instrs: Instr[]): Instr[][] {
  const out: Instr[][] = [];
  for (const i of instrs) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
}

describe('deploy: Dockerfile and .dockerignore', () => {
  const text = readFileSync(DOCKERFILE, 'utf8');
  const all = instructions(text);
  const st = stages(all);
  const final = st.at(-1)!;
  const args = Object.fromEntries(all.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=', 2) as [string, string]));
  const expand = (s: string): string => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args[(a ?? b)!] ?? '');

  it('the text parser sees instructions, joined continuations, and stages', () => {
    const p = instructions('FROM a AS b\n# c\nRUN x \\\n  && y\nFROM b\nUSER 1\n');
    assert.deepEqual(p.map((i) => i.op), ['FROM', 'RUN', 'FROM', 'USER']);
    assert.match(p[1]!.args, /^x\s+&& y$/);
    assert.equal(stages(p).length, 2);
  });

  it('is multi-stage and builds from a small Node 20 base', () => {
    assert.ok(st.length >= 2, 'single-stage');
    for (const s of st) assert.match(expand(s[0]!.args), /^node:20[\w.-]*-(slim|bookworm-slim)\b/, `base ${s[0]!.args}`);
  });

  it('compiles in a build stage and installs production dependencies only for the run time', () => {
    const build = st.find((s) => s.some((i) => i.op === 'RUN' && /tsc -b/.test(i.args)));
    assert.ok(build && build !== final, 'no build stage runs tsc');
    assert.ok(st.some((s) => s !== final && s.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))), 'no production-only install');
    assert.ok(final.some((i) => i.op === 'COPY' && /--from=/.test(i.args)), 'the final stage copies nothing from the build');
  });

  it('keeps build tools out of the final stage', () => {
    for (const i of final.filter((x) => x.op === 'RUN')) {
      assert.doesNotMatch(i.args, /\b(npm|npx|yarn)\s+(ci|install|run|exec)|\btsc\b|apt-get\s+install|\bgcc\b|\bmake\b|python3?\b/, `line ${i.line}: ${i.args}`);
    }
    const run = final.filter((x) => x.op === 'RUN').map((x) => x.args).join('\n');
    assert.match(run, /rm -rf \/usr\/local\/lib\/node_modules\/npm/, 'npm stays in the final image');
  });

  it('runs as a fixed non-root numeric user', () => {
    const users = final.filter((i) => i.op === 'USER');
    assert.equal(users.length, 1);
    const [uid, gid] = users[0]!.args.split(':');
    assert.match(uid!, /^\d+$/, 'Kubernetes runAsNonRoot can only verify a numeric user');
    assert.notEqual(Number(uid), 0);
    assert.notEqual(Number(gid ?? uid), 0);
    // The chart's default runs as the same user, so file ownership never surprises anyone.
    const values = readFileSync(join(REPO_ROOT, 'deploy', 'helm', 'otel-netif', 'values.yaml'), 'utf8');
    assert.match(values, new RegExp(`runAsUser: ${uid}\\b`));
    assert.ok(final.indexOf(users[0]!) > final.findLastIndex((i) => i.op === 'RUN'), 'USER must come after the last RUN');
  });

  it('has ENTRYPOINT ["otel-netif"] (exec form) and a default CMD', () => {
    const ep = final.filter((i) => i.op === 'ENTRYPOINT');
    assert.equal(ep.length, 1);
    assert.deepEqual(JSON.parse(ep[0]!.args), ['otel-netif']);
    const cmd = final.filter((i) => i.op === 'CMD');
    assert.equal(cmd.length, 1);
    assert.deepEqual(JSON.parse(cmd[0]!.args), ['run']);
    assert.ok(final.some((i) => i.op === 'EXPOSE' && i.args === '9464'));
  });

  it('puts an otel-netif command on PATH that runs the CLI package\'s bin', () => {
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = cli.bin['otel-netif'];
    assert.ok(bin, 'packages/cli has no otel-netif bin');
    const run = final.filter((x) => x.op === 'RUN').map((x) => x.args).join('\n');
    assert.ok(run.includes(`/app/packages/cli/${bin.replace(/^\.\//, '')}`), `the wrapper does not run ${bin}`);
    assert.match(run, /> \/usr\/local\/bin\/otel-netif/);
  });

  it('copies the manifest of every workspace before npm ci (else npm ci fails in the image)', () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const build = st[0]!;
    const ci = build.findIndex((i) => i.op === 'RUN' && /npm ci/.test(i.args));
    const copied = build.slice(0, ci).filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const ws of root.workspaces) assert.ok(copied.some((c) => c.startsWith(`${ws}/package.json`)), `${ws}/package.json is not copied before npm ci`);
    assert.ok(copied.some((c) => /package-lock\.json/.test(c)));
  });

  it('.dockerignore keeps host builds, dependencies, VCS and test material out of the context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const want of ['**/node_modules', '**/dist', '.git', '.tools', 'test', 'deploy']) assert.ok(ignore.includes(want), `.dockerignore lacks ${want}`);
    // What the Dockerfile COPYs from the context must not be ignored.
    for (const keep of ['packages', 'package.json', 'package-lock.json', 'tsconfig.base.json']) assert.ok(!ignore.includes(keep), `.dockerignore drops ${keep}`);
  });
});
