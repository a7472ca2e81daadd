import { writeSync } from 'node:fs';
import type { LineKind, Screen } from './screen.js';

const ESC = '\x1b[';
/** Alternate screen, cursor hidden, auto-wrap off (a full-width line must not scroll the screen). */
export const ENTER_SCREEN = `${ESC}?1049h${ESC}?25l${ESC}?7l${ESC}H${ESC}2J`;
export const LEAVE_SCREEN = `${ESC}0m${ESC}?7h${ESC}?25h${ESC}?1049l`;

const STYLE: Record<LineKind, string> = {
  title: `${ESC}1;7m`,
  header: `${ESC}1m`,
  section: `${ESC}1;36m`,
  row: '',
  selected: `${ESC}7m`,
  error: `${ESC}31m`,
  text: '',
  status: `${ESC}2m`,
};

/** One frame: home, then every line with its style; lines are full width, so nothing needs clearing. */
export function frame(screen: Screen): string {
  const body = screen.lines.map((l, i) => {
    const style = STYLE[screen.kinds[i] ?? 'text'];
    return style ? `${style}${l}${ESC}0m` : l;
  });
  return `${ESC}H${body.join('\r\n')}`;
}

export interface TerminalStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * The terminal in full-screen mode, and its guaranteed return to normal: on quit, on SIGTERM,
 * SIGHUP (ssh dropped), on a crash (uncaught exception or rejection) and at process exit,
 * whichever comes first. Restoring writes synchronously so it happens even while the process dies.
 */
export class Terminal {
  private active = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly io: TerminalStreams) {}

  size(): { width: number; height: number } {
    return { width: this.io.stdout.columns || 80, height: this.io.stdout.rows || 24 };
  }

  enter(handlers: { onKeys: (chunk: string) => void; onResize: () => void; onStop: () => void }): void {
    const { stdin, stdout } = this.io;
    const onData = (d: string): void => handlers.onKeys(d);
    const onEnd = (): void => handlers.onStop();
    const onResize = (): void => {
      this.write(`${ESC}2J`);
      handlers.onResize();
    };
    const onSignal = (): void => handlers.onStop();
    const onCrash = (err: unknown): void => {
      this.restore();
      process.stderr.write(`otel-netif top: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    };
    const onExit = (): void => this.restore();
    // The way back is in place before the screen changes, so there is no moment without it.
    for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, onSignal);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    process.on('exit', onExit);
    this.cleanups.push(() => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdout.off('resize', onResize);
      for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(sig, onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      process.off('exit', onExit);
    });
    this.active = true;
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdout.on('resize', onResize);
    stdin.resume();
    this.write(ENTER_SCREEN);
  }

  draw(screen: Screen): void {
    if (this.active) this.write(frame(screen));
  }

  /** Back to the normal screen with the cursor shown and line discipline restored; idempotent. */
  restore(): void {
    if (!this.active) return;
    this.active = false;
    try {
      if (this.io.stdin.isTTY) this.io.stdin.setRawMode(false);
    } catch {
      // stdin already gone (ssh dropped): nothing to restore there.
    }
    this.write(LEAVE_SCREEN);
  }

  leave(): void {
    this.restore();
    for (const c of this.cleanups.splice(0)) c();
    this.io.stdin.pause();
  }

  private write(s: string): void {
    const fd = (this.io.stdout as { fd?: number }).fd;
    try {
      // Synchronous, so a restore during exit or a crash is on the screen before the process ends.
      if (typeof fd === 'number') writeSync(fd, s);
      else this.io.stdout.write(s);
    } catch {
      // The terminal is gone (EIO after ssh dropped); nothing left to draw on.
    }
  }
}
