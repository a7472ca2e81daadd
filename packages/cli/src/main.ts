import { Command, CommanderError, Option } from 'commander';
import { CliError } from './errors.js';
import { ConfigError, loadConfig } from './config/load.js';
import { describeSettings } from './config/describe.js';
import { OPTIONS } from './config/options.js';
import type { AnyOptionSpec } from './config/spec.js';
import type { FlagValues } from './config/resolve.js';
import type { CommandName, LoadedConfig } from './config/types.js';
import { createLogger, silentLogger } from './log.js';
import type { Logger } from './log.js';
import { cliVersion } from './resource.js';
import { commanderLine, errorLine, strayArguments } from './commands/usage-errors.js';
import { runAgent } from './commands/run.js';
import { snapshotCommand } from './commands/snapshot.js';
import { topCommand } from './commands/top.js';

export interface MainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** SIGTERM/SIGINT source for `run`. */
  signals: NodeJS.EventEmitter;
}

const COMMANDS: Record<CommandName, string> = {
  run: 'run the agent: sample interfaces and serve or push their metrics (the default command)',
  snapshot: 'sample twice, print per-interface rates once, and exit',
  top: 'watch interface traffic live in the terminal, here or on remote agents (--remote)',
};

function defaultIo(): MainIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    signals: process,
  };
}

function flagsOf(spec: AnyOptionSpec): string {
  return `${spec.short ? `-${spec.short}, ` : ''}--${spec.key}${spec.valueName ? ` ${spec.valueName}` : ''}`;
}

function helpText(spec: AnyOptionSpec): string {
  const env = spec.env.map((e) => e.name);
  const extras = [spec.kind === 'boolean' ? undefined : `default: ${spec.defaultText}`, env.length ? `env: ${env.join(', ')}` : undefined].filter(Boolean);
  return extras.length ? `${spec.description} (${extras.join('; ')})` : spec.description;
}

/** Commander only collects raw text; the config layer parses it, so flag, env and file share one parser. */
function addOptions(cmd: Command, name: CommandName): void {
  for (const spec of OPTIONS.filter((o) => o.commands.includes(name))) {
    const opt = new Option(flagsOf(spec), helpText(spec));
    if (spec.kind === 'list') opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
    cmd.addOption(opt);
  }
}

function flagValues(cmd: Command, name: CommandName): FlagValues {
  const flags: FlagValues = {};
  for (const spec of OPTIONS.filter((o) => o.commands.includes(name))) {
    const attr = new Option(flagsOf(spec)).attributeName();
    // Commander gives a lone --no-x flag a default (true) of its own: only what was typed counts.
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const v: unknown = cmd.getOptionValue(attr);
    // --no-ui arrives as ui=false; the option itself (no-ui) is then set.
    if (v !== undefined) flags[spec.key] = spec.kind === 'boolean' && spec.key.startsWith('no-') ? v === false : (v as string | string[] | boolean);
  }
  return flags;
}

function loggerFor(loaded: LoadedConfig, io: MainIo): Logger {
  const level = loaded.config.logLevel;
  return level === 'none' ? silentLogger : createLogger(level, io.stderr);
}

function buildProgram(io: MainIo, argv: string[], onResult: (code: number) => void): Command {
  const program = new Command('otel-netif')
    .description('OpenTelemetry-native network interface metrics: counters and rates from /proc/net/dev, exported to Prometheus, OTLP or the console')
    .exitOverride()
    // Commander writes to stderr only for errors, and each error gets our one line instead.
    .configureOutput({ writeOut: io.stdout, writeErr: () => {}, outputError: () => {} })
    .showSuggestionAfterError(false)
    .version(cliVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .addHelpText(
      'after',
      '\nRun "otel-netif run --help" for the agent\'s options; every option can also come from an\n' +
        'environment variable or a --config YAML file (flag > env > file > default).\n\n' +
        'Examples:\n' +
        '  otel-netif                                   serve /metrics on 127.0.0.1:9464\n' +
        '  otel-netif --exporter otlp --otlp-endpoint http://collector:4318\n' +
        '  otel-netif --exporter console --interval 1s  print rates every second\n' +
        '  otel-netif snapshot --json                   one JSON snapshot of every interface\n\n' +
        'Exit codes: 0 ok or stopped by SIGTERM/SIGINT, 1 cannot start (e.g. /proc unreadable, port in use),\n' +
        '            2 bad flags or configuration.',
    );

  const action = (name: CommandName, body: (loaded: LoadedConfig, logger: Logger) => Promise<number>) => async (_opts: unknown, cmd: Command) => {
    const stray = strayArguments(cmd.args, name, argv);
    if (stray) throw stray;
    const loaded = loadConfig({ command: name, flags: flagValues(cmd, name), env: io.env });
    const logger = loggerFor(loaded, io);
    logger.debug(describeSettings(loaded));
    onResult(await body(loaded, logger));
  };

  const run = program.command('run', { isDefault: true }).description(COMMANDS.run).allowExcessArguments(true);
  addOptions(run, 'run');
  run.action(action('run', (loaded, logger) => runAgent(loaded, { logger, env: io.env, signals: io.signals, write: io.stdout })));

  const snapshot = program.command('snapshot').description(COMMANDS.snapshot).allowExcessArguments(true);
  addOptions(snapshot, 'snapshot');
  snapshot.action(action('snapshot', (loaded, logger) => snapshotCommand(loaded, { logger, write: io.stdout })));

  const top = program.command('top').description(COMMANDS.top).allowExcessArguments(true);
  addOptions(top, 'top');
  top.action(action('top', (loaded, logger) => topCommand(loaded, { logger, write: io.stdout })));
  return program;
}

/**
 * The whole CLI as a function: parses `argv` (without node and script), runs the command, and
 * resolves with the exit code. Errors never escape: each becomes one line on stderr.
 */
export async function main(argv: string[], io: MainIo = defaultIo()): Promise<number> {
  let code = 0;
  try {
    await buildProgram(io, argv, (c) => (code = c)).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end up here too, with exit code 0 and their output already written.
      if (err.exitCode === 0) return 0;
      io.stderr(errorLine(commanderLine(err, argv), true));
      return 2;
    }
    if (err instanceof ConfigError) {
      err.problems.forEach((p, i) => io.stderr(errorLine(p, i === err.problems.length - 1)));
      return err.exitCode;
    }
    if (err instanceof CliError) {
      io.stderr(`otel-netif: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`otel-netif: unexpected error: ${message.split('\n')[0]} (a bug: please report it with the command line used)\n`);
    return 1;
  }
}
