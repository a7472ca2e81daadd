/**
 * fast-check settings shared by the fuzz suites: a fixed seed and run count, so CI is
 * deterministic; FUZZ_RUNS (and FUZZ_SEED) to search longer or elsewhere locally:
 *   FUZZ_RUNS=200000 npx mocha 'packages/*\/test/fuzz/*.test.ts'
 * A failure prints the seed and path that fast-check needs to replay it.
 */
export interface FuzzParameters {
  seed: number;
  numRuns: number;
}

export function fuzzParameters(defaultRuns: number): FuzzParameters {
  const runs = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    seed: Number.isInteger(seed) ? seed : 0x6e657466, // "netf"
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
  };
}

/** Mocha timeout for a suite: generous when FUZZ_RUNS asks for a long search. */
export function fuzzTimeoutMs(defaultRuns: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > defaultRuns ? 0 : 30_000;
}

/**
 * Runs `fn` and fails when one call takes longer than `ms`: "never hangs" made checkable. The
 * bound is loose (inputs are small); it catches exponential blow-ups, not slow machines.
 */
export function within<T>(ms: number, what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const took = performance.now() - t0;
  if (took > ms) throw new Error(`${what} took ${took.toFixed(0)} ms (bound ${ms} ms)`);
  return out;
}
