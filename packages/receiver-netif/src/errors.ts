/** /proc/net/dev could not be read, or held no usable interface line; the message is one line naming the path. */
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
