import { join } from 'node:path';
import { ScrapeClient } from './client.js';
import { namespaceEnv } from './env.js';
import { runCycle, type Budget } from './measure.js';
import type { BusyStats } from './results.js';
import { Server } from './spawn.js';
import { REPO } from './targets.js';
import type { BusyNamespace } from './netns.js';

const SENDER = join(REPO, 'bench/client/multicast-traffic.ts');

/**
 * The cycle run (1 s interval, a fresh scrape each second, RSS over minutes 2-3) on N veth
 * interfaces that all carry traffic: every line of /metrics changes every sample, every interface
 * has rates for the history, and every compressed chunk is new. Idle taps measure none of that.
 * Also counts the interfaces whose bytes moved over the run, so a sender that failed shows.
 */
export async function runBusy(ns: BusyNamespace, n: number, b: Budget, gzip: boolean): Promise<BusyStats> {
  const setupMs = ns.growTo(n);
  const traffic = new Server('multicast traffic', ns.wrap(process.execPath, ['--import', 'tsx', SENDER, String(ns.size / 2)]));
  const client = new ScrapeClient((cmd, args) => ns.wrap(cmd, args));
  try {
    const before = ns.bytesByInterface();
    const run = await runCycle(namespaceEnv(ns), client, { n: ns.size, windowMs: b.cycleWindowMs, warmupMs: b.cycleWarmupMs, gzip });
    const after = ns.bytesByInterface();
    let moved = 0;
    for (const [name, bytes] of after) if (name !== 'lo' && bytes > (before.get(name) ?? 0)) moved++;
    if (!traffic.alive) return { n: ns.size, setupMs, interfacesMoved: moved, error: `the traffic sender stopped (${traffic.ended}): ${traffic.stderrTail.trim()}` };
    if (run.cycle === undefined) return { n: ns.size, setupMs, interfacesMoved: moved, error: run.error ?? 'no cycle measured' };
    return { n: ns.size, setupMs, interfacesMoved: moved, cycle: run.cycle };
  } finally {
    client.close();
    await traffic.stop();
  }
}
