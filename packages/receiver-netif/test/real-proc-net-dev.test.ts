import assert from 'node:assert/strict';
import { createNamespace, createVethPair, deleteAllNamespaces, requireNetns, runReceiver, sendUdp } from './helpers/netns.js';
import type { VethPair } from './helpers/netns.js';

const COUNT = 25;
const PAYLOAD = 200;
const UDP_OVERHEAD = 42; // Ethernet 14 + IPv4 20 + UDP 8, counted by the veth on top of the payload

describe('NetifReceiver on a real /proc/net/dev with a veth pair @root', function () {
  let pair: VethPair;

  before(function () {
    requireNetns(this);
    const nsA = createNamespace();
    const nsB = createNamespace();
    pair = createVethPair(nsA, 'onr-va', nsB, 'onr-vb');
  });

  after(() => deleteAllNamespaces());

  it('lists lo and the veth end with exact counters for traffic the test sent, and real link metadata', () => {
    sendUdp(pair.a.ns, pair.b.ip, 9, COUNT, PAYLOAD);
    const a = runReceiver(pair.a.ns, '/');
    const b = runReceiver(pair.b.ns, '/');
    assert.deepEqual(a.sample.problems, []);
    assert.deepEqual(a.sample.interfaces.map((i) => i.name).sort(), ['lo', 'onr-va']);
    assert.deepEqual(b.sample.interfaces.map((i) => i.name).sort(), ['lo', 'onr-vb']);
    const va = a.sample.interfaces.find((i) => i.name === 'onr-va')!;
    const vb = b.sample.interfaces.find((i) => i.name === 'onr-vb')!;
    assert.equal(va.counters.txPackets, COUNT);
    assert.equal(va.counters.txBytes, COUNT * (PAYLOAD + UDP_OVERHEAD));
    assert.equal(vb.counters.rxPackets, COUNT);
    assert.equal(vb.counters.rxBytes, COUNT * (PAYLOAD + UDP_OVERHEAD));
    assert.equal(va.counters.txErrs + va.counters.txDrop + vb.counters.rxErrs + vb.counters.rxDrop, 0);
    // veth reports 10000 Mb/s and mtu 1500; both ends are up with carrier.
    for (const v of [va, vb]) assert.deepEqual(v.link, { operstate: 'up', carrier: true, speedBytesPerSecond: 10_000 * 125_000, mtu: 1500 });
    const lo = a.sample.interfaces.find((i) => i.name === 'lo')!;
    assert.equal(lo.link.operstate, 'unknown');
    assert.equal(lo.link.carrier, true);
    assert.equal(lo.link.speedBytesPerSecond, undefined, 'loopback speed is EINVAL, so absent');
  });
});
