/**
 * Float64Arrays for the values a producer emits every round, filled again two rounds later.
 *
 * A sample's columns of values were new typed arrays every round: their memory lives outside the
 * JS heap and is freed only by a full collection, so at 1000 interfaces some 160 KB a round piled
 * up between two of them (3-5 MB of the agent's RSS, measured; four times that at 4000). Two sets
 * are enough for every consumer in this repository: they read the latest snapshot, or the one
 * before while the next is being made, and OTLP serializes a collection at once. Values read later
 * than that would be another round's, so reading them throws instead (see `values`).
 */
export class RoundValues {
  private round = 0;
  private readonly sets: [Float64Array[], Float64Array[]] = [[], []];

  /** `producer` names the producer in the error a late read throws. */
  constructor(private readonly producer: string) {}

  /** Starts a round; the arrays of the round before last are handed out again. */
  begin(): number {
    return ++this.round;
  }

  /** Array `slot` of the current round, `length` long (its contents are the round before last's). */
  take(slot: number, length: number): Float64Array {
    const set = this.sets[this.round & 1] as Float64Array[];
    let buffer = set[slot];
    if (buffer === undefined || buffer.length < length) {
      // Headroom: a few interfaces more must not mean new arrays every round.
      buffer = new Float64Array(length + (length >> 3) + 8);
      set[slot] = buffer;
    }
    return buffer.subarray(0, length);
  }

  /** Whether what round `round` handed out still holds its values. */
  live(round: number): boolean {
    return round >= this.round - 1;
  }

  /** `target` with `values` of round `round`, which throws once the round's arrays are reused. */
  guard<T extends object>(target: T, round: number, values: Float64Array): T & { readonly values: Float64Array } {
    return withGuardedValues(target, values, () => (this.live(round) ? undefined : new RecycledValuesError(this.producer, round, this.round)));
  }
}

// What guardedValues() reads, on the target under symbols it does not enumerate.
const VALUES = Symbol('guarded values');
const RECYCLED = Symbol('recycled');

interface Guarded {
  [VALUES]: Float64Array;
  [RECYCLED]: () => Error | undefined;
}

function guardedValues(this: Guarded): Float64Array {
  const error = this[RECYCLED]();
  if (error !== undefined) throw error;
  return this[VALUES];
}

/**
 * `target` with a `values` property that returns `values` while `recycled()` gives no error, and
 * throws it after: a getter, read once per use of the columns, not per point. One getter function
 * for all: a closure per target gave each its own hidden class and accessor pair in V8's old
 * generation, garbage there every sample (see withColumns).
 */
export function withGuardedValues<T extends object>(target: T, values: Float64Array, recycled: () => Error | undefined): T & { readonly values: Float64Array } {
  Object.defineProperty(target, VALUES, { value: values });
  Object.defineProperty(target, RECYCLED, { value: recycled });
  return Object.defineProperty(target, 'values', { enumerable: true, get: guardedValues }) as T & { readonly values: Float64Array };
}

/** Values read after their producer reused the memory behind them. */
export class RecycledValuesError extends Error {
  constructor(producer: string, round: number, now: number) {
    super(`${producer}: values of round ${round} were read in round ${now}, after their memory was reused; read a snapshot's points before its producer's round after next, or copy them (dataPoints does)`);
    this.name = 'RecycledValuesError';
  }
}
