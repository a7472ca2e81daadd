import { UsageError } from '../errors.js';
import { resolveConfig } from './resolve.js';
import type { ConfigInput } from './resolve.js';
import type { LoadedConfig } from './types.js';

/** Every configuration problem at once; the message is one line per problem. */
export class ConfigError extends UsageError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** The problems and warnings of a configuration, without using it. */
export function validateConfig(input: ConfigInput): { problems: string[]; warnings: string[] } {
  const { problems, warnings } = resolveConfig(input);
  return { problems, warnings };
}

/** The configuration for a command; throws ConfigError (exit 2) listing every problem. */
export function loadConfig(input: ConfigInput): LoadedConfig {
  const { problems, ...loaded } = resolveConfig(input);
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}
