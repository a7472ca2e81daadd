#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=1 --no-memory-reducer --no-concurrent-recompilation --expose-gc
// Resident memory at 1000 interfaces, measured with a scrape per sample:
// - --max-semi-space-size=1 (MB): V8 otherwise lets the young generation grow to 2 × 16 MB in a
//   process that allocates a snapshot per sample: about 30 MB, for no gain in CPU;
// - MALLOC_ARENA_MAX=1: gzip ran on libuv's worker threads (a body without chunk bounds still
//   does), and glibc gave each its own malloc arena that kept the freed buffers: about 18 MB
//   (without effect on other C libraries);
// - --no-concurrent-recompilation: TurboFan compiles on the main thread, not a helper. Its
//   compilation memory, malloc'ed on the helper in the one arena, stayed there between the live
//   allocations that followed: 5 MB (74.8 against 69.2 MB after 4 minutes, 2026-12-05). It takes
//   the same CPU either way; a compile (up to ~40 ms, in the first minutes) now delays a sample.
// - --expose-gc: for src/pipeline/gc-pacer.ts, which runs V8's full collection after ~1 MB of
//   old-generation growth (at most every 5 s) instead of V8's 8 MB: 57.7-59.8 MiB for 25 minutes
//   where RSS crept from 59.0 to 65.0 MiB in 15 minutes and was still rising (2026-12-05).
// CPU at 100 interfaces and the default 5 s interval:
// - --no-memory-reducer: V8 ran extra full collections between samples to shrink a heap that
//   is as small as it gets here: 3.0-3.8 ms/s of CPU went to 2.3-2.7 ms/s, RSS unchanged.
// All must be set before the process starts, hence the shebang (env -S splits it);
// `node bin.js` runs without them.
import { main } from './main.js';

// No top-level await: the bundle is CommonJS (see scripts/bundle.mjs).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Let stdout drain and handles close on their own; a stuck socket (a hung OTLP connection after
  // the shutdown timeout) must not keep the process alive past that.
  setTimeout(() => process.exit(code), 250).unref();
});
