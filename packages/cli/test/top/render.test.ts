import assert from 'node:assert/strict';
import { utilizationBar } from '../../src/top/bar.js';
import { mirrorChart } from '../../src/top/chart.js';
import { resample, sparkline } from '../../src/top/sparkline.js';
import { headerLine, layoutColumns, nameWidthFor, rowLine, type TableRow } from '../../src/top/table.js';
import { cells, fit, spread } from '../../src/top/text.js';
import { liveInterface } from '../api/fixtures.js';

describe('sparkline', () => {
  it('maps zero to the lowest bar, any traffic to at least the second, the peak to the top', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([0, 1, 7], 3), '▁▂█');
    assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
  });

  it('right-aligns short history and leaves unknown samples blank', () => {
    assert.equal(sparkline([Number.NaN, 0, 2, 4], 6), '   ▁▅█');
    assert.equal(sparkline([], 4), '    ');
  });

  it('scales to a given maximum', () => {
    assert.equal(sparkline([1, 10], 2, 10), '▂█');
    assert.equal(sparkline([5], 1, 10), '▅');
  });

  it('squeezes long history by keeping each bucket’s peak', () => {
    assert.deepEqual(resample([1, 5, 2, 2, 9, 0], 3), [5, 2, 9]);
    assert.deepEqual(resample([Number.NaN, Number.NaN, 3, Number.NaN], 2), [Number.NaN, 3]);
    assert.equal(sparkline([0, 0, 0, 9, 0, 0], 3), '▁█▁');
  });
});

describe('utilization bar', () => {
  it('fills eighths of a cell and prints the percentage', () => {
    assert.equal(utilizationBar(0.45, 8), '███▋░░░░  45%');
    assert.equal(utilizationBar(0.4, 8), '███▎░░░░  40%');
    assert.equal(utilizationBar(0, 4), '░░░░   0%');
    assert.equal(utilizationBar(1, 4), '████ 100%');
  });

  it('shows more than 100% honestly with a full bar, and nothing when capacity is unknown', () => {
    assert.equal(utilizationBar(1.3, 4), '████ 130%');
    assert.equal(utilizationBar(null, 8), ' '.repeat(13));
  });
});

describe('text fitting', () => {
  it('pads or cuts to an exact width', () => {
    assert.equal(fit('abcdef', 4), 'abc…');
    assert.equal(fit('ab', 4, 'right'), '  ab');
    assert.equal(fit('ab', 4), 'ab  ');
    assert.equal(fit('▁▂', 2), '▁▂');
    assert.equal(cells('Σ▁█─'), 4);
  });

  it('spreads two texts across a line, dropping the right one when they do not fit', () => {
    assert.equal(spread('left', 'right', 12), 'left   right');
    assert.equal(spread('left', 'right', 9), 'left     ');
  });
});

describe('column layout', () => {
  const ids = (w: number): string[] => layoutColumns(w, 6).map((c) => c.id);

  it('shows every column and two sparklines sharing the rest on a wide terminal', () => {
    const cols = layoutColumns(160, 6);
    assert.deepEqual(cols.map((c) => c.id), ['name', 'state', 'rx', 'tx', 'rxpps', 'txpps', 'err', 'drop', 'util', 'start', 'boot', 'sparkRx', 'sparkTx']);
    // 98 cells of fixed columns and separators, 2 more separators, (160 - 100) / 2 = 30 each.
    assert.deepEqual(cols.slice(-2).map((c) => c.width), [30, 30]);
  });

  it('drops the least important columns first on narrower terminals', () => {
    assert.deepEqual(ids(100), ['name', 'state', 'rx', 'tx', 'rxpps', 'txpps', 'err', 'drop', 'util', 'sparkRx', 'sparkTx']);
    assert.deepEqual(ids(80), ['name', 'state', 'rx', 'tx', 'util', 'sparkRx', 'sparkTx']);
    assert.deepEqual(ids(60), ['name', 'state', 'rx', 'tx', 'util']);
    assert.deepEqual(ids(40), ['name', 'state', 'rx', 'tx']);
    assert.deepEqual(ids(30), ['name', 'rx', 'tx']);
    assert.deepEqual(ids(10), ['name', 'rx', 'tx']);
  });

  it('sizes IFACE to the longest name, 5 to 15 cells', () => {
    assert.equal(nameWidthFor(['lo']), 6);
    assert.equal(nameWidthFor(['lo', 'enp0s31f6']), 9);
    assert.equal(nameWidthFor(['a-very-long-interface']), 15);
  });

  it('marks the sorted column in the header', () => {
    const line = (...parts: string[]): string => parts.join(' ').padEnd(100);
    const cols = layoutColumns(100, 6);
    assert.equal(headerLine(cols, 'total', 100).slice(0, 82), line('IFACE ', 'STATE  ', '         RX', '         TX', ' RX PPS', ' TX PPS', ' ERR/s', ' DRP/s', 'UTIL         ').slice(0, 82));
    assert.equal(headerLine(cols, 'rx', 100).slice(0, 38), 'IFACE  STATE           RX▼          TX');
    assert.equal(headerLine(cols, 'name', 100).slice(0, 14), 'IFACE▼ STATE  ');
    assert.equal(headerLine(cols, 'packets', 100).slice(39, 55), 'RX PPS▼ TX PPS▼ ');
    assert.equal(headerLine(cols, 'errors', 100).slice(55, 69), 'ERR/s▼ DRP/s▼ ');
  });
});

describe('interface rows', () => {
  const eth0 = liveInterface('eth0', {
    speedBytesPerSecond: 125e6,
    utilization: { rx: 0.0123, tx: 0.4 },
    rates: { rxBytes: 1.5e6, txBytes: 2.5e5, rxPackets: 1200, txPackets: 300, rxErrors: 0, txErrors: 0, rxDrops: 0.5, txDrops: 0 },
    sinceStart: { rxBytes: 3e9, txBytes: 1e8, rxPackets: 0, txPackets: 0, errors: 0, drops: 0, since: '' },
  });
  const row: TableRow = { iface: eth0, rxSpark: [0, 1, 2, 3, 4, 5, 6, 7], txSpark: [] };

  it('is exactly as wide as the terminal, every value in its column', () => {
    const cols = layoutColumns(80, 6);
    const line = rowLine(cols, row, false, 80);
    assert.equal(cells(line), 80);
    assert.equal(line, ['eth0  ', 'up     ', '  1.50 MB/s', '   250 KB/s', '███▎░░░░  40%', '     ▁▂▃▄▅▆▇█', ' '.repeat(13)].join(' '));
    // Values end where their header ends (right-aligned numbers under right-aligned headers).
    const header = headerLine(cols, 'total', 80);
    assert.equal(header.indexOf('RX') + 2, line.indexOf('MB/s') + 4);
  });

  it('switches units by itself, and to bits with b', () => {
    const cols = layoutColumns(40, 6);
    const at = (rx: number, bits: boolean): string =>
      rowLine(cols, { ...row, iface: liveInterface('e', { rates: { rxBytes: rx, txBytes: 0 } }) }, bits, 40);
    const line = (rx: string, tx: string): string => ['e     ', 'up     ', rx.padStart(11), tx.padStart(11)].join(' ').padEnd(40);
    assert.equal(at(999, false), line('999 B/s', '0 B/s'));
    assert.equal(at(999.7, false), line('1.00 KB/s', '0 B/s'));
    assert.equal(at(12_345_678, false), line('12.3 MB/s', '0 B/s'));
    assert.equal(at(2.5e9, false), line('2.50 GB/s', '0 B/s'));
    assert.equal(at(1.5e6, true), line('12.0 Mbit/s', '0 bit/s'));
    assert.equal(cells(at(1.5e6, true)), 40);
  });

  it('shows "-" for rates before the second sample, and every wide column at 160', () => {
    const cols = layoutColumns(160, 6);
    const fresh = rowLine(cols, { iface: liveInterface('veth0', { operstate: 'lowerlayerdown', up: false }), rxSpark: [], txSpark: [] }, false, 160);
    const fixed = (...parts: string[]): string => parts.join(' ');
    assert.equal(fresh.slice(0, 98), fixed('veth0 ', 'lldown ', '          -', '          -', '      -', '      -', '     -', '     -', ' '.repeat(13), '    0 B', '    0 B'));
    const full = rowLine(cols, row, false, 160);
    assert.equal(full.slice(0, 98), fixed('eth0  ', 'up     ', '  1.50 MB/s', '   250 KB/s', '  1.20K', '    300', '     0', '  0.50', '███▎░░░░  40%', '3.10 GB', '    0 B'));
    assert.equal(full.slice(98), ` ${' '.repeat(22)}▁▂▃▄▅▆▇█ ${' '.repeat(30)}`);
    assert.equal(cells(full), 160);
  });
});

describe('mirrored chart', () => {
  it('draws receive up and transmit down from one axis, each to its own peak', () => {
    // Height 5: two rows above the axis (16 eighths), two below (4 halves).
    const c = mirrorChart([0, 4, 8], [8, 2, 0], 4, 5);
    // rx 4 of 8 → 8 eighths: the lower row full; 8 of 8 → both rows full. Leading blank: 3 values in 4 cells.
    assert.deepEqual(c.upper, ['   █', '  ██']);
    assert.equal(c.axis, '────');
    // tx 8 → 4 halves (two full rows); 2 of 8 → 1 half (▀ in the row nearest the axis).
    assert.deepEqual(c.lower, [' █▀ ', ' █  ']);
    assert.equal(c.rxMax, 8);
    assert.equal(c.txMax, 8);
  });

  it('keeps a trickle visible and an idle line empty', () => {
    const c = mirrorChart([0, 1, 1000], [0, 0, 0], 3, 3);
    assert.deepEqual(c.upper, [' ▁█']);
    assert.deepEqual(c.lower, ['   ']);
  });
});
