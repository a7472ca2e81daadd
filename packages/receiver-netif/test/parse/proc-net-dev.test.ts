import assert from 'node:assert/strict';
import { COUNTER_COLUMNS, counterKeyForColumn, parseProcNetDev } from '../../src/parse/proc-net-dev.js';
import { counters, HEADER, kernelLine, procNetDev } from '../helpers/proc-net-dev-text.js';

const ONE_TO_16 = '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16';

describe('parseProcNetDev', () => {
  it('parses a normal file in the kernel format, every column in order', () => {
    const text =
      HEADER +
      '    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n' +
      `  eth0:${ONE_TO_16}\n`;
    const r = parseProcNetDev(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.interfaces.map((i) => i.name), ['lo', 'eth0']);
    assert.deepEqual(r.interfaces[0]!.counters, counters({ rxBytes: 3193, rxPackets: 29, txBytes: 3193, txPackets: 29 }));
    assert.deepEqual(r.interfaces[1]!.counters, {
      rxBytes: 1, rxPackets: 2, rxErrs: 3, rxDrop: 4, rxFifo: 5, rxFrame: 6, rxCompressed: 7, rxMulticast: 8,
      txBytes: 9, txPackets: 10, txErrs: 11, txDrop: 12, txFifo: 13, txColls: 14, txCarrier: 15, txCompressed: 16,
    });
  });

  it('reads a wide counter glued to the colon, and counters above 2^32', () => {
    const r = parseProcNetDev(`${HEADER}  eth0:123456789012 4294967297 0 0 0 0 0 0 9007199254740991 1 0 0 0 0 0 0\n`);
    assert.deepEqual(r.problems, []);
    assert.equal(r.interfaces[0]!.name, 'eth0');
    assert.equal(r.interfaces[0]!.counters.rxBytes, 123456789012);
    assert.equal(r.interfaces[0]!.counters.rxPackets, 4294967297);
    assert.equal(r.interfaces[0]!.counters.txBytes, Number.MAX_SAFE_INTEGER);
  });

  it('rounds counters beyond 2^53 like Number() does, so rounding never makes a counter go down', () => {
    const r = parseProcNetDev(`${HEADER}eth0:18446744073709551615 9007199254740993 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`);
    assert.equal(r.interfaces[0]!.counters.rxBytes, Number('18446744073709551615'));
    assert.equal(r.interfaces[0]!.counters.rxPackets, Number('9007199254740993'));
  });

  it('splits at the LAST colon so names with dots, "@", colons and unicode round-trip exactly', () => {
    const names = ['eth0.100', 'veth0@if3', 'wlan:0', 'wlän0', 'a:b:c', 'x.y@z'];
    const r = parseProcNetDev(HEADER + names.map((n) => kernelLine(n, counters({ rxBytes: 7 }))).join(''));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.interfaces.map((i) => i.name), names);
    assert.ok(r.interfaces.every((i) => i.counters.rxBytes === 7));
  });

  it('reports short, non-numeric, negative, colon-less and nameless lines with 1-based line numbers, keeping the rest', () => {
    const text =
      HEADER + // lines 1-2
      `  eth0:${ONE_TO_16}\n` + // 3
      '  eth1: 1 2 3\n' + // 4
      '  eth2: 1 2 abc 4 5 6 7 8 9 10 11 12 13 14 15 16\n' + // 5
      '  eth3: 1 2 3 4 5 6 7 8 9 -10 11 12 13 14 15 16\n' + // 6
      'no separator here\n' + // 7
      `   : ${ONE_TO_16}\n` + // 8
      '  eth4: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1x6\n' + // 9
      `  eth5:${ONE_TO_16}\n`; // 10
    const r = parseProcNetDev(text);
    assert.deepEqual(r.interfaces.map((i) => i.name), ['eth0', 'eth5']);
    assert.deepEqual(r.problems, [
      { line: 4, message: 'expected 16 counters, found 3 (interface "eth1")' },
      { line: 5, message: 'counter 3 (rx_errs) is not a number: "abc" (interface "eth2")' },
      { line: 6, message: 'counter 10 (tx_packets) is negative: "-10" (interface "eth3")' },
      { line: 7, message: 'no ":" between interface name and counters in "no separator here"' },
      { line: 8, message: 'no interface name before ":"' },
      { line: 9, message: 'counter 16 (tx_compressed) is not a number: "1x6" (interface "eth4")' },
    ]);
  });

  it('reports an empty counter list as 0 counters found', () => {
    assert.deepEqual(parseProcNetDev(`${HEADER}  eth0:\n`).problems, [{ line: 3, message: 'expected 16 counters, found 0 (interface "eth0")' }]);
  });

  it('takes the first 16 counters and ignores extra columns', () => {
    const r = parseProcNetDev(`${HEADER}eth0: ${ONE_TO_16} 17 18 junk\n`);
    assert.deepEqual(r.problems, []);
    assert.equal(r.interfaces[0]!.counters.txCompressed, 16);
  });

  it('returns nothing and no problems for an empty file or a header-only file', () => {
    assert.deepEqual(parseProcNetDev(''), { interfaces: [], problems: [] });
    assert.deepEqual(parseProcNetDev(HEADER), { interfaces: [], problems: [] });
    assert.deepEqual(parseProcNetDev(HEADER.trimEnd()), { interfaces: [], problems: [] });
  });

  it('reports header lines that are not headers (a file that is not /proc/net/dev)', () => {
    const r = parseProcNetDev(`eth0: ${ONE_TO_16}\neth1: ${ONE_TO_16}\neth2: ${ONE_TO_16}\n`);
    assert.deepEqual(r.interfaces.map((i) => i.name), ['eth2']);
    assert.deepEqual(r.problems.map((p) => p.line), [1, 2]);
    assert.equal(r.problems[0]!.message, 'expected a header line containing "|", found "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 1…"');
  });

  it('accepts CRLF line ends, tabs, trailing whitespace, blank lines and a missing final newline', () => {
    const text = `${HEADER.replaceAll('\n', '\r\n')}  eth0:${ONE_TO_16}  \r\n\r\n\teth1:\t${ONE_TO_16.replaceAll(' ', '\t')}\t\r\n   \neth2: ${ONE_TO_16}`;
    const r = parseProcNetDev(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.interfaces.map((i) => i.name), ['eth0', 'eth1', 'eth2']);
    assert.ok(r.interfaces.every((i) => i.counters.txCompressed === 16));
  });

  it('keeps parsing after a problem line and returns independent counter objects', () => {
    const r = parseProcNetDev(procNetDev({ a: { rxBytes: 1 }, b: { rxBytes: 2 } }));
    assert.notEqual(r.interfaces[0]!.counters, r.interfaces[1]!.counters);
    assert.equal(r.interfaces[0]!.counters.rxBytes, 1);
  });

  it('maps every kernel column name to a counter key', () => {
    assert.equal(COUNTER_COLUMNS.length, 16);
    assert.equal(counterKeyForColumn('rx_bytes'), 'rxBytes');
    assert.equal(counterKeyForColumn('tx_compressed'), 'txCompressed');
    assert.equal(counterKeyForColumn('rx_bogus'), undefined);
  });

  it('parses 4000 interfaces in well under a millisecond per 100 lines', () => {
    const ifaces: Record<string, { rxBytes: number; txBytes: number }> = {};
    for (let i = 0; i < 4000; i++) ifaces[`veth${i.toString(16).padStart(8, '0')}`] = { rxBytes: i * 1e9, txBytes: i };
    const text = procNetDev(ifaces);
    for (let i = 0; i < 20; i++) parseProcNetDev(text); // warm up the JIT
    const rounds = 50;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) assert.equal(parseProcNetDev(text).interfaces.length, 4000);
    const perParse = (performance.now() - t0) / rounds;
    // Generous bound for slow CI; typically ~1 ms here. Guards against accidental quadratic or regex-per-token code.
    assert.ok(perParse < 20, `one parse of 4000 lines took ${perParse.toFixed(2)} ms`);
  });
});
