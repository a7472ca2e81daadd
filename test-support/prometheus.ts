/**
 * The real Prometheus server (Debian's package, 2.42) as a scraping peer: it proves that what the
 * agent serves parses, scrapes and queries the way a user's Prometheus sees it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, sleep, trackProcess } from './netns.js';
import { freePort } from './ports.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface ScrapeJob {
  job: string;
  /** host:port entries. */
  targets: string[];
  metricsPath?: string;
}

export interface PrometheusOptions {
  jobs: ScrapeJob[];
  scrapeIntervalSeconds?: number;
  startTimeoutMs?: number;
}

/** One element of an instant-vector result. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
  /** Unix seconds. */
  timestamp: number;
}

export interface PrometheusServer {
  url: string;
  port: number;
  configFile: string;
  /** Runs an instant query; rejects on a PromQL or HTTP error. */
  query(promql: string): Promise<PromSample[]>;
  /** Polls `query` until it returns at least `minSeries` series (default 1); rejects with Prometheus's log tail on timeout. */
  waitForSeries(promql: string, timeoutMs: number, minSeries?: number): Promise<PromSample[]>;
  /** Scrape targets as Prometheus reports them (health, lastError). */
  targets(): Promise<Array<{ job: string; scrapeUrl: string; health: string; lastError: string }>>;
  /** What Prometheus wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Why Prometheus cannot run here, or undefined. */
export function prometheusUnavailableReason(): string | undefined {
  if (!existsSync(PROMETHEUS_BIN)) return `${PROMETHEUS_BIN} is missing (apt-get install prometheus; .ci/run does)`;
  const v = spawnSync(PROMETHEUS_BIN, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return `${PROMETHEUS_BIN} --version failed: ${v.error?.message ?? v.stderr}`;
  return undefined;
}

/** Skips the calling mocha test or suite, saying why, when Prometheus is not installed. */
export function requirePrometheus(ctx: { skip(): void }): void {
  const reason = prometheusUnavailableReason();
  if (reason === undefined) return;
  process.stderr.write(`      skipping: ${reason}\n`);
  ctx.skip();
}

function configYaml(jobs: ScrapeJob[], interval: number): string {
  // JSON is YAML, and sidesteps quoting rules for job names and paths.
  return JSON.stringify({
    global: { scrape_interval: `${interval}s`, scrape_timeout: `${interval}s`, evaluation_interval: `${interval}s` },
    scrape_configs: jobs.map((j) => ({
      job_name: j.job,
      metrics_path: j.metricsPath ?? '/metrics',
      static_configs: [{ targets: j.targets }],
    })),
  }, null, 2);
}

/**
 * Starts Prometheus on 127.0.0.1:<free port> with throwaway storage and a generated config,
 * and waits for /-/ready.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  const dir = makeTempDir('prometheus');
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml(opts.jobs, opts.scrapeIntervalSeconds ?? 1));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = trackProcess(spawn(PROMETHEUS_BIN, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir }));
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  });

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode} before it was ready:\n${log}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prometheus not ready within ${opts.startTimeoutMs ?? 60_000} ms:\n${log}`);
    }
    await sleep(200);
  }

  const query = async (promql: string): Promise<PromSample[]> => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success' || !body.data) throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`query ${promql} returned a ${body.data.resultType}, not a vector`);
    return body.data.result.map((r) => ({ metric: r.metric, timestamp: r.value[0], value: Number(r.value[1]) }));
  };

  return {
    url,
    port,
    configFile,
    query,
    waitForSeries: async (promql, timeoutMs, minSeries = 1) => {
      const until = Date.now() + timeoutMs;
      let last: PromSample[] = [];
      while (Date.now() < until) {
        last = await query(promql);
        if (last.length >= minSeries) return last;
        await sleep(500);
      }
      throw new Error(`${promql}: ${last.length} series after ${timeoutMs} ms (wanted ${minSeries}); prometheus log:\n${log.slice(-4000)}`);
    },
    targets: async () => {
      const res = await fetch(`${url}/api/v1/targets`);
      const body = (await res.json()) as {
        data: { activeTargets: Array<{ labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }> };
      };
      return body.data.activeTargets.map((t) => ({ job: t.labels.job ?? '', scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError }));
    },
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
