// parseProcNetDev under fast-check: it is declared never to throw, so any input at all (binary,
// unicode, mangled tables) must come back as interfaces and problems, quickly; and well-formed
// tables must come back exactly, counters up to 2^64 - 1 included.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeoutMs, within } from '../../../../test-support/fuzz.js';
import { COUNTER_FIELDS, ProcNetDevParser, parseProcNetDev } from '../../src/parse/proc-net-dev.js';
import type { ProcNetDev } from '../../src/types.js';
import { HEADER } from '../helpers/proc-net-dev-text.js';

const RUNS = 400;
const MAX_U64 = 2n ** 64n - 1n;

function wellFormed(text: string, out: ProcNetDev): void {
  const lines = text.split('\n').length;
  for (const i of out.interfaces) {
    assert.ok(i.name !== '' && i.name === i.name.trim(), `name ${JSON.stringify(i.name)}`);
    for (const k of COUNTER_FIELDS) assert.ok(Number.isFinite(i.counters[k]) && i.counters[k] >= 0, `${k} = ${i.counters[k]}`);
  }
  for (const p of out.problems) {
    assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines, `problem on line ${p.line} of ${lines}`);
    assert.ok(p.message !== '' && !p.message.includes('\n'), p.message);
  }
}

const parse = (text: string) => within(200, `parseProcNetDev of ${text.length} characters`, () => parseProcNetDev(text));

// Names as /proc/net/dev can show them: no whitespace, no colon at the end, 1-15 characters.
const name = fc.stringMatching(/^[a-zA-Z0-9._@-]{1,15}$/);
const counter = fc.bigInt({ min: 0n, max: MAX_U64 });
const row = fc.record({ name, counters: fc.array(counter, { minLength: 16, maxLength: 16 }) });

describe('fuzz: parseProcNetDev', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  it('never throws on arbitrary text, and what it returns is well formed', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.string({ unit: fc.constantFrom(' ', ':', '|', '\n', '\r', '\t', '0', '9', '-', 'a', 'é'), maxLength: 2000 }));
    fc.assert(fc.property(text, (t) => wellFormed(t, parse(t))), fuzzParameters(RUNS));
  });

  it('never throws on real tables mangled by inserts, deletions and truncation', () => {
    const mangled = fc
      .record({ rows: fc.array(row, { maxLength: 20 }), cuts: fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 6 }) })
      .map(({ rows, cuts }) => {
        let t = HEADER + rows.map((r) => `${r.name.padStart(6)}: ${r.counters.join(' ')}\n`).join('');
        for (const [at, del, ins] of cuts) {
          const i = t.length === 0 ? 0 : at % t.length;
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        return t;
      });
    fc.assert(fc.property(mangled, (t) => wellFormed(t, parse(t))), fuzzParameters(RUNS));
  });

  it('reads every well-formed table back exactly (values past 2^53 as the nearest double)', () => {
    const table = fc.uniqueArray(row, { selector: (r) => r.name, maxLength: 30 });
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = HEADER.replaceAll('\n', eol) + rows.map((r) => `${r.name.padStart(6)}:${r.counters.map((c) => String(c).padStart(8)).join(' ')}${eol}`).join('');
        const out = parse(text);
        assert.deepEqual(out.problems, []);
        assert.deepEqual(out.interfaces.map((i) => i.name), rows.map((r) => r.name));
        out.interfaces.forEach((i, n) => {
          assert.deepEqual(COUNTER_FIELDS.map((k) => i.counters[k]), rows[n]!.counters.map((c) => Number(c)));
        });
      }),
      fuzzParameters(RUNS),
    );
  });

  it('reads bytes (the receiver\'s parser, which reuses names between reads) exactly as text, read after read', () => {
    const anyText = fc.oneof(
      fc.uniqueArray(row, { selector: (r) => r.name, maxLength: 12 }).map((rows) => HEADER + rows.map((r) => `${r.name.padStart(6)}:${r.counters.map((c) => String(c).padStart(8)).join(' ')}\n`).join('')),
      fc.string({ unit: fc.constantFrom(' ', ':', '|', '\n', '0', '9', '-', 'a', 'é', '\u0000'), maxLength: 400 }),
    );
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 4 }), (reads) => {
        const parser = new ProcNetDevParser();
        for (const text of reads) {
          const bytes = new TextEncoder().encode(text);
          const fromBytes = within(200, 'ProcNetDevParser.parse', () => parser.parse(bytes));
          wellFormed(text, fromBytes);
          assert.deepEqual(fromBytes, parseProcNetDev(text));
        }
      }),
      fuzzParameters(RUNS),
    );
  });

  it('reads arbitrary bytes, invalid UTF-8 included, as their UTF-8 decoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const out = within(200, 'ProcNetDevParser.parse', () => new ProcNetDevParser().parse(bytes));
        const text = Buffer.from(bytes).toString('utf8');
        wellFormed(text, out);
        assert.deepEqual(out, parseProcNetDev(text));
      }),
      fuzzParameters(RUNS),
    );
  });

  it('never reads a larger counter as a smaller one (a rounding that would fake a reset)', () => {
    fc.assert(
      fc.property(counter, counter, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const line = (v: bigint) => `${HEADER}  eth0: ${v} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;
        assert.ok(parse(line(lo)).interfaces[0]!.counters.rxBytes <= parse(line(hi)).interfaces[0]!.counters.rxBytes);
      }),
      fuzzParameters(RUNS * 5),
    );
  });
});
