import { readFileSync, readdirSync } from 'node:fs';
import { median } from './stats.js';

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

/** VmRSS of a process over a window: its median (the steady state) and the largest reading. */
export interface RssSummary {
  /** Median of the readings, kB. */
  rssKb: number;
  rssMaxKb: number;
  rssReadings: number;
}

/**
 * Reads VmRSS of `pid` every `everyMs` until stopped. One reading at an arbitrary moment can land
 * in one of otel-netif's paced full collections, which raise RSS by 8-11 MiB for 20-50 ms (the old
 * generation is evacuated before its pages are unmapped), so a steady state is the median of many.
 */
export class RssSampler {
  private readonly readings: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 250,
  ) {
    this.read();
    this.timer = setInterval(() => this.read(), everyMs);
  }

  /** Stops, with a last reading, and summarises. */
  stop(): RssSummary {
    clearInterval(this.timer);
    this.read();
    return summariseRss(this.readings);
  }

  private read(): void {
    try {
      const kb = readRssKb(this.pid);
      if (Number.isFinite(kb)) this.readings.push(kb);
    } catch {
      // The process exited: the readings so far stand.
    }
  }
}

export function summariseRss(readings: readonly number[]): RssSummary {
  return { rssKb: median(readings), rssMaxKb: readings.length > 0 ? Math.max(...readings) : Number.NaN, rssReadings: readings.length };
}

export function readThreads(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}
