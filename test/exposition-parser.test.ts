// The e2e tests read the agent through this parser; a lenient parser would hide a broken
// exposition, so it is tested to reject what Prometheus rejects.
import assert from 'node:assert/strict';
import { findSample, findSamples, parseExposition, parseProcNetDev } from '../test-support/index.js';

describe('test-support: Prometheus text parser', () => {
  it('reads names, labels with escapes, values, timestamps, HELP and TYPE', () => {
    const e = parseExposition([
      '# HELP system_network_io_bytes_total Bytes received or transmitted.',
      '# TYPE system_network_io_bytes_total counter',
      'system_network_io_bytes_total{network_interface_name="eth0",network_io_direction="receive"} 98765432109',
      'system_network_io_bytes_total{network_interface_name="we\\"ird\\\\n\\n",network_io_direction="transmit"} 1.5e3 1700000000000',
      'target_info{host_name="h"} 1',
      'no_labels NaN',
      'inf_value{a="b",} +Inf',
      '',
    ].join('\n'));
    assert.equal(e.types.get('system_network_io_bytes_total'), 'counter');
    assert.equal(e.help.get('system_network_io_bytes_total'), 'Bytes received or transmitted.');
    assert.equal(findSample(e, 'system_network_io_bytes_total', { network_io_direction: 'receive' })?.value, 98765432109);
    const weird = findSample(e, 'system_network_io_bytes_total', { network_io_direction: 'transmit' });
    assert.equal(weird?.labels.network_interface_name, 'we"ird\\n\n');
    assert.equal(weird?.value, 1500);
    assert.equal(weird?.timestampMs, 1700000000000);
    assert.ok(Number.isNaN(findSample(e, 'no_labels')?.value));
    assert.equal(findSample(e, 'inf_value')?.value, Infinity);
    assert.equal(findSamples(e, 'system_network_io_bytes_total').length, 2);
    assert.throws(() => findSample(e, 'system_network_io_bytes_total'), /2 samples match/);
  });

  for (const bad of [
    'metric{a="b"',
    'metric{a=b} 1',
    'metric{a="b"} ',
    'metric{a="b"} one',
    'metric{a="b",a="c"} 1',
    '1metric 1',
    'metric{a="\\t"} 1',
    'metric 1 2 3',
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseExposition(bad));
    });
  }
});

describe('test-support: /proc/net/dev parser', () => {
  it('reads all sixteen columns, including names without a leading space and values past 2^32', () => {
    const m = parseProcNetDev([
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      'docker0: 5000000000 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16',
      '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
    ].join('\n'));
    assert.deepEqual([...m.keys()], ['docker0', 'lo']);
    const d = m.get('docker0');
    assert.equal(d?.rxBytes, 5_000_000_000);
    assert.equal(d?.rxMulticast, 8);
    assert.equal(d?.txBytes, 9);
    assert.equal(d?.txCompressed, 16);
  });

  it('rejects a short line rather than misreading columns', () => {
    assert.throws(() => parseProcNetDev('h\nh\neth0: 1 2 3\n'), /unexpected/);
  });
});
