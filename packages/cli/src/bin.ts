#!/usr/bin/env -S node --max-semi-space-size=1
// --max-semi-space-size=1 (MB): V8 otherwise lets the young generation grow to 2 × 16 MB on a
// process that allocates a snapshot per sample, about 30 MB of resident memory at 1000 interfaces
// for no gain in CPU (measured: docs/benchmarks.md). The flag must reach V8 before its heap is
// set up, hence the shebang (env -S splits it); `node bin.js` runs without it.
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Let stdout drain and handles close on their own; a stuck socket (a hung OTLP connection after
// the shutdown timeout) must not keep the process alive past that.
setTimeout(() => process.exit(code), 250).unref();
