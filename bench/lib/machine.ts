import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { createRequire } from 'node:module';
import type { BenchResults } from './results.js';

function tryRun(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // node_exporter prints --version to stderr on some builds
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

export function describeMachine(): BenchResults['machine'] {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const neVersion = /version (\S+)/.exec(tryRun('prometheus-node-exporter', ['--version']));
  let hostMetrics = 'not installed';
  try {
    const require = createRequire(import.meta.url);
    hostMetrics = (require('@opentelemetry/host-metrics/package.json') as { version: string }).version;
  } catch {
    // reported as not installed
  }
  return {
    nproc: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    kernel: release(),
    node: process.version,
    nodeExporter: neVersion?.[1] ?? 'not installed',
    hostMetrics,
  };
}
