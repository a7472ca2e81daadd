import type { Logger } from '../../src/log.js';

export interface CapturedLogger extends Logger {
  /** "level message", in order. */
  lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const at = (lvl: string) => (msg: string) => void lines.push(`${lvl} ${msg}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
