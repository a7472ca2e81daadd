import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';
import type { ClientRequest, ClientResponse, PacedResult, ScrapeResult } from './protocol.js';

type Op<K extends ClientRequest['op']> = Omit<Extract<ClientRequest, { op: K }>, 'id' | 'op'>;

/** The orchestrator's handle on bench/client/scrape-client.ts, running wherever `wrap` puts it. */
export class ScrapeClient {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly dropCleanup: () => void;

  constructor(wrap: (cmd: string, args: string[]) => [string, string[]]) {
    const script = fileURLToPath(new URL('../client/scrape-client.ts', import.meta.url));
    const [cmd, args] = wrap(process.execPath, ['--import', 'tsx', script]);
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = this.child.pid;
    this.dropCleanup = onCleanup(() => {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const res = JSON.parse(line) as ClientResponse;
      const p = this.pending.get(res.id);
      this.pending.delete(res.id);
      if (res.ok) p?.resolve(res.result);
      else p?.reject(new Error(res.error));
    });
    this.child.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`scrape client exited (${code})`));
      this.pending.clear();
    });
  }

  private call(req: Omit<ClientRequest, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  }

  async wait(q: Op<'wait'>): Promise<number> {
    return (await this.call({ op: 'wait', ...q })) as number;
  }

  async scrape(q: Op<'scrape'>): Promise<ScrapeResult> {
    return (await this.call({ op: 'scrape', ...q })) as ScrapeResult;
  }

  async paced(q: Op<'paced'>): Promise<PacedResult> {
    return (await this.call({ op: 'paced', ...q })) as PacedResult;
  }

  close(): void {
    this.child.stdin!.end();
    this.child.kill('SIGTERM');
    this.dropCleanup();
  }
}
