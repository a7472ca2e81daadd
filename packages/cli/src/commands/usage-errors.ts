import type { CommanderError } from 'commander';
import type { CliError } from '../errors.js';
import { didYouMean } from '../config/did-you-mean.js';
import { ConfigError } from '../config/load.js';
import { OPTIONS } from '../config/options.js';
import type { CommandName } from '../config/types.js';

export const COMMAND_NAMES: CommandName[] = ['run', 'snapshot', 'top'];
const HELP_HINT = '(see otel-netif --help)';

/** A problem's trailing "(how to fix)" becomes "— how to fix", the shape of every error line. */
export function errorLine(problem: string, last: boolean): string {
  const line = problem.replace(/ \(([^()]*(?:\([^()]*\)[^()]*)*)\)$/, ' — $1');
  return `otel-netif: ${line}${last ? ` ${HELP_HINT}` : ''}\n`;
}

/** The command a failing argv was meant for: commander's errors do not say. */
function commandOf(argv: string[]): CommandName {
  return argv[0] === 'snapshot' || argv[0] === 'top' ? argv[0] : 'run';
}

function longFlags(name: CommandName): string[] {
  return OPTIONS.filter((o) => o.commands.includes(name)).map((o) => `--${o.key}`).concat('--help');
}

/** Commander's own (multi-line) messages, rewritten into the one line this CLI prints. */
export function commanderLine(err: CommanderError, argv: string[]): string {
  const command = commandOf(argv);
  const named = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'commander.unknownOption': {
      const flag = named.split('=')[0] ?? named;
      const other = COMMAND_NAMES.find((c) => c !== command && longFlags(c).includes(flag));
      if (other) return `${flag} is an option of otel-netif ${other}, not ${command} — run otel-netif ${other} ${flag} …`;
      const guess = didYouMean(flag.replace(/^-+/, ''), longFlags(command).map((f) => f.slice(2)));
      return `unknown option ${flag} — ${guess ? `did you mean --${guess}?` : `otel-netif ${command} has no such option`}`;
    }
    case 'commander.optionMissingArgument': {
      const spec = OPTIONS.find((o) => named === `--${o.key}` || named === `-${o.short}`);
      return `${named} needs a value — e.g. --${spec?.key ?? named.replace(/^-+/, '')} ${spec?.example ?? '…'}`;
    }
    case 'commander.help':
      // `otel-netif help <unknown>`.
      return `no such command — commands: ${COMMAND_NAMES.join(', ')}`;
    default:
      return err.message.replace(/^error: /, '').split('\n')[0] ?? err.message;
  }
}

/** Operands are not expected anywhere; a stray word is usually a misspelt command. */
export function strayArguments(operands: string[], name: CommandName, argv: string[]): CliError | undefined {
  const [first] = operands;
  if (first === undefined) return undefined;
  const explicit = argv.find((a) => !a.startsWith('-')) === name;
  if (!explicit) {
    const commands = [...COMMAND_NAMES, 'help'];
    const guess = didYouMean(first, commands);
    return new ConfigError([`unknown command "${first}" (${guess ? `did you mean "${guess}"? ` : ''}commands: ${commands.join(', ')})`]);
  }
  return new ConfigError([`unexpected argument "${first}" (otel-netif ${name} takes options only)`]);
}
