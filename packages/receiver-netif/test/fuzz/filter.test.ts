// The include/exclude glob compiler under fast-check: a bad glob is a FilterError (or a problem
// from validateGlob), never another exception; a compiled filter answers every name, quickly
// (globs like "*a*a*a*a*a*a*b" are the classic exponential case for a regex); and it agrees with
// a slow, obviously correct reference matcher.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeoutMs, within } from '../../../../test-support/fuzz.js';
import { FilterError } from '../../src/errors.js';
import { compileInterfaceFilter, validateGlob } from '../../src/filter.js';

const RUNS = 500;

/** The reference: glob semantics by recursion with memoisation, over code points. */
function reference(glob: string, name: string): boolean {
  const g = Array.from(glob);
  const n = Array.from(name);
  const memo = new Map<string, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === g.length) r = j === n.length;
    else if (g[i] === '*') r = at(i + 1, j) || (j < n.length && at(i, j + 1));
    else if (j === n.length) r = false;
    else if (g[i] === '?') r = at(i + 1, j + 1);
    else if (g[i] === '[') {
      let k = i + 1;
      const negate = g[k] === '!' || g[k] === '^';
      if (negate) k++;
      let inClass = false;
      let first = true;
      while (g[k] !== ']' || first) {
        first = false;
        if (g[k + 1] === '-' && k + 2 < g.length && g[k + 2] !== ']') {
          if (n[j]! >= g[k]! && n[j]! <= g[k + 2]!) inClass = true;
          k += 3;
        } else {
          if (n[j] === g[k]) inClass = true;
          k++;
        }
      }
      r = inClass !== negate && at(k + 1, j + 1);
    } else if (g[i] === '\\') r = n[j] === g[i + 1] && at(i + 2, j + 1);
    else r = n[j] === g[i] && at(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return at(0, 0);
}

// Small alphabets, so globs and names actually match each other often.
const globChar = fc.constantFrom('a', 'b', 'ä', '*', '*', '?', '[ab]', '[!a]', '[a-c]', '\\*', '.', '-');
const glob = fc.array(globChar, { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
// Long runs of one letter are what make a backtracking matcher try every split.
const name = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'ä', '*', '.', '-'), maxLength: 64 }), fc.nat(64).map((n) => 'a'.repeat(n)));

describe('fuzz: include/exclude globs', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  it('throws nothing but FilterError, whatever the globs', () => {
    const anyGlob = fc.string({ unit: 'binary', maxLength: 24 });
    fc.assert(
      fc.property(fc.array(anyGlob, { maxLength: 4 }), fc.array(anyGlob, { maxLength: 4 }), fc.array(fc.string({ unit: 'binary', maxLength: 64 }), { maxLength: 8 }), (inc, exc, names) => {
        for (const g of [...inc, ...exc]) {
          const p = validateGlob(g);
          assert.ok(p === undefined || (typeof p === 'string' && p !== ''));
        }
        let f: (n: string) => boolean;
        try {
          f = compileInterfaceFilter(inc, exc);
        } catch (err) {
          assert.ok(err instanceof FilterError, `threw ${String(err)}`);
          assert.equal(err.problems.length, [...inc, ...exc].filter((g) => validateGlob(g) !== undefined).length);
          return;
        }
        const match = f;
        for (const n of names) assert.equal(typeof within(50, `matching ${JSON.stringify(n)}`, (): boolean => match(n)), 'boolean');
      }),
      fuzzParameters(RUNS),
    );
  });

  it('agrees with the reference matcher, and answers long names at once', () => {
    fc.assert(
      fc.property(glob, name, (g, n) => {
        const f = compileInterfaceFilter([g], []);
        assert.equal(within(50, `${JSON.stringify(g)} on ${JSON.stringify(n)}`, () => f(n)), reference(g, n), `${g} vs ${n}`);
        assert.equal(compileInterfaceFilter([], [g])(n), !reference(g, n));
      }),
      fuzzParameters(RUNS * 4),
    );
  });

  it('stays fast on the adversarial globs that make a backtracking regex explode', () => {
    const f = compileInterfaceFilter(['*a*a*a*a*a*a*a*a*a*a*b'], []);
    assert.equal(within(50, 'the adversarial glob', () => f('a'.repeat(64))), false);
  });
});
