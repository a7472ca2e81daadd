/** /proc/net/dev could not be read at all; the message is one line naming the path and the fix. */
export class ReadError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReadError';
  }
}

/** One or more include/exclude globs are invalid; `problems` has one entry per bad glob. */
export class FilterError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'FilterError';
  }
}
