import { plainResource } from '../plain-resource.js';
import type { LiveConfig } from '../api/config.js';
import { TOP_DEFAULT_INTERVAL_MS } from '../api/config.js';
import { LiveFeed } from '../api/live.js';
import type { Config, LoadedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { DEFAULT_HISTORY_SIZE } from '../history/ring.js';
import type { Logger } from '../log.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { runTopApp } from '../top/app.js';
import { plainTable } from '../top/once.js';
import { normalizeRemote } from '../top/remote.js';
import { localSource, remoteSource, type SectionSource } from '../top/sources.js';
import { Terminal } from '../top/terminal.js';
import { openSource } from './source.js';

export interface TopCommandOptions {
  intervalMs: number;
  remote: string[];
  bits: boolean;
  once: boolean;
}

export interface TopIo {
  logger: Logger;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Plain output (--once, no TTY). */
  write: (text: string) => void;
}

/**
 * top's settings from the loaded configuration. --interval counts only when given on the command
 * line: a fleet-wide OTEL_NETIF_INTERVAL=30s or the agent's config file is meant for the agent,
 * while someone watching wants a fast refresh.
 */
export function topOptionsFrom(loaded: LoadedConfig): TopCommandOptions {
  const c = loaded.config as Config & Partial<LiveConfig>;
  return {
    intervalMs: loaded.sources.intervalMs === 'flag' ? c.intervalMs : TOP_DEFAULT_INTERVAL_MS,
    remote: c.remote ?? [],
    bits: c.bits ?? false,
    once: c.once ?? false,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The local receiver, processor, pipeline and LiveFeed, built as `run` builds them. */
function openLocal(config: Config, intervalMs: number, logger: Logger): { pipeline: Pipeline; feed: LiveFeed } {
  const { receiver, processor } = openSource(config);
  const pipeline = new Pipeline({ receiver, processor, resource: plainResource({}), intervalMs, logger });
  // Ten minutes of history for the detail chart.
  const feed = new LiveFeed({ intervalMs, historySize: Math.max(DEFAULT_HISTORY_SIZE, Math.ceil(600_000 / intervalMs)) }).attach(pipeline);
  return { pipeline, feed };
}

async function once(config: Config, opts: TopCommandOptions, io: TopIo): Promise<number> {
  const sources = opts.remote.map((r) => remoteSource(r, { intervalMs: opts.intervalMs, historySize: 2 }));
  let pipeline: Pipeline | undefined;
  if (sources.length === 0) {
    const local = openLocal(config, opts.intervalMs, io.logger);
    pipeline = local.pipeline;
    // Rates need two samples one interval apart.
    pipeline.tick();
    await sleep(opts.intervalMs);
    pipeline.tick();
    sources.push(localSource(local.feed));
  } else {
    // Each remote answers (or fails) once; a hanging host is bounded by the fetch timeout.
    await Promise.all(sources.map((s) => new Promise<void>((resolve) => s.start(() => {
      s.stop();
      resolve();
    }))));
  }
  const sections = sources.map((s) => s.section);
  io.write(`${plainTable(sections, opts.bits, opts.intervalMs).join('\n')}\n`);
  return sections.some((s) => s.error !== undefined || s.snapshot === undefined) ? 1 : 0;
}

/**
 * `otel-netif top`: the full-screen view of this host's interfaces, or of remote agents with
 * --remote; one plain table with --once or when stdout is not a terminal. Resolves with the exit code.
 */
export async function topCommand(loaded: LoadedConfig, io: TopIo, opts: TopCommandOptions = topOptionsFrom(loaded)): Promise<number> {
  const { config } = loaded;
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const remote = opts.remote.map((raw) => {
    try {
      return normalizeRemote(raw);
    } catch (err) {
      throw new UsageError(`--remote ${JSON.stringify(raw)}: ${(err as Error).message}`);
    }
  });
  const options = { ...opts, remote };
  if (options.once || !stdout.isTTY || !stdin.isTTY) return once(config, options, io);

  // Log lines would scribble over the screen: keep them and print them after it is restored.
  const held: string[] = [];
  const hold = (level: string) => (msg: string): void => {
    if (held.length < 200) held.push(`${level} ${msg}`);
  };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: hold('warn'), error: hold('error') };
  let pipeline: Pipeline | undefined;
  const sources: SectionSource[] = [];
  if (remote.length === 0) {
    const local = openLocal(config, options.intervalMs, logger);
    pipeline = local.pipeline;
    sources.push(localSource(local.feed));
  } else {
    for (const r of remote) sources.push(remoteSource(r, { intervalMs: options.intervalMs, historySize: 600 }));
  }
  pipeline?.start();
  try {
    await runTopApp(new Terminal({ stdin, stdout }), sources, { intervalMs: options.intervalMs, bits: options.bits });
  } finally {
    pipeline?.stop();
  }
  for (const line of held) io.logger.warn(line);
  return 0;
}
