import { readFileSync, readdirSync } from 'node:fs';

/** CPU a process has used so far, two ways: the kernel's tick counters and per-thread schedstat. */
export interface CpuReading {
  /** utime+stime from /proc/PID/stat, in ms; includes threads that exited, but ticks are 10 ms. */
  statMs: number;
  /** Sum of on-CPU ns over /proc/PID/task/*\/schedstat: ns resolution, live threads only. */
  schedNs: number;
}

// USER_HZ is 100 on every Linux ABI Node supports; /proc reports in these ticks.
const TICK_MS = 10;

export function readCpu(pid: number): CpuReading {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  let schedNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      schedNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread exited between listing and reading: its time is only in statMs now.
    }
  }
  return { statMs: (utime + stime) * TICK_MS, schedNs };
}

/** CPU ms between two readings; schedstat unless a thread died (then stat, the only total). */
export function cpuDeltaMs(a: CpuReading, b: CpuReading): number {
  const sched = (b.schedNs - a.schedNs) / 1e6;
  const stat = b.statMs - a.statMs;
  // Stat is coarse (±1 tick per reading); only trust it over schedstat when they clearly disagree.
  return stat > sched + 2 * TICK_MS ? stat : sched;
}

export function readRssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

export function readThreads(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}
