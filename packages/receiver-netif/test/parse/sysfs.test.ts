import assert from 'node:assert/strict';
import { linkUp, parseCarrier, parseLinkInfo, parseMtu, parseOperstate, parseSpeedBytesPerSecond } from '../../src/parse/sysfs.js';

describe('sysfs parsers', () => {
  it('operstate: trimmed text, empty is absent', () => {
    assert.equal(parseOperstate('up\n'), 'up');
    assert.equal(parseOperstate('  lowerlayerdown \n'), 'lowerlayerdown');
    assert.equal(parseOperstate('\n'), undefined);
    assert.equal(parseOperstate(''), undefined);
  });

  it('carrier: "1" and "0" only', () => {
    assert.equal(parseCarrier('1\n'), true);
    assert.equal(parseCarrier('0\n'), false);
    assert.equal(parseCarrier(''), undefined);
    assert.equal(parseCarrier('2\n'), undefined);
    assert.equal(parseCarrier('yes'), undefined);
  });

  it('speed: Mb/s to bytes/s; -1, 0, empty, non-numeric and unsigned -1 are absent', () => {
    assert.equal(parseSpeedBytesPerSecond('1000\n'), 125_000_000);
    assert.equal(parseSpeedBytesPerSecond('10\n'), 1_250_000);
    assert.equal(parseSpeedBytesPerSecond('400000\n'), 50_000_000_000);
    for (const bad of ['-1\n', '0\n', '', '\n', 'fast', '1e3', '10.5', '4294967295\n']) {
      assert.equal(parseSpeedBytesPerSecond(bad), undefined, JSON.stringify(bad));
    }
  });

  it('mtu: non-negative integer', () => {
    assert.equal(parseMtu('1500\n'), 1500);
    assert.equal(parseMtu('65536'), 65536);
    assert.equal(parseMtu('0'), 0);
    assert.equal(parseMtu('-3'), undefined);
    assert.equal(parseMtu(''), undefined);
    assert.equal(parseMtu('abc'), undefined);
  });

  it('parseLinkInfo leaves out every unknown field', () => {
    assert.deepEqual(parseLinkInfo({ operstate: 'up\n', carrier: '1\n', speed: '1000\n', mtu: '1500\n' }), {
      operstate: 'up', carrier: true, speedBytesPerSecond: 125_000_000, mtu: 1500,
    });
    assert.deepEqual(parseLinkInfo({ operstate: 'down\n', carrier: undefined, speed: '-1\n', mtu: 'x' }), { operstate: 'down' });
    assert.deepEqual(parseLinkInfo({}), {});
  });

  it('up: "up", or "unknown" with carrier (loopback, tun); absent without operstate', () => {
    assert.equal(linkUp({ operstate: 'up' }), 1);
    assert.equal(linkUp({ operstate: 'unknown', carrier: true }), 1);
    assert.equal(linkUp({ operstate: 'unknown', carrier: false }), 0);
    assert.equal(linkUp({ operstate: 'unknown' }), 0);
    assert.equal(linkUp({ operstate: 'down', carrier: true }), 0);
    assert.equal(linkUp({ operstate: 'dormant', carrier: true }), 0);
    assert.equal(linkUp({ carrier: true }), undefined);
  });
});
