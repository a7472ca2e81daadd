/**
 * A real Prometheus with the project's alert rules loaded (test-support's startPrometheus has no
 * rule files), evaluating every second so alerts reach "pending" within the test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { PROMETHEUS_BIN, freePort, makeTempDir, sleep, trackProcess } from '../../../test-support/index.js';

export interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface LivePrometheus {
  url: string;
  /** Instant query; rejects on a PromQL error. */
  query(expr: string): Promise<QueryResult[]>;
  /** Polls until `expr` returns at least one series; rejects after `timeoutMs` with the last answer. */
  waitForData(expr: string, timeoutMs: number): Promise<QueryResult[]>;
  api<T>(path: string): Promise<T>;
  log(): string;
  stop(): Promise<void>;
}

export async function startPrometheusWithRules(opts: { job: string; target: string; ruleFiles: string[] }): Promise<LivePrometheus> {
  const dir = makeTempDir('deploy-prom');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: opts.ruleFiles,
    scrape_configs: [{ job_name: opts.job, static_configs: [{ targets: [opts.target] }] }],
  }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = trackProcess(spawn(PROMETHEUS_BIN, [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir }));
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-50_000);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready:\n${log}`);
    await sleep(200);
  }

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; error?: string; data: T };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  const query = async (expr: string): Promise<QueryResult[]> => {
    const data = await api<{ resultType: string; result: QueryResult[] }>(`/api/v1/query?${new URLSearchParams({ query: expr })}`);
    if (data.resultType !== 'vector') throw new Error(`${expr}: a ${data.resultType}, not an instant vector`);
    return data.result;
  };
  return {
    url,
    api,
    query,
    waitForData: async (expr, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await query(expr);
        if (r.length > 0) return r;
        if (Date.now() > until) throw new Error(`no data for ${expr} within ${timeoutMs} ms`);
        await sleep(500);
      }
    },
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
