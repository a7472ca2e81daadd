import { createRequire } from 'node:module';

// node:crypto and node:https (with node:tls under it) are loaded on first use, not at start: only
// TLS, basic auth and certificate files need them, and an agent that loaded them without any of
// those held ~0.9 MiB more resident memory for it (an HTTP server that gzips, measured 2026-12-05).
const require = createRequire(import.meta.url);

export function crypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto');
}

export function https(): typeof import('node:https') {
  return require('node:https') as typeof import('node:https');
}
