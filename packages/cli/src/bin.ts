#!/usr/bin/env node
// The bundle built from this file starts node with the environment and flags of
// scripts/launcher.mjs (its first lines replace this one); `node dist/bin.js` runs without them.
import { main } from './main.js';

// No top-level await: the bundle is CommonJS (see scripts/bundle.mjs).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Let stdout drain and handles close on their own; a stuck socket (a hung OTLP connection after
  // the shutdown timeout) must not keep the process alive past that.
  setTimeout(() => process.exit(code), 250).unref();
});
