#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=1
// Resident memory at 1000 interfaces, measured with a scrape per sample:
// - --max-semi-space-size=1 (MB): V8 otherwise lets the young generation grow to 2 × 16 MB in a
//   process that allocates a snapshot per sample: about 30 MB, for no gain in CPU;
// - MALLOC_ARENA_MAX=1: gzip runs on libuv's worker threads, and glibc gave each its own malloc
//   arena that kept the freed buffers: about 18 MB (without effect on other C libraries).
// Both must be set before the process starts, hence the shebang (env -S splits it);
// `node bin.js` runs without them.
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Let stdout drain and handles close on their own; a stuck socket (a hung OTLP connection after
// the shutdown timeout) must not keep the process alive past that.
setTimeout(() => process.exit(code), 250).unref();
