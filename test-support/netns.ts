import type { InterfaceCounters } from '@otel-netif/receiver-netif';
/**
 * Real Linux network namespaces and veth pairs for end-to-end tests.
 *
 * Everything created here is recorded in a process-wide registry and removed by
 * `cleanupNamespaces()` (call it from an `after` hook) and again, synchronously, when the process
 * exits or is interrupted, so a failing or aborted run does not leave namespaces, holder
 * processes or temp dirs behind. Namespaces left by a run that was killed outright (SIGKILL) are
 * removed by the next run: names carry the creating pid (`onx-<pid>-<n>-<label>`).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Namespace {
  readonly name: string;
}

export interface VethEnd {
  ns: Namespace;
  /** Interface name inside `ns`. */
  name: string;
  ip: string;
  mac: string;
}

export interface VethPair {
  a: VethEnd;
  b: VethEnd;
  cidr: number;
}

export interface VethOptions {
  nameA?: string;
  nameB?: string;
  /** Defaults to 192.0.2.1 (TEST-NET-1: documentation only, and it never leaves the namespaces). */
  ipA?: string;
  ipB?: string;
  cidr?: number;
}

/** The /proc/net/dev columns, in the kernel's order. */
export type NetDevCounters = InterfaceCounters;

/** A host-side directory that looks like `/` of the namespace to a reader given `--root-path`. */
export interface NamespaceRoot {
  /** Pass this as `--root-path`. */
  path: string;
  /** A process that lives in the namespace; `/proc/<pid>/net/dev` is the namespace's view. */
  holderPid: number;
  close(): Promise<void>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** What `requireRoot` needs from a mocha context; structural so this file does not depend on mocha's types. */
export interface SkippableContext {
  skip(): void;
}

const NAME_PREFIX = 'onx';
const STALE_NAME = /^onx-(\d+)-\d+(?:-|$)/;

const namespaces = new Set<string>();
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let counter = 0;
let staleSwept = false;
let exitHooksInstalled = false;

function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const why = stderr.trim() || err.message;
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${why}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** Runs `ip <args>`; rejects with ip's own error text. */
export function ip(args: string[]): Promise<ExecResult> {
  return run('ip', args);
}

/** Runs a command inside the namespace (`ip netns exec`), so it sees that namespace's links, /proc/net and /sys/class/net. */
export function nsExec(ns: Namespace | string, cmd: string[], timeoutMs = 60_000): Promise<ExecResult> {
  const [bin, ...rest] = cmd;
  if (bin === undefined) throw new Error('nsExec needs a command');
  return run('ip', ['netns', 'exec', nsName(ns), bin, ...rest], timeoutMs);
}

export function nsName(ns: Namespace | string): string {
  return typeof ns === 'string' ? ns : ns.name;
}

/**
 * Registers a child process so it is killed at cleanup and at process exit. Used by the traffic,
 * agent and Prometheus helpers; a test that spawns its own long-running process should use it too.
 */
export function trackProcess(child: ChildProcess): ChildProcess {
  children.add(child);
  installExitHooks();
  child.once('exit', () => children.delete(child));
  return child;
}

/** Registers a temp dir to remove at cleanup and at process exit. */
export function trackTempDir(dir: string): string {
  tempDirs.add(dir);
  installExitHooks();
  return dir;
}

/** A fresh temp dir under the OS temp dir, removed at cleanup. */
export function makeTempDir(label: string): string {
  return trackTempDir(mkdtempSync(join(tmpdir(), `onx-${label}-`)));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces left by earlier runs that died without cleaning up (their pid is gone). */
async function sweepStale(): Promise<void> {
  if (staleSwept) return;
  staleSwept = true;
  const { stdout } = await ip(['netns', 'list']);
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = STALE_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    killNamespacePidsSync(name);
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
}

async function writeSysctl(ns: Namespace, key: string, value: string): Promise<void> {
  // Through /proc/sys rather than sysctl(8): procps is not on a minimal Debian, sh and ip are.
  const path = `/proc/sys/${key.replaceAll('.', '/')}`;
  await nsExec(ns, ['sh', '-c', `test ! -e ${path} || echo ${value} > ${path}`]);
}

/**
 * A new, quiet network namespace: IPv6 is off (all and default, before any link exists, else
 * router solicitations and MLD reports add frames to the counters) and `lo` is up.
 */
export async function createNamespace(label = 'ns'): Promise<Namespace> {
  installExitHooks();
  await sweepStale();
  const safe = label.replace(/[^a-zA-Z0-9_]/g, '').slice(0, 16);
  const name = `${NAME_PREFIX}-${process.pid}-${++counter}${safe ? `-${safe}` : ''}`;
  await ip(['netns', 'add', name]);
  namespaces.add(name);
  const ns: Namespace = { name };
  await writeSysctl(ns, 'net.ipv6.conf.all.disable_ipv6', '1');
  await writeSysctl(ns, 'net.ipv6.conf.default.disable_ipv6', '1');
  await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  return ns;
}

async function linkMac(ns: Namespace, dev: string): Promise<string> {
  const { stdout } = await ip(['-n', ns.name, '-j', 'link', 'show', 'dev', dev]);
  const parsed = JSON.parse(stdout) as Array<{ address?: string }>;
  const mac = parsed[0]?.address;
  if (!mac) throw new Error(`no MAC address for ${dev} in ${ns.name}`);
  return mac;
}

/**
 * A veth pair with one end in each namespace, addressed, up, and with permanent neighbour
 * entries on both ends so the kernel never sends ARP (which would add 42-byte frames to the
 * counters seconds later). With this, N UDP datagrams of P bytes add exactly N packets and
 * N × (P + 42) bytes to the sender's transmit and the peer's receive counters.
 */
export async function createVethPair(nsA: Namespace, nsB: Namespace, opts: VethOptions = {}): Promise<VethPair> {
  const n = ++counter;
  // Interface names are at most 15 bytes (IFNAMSIZ); these are only unique per namespace, which is enough.
  const nameA = opts.nameA ?? `onx${n}a`;
  const nameB = opts.nameB ?? `onx${n}b`;
  const ipA = opts.ipA ?? '192.0.2.1';
  const ipB = opts.ipB ?? '192.0.2.2';
  const cidr = opts.cidr ?? 30;
  if (nameA.length > 15 || nameB.length > 15) throw new Error(`interface names must be at most 15 bytes: ${nameA}, ${nameB}`);
  await ip(['-n', nsA.name, 'link', 'add', nameA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB.name]);
  await ip(['-n', nsA.name, 'addr', 'add', `${ipA}/${cidr}`, 'dev', nameA]);
  await ip(['-n', nsB.name, 'addr', 'add', `${ipB}/${cidr}`, 'dev', nameB]);
  const macA = await linkMac(nsA, nameA);
  const macB = await linkMac(nsB, nameB);
  // Neighbours before the links come up, so not even the first packet can trigger ARP.
  await ip(['-n', nsA.name, 'neigh', 'replace', ipB, 'lladdr', macB, 'dev', nameA, 'nud', 'permanent']);
  await ip(['-n', nsB.name, 'neigh', 'replace', ipA, 'lladdr', macA, 'dev', nameB, 'nud', 'permanent']);
  await ip(['-n', nsA.name, 'link', 'set', nameA, 'up']);
  await ip(['-n', nsB.name, 'link', 'set', nameB, 'up']);
  return {
    a: { ns: nsA, name: nameA, ip: ipA, mac: macA },
    b: { ns: nsB, name: nameB, ip: ipB, mac: macB },
    cidr,
  };
}

/** Deletes a link (deleting one end of a veth removes both). */
export async function deleteLink(ns: Namespace, dev: string): Promise<void> {
  await ip(['-n', ns.name, 'link', 'del', 'dev', dev]);
}

/** Names of the links in the namespace, as /proc/net/dev lists them. */
export async function listLinks(ns: Namespace): Promise<string[]> {
  return [...(await readProcNetDev(ns)).keys()];
}

function killNamespacePidsSync(name: string): void {
  const res = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' });
  for (const p of (res.stdout ?? '').split('\n')) {
    const pid = Number(p.trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Kills whatever still runs in the namespace, then deletes it (its links go with it). */
export async function deleteNamespace(ns: Namespace | string): Promise<void> {
  const name = nsName(ns);
  killNamespacePidsSync(name);
  try {
    await ip(['netns', 'del', name]);
  } catch (err) {
    if (!/No such file|not found|does not exist/i.test(String(err))) throw err;
  }
  namespaces.delete(name);
}

/** Parses /proc/net/dev text into counters per interface name. */
export function parseProcNetDev(text: string): Map<string, NetDevCounters> {
  const out = new Map<string, NetDevCounters>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const v = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (v.length !== 16 || v.some((x) => !Number.isSafeInteger(x))) throw new Error(`unexpected /proc/net/dev line: ${line}`);
    const at = (i: number): number => v[i] as number;
    out.set(name, {
      rxBytes: at(0), rxPackets: at(1), rxErrs: at(2), rxDrop: at(3),
      rxFifo: at(4), rxFrame: at(5), rxCompressed: at(6), rxMulticast: at(7),
      txBytes: at(8), txPackets: at(9), txErrs: at(10), txDrop: at(11),
      txFifo: at(12), txColls: at(13), txCarrier: at(14), txCompressed: at(15),
    });
  }
  return out;
}

/** The namespace's /proc/net/dev, read from inside it: the kernel's own numbers, for comparison. */
export async function readProcNetDev(ns: Namespace): Promise<Map<string, NetDevCounters>> {
  const { stdout } = await nsExec(ns, ['cat', '/proc/net/dev']);
  return parseProcNetDev(stdout);
}

/** The kernel's counters for one interface in the namespace; throws if it is not there. */
export async function readCounters(ns: Namespace, dev: string): Promise<NetDevCounters> {
  const c = (await readProcNetDev(ns)).get(dev);
  if (!c) throw new Error(`${dev} is not in ${ns.name}'s /proc/net/dev`);
  return c;
}

function sameNetns(pid: number, ns: string): boolean {
  try {
    return statSync(`/proc/${pid}/ns/net`).ino === statSync(`/run/netns/${ns}`).ino;
  } catch {
    return false;
  }
}

/**
 * A directory the agent can be pointed at with `--root-path` while it runs in the host's
 * namespace, so it reads the namespace's counters but listens on the host's 127.0.0.1 (where
 * the test process and Prometheus can reach it directly):
 *
 *   <root>/proc/net -> /proc/<holder>/net          (procfs shows the reading pid's netns, so use
 *                                                   a pid that lives in the namespace)
 *   <root>/sys      -> /proc/<holder>/root/sys     (`ip netns exec` mounts a sysfs for the
 *                                                   namespace in a private mount namespace;
 *                                                   /proc/<pid>/root reaches that mount)
 *
 * The holder is `sleep` started by `ip netns exec`, which execs in place, so its pid is stable.
 */
export async function namespaceRoot(ns: Namespace): Promise<NamespaceRoot> {
  const holder = trackProcess(spawn('ip', ['netns', 'exec', ns.name, 'sleep', 'infinity'], { stdio: 'ignore' }));
  const pid = holder.pid;
  if (pid === undefined) throw new Error(`could not start a holder process in ${ns.name}`);
  const deadline = Date.now() + 10_000;
  // Until ip has switched namespaces and exec'd, /proc/<pid> still shows the host.
  while (!(sameNetns(pid, ns.name) && readComm(pid) === 'sleep')) {
    if (holder.exitCode !== null || Date.now() > deadline) {
      holder.kill('SIGKILL');
      throw new Error(`holder process in ${ns.name} did not start (exit ${holder.exitCode})`);
    }
    await sleep(20);
  }
  const path = makeTempDir('root');
  mkdirSync(join(path, 'proc'));
  symlinkSync(`/proc/${pid}/net`, join(path, 'proc', 'net'));
  symlinkSync(`/proc/${pid}/root/sys`, join(path, 'sys'));
  return {
    path,
    holderPid: pid,
    close: async () => {
      holder.kill('SIGKILL');
      rmSync(path, { recursive: true, force: true });
      tempDirs.delete(path);
    },
  };
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cleanupSync(): void {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const name of namespaces) {
    killNamespacePidsSync(name);
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
  namespaces.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * Removes everything this process created: kills tracked processes (agents, senders, sinks,
 * Prometheus, holders), deletes every namespace and temp dir. Safe to call more than once.
 */
export async function cleanupNamespaces(): Promise<void> {
  const exits = [...children].map(
    (c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    }),
  );
  await Promise.race([Promise.all(exits), sleep(5_000)]);
  children.clear();
  for (const name of [...namespaces]) await deleteNamespace(name);
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      cleanupSync();
      // Keep the default outcome (die by the signal) unless someone else, e.g. mocha, handles it.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

let rootReason: string | null | undefined;

/** Why root-only e2e tests cannot run here, or undefined when they can. Probed once per process. */
export function rootUnavailableReason(): string | undefined {
  if (rootReason !== undefined) return rootReason ?? undefined;
  rootReason = probeRoot();
  return rootReason ?? undefined;
}

function probeRoot(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return `not running as root (uid ${process.getuid()}); network namespaces need root`;
  }
  const v = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return "the 'ip' command (iproute2) is not installed";
  const probe = `${NAME_PREFIX}-${process.pid}-probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `network namespaces are not supported here: ip netns add: ${(add.stderr ?? '').trim()}`;
  const veth = spawnSync('ip', ['-n', probe, 'link', 'add', 'onxprobe0', 'type', 'veth', 'peer', 'name', 'onxprobe1'], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  if (veth.status !== 0) return `veth links are not supported here: ${(veth.stderr ?? '').trim()}`;
  return null;
}

/**
 * Skips the calling mocha test or suite (call it first thing in `before`) when namespaces cannot
 * be used here, and says why on stderr, since mocha's pending marker carries no reason.
 */
export function requireRoot(ctx: SkippableContext): void {
  const reason = rootUnavailableReason();
  if (reason === undefined) return;
  process.stderr.write(`      skipping: ${reason}\n`);
  ctx.skip();
}
