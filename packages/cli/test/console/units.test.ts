import { strict as assert } from 'node:assert';
import { formatBits, formatBytes, formatBytesPerSecond, formatCount, formatPercent } from '../../src/format/units.js';

describe('unit formatting', () => {
  const table: [fn: (n: number) => string, input: number, out: string][] = [
    [formatBytesPerSecond, 0, '0 B/s'],
    [formatBytesPerSecond, 802, '802 B/s'],
    [formatBytesPerSecond, 12.5, '12.5 B/s'],
    [formatBytesPerSecond, 0.333, '0.33 B/s'],
    [formatBytesPerSecond, 999, '999 B/s'],
    [formatBytesPerSecond, 999.7, '1.00 KB/s'],
    [formatBytesPerSecond, 35_400, '35.4 KB/s'],
    [formatBytesPerSecond, 1_210_000, '1.21 MB/s'],
    [formatBytesPerSecond, 999_999, '1.00 MB/s'],
    [formatBytesPerSecond, 125_000_000, '125 MB/s'],
    [formatBytesPerSecond, 1.5e9, '1.50 GB/s'],
    [formatBytesPerSecond, 2e12, '2.00 TB/s'],
    [formatBytesPerSecond, -2048, '-2.05 KB/s'],
    [formatBytesPerSecond, NaN, '-'],
    [formatBits, 125_000_000, '1.00 Gbit/s'],
    [formatBits, 1_250_000, '10.0 Mbit/s'],
    [formatBits, 100, '800 bit/s'],
    [formatBits, 0, '0 bit/s'],
    [formatBytes, 17_400, '17.4 KB'],
    [formatBytes, 500_234_280, '500 MB'],
    [formatBytes, 0, '0 B'],
    [formatBytes, 42, '42 B'],
    [formatCount, 802, '802'],
    [formatCount, 120, '120'],
    [formatCount, 0, '0'],
    [formatCount, 0.25, '0.25'],
    [formatCount, 5.2, '5.20'],
    [formatCount, 12_345, '12.3K'],
    [formatCount, 2_500_000, '2.50M'],
    [formatPercent, 0.423, '42.3%'],
    [formatPercent, 1, '100%'],
    [formatPercent, 0.0123, '1.23%'],
  ];
  for (const [fn, input, out] of table) {
    it(`${fn.name}(${input}) = ${JSON.stringify(out)}`, () => assert.equal(fn(input), out));
  }
});
