import { FilterError } from './errors.js';

/** One glob position: any run of characters, or one character passing a test. */
type Token = { star: true } | { star: false; test: (cp: number) => boolean };
type Parsed = { tokens: Token[]; problem?: undefined } | { tokens?: undefined; problem: string };

function one(test: (cp: number) => boolean): Token {
  return { star: false, test };
}

/**
 * Turns one glob into tokens, or says what is wrong with it. Matching walks these tokens itself
 * instead of compiling a RegExp: "*a*a*a*a*a*a*a*b" as a regex backtracks exponentially on a long
 * name (a minute and more at 64 characters), and the walk below is O(glob × name) in the worst case.
 */
function parse(glob: string): Parsed {
  if (glob === '') return { problem: 'empty glob' };
  if (/\s/u.test(glob)) return { problem: 'whitespace in glob (interface names never contain whitespace)' };
  const chars = Array.from(glob); // code points, so "?" matches "ä" as one character
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      // Consecutive stars match what one does; keeping one keeps the walk short.
      if (!tokens.at(-1)?.star) tokens.push({ star: true });
    } else if (ch === '?') {
      tokens.push(one(() => true));
    } else if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined) return { problem: 'trailing "\\" in glob' };
      const cp = next.codePointAt(0)!;
      tokens.push(one((c) => c === cp));
    } else if (ch === '[') {
      let j = i + 1;
      let negate = false;
      if (chars[j] === '!' || chars[j] === '^') {
        negate = true;
        j++;
      }
      const ranges: [number, number][] = [];
      let first = true;
      // A "]" right after "[" or "[!" is a literal, as in fnmatch(3).
      while (j < chars.length && (chars[j] !== ']' || first)) {
        const lo = chars[j]!.codePointAt(0)!;
        first = false;
        if (chars[j + 1] === '-' && j + 2 < chars.length && chars[j + 2] !== ']') {
          const hi = chars[j + 2]!.codePointAt(0)!;
          if (lo > hi) return { problem: `reversed range "${chars[j]}-${chars[j + 2]}" in glob` };
          ranges.push([lo, hi]);
          j += 3;
        } else {
          ranges.push([lo, lo]);
          j++;
        }
      }
      if (j >= chars.length) return { problem: 'unclosed "[" in glob' };
      tokens.push(one((c) => ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negate));
      i = j;
    } else {
      const cp = ch.codePointAt(0)!;
      tokens.push(one((c) => c === cp));
    }
  }
  return { tokens };
}

/**
 * Whole-name match of `name` (as code points) against tokens: the classic wildcard walk that, on
 * a mismatch, only ever retries from the last star, one character further.
 */
function matches(tokens: readonly Token[], name: readonly number[]): boolean {
  let t = 0;
  let c = 0;
  let starT = -1;
  let starC = 0;
  while (c < name.length) {
    const tok = tokens[t];
    if (tok !== undefined && !tok.star && tok.test(name[c]!)) {
      t++;
      c++;
    } else if (tok !== undefined && tok.star) {
      starT = t++;
      starC = c;
    } else if (starT >= 0) {
      t = starT + 1;
      c = ++starC;
    } else {
      return false;
    }
  }
  while (tokens[t]?.star) t++;
  return t === tokens.length;
}

/** What is wrong with a glob, as text for a config error, or undefined when it is valid. */
export function validateGlob(glob: string): string | undefined {
  return parse(glob).problem;
}

function compile(globs: string[], flag: string, problems: string[]): Token[][] | undefined {
  const lists: Token[][] = [];
  for (const glob of globs) {
    const p = parse(glob);
    if (p.problem !== undefined) problems.push(`${flag} ${JSON.stringify(glob)}: ${p.problem}`);
    else lists.push(p.tokens);
  }
  return lists.length === 0 ? undefined : lists;
}

// The same names come back every sample; their verdict never changes. Bounded for nodes that
// churn through thousands of short-lived veth names.
const VERDICTS_MAX = 8192;

/**
 * Compiles include/exclude globs (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `\` escapes) into one matcher.
 * Exclude wins; an empty include list includes everything. Throws FilterError listing every bad glob.
 */
export function compileInterfaceFilter(include: string[], exclude: string[]): (name: string) => boolean {
  const problems: string[] = [];
  const inc = compile(include, '--include', problems);
  const exc = compile(exclude, '--exclude', problems);
  if (problems.length > 0) throw new FilterError(problems);
  if (inc === undefined && exc === undefined) return () => true;
  const verdicts = new Map<string, boolean>();
  return (name) => {
    let v = verdicts.get(name);
    if (v === undefined) {
      const cps = Array.from(name, (ch) => ch.codePointAt(0)!);
      v = (inc === undefined || inc.some((g) => matches(g, cps))) && !(exc !== undefined && exc.some((g) => matches(g, cps)));
      if (verdicts.size >= VERDICTS_MAX) verdicts.clear();
      verdicts.set(name, v);
    }
    return v;
  };
}
