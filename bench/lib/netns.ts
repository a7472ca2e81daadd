import { execFileSync, spawnSync } from 'node:child_process';
import { parseProcNetDev } from '@otel-netif/receiver-netif';
import { onCleanup } from './cleanup.js';

const PREFIX = 'otel-netif-bench-';

function ip(args: string[], input?: string): void {
  const r = spawnSync('ip', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.slice(0, 4).join(' ')}…: ${r.stderr.trim() || `exit ${r.status}`}`);
}

/** Deletes namespaces an earlier bench run left when it was SIGKILLed (its pid is gone). */
export function removeStaleNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const removed: string[] = [];
  for (const line of out.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    // otel-netif-bench-<pid>, otel-netif-bench-busy-<pid>
    const pid = Number(/(\d+)$/.exec(name)?.[1]);
    if (!name.startsWith(PREFIX) || !Number.isInteger(pid)) continue;
    try {
      process.kill(pid, 0);
    } catch {
      spawnSync('ip', ['netns', 'del', name]);
      removed.push(name);
    }
  }
  return removed;
}

/** A network namespace of this run (deleted with it, or by the next run if this one is killed), loopback up. */
abstract class RunNamespace {
  private readonly dropCleanup: () => void;

  constructor(readonly name: string) {
    ip(['netns', 'add', name]);
    this.dropCleanup = onCleanup(() => this.destroy());
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  }

  /** Interfaces besides loopback. */
  abstract get size(): number;

  /** Adds interfaces until there are `size` besides loopback; returns how long that took. */
  abstract growTo(size: number): number;

  /** Runs `ip` commands in one `ip -batch` (one netlink socket, no fork per link). */
  protected batch(lines: string[]): void {
    if (lines.length > 0) ip(['-n', this.name, '-batch', '-'], `${lines.join('\n')}\n`);
  }

  /** argv that runs a command inside the namespace (its /proc/net and a remounted /sys). */
  wrap(cmd: string, args: readonly string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, cmd, ...args]];
  }

  exec(cmd: string, args: readonly string[]): string {
    const [c, a] = this.wrap(cmd, args);
    return execFileSync(c, a, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  }

  destroy(): void {
    this.dropCleanup();
    spawnSync('ip', ['netns', 'del', this.name]);
  }
}

/** A network namespace holding loopback plus `size` tap devices; grows, never shrinks. */
export class BenchNamespace extends RunNamespace {
  private taps = 0;

  constructor() {
    super(`${PREFIX}${process.pid}`);
    // No IPv6: its router solicitations and DAD would put traffic and timers on every tap.
    this.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }

  get size(): number {
    return this.taps;
  }

  /** Adds taps until there are `size`. Taps with no reader attached are up but have no carrier, like idle pod veths. */
  growTo(size: number): number {
    const started = performance.now();
    const lines: string[] = [];
    for (let i = this.taps; i < size; i++) lines.push(`tuntap add tap${i} mode tap`, `link set tap${i} up`);
    this.batch(lines);
    this.taps = Math.max(this.taps, size);
    return performance.now() - started;
  }
}

/**
 * A network namespace holding loopback plus veth pairs (bva<i> and bvb<i>, both ends in it), which
 * carry traffic: what a node full of busy pods shows the agent, where every counter moves between
 * two samples. IPv6 stays on, without duplicate address detection, so each end has its link-local
 * address at once and a datagram to ff02::1%<end> leaves by that end and arrives at its peer.
 */
export class BusyNamespace extends RunNamespace {
  private pairs = 0;

  constructor() {
    super(`${PREFIX}busy-${process.pid}`);
    this.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.default.router_solicitations=0']);
  }

  /** Two interfaces per pair. */
  get size(): number {
    return 2 * this.pairs;
  }

  /** Adds veth pairs until there are `size` interfaces (rounded up to an even number). */
  growTo(size: number): number {
    const started = performance.now();
    const lines: string[] = [];
    const pairs = Math.ceil(size / 2);
    for (let i = this.pairs; i < pairs; i++) lines.push(`link add bva${i} type veth peer name bvb${i}`);
    for (let i = this.pairs; i < pairs; i++) lines.push(`link set bva${i} up`, `link set bvb${i} up`);
    this.batch(lines);
    this.pairs = Math.max(this.pairs, pairs);
    return performance.now() - started;
  }

  /** Every interface's bytes received plus sent, from the namespace's /proc/net/dev. */
  bytesByInterface(): Map<string, number> {
    const { interfaces } = parseProcNetDev(this.exec('cat', ['/proc/net/dev']));
    return new Map(interfaces.map(({ name, counters }) => [name, counters.rxBytes + counters.txBytes]));
  }
}
