import { existsSync } from 'node:fs';
import { agentLauncher } from '../../test-support/launcher.js';
import { fileURLToPath } from 'node:url';
import type { BenchEnv } from './env.js';
import type { TargetId } from './results.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const AGENT = `${REPO}packages/cli/dist/bundle/otel-netif.js`;

const HOST_METRICS = `${REPO}bench/peers/host-metrics-server.mjs`;
const NODE_EXPORTER = 'prometheus-node-exporter';

export interface Launch {
  id: TargetId;
  argv: [string, string[]];
  url: string;
  /** Polled until 200 before any timing: otel-netif answers /readyz after its first sample. */
  readyUrl: string;
  /**
   * Wait this long after ready before scraping: otel-netif's rate gauges exist only from its
   * second sample, and a body without them would understate its size and cost.
   */
  settleMs: number;
}

/**
 * The environment every measured Node process gets: the caller's without OTEL_* (it would change
 * what the agent exports) and without NODE_* (the caller's Node settings are not the agent's, and
 * cost memory the agent would not have on a node: NODE_EXTRA_CA_CERTS, set on the machine this was
 * written on, made each Node process parse the whole CA bundle at start and hold it, 1.3 MiB of
 * resident memory at 1000 interfaces, measured 2026-12-05).
 */
export function agentEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('NODE_')));
}

/**
 * Arguments for /usr/bin/env that start node the way the agent's launcher does (its environment and
 * node flags), plus `extraNode` flags: the bench measures the agent as `otel-netif` runs it.
 */
export function agentNode(extraNode: readonly string[] = []): string[] {
  const launcher = agentLauncher(AGENT);
  return [...launcher.env, process.execPath, ...launcher.nodeFlags, ...extraNode];
}

export function otelNetifArgs(env: BenchEnv, port: number, intervalMs: number | undefined, extraNode: string[] = []): [string, string[]] {
  const args = [...agentNode(extraNode), AGENT, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'];
  if (intervalMs !== undefined) args.push('--interval', `${intervalMs}ms`);
  if (env.rootPath !== '/') args.push('--root-path', env.rootPath);
  return env.wrap('/usr/bin/env', args);
}

function nodeExporterArgs(env: BenchEnv, port: number, netclass: boolean): [string, string[]] {
  const args = ['--collector.disable-defaults', '--collector.netdev', '--web.listen-address', `127.0.0.1:${port}`, '--log.level', 'warn'];
  if (netclass) args.push('--collector.netclass');
  if (env.mode === 'fixture') {
    // netlink would ask the kernel about the host's links; the fixture only exists as files.
    args.push(`--path.procfs=${env.rootPath}/proc`, `--path.sysfs=${env.rootPath}/sys`, '--no-collector.netdev.netlink');
  }
  return env.wrap(NODE_EXPORTER, args);
}

/** The servers measured at every size, or why one cannot run here. */
export async function launches(env: BenchEnv, only: readonly TargetId[]): Promise<{ launches: Launch[]; skipped: Partial<Record<TargetId, string>> }> {
  const out: Launch[] = [];
  const skipped: Partial<Record<TargetId, string>> = {};
  const http = (port: number, path: string): string => `http://127.0.0.1:${port}${path}`;
  const haveNe = existsSync('/usr/bin/prometheus-node-exporter');
  for (const id of only) {
    if (id === 'otelNetif') {
      const port = await env.port(9464);
      out.push({ id, argv: otelNetifArgs(env, port, 5000), url: http(port, '/metrics'), readyUrl: http(port, '/readyz'), settleMs: 5500 });
    } else if (id === 'neNetdev' || id === 'neNetclass') {
      if (!haveNe) {
        skipped[id] = 'prometheus-node-exporter is not installed (apt-get install -y prometheus-node-exporter)';
        continue;
      }
      const port = await env.port(id === 'neNetdev' ? 9100 : 9101);
      out.push({ id, argv: nodeExporterArgs(env, port, id === 'neNetclass'), url: http(port, '/metrics'), readyUrl: http(port, '/metrics'), settleMs: 0 });
    } else if (env.mode === 'fixture') {
      skipped[id] = 'host-metrics has no root-path option: it would read the host, not the fixture';
    } else {
      const port = await env.port(9102);
      out.push({ id, argv: env.wrap(process.execPath, [HOST_METRICS, String(port)]), url: http(port, '/metrics'), readyUrl: http(port, '/metrics'), settleMs: 0 });
    }
  }
  return { launches: out, skipped };
}
