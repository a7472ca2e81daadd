/**
 * Errors that end a command carry the one line the user sees and the exit code. The message says
 * what is wrong and how to fix it; nothing else (no stack) is printed for them.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    // Spelled out, not new.target.name: the bundle shortens class names (scripts/bundle.mjs).
    this.name = 'CliError';
  }
}

/** Bad flags, bad config, bad values: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The command is well-formed but cannot start here (port in use, /proc unreadable): exit 1. */
export class StartupError extends CliError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'StartupError';
  }
}
