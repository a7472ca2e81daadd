import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ENTER_SCREEN, LEAVE_SCREEN, Terminal, frame } from '../../src/top/terminal.js';

const TERMINAL_TS = fileURLToPath(new URL('../../src/top/terminal.ts', import.meta.url));

function fakeStreams(): { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; written: () => string } {
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const stdout = Object.assign(out, { columns: 100, rows: 30 }) as unknown as NodeJS.WriteStream;
  return { stdin, stdout, written: () => text };
}

/** Runs a script that drives the Terminal on a pipe, as a crash or a signal would meet it. */
function child(body: string): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; kill: (s: NodeJS.Signals) => void; ready: Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'onx-term-'));
  const file = join(dir, 'script.ts');
  writeFileSync(file, `import { Terminal } from ${JSON.stringify(TERMINAL_TS)};\nconst t = new Terminal({ stdin: process.stdin, stdout: process.stdout });\n${body}\n`);
  const p = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  p.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes(ENTER_SCREEN)) markReady();
  });
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    p.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }));
  return { done, ready, kill: (s) => p.kill(s) };
}

describe('terminal', () => {
  it('frames lines from the home position with each kind’s style, reset after it', () => {
    assert.equal(
      frame({ lines: ['title', 'row', 'sel'], kinds: ['title', 'row', 'selected'] }),
      '\x1b[H\x1b[1;7mtitle\x1b[0m\r\nrow\r\n\x1b[7msel\x1b[0m',
    );
  });

  it('enters the alternate screen with the cursor hidden and gives everything back on leave', () => {
    const io = fakeStreams();
    const t = new Terminal(io);
    const before = ['SIGTERM', 'SIGHUP', 'uncaughtException', 'exit'].map((e) => process.listenerCount(e));
    const keys: string[] = [];
    t.enter({ onKeys: (k) => keys.push(k), onResize: () => {}, onStop: () => {} });
    assert.equal(io.written(), ENTER_SCREEN);
    (io.stdin as unknown as PassThrough).write('q');
    assert.deepEqual(t.size(), { width: 100, height: 30 });
    t.leave();
    t.leave();
    assert.equal(io.written(), ENTER_SCREEN + LEAVE_SCREEN);
    assert.match(LEAVE_SCREEN, /\x1b\[\?25h/);
    assert.match(LEAVE_SCREEN, /\x1b\[\?1049l/);
    assert.deepEqual(['SIGTERM', 'SIGHUP', 'uncaughtException', 'exit'].map((e) => process.listenerCount(e)), before);
  });

  it('restores the screen when the program crashes, and says why', async () => {
    const c = child(`t.enter({ onKeys() {}, onResize() {}, onStop() {} });\nsetTimeout(() => { throw new Error('boom'); }, 50);`);
    const r = await c.done;
    assert.equal(r.code, 1);
    assert.ok(r.stdout.startsWith(ENTER_SCREEN), JSON.stringify(r.stdout));
    assert.ok(r.stdout.endsWith(LEAVE_SCREEN), JSON.stringify(r.stdout));
    assert.match(r.stderr, /otel-netif top: unexpected error: Error: boom/);
  });

  it('restores the screen on SIGTERM', async () => {
    const c = child(`t.enter({ onKeys() {}, onResize() {}, onStop() { t.leave(); process.stdout.write('bye'); } });\nsetInterval(() => {}, 1000).unref();\nprocess.stdin.resume();`);
    await c.ready;
    c.kill('SIGTERM');
    const r = await c.done;
    assert.equal(r.code, 0);
    assert.ok(r.stdout.endsWith(LEAVE_SCREEN + 'bye'), JSON.stringify(r.stdout));
  });
});
