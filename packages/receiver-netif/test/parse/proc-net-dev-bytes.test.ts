import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseProcNetDev, ProcNetDevParser } from '../../src/parse/proc-net-dev.js';
import { counters, HEADER, kernelLine, procNetDev } from '../helpers/proc-net-dev-text.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
// What the receiver parsed before it read bytes: readFileSync(path, 'utf8'), which keeps a BOM
// (TextDecoder would drop it).
const decode = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

// Pieces a line is built from: what the kernel prints and what a broken or foreign file holds.
const piece = fc.oneof(
  fc.constantFrom(' ', '  ', '\t', '\r', ':', '|', '-', 'x', '0', '7', '18446744073709551615', '9007199254740993', 'é', 'ä', '\u00a0', '\ufeff', '\u0000'),
  fc.nat({ max: 2 ** 40 }).map(String),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const junkLine = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
const name = fc.oneof(fc.constantFrom('lo', 'eth0', 'veth1@if3', 'a:b', 'wlän0', ' x ', ''), fc.string({ minLength: 1, maxLength: 8 }));
const kernel = fc.tuple(name, fc.array(fc.nat({ max: 2 ** 53 }), { minLength: 16, maxLength: 18 })).map(
  ([n, values]) => `${n.padStart(6)}:${values.map((v) => String(v).padStart(8)).join(' ')}`,
);
const file = fc
  .tuple(fc.boolean(), fc.array(fc.oneof(kernel, kernel, junkLine), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([header, lines, eol, finalEol]) => (header ? HEADER : '') + lines.join(eol) + (finalEol ? eol : ''));

describe('ProcNetDevParser (bytes)', () => {
  it('parses exactly like parseProcNetDev of the UTF-8 text: interfaces, counters and problem messages', () => {
    fc.assert(
      fc.property(file, (text) => {
        const b = bytes(text);
        assert.deepStrictEqual(new ProcNetDevParser().parse(b), parseProcNetDev(decode(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on invalid UTF-8 too (decoded per line, replaced the same way)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), (head, lines) => {
        const parts = [head, ...lines.map((l) => Uint8Array.from([...l, 10]))];
        const b = Uint8Array.from(parts.flatMap((p) => [...p]));
        assert.deepStrictEqual(new ProcNetDevParser().parse(b), parseProcNetDev(decode(b)));
      }),
      { numRuns: 2000 },
    );
  });

  // Whether a name string is reused cannot be observed from JS; what must hold is that reuse never
  // hands out a stale name when interfaces are renamed, replaced or reordered.
  it('never reports a stale name when interfaces are renamed, replaced or reordered between parses', () => {
    const parser = new ProcNetDevParser();
    const first = parser.parse(bytes(procNetDev({ lo: {}, eth0: { rxBytes: 1 } })));
    const second = parser.parse(bytes(procNetDev({ lo: {}, eth0: { rxBytes: 2 } })));
    assert.equal(second.interfaces[1]!.name, 'eth0');
    assert.equal(first.interfaces[1]!.name, 'eth0');
    assert.equal(second.interfaces[1]!.counters.rxBytes, 2);
    const renamed = parser.parse(bytes(procNetDev({ lo: {}, eth1: {} })));
    assert.deepEqual(renamed.interfaces.map((i) => i.name), ['lo', 'eth1']);
    const shifted = parser.parse(bytes(HEADER + kernelLine('eth1', counters()) + kernelLine('lo', counters())));
    assert.deepEqual(shifted.interfaces.map((i) => i.name), ['eth1', 'lo']);
    const sameLength = parser.parse(bytes(HEADER + kernelLine('eth2', counters()) + kernelLine('lo', counters())));
    assert.deepEqual(sameLength.interfaces.map((i) => i.name), ['eth2', 'lo']);
  });

  it('gives an unchanged line the same object as last time, a changed one another object, and leaves what it returned as it was through the next parse', () => {
    const parser = new ProcNetDevParser();
    const a = parser.parse(bytes(procNetDev({ eth0: { rxBytes: 5 }, eth1: { rxBytes: 7 } })));
    const before = JSON.stringify(a);
    const b = parser.parse(bytes(procNetDev({ eth0: { rxBytes: 5 }, eth1: { rxBytes: 8 } })));
    assert.equal(b.interfaces[0], a.interfaces[0], 'idle eth0: the same object');
    assert.notEqual(b.interfaces[1], a.interfaces[1]);
    assert.equal(b.interfaces[1]!.counters.rxBytes, 8);
    assert.equal(JSON.stringify(a), before);
    // Only the same bytes at the same place count: eth1's line moved up, so it is parsed again.
    const c = parser.parse(bytes(procNetDev({ eth1: { rxBytes: 8 } })));
    assert.deepEqual(c.interfaces[0], { name: 'eth1', counters: counters({ rxBytes: 8 }) });
  });

  it('writes a line that changed twice in a row into its object of two parses ago, and no other', () => {
    const parser = new ProcNetDevParser();
    const file = (eth0: number, eth1: number, eth2: number) => bytes(procNetDev({ eth0: { rxBytes: eth0 }, eth1: { rxBytes: eth1 }, eth2: { rxBytes: eth2 } }));
    const a = parser.parse(file(1, 1, 1));
    const b = parser.parse(file(2, 1, 2));
    const c = parser.parse(file(3, 2, 2));
    // eth0 changed in b and in c: a's object, which b did not return, now holds c's values.
    assert.equal(c.interfaces[0], a.interfaces[0]);
    assert.deepEqual(c.interfaces[0], { name: 'eth0', counters: counters({ rxBytes: 3 }) });
    // eth1 was carried by b (unchanged), so b still shows a's object: c's change takes a new one.
    assert.notEqual(c.interfaces[1], a.interfaces[1]);
    assert.equal(b.interfaces[1]!.counters.rxBytes, 1);
    // eth2 changed in b only; b's own objects are c's "last parse" and stay as they were.
    assert.equal(c.interfaces[2], b.interfaces[2]);
    assert.deepEqual(b.interfaces.map((i) => i.counters.rxBytes), [2, 1, 2]);
    // A name that differs from the line's of two parses ago takes a new object.
    parser.parse(bytes(procNetDev({ eth0: { rxBytes: 4 }, eth1: { rxBytes: 2 }, eth2: { rxBytes: 2 } })));
    const e = parser.parse(bytes(procNetDev({ eth9: { rxBytes: 5 }, eth1: { rxBytes: 2 }, eth2: { rxBytes: 2 } })));
    assert.deepEqual(e.interfaces[0], { name: 'eth9', counters: counters({ rxBytes: 5 }) });
    assert.equal(c.interfaces[0]!.name, 'eth0');
  });

  it('after forget() returns only objects it did not return before', () => {
    const parser = new ProcNetDevParser();
    const seen = new Set<object>();
    for (const rx of [1, 2]) for (const i of parser.parse(bytes(procNetDev({ eth0: { rxBytes: rx }, lo: {} }))).interfaces) seen.add(i).add(i.counters);
    parser.forget();
    for (const rx of [2, 3]) {
      const { interfaces } = parser.parse(bytes(procNetDev({ eth0: { rxBytes: rx }, lo: {} })));
      assert.deepEqual(interfaces.map((i) => i.counters.rxBytes), [rx, 0]);
      for (const i of interfaces) assert.ok(!seen.has(i) && !seen.has(i.counters));
    }
  });

  it('parses a file read into its spare buffer like a copied one, over changing files, keeping that buffer instead of copying', () => {
    const states = fc.array(fc.record({ eth0: fc.nat({ max: 1e6 }), eth1: fc.nat({ max: 1e6 }), eth2: fc.option(fc.nat({ max: 50 })) }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(states, (seq) => {
        const copying = new ProcNetDevParser();
        const owning = new ProcNetDevParser();
        for (const st of seq) {
          const text = procNetDev({ eth0: { rxBytes: st.eth0 }, ...(st.eth2 !== null ? { [`e${st.eth2}`]: {} } : {}), eth1: { txBytes: st.eth1 } });
          const b = Buffer.from(text);
          // What the receiver does: the file's bytes in the spare buffer when it has room, else in a new one.
          let into = owning.spareBuffer();
          if (into.length < b.length) into = Buffer.allocUnsafeSlow(b.length + 100);
          into.fill(0x78);
          b.copy(into);
          assert.deepStrictEqual(owning.parse(into.subarray(0, b.length), true), copying.parse(b));
        }
      }),
      { numRuns: 300 },
    );
    const parser = new ProcNetDevParser();
    const first = Buffer.from(procNetDev({ eth0: { rxBytes: 1 } }));
    parser.parse(first, true);
    parser.parse(Buffer.from(procNetDev({ eth0: { rxBytes: 2 } })), true);
    assert.equal(parser.spareBuffer().buffer, first.buffer, 'the first file is the spare buffer two parses later: not copied');
  });

  it('reports a bad line again on every parse, even when it did not change', () => {
    const parser = new ProcNetDevParser();
    const text = bytes(`${HEADER}  eth0: 1 2 3\n`);
    for (let i = 0; i < 3; i++) assert.deepEqual(parser.parse(text).problems, [{ line: 3, message: 'expected 16 counters, found 3 (interface "eth0")' }]);
  });

  it('matches parseProcNetDev over a sequence of files that change a little each time', () => {
    fc.assert(
      fc.property(fc.array(file, { minLength: 2, maxLength: 6 }), (texts) => {
        const parser = new ProcNetDevParser();
        for (const text of texts) {
          const b = bytes(text);
          assert.deepStrictEqual(parser.parse(b), parseProcNetDev(decode(b)));
          // And once more unchanged, which takes the reuse path for every kernel line.
          assert.deepStrictEqual(parser.parse(b), parseProcNetDev(decode(b)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  // A node's file from one sample to the next: mostly the same lines at the same place, a few
  // counters moved on (sometimes by a digit, shifting everything after), interfaces added and
  // deleted, now and then a blank or broken line. The parser takes runs of unchanged lines in one
  // comparison; this checks that what it returns is still exactly the text parser's.
  it('matches parseProcNetDev over many samples of a large file that changes here and there', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('count' as const), at: fc.nat(), by: fc.oneof(fc.nat({ max: 9 }), fc.nat({ max: 10 ** 9 })) }),
      fc.record({ kind: fc.constant('add' as const), at: fc.nat(), name: fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), line: fc.constantFrom('', '   ', 'eth9: 1 2 3', 'garbage') }),
      // Text after the 16th counter (a future kernel's column, or a colon that moves the name).
      fc.record({ kind: fc.constant('tail' as const), at: fc.nat(), tail: fc.constantFrom('', ' 5', ' 12 7', ' :x') }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 12 }), (n, samples) => {
        const rows: { name: string; rx: number; junk?: string; tail?: string }[] = Array.from({ length: n }, (_, i) => ({ name: `veth${i}`, rx: i * 1000 }));
        const text = () => HEADER + rows.map((r) => (r.junk !== undefined ? `${r.junk}\n` : `${kernelLine(r.name, counters({ rxBytes: r.rx, txPackets: 7 })).slice(0, -1)}${r.tail ?? ''}\n`)).join('');
        const parser = new ProcNetDevParser();
        // Each parse's objects, and their values when returned: they must hold through the next parse.
        let held: { result: ReturnType<ProcNetDevParser['parse']>; json: string } | undefined;
        const check = () => {
          const b = bytes(text());
          const result = parser.parse(b);
          assert.deepStrictEqual(result, parseProcNetDev(decode(b)));
          if (held !== undefined) assert.equal(JSON.stringify(held.result), held.json, 'the parse before kept its values');
          held = { result, json: JSON.stringify(result) };
        };
        check();
        for (const edits of samples) {
          for (const e of edits) {
            const at = rows.length === 0 ? 0 : e.at % rows.length;
            if (e.kind === 'count' && rows[at] !== undefined) rows[at]!.rx += e.by;
            else if (e.kind === 'add') rows.splice(at, 0, { name: e.name, rx: 0 });
            else if (e.kind === 'delete') rows.splice(at, 1);
            else if (e.kind === 'junk') rows.splice(at, 0, { name: '', rx: 0, junk: e.line });
            else if (e.kind === 'tail' && rows[at] !== undefined) rows[at]!.tail = e.tail;
          }
          check();
          check();
        }
      }),
      { numRuns: 500 },
    );
  });
});
