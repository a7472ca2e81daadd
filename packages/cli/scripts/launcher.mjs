// How `otel-netif` starts node. The bundle's first two lines are a shell script and JavaScript at
// once:
//   #!/bin/sh
//   ":" //; MALLOC_ARENA_MAX=1 … exec node --max-semi-space-size=1 … "$0" "$@"
// sh runs `:` and then execs node on the same file with the environment and flags below; node skips
// the first line and reads the second as a string and a comment. A shebang of `/usr/bin/env -S …`
// did this until the line was full: a kernel before Linux 5.1 reads 127 characters of it and cuts
// the rest, and node then got a truncated flag. `node otel-netif.js` runs without any of them.
//
// Resident memory at 1000 interfaces, measured with a scrape per sample:
// - MALLOC_ARENA_MAX=1: gzip ran on libuv's worker threads (a body without chunk bounds still
//   does), and glibc gave each its own malloc arena that kept the freed buffers: about 18 MB
//   (without effect on other C libraries);
// - MALLOC_MMAP_THRESHOLD_=131072: glibc's default, fixed. Left to itself glibc raises it to the
//   size of any block it had mmap'ed and then freed (the live history's doubling buffer, the
//   first reads of /proc/net/dev: 315 to 741 KB in the first second), and its trim threshold to
//   twice that; blocks below it then come from the heap, which is trimmed less. 1000 veths with
//   traffic, default interval, scraped every 15 s, side by side for 7 minutes: VmRSS 59,668
//   against 60,856 kB (median from minute 2), glibc's [heap] 4.6 against 6.1 MB, CPU 376 against
//   381 ticks (2026-12-06). One earlier run of seven without it kept 11 MB of [heap]. Its price:
//   glibc's trim threshold stays at 128 KB too, so the heap's top is given back and taken again
//   every few samples (51 brk calls in 20 s at 10 idle taps, 1 s cycles): 116 against 107 ticks
//   over 3 minutes there (+8%), +2% at 1000 busy veths and 1 s cycles. 65536 was 5% dearer than
//   131072 at 1000 for 0.1 MB less, 32768 22% dearer for 0.3 MB less.
// - --max-semi-space-size=1 (MB): V8 otherwise lets the young generation grow to 2 × 16 MB in a
//   process that allocates a snapshot per sample: about 30 MB, for no gain in CPU;
// - --no-concurrent-recompilation: TurboFan compiles on the main thread, not a helper. Its
//   compilation memory, malloc'ed on the helper in the one arena, stayed there between the live
//   allocations that followed: 5 MB (74.8 against 69.2 MB after 4 minutes, 2026-12-05). It takes
//   the same CPU either way; a compile (up to ~40 ms, in the first minutes) now delays a sample.
// - --single-threaded-gc: V8 marks, sweeps and scavenges on the main thread only, without its
//   helper threads and the memory each takes for its share of the work. 1000 veths with traffic,
//   1 s cycles, side by side for 4 minutes, four runs: VmRSS 59,024 / 59,180 / 59,184 / 59,108
//   against 59,620 / 59,808 / 59,808 / 59,968 kB (median from 120 s), CPU within 2% either way
//   (2026-12-06). A full collection marks without helpers: 45-85 ms at 1000 busy veths (--trace-gc, two runs).
// - --expose-gc: for src/pipeline/gc-pacer.ts, which runs V8's full collection after ~1 MB of
//   old-generation growth (at most every 5 s) instead of V8's 8 MB: 57.7-59.8 MiB for 25 minutes
//   where RSS crept from 59.0 to 65.0 MiB in 15 minutes and was still rising (2026-12-05).
// CPU at 100 interfaces and the default 5 s interval:
// - --no-memory-reducer: V8 ran extra full collections between samples to shrink a heap that
//   is as small as it gets here: 3.0-3.8 ms/s of CPU went to 2.3-2.7 ms/s, RSS unchanged.
// All must be set before the process starts (V8 reads them when it creates the heap; glibc at its
// first malloc): setting them from inside was tried and did nothing.

/** Environment the agent runs with, in the order the launcher line sets it. */
export const AGENT_ENV = ['MALLOC_ARENA_MAX=1', 'MALLOC_MMAP_THRESHOLD_=131072'];

export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1', '--no-memory-reducer', '--no-concurrent-recompilation', '--single-threaded-gc', '--expose-gc'];

export const LAUNCHER_SHEBANG = '#!/bin/sh';

/** The bundle's second line: a shell command, and for node a string and a comment. */
export function launcherLine() {
  return `":" //; ${AGENT_ENV.join(' ')} exec node ${AGENT_NODE_FLAGS.join(' ')} "$0" "$@"`;
}
