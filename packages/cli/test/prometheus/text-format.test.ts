import assert from 'node:assert/strict';
import { acceptsGzip } from '../../src/export/prometheus/accept-encoding.js';
import { escapeHelp, escapeLabelValue, formatSampleValue } from '../../src/export/prometheus/text-format.js';

describe('Prometheus text format', () => {
  it('escapes label values: backslash, quote, newline, nothing else', () => {
    assert.equal(escapeLabelValue('eth0'), 'eth0');
    assert.equal(escapeLabelValue('a\\b"c\nd\te'), 'a\\\\b\\"c\\nd\te');
    assert.equal(escapeLabelValue('wlän0'), 'wlän0');
  });

  it('escapes help: backslash and newline, quotes stay', () => {
    assert.equal(escapeHelp('say "hi"\\\n'), 'say "hi"\\\\\\n');
  });

  it('spells special values the Prometheus way', () => {
    assert.equal(formatSampleValue(NaN), 'NaN');
    assert.equal(formatSampleValue(Infinity), '+Inf');
    assert.equal(formatSampleValue(-Infinity), '-Inf');
    assert.equal(formatSampleValue(2 ** 53), '9007199254740992');
    assert.equal(formatSampleValue(1e21), '1e+21');
    assert.equal(formatSampleValue(-2.5), '-2.5');
  });
});

describe('Accept-Encoding', () => {
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['identity', false],
    ['br', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['x-gzip', true],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${want ? 'gzip' : 'identity'}`, () => assert.equal(acceptsGzip(header), want));
  }
});
