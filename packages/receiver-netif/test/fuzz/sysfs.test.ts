// The sysfs attribute parsers under fast-check: declared never to throw (an unknown value is
// left out), whatever a driver or a broken fixture writes into operstate, carrier, speed or mtu.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeoutMs } from '../../../../test-support/fuzz.js';
import { BYTES_PER_SECOND_PER_MBPS, linkUp, parseCarrier, parseLinkInfo, parseMtu, parseOperstate, parseSpeedBytesPerSecond } from '../../src/parse/sysfs.js';

const RUNS = 1000;

// Arbitrary text, and text that looks almost like what sysfs writes.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((v) => `${v}\n`),
  fc.constantFrom('up\n', 'down', 'unknown\n', '1\n', '0', '-1\n', '4294967295\n', '', '\n', ' 1500 ', '1e3', '0x10', '25000\r\n'),
);

describe('fuzz: sysfs parsers', function () {
  this.timeout(fuzzTimeoutMs(RUNS));

  it('never throw, and return only values of their kind', () => {
    fc.assert(
      fc.property(text, (t) => {
        const op = parseOperstate(t);
        assert.ok(op === undefined || (op !== '' && op === op.trim()));
        const carrier = parseCarrier(t);
        assert.ok(carrier === undefined || typeof carrier === 'boolean');
        const speed = parseSpeedBytesPerSecond(t);
        assert.ok(speed === undefined || (Number.isFinite(speed) && speed > 0 && speed % BYTES_PER_SECOND_PER_MBPS === 0), `speed ${speed}`);
        const mtu = parseMtu(t);
        assert.ok(mtu === undefined || (Number.isFinite(mtu) && mtu >= 0), `mtu ${mtu}`);
      }),
      fuzzParameters(RUNS),
    );
  });

  it('build LinkInfo from any mix of missing and garbled files, and linkUp is 0, 1 or absent', () => {
    const maybe = fc.option(text, { nil: undefined });
    fc.assert(
      fc.property(fc.record({ operstate: maybe, carrier: maybe, speed: maybe, mtu: maybe }, { requiredKeys: [] }), (raw) => {
        const info = parseLinkInfo(raw);
        for (const v of Object.values(info)) assert.notEqual(v, undefined, 'absent values are left out, not set to undefined');
        const up = linkUp(info);
        assert.ok(up === undefined || up === 0 || up === 1);
      }),
      fuzzParameters(RUNS),
    );
  });
});
