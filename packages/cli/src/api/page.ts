import { readFileSync } from 'node:fs';

/** packages/cli/ui/index.html, the same relative path from src/api and dist/api. */
export const PAGE_URL = new URL('../../ui/index.html', import.meta.url);

/**
 * The page allows nothing from elsewhere: if it ever tried to load a script, font or image from
 * a CDN, the browser would refuse (and the browser test would see the console error).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let cached: Buffer | undefined;

/** Read once; a package shipped without ui/ fails when the server is set up, not on the first visit. */
export function loadPage(): Buffer {
  cached ??= readFileSync(PAGE_URL);
  return cached;
}
