import { execFileSync, spawnSync } from 'node:child_process';
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
    const pid = Number(name.slice(PREFIX.length));
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

/** A network namespace holding loopback plus `size` tap devices; grows, never shrinks. */
export class BenchNamespace {
  readonly name = `${PREFIX}${process.pid}`;
  private taps = 0;
  private readonly dropCleanup: () => void;

  constructor() {
    ip(['netns', 'add', this.name]);
    this.dropCleanup = onCleanup(() => this.destroy());
    ip(['-n', this.name, 'link', 'set', 'lo', 'up']);
    // No IPv6: its router solicitations and DAD would put traffic and timers on every tap.
    this.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }

  get size(): number {
    return this.taps;
  }

  /**
   * Adds taps until there are `size`, in one `ip -batch` (one netlink socket, no fork per link).
   * Taps with no reader attached are up but have no carrier, like idle pod veths.
   */
  growTo(size: number): number {
    const started = performance.now();
    const lines: string[] = [];
    for (let i = this.taps; i < size; i++) lines.push(`tuntap add tap${i} mode tap`, `link set tap${i} up`);
    if (lines.length > 0) ip(['-n', this.name, '-batch', '-'], `${lines.join('\n')}\n`);
    this.taps = Math.max(this.taps, size);
    return performance.now() - started;
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
