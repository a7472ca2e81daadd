import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Why tests that create network namespaces cannot run here, or undefined when they can. */
export function netnsSkipReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return `creating network namespaces needs root (uid ${process.getuid?.()})`;
  if (spawnSync('ip', ['-V']).status !== 0) return 'the `ip` command (iproute2) is not installed';
  return undefined;
}

/** Skips the suite with the reason printed (mocha's pending marker carries none). */
export function requireNetns(ctx: Mocha.Context): void {
  const reason = netnsSkipReason();
  if (reason === undefined) return;
  process.stderr.write(`      skipping: ${reason}\n`);
  ctx.skip();
}

const created = new Set<string>();
let counter = 0;
let hooked = false;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs argv inside the namespace and returns stdout; throws with stderr on failure. */
export function nsExec(ns: string, argv: string[], opts: { cwd?: string } = {}): string {
  const res = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', cwd: opts.cwd, timeout: 60_000 });
  if (res.status !== 0) throw new Error(`ip netns exec ${ns} ${argv.join(' ')} failed (${res.status ?? res.signal}): ${res.stderr.trim()}`);
  return res.stdout;
}

/**
 * A fresh namespace named onr-<pid>-<n>, with IPv6 off before any link exists (else router
 * solicitations and MLD reports add frames to the counters) and lo up.
 */
export function createNamespace(): string {
  if (!hooked) {
    hooked = true;
    // Backstop for a run that dies before its after() hooks: never leave namespaces behind.
    process.on('exit', deleteAllNamespaces);
  }
  const name = `onr-${process.pid}-${++counter}`;
  ip('netns', 'add', name);
  created.add(name);
  nsExec(name, ['sh', '-c', 'for k in all default; do f=/proc/sys/net/ipv6/conf/$k/disable_ipv6; test ! -e $f || echo 1 > $f; done']);
  ip('-n', name, 'link', 'set', 'lo', 'up');
  return name;
}

export function deleteNamespace(name: string): void {
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  created.delete(name);
}

export function deleteAllNamespaces(): void {
  for (const name of [...created]) deleteNamespace(name);
}

export interface VethPair {
  a: { ns: string; name: string; ip: string };
  b: { ns: string; name: string; ip: string };
}

function mac(ns: string, dev: string): string {
  const [link] = JSON.parse(ip('-n', ns, '-j', 'link', 'show', 'dev', dev)) as { address: string }[];
  return link!.address;
}

/**
 * A veth pair with one end in each namespace, addressed and up, with permanent neighbour entries so
 * no ARP frame is ever counted: N datagrams of P bytes then add exactly N packets and N × (P + 42) bytes.
 */
export function createVethPair(nsA: string, nameA: string, nsB: string, nameB: string): VethPair {
  const ipA = '192.0.2.1';
  const ipB = '192.0.2.2';
  ip('-n', nsA, 'link', 'add', nameA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
  ip('-n', nsA, 'addr', 'add', `${ipA}/30`, 'dev', nameA);
  ip('-n', nsB, 'addr', 'add', `${ipB}/30`, 'dev', nameB);
  ip('-n', nsA, 'neigh', 'replace', ipB, 'lladdr', mac(nsB, nameB), 'dev', nameA, 'nud', 'permanent');
  ip('-n', nsB, 'neigh', 'replace', ipA, 'lladdr', mac(nsA, nameA), 'dev', nameB, 'nud', 'permanent');
  ip('-n', nsA, 'link', 'set', nameA, 'up');
  ip('-n', nsB, 'link', 'set', nameB, 'up');
  // The kernel moves operstate to "up" a moment after the link is (linkwatch), later under load:
  // a sample taken before would see "down" with carrier 1.
  waitForOperstateUp(nsA, nameA);
  waitForOperstateUp(nsB, nameB);
  return { a: { ns: nsA, name: nameA, ip: ipA }, b: { ns: nsB, name: nameB, ip: ipB } };
}

function waitForOperstateUp(ns: string, name: string, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = nsExec(ns, ['cat', `/sys/class/net/${name}/operstate`]).trim();
    if (state === 'up') return;
    if (Date.now() > deadline) throw new Error(`${ns}/${name}: operstate still "${state}" after ${timeoutMs} ms`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** Sends `count` UDP datagrams of `size` bytes, one after the other, from inside `ns`. */
export function sendUdp(ns: string, host: string, port: number, count: number, size: number): void {
  const script = `
const s = require('node:dgram').createSocket('udp4');
const [host, port, count, size] = process.argv.slice(1);
const buf = Buffer.alloc(Number(size), 0x5a);
let left = Number(count);
const next = () => left-- > 0 ? s.send(buf, Number(port), host, (e) => { if (e) throw e; next(); }) : s.close();
next();`;
  nsExec(ns, [process.execPath, '-e', script, host, String(port), String(count), String(size)]);
}

/** The repository root (where node_modules/tsx is), for running TypeScript helpers in a child node. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** What test/helpers/print-receiver.ts prints. */
export interface ReceiverReport {
  warning: string | null;
  rootWarning: string | null;
  sample: import('../../src/types.js').NetifSample;
}

const PRINT_RECEIVER = fileURLToPath(new URL('./print-receiver.ts', import.meta.url));

/** Runs a NetifReceiver with the given root in a child node, inside `ns` or (ns undefined) right here. */
export function runReceiver(ns: string | undefined, rootPath: string): ReceiverReport {
  const argv = [process.execPath, '--conditions=source', '--import', 'tsx', PRINT_RECEIVER, rootPath];
  if (ns !== undefined) return JSON.parse(nsExec(ns, argv, { cwd: REPO_ROOT })) as ReceiverReport;
  const [bin, ...args] = argv;
  return JSON.parse(execFileSync(bin!, args, { encoding: 'utf8', cwd: REPO_ROOT })) as ReceiverReport;
}
