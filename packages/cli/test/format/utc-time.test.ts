import assert from 'node:assert/strict';
import fc from 'fast-check';
import { currentHttpDate, hrTimeIso, httpDate, isoTime } from '../../src/format/utc-time.js';

const MAX_DATE_MS = 8.64e15;
/** 1000-01-01 to 9999-12-31, the years toUTCString prints with four digits. */
const FOUR_DIGIT_YEARS: [number, number] = [Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];

describe('utc-time', () => {
  it('formats the edges of the calendar as Date does', () => {
    const edges = [
      0, -1, 1, 999, -999, 86_399_999, 86_400_000, -86_400_000, -86_400_001,
      Date.UTC(2000, 1, 29, 12), Date.UTC(1900, 1, 28, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2100, 1, 28), Date.UTC(2400, 1, 29),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 11, 6, 7, 50, 57, 578), Date.UTC(0, 0, 1) - 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1), MAX_DATE_MS, -MAX_DATE_MS, -0,
    ];
    for (const ms of edges) assert.equal(isoTime(ms), new Date(ms).toISOString(), `at ${ms}`);
  });

  it('matches toISOString at any time a Date can hold, fractions included', () => {
    fc.assert(
      fc.property(fc.double({ min: -MAX_DATE_MS, max: MAX_DATE_MS, noNaN: true }), (ms) => {
        assert.equal(isoTime(ms), new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('formats an OTel time to the millisecond below', () => {
    assert.equal(hrTimeIso([1, 999_999_999]), '1970-01-01T00:00:01.999Z');
    assert.equal(hrTimeIso([1_765_000_000, 1_000_000]), new Date(1_765_000_000_001).toISOString());
  });

  it('refuses what a Date cannot hold, as toISOString does', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, MAX_DATE_MS + 1, -MAX_DATE_MS - 1]) {
      assert.throws(() => new Date(bad).toISOString(), RangeError);
      assert.throws(() => isoTime(bad), RangeError);
    }
  });

  it('writes the HTTP date as toUTCString does, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: FOUR_DIGIT_YEARS[0], max: FOUR_DIGIT_YEARS[1] }), (ms) => {
        assert.equal(httpDate(ms), new Date(ms).toUTCString());
      }),
      { numRuns: 5000 },
    );
    assert.equal(httpDate(Date.UTC(1994, 10, 6, 8, 49, 37)), 'Sun, 06 Nov 1994 08:49:37 GMT');
  });

  it("gives the current second's HTTP date", () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const now = currentHttpDate();
    const after = Math.floor(Date.now() / 1000) * 1000;
    assert.ok([httpDate(before), httpDate(after)].includes(now), now);
    assert.equal(Date.parse(now) >= before && Date.parse(now) <= after, true);
  });
});
