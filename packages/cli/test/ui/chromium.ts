import { existsSync } from 'node:fs';

/** Debian's Chromium; playwright-core drives it (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

/** Skips the calling suite, saying why, when Chromium is not installed. */
export function requireChromium(ctx: { skip(): void }): void {
  if (existsSync(CHROMIUM)) return;
  process.stderr.write(`      skipping: ${CHROMIUM} is missing (apt-get install chromium)\n`);
  ctx.skip();
}
