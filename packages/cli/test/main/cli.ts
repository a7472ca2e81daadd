import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** Runs from source, no build needed: the same flags mocha uses. */
const NODE_ARGS = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/bin.ts'];

/** The environment without the variables the CLI reads, so the developer's shell cannot leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  return { ...env, ...extra };
}

export interface CliRun {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves once a stderr line matches. */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: REPO, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const collect = (into: string[], check: boolean) => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      into.push(...parts);
      if (check) for (const w of [...waiters]) if (parts.some((l) => w.re.test(l))) w.resolve();
    };
  };
  child.stdout?.on('data', collect(stdout, false));
  child.stderr?.on('data', collect(stderr, true));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout,
    stderr,
    exit,
    waitForStderr: (re, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.some((l) => re.test(l))) return resolve();
        const timer = setTimeout(() => reject(new Error(`no stderr line matching ${re} within ${timeoutMs} ms; got:\n${stderr.join('\n')}`)), timeoutMs);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
        void exit.then(() => reject(new Error(`exited before a stderr line matched ${re}; got:\n${stderr.join('\n')}`)));
      }),
  };
}

/** Runs to completion; kills it if it outlives `timeoutMs`. */
export async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000) {
  const run = startCli(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await run.exit;
  clearTimeout(timer);
  return { code, signal, stdout: run.stdout, stderr: run.stderr };
}
