/**
 * The real `otel-netif` CLI as a child process (the bundle `npm run build` makes, which the package's
 * `bin` names; `npm test` builds before mocha runs), plus a strict parser for what it serves on /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { agentLauncher } from './launcher.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { nsName, sleep, trackProcess, type Namespace } from './netns.js';
import { freePort } from './ports.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bundle', 'otel-netif.js');

let staleChecked: string | undefined | null = null;

/** Why the CLI cannot be run, or undefined. */
export function cliUnavailableReason(): string | undefined {
  if (!existsSync(CLI_BIN)) return `${CLI_BIN} does not exist (run \`npm run build\`; \`npm test\` builds first)`;
  return undefined;
}

/** A bundle older than a compiled module it was made from would test yesterday's code. */
function staleBundleReason(): string | undefined {
  const bundled = statSync(CLI_BIN).mtimeMs;
  const packages = join(REPO_ROOT, 'packages');
  for (const pkg of readdirSync(packages)) {
    const dist = join(packages, pkg, 'dist');
    if (!existsSync(dist)) continue;
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js') || file.startsWith('bundle')) continue;
      if (statSync(join(dist, file)).mtimeMs > bundled) return `${CLI_BIN} is older than ${join(dist, file)} (run \`npm run build\`, which bundles after tsc -b)`;
    }
  }
  return undefined;
}

/**
 * Skips the calling mocha test or suite, saying why, when the CLI has not been built; fails it when
 * the bundle is older than what it is made of (a test must not pass or fail on yesterday's code).
 */
export function requireCli(ctx: { skip(): void }): void {
  const reason = cliUnavailableReason();
  if (reason === undefined) {
    staleChecked ??= staleBundleReason();
    if (staleChecked !== undefined) throw new Error(staleChecked);
    return;
  }
  process.stderr.write(`      skipping: ${reason}\n`);
  ctx.skip();
}

export interface AgentOptions {
  /** Arguments after the CLI's path, e.g. ['run', '--interval', '1s', '--root-path', dir]. */
  args: string[];
  /** Run under `ip netns exec`; its HTTP server then listens inside that namespace. */
  netns?: Namespace | string;
  /** Append `--listen 127.0.0.1:<port>` (default true); the port is free unless given. */
  listen?: boolean;
  port?: number;
  env?: Record<string, string>;
  /** A command that runs node, e.g. ['setpriv', '--reuid=65534', …] to drop privileges (not with netns). */
  wrap?: string[];
  /** Working directory of the agent; the repository root by default. */
  cwd?: string;
  /** The CLI to run, CLI_BIN by default (the published package's, installed elsewhere). */
  bin?: string;
  /** Wait for GET /readyz to answer 200 (default true when listening). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export interface Agent {
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  netns?: string;
  stdoutLines: string[];
  stderrLines: string[];
  /** GET a path on the agent (from inside its namespace if it runs in one). */
  get(path: string): Promise<HttpResult>;
  /** GET /metrics, parsed; rejects on a non-200 answer or an unparseable exposition. */
  scrape(): Promise<Exposition>;
  /** Resolves with the first stderr line matching `re`. */
  waitForStderr(re: RegExp, timeoutMs: number): Promise<string>;
  /** True while the process runs. */
  running(): boolean;
  /**
   * SIGTERM, then waits for the exit and asserts it was clean (exit 0 unless `expectCode`);
   * rejects, after a SIGKILL, if it does not exit within `timeoutMs`.
   */
  stop(opts?: { timeoutMs?: number; expectCode?: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface HttpResult {
  status: number;
  body: string;
  contentType: string;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface Exposition {
  text: string;
  samples: Sample[];
  /** metric family name -> counter | gauge | … */
  types: Map<string, string>;
  help: Map<string, string>;
}

/**
 * The child's environment: this process's, minus every OTEL_* variable (a CI runner or a
 * developer shell exporting OTEL_EXPORTER_OTLP_ENDPOINT would otherwise change what the agent
 * does), plus what the test sets explicitly.
 */
export function agentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_')) env[k] = v;
  return { ...env, ...extra };
}

function collectLines(child: ChildProcess, stream: 'stdout' | 'stderr', into: string[]): void {
  const src = child[stream];
  if (!src) return;
  createInterface({ input: src }).on('line', (l) => into.push(l));
}

/**
 * GET over HTTP, optionally from inside a namespace (the test process lives in the host's, so a
 * server that listens inside a namespace is only reachable by a client started in it).
 */
export async function httpGet(url: string, netns?: Namespace | string, timeoutMs = 10_000): Promise<HttpResult> {
  if (netns === undefined) {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  }
  const script = `fetch(process.argv[1], { signal: AbortSignal.timeout(${timeoutMs}) }).then(async (r) => {
    process.stdout.write(JSON.stringify({ status: r.status, body: await r.text(), contentType: r.headers.get('content-type') ?? '' }));
  }, (e) => { process.stderr.write(String(e)); process.exit(7); });`;
  const out = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn('ip', ['netns', 'exec', nsName(netns), process.execPath, '-e', script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`GET ${url} in ${nsName(netns)}: ${stderr.trim()}`))));
  });
  return JSON.parse(out) as HttpResult;
}

/** Starts the CLI and (unless told otherwise) waits until /readyz answers 200. */
export async function startAgent(opts: AgentOptions): Promise<Agent> {
  const listen = opts.listen ?? true;
  const port = opts.port ?? (listen ? await freePort() : 0);
  // As `otel-netif` starts it: the launcher's node flags and environment.
  const bin = opts.bin ?? CLI_BIN;
  const launcher = agentLauncher(bin);
  const args = [...launcher.nodeFlags, bin, ...opts.args, ...(listen ? ['--listen', `127.0.0.1:${port}`] : [])];
  const launcherEnv = Object.fromEntries(launcher.env.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const [cmd, cmdArgs] = opts.netns !== undefined
    ? ['ip', ['netns', 'exec', nsName(opts.netns), process.execPath, ...args]]
    : opts.wrap?.[0] !== undefined
      ? [opts.wrap[0], [...opts.wrap.slice(1), process.execPath, ...args]]
      : [process.execPath, args];
  const child = trackProcess(spawn(cmd, cmdArgs, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: agentEnv({ ...launcherEnv, ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  collectLines(child, 'stdout', stdoutLines);
  collectLines(child, 'stderr', stderrLines);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const netns = opts.netns === undefined ? undefined : nsName(opts.netns);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const describe = (): string => `otel-netif ${opts.args.join(' ')}`;
  const tail = (): string => stderrLines.slice(-30).join('\n');

  const get = (path: string): Promise<HttpResult> => httpGet(`${url}${path}`, netns);

  const agent: Agent = {
    pid: child.pid ?? -1,
    port,
    url,
    ...(netns === undefined ? {} : { netns }),
    stdoutLines,
    stderrLines,
    get,
    running,
    scrape: async () => {
      const res = await get('/metrics');
      if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${res.body.slice(0, 500)}`);
      return parseExposition(res.body);
    },
    waitForStderr: async (re, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = stderrLines.find((l) => re.test(l));
        if (hit !== undefined) return hit;
        if (Date.now() > until) throw new Error(`no stderr line matched ${re} within ${timeoutMs} ms; stderr:\n${tail()}`);
        await sleep(50);
      }
    },
    stop: async ({ timeoutMs = 15_000, expectCode = 0 } = {}) => {
      if (running()) child.kill('SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timer]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`${describe()} did not exit within ${timeoutMs} ms of SIGTERM; stderr:\n${tail()}`);
      }
      if (result.code !== expectCode) {
        throw new Error(`${describe()} exited with code ${result.code} (signal ${result.signal}), expected ${expectCode}; stderr:\n${tail()}`);
      }
      return result;
    },
  };

  if (listen && (opts.waitReady ?? true)) {
    const timeoutMs = opts.readyTimeoutMs ?? 30_000;
    const until = Date.now() + timeoutMs;
    let lastStatus = 'no answer';
    for (;;) {
      if (!running()) {
        const r = await exited;
        throw new Error(`${describe()} exited (code ${r.code}, signal ${r.signal}) before it was ready; stderr:\n${tail()}`);
      }
      try {
        const res = await get('/readyz');
        if (res.status === 200) break;
        lastStatus = `HTTP ${res.status}`;
      } catch (err) {
        lastStatus = String(err);
      }
      if (Date.now() > until) {
        child.kill('SIGKILL');
        throw new Error(`${describe()} not ready within ${timeoutMs} ms (${lastStatus}); stderr:\n${tail()}`);
      }
      await sleep(netns === undefined ? 100 : 300);
    }
  }
  return agent;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a one-shot CLI command (e.g. `snapshot --json`) to completion. */
export async function runCli(args: string[], opts: { netns?: Namespace | string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const full = [CLI_BIN, ...args];
  const [cmd, cmdArgs] = opts.netns === undefined
    ? [process.execPath, full]
    : ['ip', ['netns', 'exec', nsName(opts.netns), process.execPath, ...full]];
  const child = trackProcess(spawn(cmd, cmdArgs, { cwd: REPO_ROOT, env: agentEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('close', (c, s) => r({ code: c, signal: s })));
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`otel-netif ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr:\n${stderr}`);
  return { code, signal, stdout, stderr };
}

// ---- Prometheus text exposition (0.0.4) ----

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(s: string, line: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  if (s === '' || Number.isNaN(v)) throw new Error(`bad sample value ${JSON.stringify(s)} in: ${line}`);
  return v;
}

/**
 * Parses the Prometheus text format strictly: a line it does not understand is an error, so a
 * malformed exposition fails the test here rather than being silently half-read.
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) continue; // other comments are allowed
      const [, kind, name = '', rest = ''] = m;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      if (kind === 'TYPE') {
        if (types.has(name)) throw new Error(`second TYPE line for ${name}`);
        types.set(name, rest.trim());
      } else {
        help.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
      }
      continue;
    }
    let i = 0;
    while (i < line.length && /[a-zA-Z0-9_:]/.test(line[i]!)) i++;
    const name = line.slice(0, i);
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    const labels: Record<string, string> = {};
    if (line[i] === '{') {
      i++;
      for (;;) {
        while (line[i] === ' ') i++;
        if (line[i] === '}') {
          i++;
          break;
        }
        const eq = line.indexOf('=', i);
        if (eq < 0) throw new Error(`bad labels in: ${line}`);
        const key = line.slice(i, eq).trim();
        if (!LABEL_NAME.test(key)) throw new Error(`bad label name ${JSON.stringify(key)} in: ${line}`);
        if (line[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
        let j = eq + 2;
        let value = '';
        for (;;) {
          const c = line[j];
          if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
          if (c === '"') break;
          if (c === '\\') {
            const n = line[j + 1];
            if (n === 'n') value += '\n';
            else if (n === '\\' || n === '"') value += n;
            else throw new Error(`bad escape \\${n} in: ${line}`);
            j += 2;
            continue;
          }
          value += c;
          j++;
        }
        if (key in labels) throw new Error(`duplicate label ${key} in: ${line}`);
        labels[key] = value;
        i = j + 1;
        while (line[i] === ' ') i++;
        if (line[i] === ',') i++;
        else if (line[i] !== '}') throw new Error(`expected , or } in: ${line}`);
      }
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new Error(`bad sample line: ${line}`);
    const sample: Sample = { name, labels, value: parseValue(rest[0]!, line) };
    if (rest[1] !== undefined) {
      const ts = Number(rest[1]);
      if (!Number.isInteger(ts)) throw new Error(`bad timestamp in: ${line}`);
      sample.timestampMs = ts;
    }
    samples.push(sample);
  }
  return { text, samples, types, help };
}

function matches(s: Sample, name: string, labels: Record<string, string>): boolean {
  return s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
}

/** Samples named `name` whose labels include every given label (others may be present). */
export function findSamples(from: Exposition | Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  const list = Array.isArray(from) ? from : from.samples;
  return list.filter((s) => matches(s, name, labels));
}

/** The one sample named `name` with these labels; undefined if none, throws if several match. */
export function findSample(from: Exposition | Sample[], name: string, labels: Record<string, string> = {}): Sample | undefined {
  const hits = findSamples(from, name, labels);
  if (hits.length > 1) throw new Error(`${hits.length} samples match ${name}${JSON.stringify(labels)}; add labels to pick one`);
  return hits[0];
}
