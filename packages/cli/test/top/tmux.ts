/**
 * A private tmux server (its own socket, so nobody else's sessions are touched) driving a real
 * terminal for `otel-netif top`: send keys, read the screen, resize, ask for pane state.
 */
import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function tmuxUnavailableReason(): string | undefined {
  const v = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'tmux is not installed (apt-get install tmux)';
  return undefined;
}

export class Tmux {
  readonly socket = `onx-top-${process.pid}`;
  readonly session = 'top';

  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    return stdout;
  }

  /** A shell in a fixed-size window, with a prompt the test can recognise. */
  async start(width: number, height: number): Promise<void> {
    await this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(width), '-y', String(height),
      'env', '-i', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, 'TERM=screen', 'PS1=onx$ ', 'bash', '--norc', '--noprofile');
  }

  /** Literal text (no key-name lookup), then optionally Enter. */
  async type(text: string, enter = false): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, '-l', text);
    if (enter) await this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Named keys: Up, Down, Enter, Escape, … */
  async keys(...names: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, ...names);
  }

  async screen(): Promise<string[]> {
    return (await this.tmux('capture-pane', '-p', '-t', this.session)).split('\n');
  }

  /** A tmux format of the pane, e.g. #{alternate_on} or #{cursor_flag}. */
  async pane(format: string): Promise<string> {
    return (await this.tmux('display-message', '-p', '-t', this.session, format)).trim();
  }

  async resize(width: number, height: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.session, '-x', String(width), '-y', String(height));
  }

  /** Polls the screen until `test` holds; fails with the last screen so the reason is visible. */
  async waitFor(what: string, test: (lines: string[]) => boolean, timeoutMs = 15_000): Promise<string[]> {
    const end = Date.now() + timeoutMs;
    let last: string[] = [];
    for (;;) {
      last = await this.screen();
      if (test(last)) return last;
      if (Date.now() > end) throw new Error(`screen never showed ${what} within ${timeoutMs} ms; last screen:\n${last.join('\n')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Stops the server and removes its socket file, which kill-server leaves behind. */
  async kill(): Promise<void> {
    const path = spawnSync('tmux', ['-L', this.socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout?.trim();
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    if (path) rmSync(path, { force: true });
  }
}
