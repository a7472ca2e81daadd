import { spawn, type ChildProcess } from 'node:child_process';
import { onCleanup } from './cleanup.js';

/** A server under test; its pid is the server itself (`ip netns exec` execs, it does not fork). */
export class Server {
  readonly pid: number;
  private readonly child: ChildProcess;
  private tail = '';
  private exited: Promise<number | null>;
  private readonly dropCleanup: () => void;

  constructor(readonly label: string, argv: [string, string[]], env?: NodeJS.ProcessEnv) {
    this.child = spawn(argv[0], argv[1], { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
    if (this.child.pid === undefined) throw new Error(`${label}: could not spawn ${argv[0]}`);
    this.pid = this.child.pid;
    // Keep the end of stderr only: enough to explain a crash, bounded for chatty servers.
    this.child.stderr?.on('data', (d: Buffer) => {
      this.tail = (this.tail + d.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    const pid = this.pid;
    this.dropCleanup = onCleanup(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
  }

  get stderrTail(): string {
    return this.tail;
  }

  /** How it ended ("exit 1", "signal SIGKILL"), or undefined while it runs. */
  get ended(): string | undefined {
    if (this.child.signalCode !== null) return `signal ${this.child.signalCode}`;
    return this.child.exitCode === null ? undefined : `exit ${this.child.exitCode}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`: a graceful stop lets --cpu-prof write its profile. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    this.dropCleanup();
    return code;
  }
}
