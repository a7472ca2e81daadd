import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { createConsoleExporter, formatConsoleLines } from '../../src/export/console.js';
import { interfaceViews } from '../../src/pipeline/views.js';
import type { Pipeline, PipelineSnapshot } from '../../src/pipeline/pipeline.js';
import { silentLogger } from '../../src/log.js';
import { iface, rateSeries, snapshot } from '../views/fake-snapshot.js';

function lines(s: PipelineSnapshot): string[] {
  return formatConsoleLines(interfaceViews(s));
}

/** Just enough Pipeline for the exporter: snapshot events and latest(). */
class FakePipeline extends EventEmitter<{ snapshot: [PipelineSnapshot] }> {
  current: PipelineSnapshot | undefined;
  latest() {
    return this.current;
  }
  publish(s: PipelineSnapshot) {
    this.current = s;
    this.emit('snapshot', s);
  }
}

const busy = (seq: number, monotonicMs: number) =>
  snapshot([iface('eth0')], rateSeries('eth0', { rx: [1_210_000, 802, 0, 0], tx: [35_400, 120, 0, 0] }), seq, monotonicMs);

describe('console exporter', () => {
  it('prints one compact line per interface', () => {
    assert.deepEqual(lines(busy(2, 0)), ['eth0     up   rx 1.21 MB/s (802 pkt/s)  tx 35.4 KB/s (120 pkt/s)  err 0/0  drop 0/0']);
  });

  it('pads names and states across the batch, and shows errors and drops per second', () => {
    const s = snapshot(
      [iface('enp0s31f6', { operstate: 'up' }), iface('lo', { operstate: 'unknown', carrier: true }), iface('wlan0', { operstate: 'dormant' })],
      [
        ...rateSeries('enp0s31f6', { rx: [125_000_000, 83_000, 0.5, 2], tx: [0, 0, 0, 0] }),
        ...rateSeries('lo', { rx: [640, 8, 0, 0], tx: [640, 8, 0, 0] }),
        ...rateSeries('wlan0', { rx: [0, 0, 0, 0], tx: [0, 0, 0, 0] }),
      ],
    );
    assert.deepEqual(lines(s), [
      'enp0s31f6 up      rx 125 MB/s (83.0K pkt/s)  tx 0 B/s (0 pkt/s)  err 0.50/0  drop 2/0',
      'lo        up      rx 640 B/s (8 pkt/s)  tx 640 B/s (8 pkt/s)  err 0/0  drop 0/0',
      'wlan0     dormant rx 0 B/s (0 pkt/s)  tx 0 B/s (0 pkt/s)  err 0/0  drop 0/0',
    ]);
  });

  it('leaves out interfaces without rates yet', () => {
    assert.deepEqual(lines(snapshot([iface('eth0')], [])), []);
  });

  it('prints on snapshots at most once per interval, and the last unprinted one at shutdown', async () => {
    const pipeline = new FakePipeline();
    const out: string[] = [];
    const exporter = createConsoleExporter(pipeline as unknown as Pipeline, { intervalMs: 1000, write: (t) => out.push(t) }, silentLogger);
    await exporter.start();
    pipeline.publish(snapshot([iface('eth0')], [], 1, 0)); // no rates yet: nothing
    pipeline.publish(busy(2, 500)); // first with rates: printed
    pipeline.publish(busy(3, 1000)); // 500 ms later: too early
    pipeline.publish(busy(4, 1495)); // 995 ms: within the jitter slack
    pipeline.publish(busy(5, 2000)); // too early again
    assert.equal(out.length, 2);
    await exporter.shutdown();
    assert.equal(out.length, 3, 'flushes the unprinted latest snapshot');
    pipeline.publish(busy(6, 5000));
    assert.equal(out.length, 3, 'nothing after shutdown');
  });

  it('with top, prints only the busiest interfaces, busiest first', async () => {
    const pipeline = new FakePipeline();
    const out: string[] = [];
    const exporter = createConsoleExporter(pipeline as unknown as Pipeline, { intervalMs: 1000, top: 1, write: (t) => out.push(t) }, silentLogger);
    await exporter.start();
    pipeline.publish(
      snapshot([iface('a'), iface('b')], [...rateSeries('a', { rx: [1, 1, 0, 0], tx: [1, 1, 0, 0] }), ...rateSeries('b', { rx: [2000, 2, 0, 0], tx: [0, 0, 0, 0] })]),
    );
    await exporter.shutdown();
    assert.deepEqual(out, ['b        up   rx 2.00 KB/s (2 pkt/s)  tx 0 B/s (0 pkt/s)  err 0/0  drop 0/0\n']);
  });

  it('does not flush a snapshot it already printed', async () => {
    const pipeline = new FakePipeline();
    const out: string[] = [];
    const exporter = createConsoleExporter(pipeline as unknown as Pipeline, { intervalMs: 1000, write: (t) => out.push(t) }, silentLogger);
    await exporter.start();
    pipeline.publish(busy(2, 0));
    await exporter.shutdown();
    assert.equal(out.length, 1);
  });
});
