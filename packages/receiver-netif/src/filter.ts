import { FilterError } from './errors.js';

type Translation = { source: string; problem?: undefined } | { source?: undefined; problem: string };

// Escapes by code point so any character is safe inside and outside a class under the `u` flag.
function lit(ch: string): string {
  return /^[\p{L}\p{N}_]$/u.test(ch) ? ch : `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

/** Turns one glob into a RegExp source (anchors excluded), or says what is wrong with it. */
function translate(glob: string): Translation {
  if (glob === '') return { problem: 'empty glob' };
  if (/\s/u.test(glob)) return { problem: 'whitespace in glob (interface names never contain whitespace)' };
  const chars = Array.from(glob); // code points, so "?" matches "ä" as one character
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      out += '.*';
    } else if (ch === '?') {
      out += '.';
    } else if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined) return { problem: 'trailing "\\" in glob' };
      out += lit(next);
    } else if (ch === '[') {
      let j = i + 1;
      let negate = false;
      if (chars[j] === '!' || chars[j] === '^') {
        negate = true;
        j++;
      }
      let cls = '';
      let first = true;
      // A "]" right after "[" or "[!" is a literal, as in fnmatch(3).
      while (j < chars.length && (chars[j] !== ']' || first)) {
        const lo = chars[j]!;
        first = false;
        if (chars[j + 1] === '-' && j + 2 < chars.length && chars[j + 2] !== ']') {
          const hi = chars[j + 2]!;
          if (lo.codePointAt(0)! > hi.codePointAt(0)!) return { problem: `reversed range "${lo}-${hi}" in glob` };
          cls += `${lit(lo)}-${lit(hi)}`;
          j += 3;
        } else {
          cls += lit(lo);
          j++;
        }
      }
      if (j >= chars.length) return { problem: 'unclosed "[" in glob' };
      out += `[${negate ? '^' : ''}${cls}]`;
      i = j;
    } else {
      out += lit(ch);
    }
  }
  return { source: out };
}

/** What is wrong with a glob, as text for a config error, or undefined when it is valid. */
export function validateGlob(glob: string): string | undefined {
  return translate(glob).problem;
}

function compile(globs: string[], flag: string, problems: string[]): RegExp | undefined {
  const sources: string[] = [];
  for (const glob of globs) {
    const t = translate(glob);
    if (t.problem !== undefined) problems.push(`${flag} ${JSON.stringify(glob)}: ${t.problem}`);
    else sources.push(t.source);
  }
  return sources.length === 0 ? undefined : new RegExp(`^(?:${sources.join('|')})$`, 'u');
}

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
  return (name) => (inc === undefined || inc.test(name)) && !(exc !== undefined && exc.test(name));
}
