import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../../src/errors.js';
import { createEventEncoder, createEventsExporter } from '../../src/export/events.js';
import { silentLogger } from '../../src/log.js';
import type { Pipeline } from '../../src/pipeline/pipeline.js';
import { fakeSnapshot } from '../api/fixtures.js';

const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 250);

describe('event lines', () => {
  it('are exactly the documented JSON, one per moving interface, from the second sample on', () => {
    const enc = createEventEncoder('otel-netif@h1', false);
    assert.deepEqual(enc.encode(fakeSnapshot(1, T0, [{ name: 'eth0', counters: { rxBytes: 100 } }], 5000)), []);
    const lines = enc.encode(fakeSnapshot(2, T0 + 1000, [
      { name: 'eth0', counters: { rxBytes: 2100, rxPackets: 3, txBytes: 70, txPackets: 1, rxMulticast: 2 }, rx: { bytes: 2000, packets: 3 }, tx: { bytes: 70 / 1.001, packets: 1 } },
      { name: 'lo', rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } },
    ], 6001.4));
    assert.equal(lines.length, 1);
    assert.equal(
      JSON.stringify(lines[0]),
      '{"eid":1714979290250000,"sensor":"otel-netif@h1","listener":"eth0","data":{"action":"sample","sample":{"iface":"eth0","interval_ms":1001,' +
        '"rx_bytes_per_sec":2000,"tx_bytes_per_sec":69.93,"rx_packets_per_sec":3,"tx_packets_per_sec":1,"counters":{' +
        '"rx_bytes":2100,"rx_packets":3,"rx_errs":0,"rx_drop":0,"rx_fifo":0,"rx_frame":0,"rx_compressed":0,"rx_multicast":2,' +
        '"tx_bytes":70,"tx_packets":1,"tx_errs":0,"tx_drop":0,"tx_fifo":0,"tx_colls":0,"tx_carrier":0,"tx_compressed":0}}}}',
    );
  });

  it('include idle interfaces with --events-all, with increasing eids', () => {
    const enc = createEventEncoder('s', true);
    enc.encode(fakeSnapshot(1, T0, [{ name: 'a' }, { name: 'b' }]));
    const idle = { rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } };
    const lines = enc.encode(fakeSnapshot(2, T0 + 1000, [{ name: 'a', ...idle }, { name: 'b', ...idle }]));
    assert.deepEqual(lines.map((l) => [l.listener, l.eid]), [['a', (T0 + 1000) * 1000], ['b', (T0 + 1000) * 1000 + 1]]);
  });

  it('never repeat or go back in eid, even when the wall clock does', () => {
    const enc = createEventEncoder('s', true);
    const idle = { rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } };
    enc.encode(fakeSnapshot(1, T0, [{ name: 'a' }]));
    const first = enc.encode(fakeSnapshot(2, T0 + 1000, [{ name: 'a', ...idle }]))[0]?.eid ?? 0;
    const back = enc.encode(fakeSnapshot(3, T0 - 60_000, [{ name: 'a', ...idle }]))[0]?.eid ?? 0;
    assert.equal(back, first + 1);
  });

  it('skip an interface seen for the first time (no rate yet)', () => {
    const enc = createEventEncoder('s', true);
    enc.encode(fakeSnapshot(1, T0, [{ name: 'a' }]));
    const lines = enc.encode(fakeSnapshot(2, T0 + 1000, [{ name: 'a', rx: { bytes: 1, packets: 1 }, tx: { bytes: 0, packets: 0 } }, { name: 'new0' }]));
    assert.deepEqual(lines.map((l) => l.listener), ['a']);
  });
});

describe('events exporter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'onx-events-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Only 'snapshot' events matter to the exporter; an emitter stands in for the pipeline. */
  const fakePipeline = (): Pipeline & EventEmitter => new EventEmitter() as unknown as Pipeline & EventEmitter;

  it('appends whole lines to --events-file and stops listening at shutdown', async () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, 'earlier\n');
    const pipeline = fakePipeline();
    const exporter = createEventsExporter(pipeline, { file, host: 'h' }, silentLogger);
    await exporter.start();
    (pipeline as EventEmitter).emit('snapshot', fakeSnapshot(1, T0, [{ name: 'eth0' }]));
    (pipeline as EventEmitter).emit('snapshot', fakeSnapshot(2, T0 + 1000, [{ name: 'eth0', rx: { bytes: 1, packets: 1 }, tx: { bytes: 2, packets: 1 } }]));
    await exporter.shutdown();
    (pipeline as EventEmitter).emit('snapshot', fakeSnapshot(3, T0 + 2000, [{ name: 'eth0', rx: { bytes: 1, packets: 1 }, tx: { bytes: 2, packets: 1 } }]));
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[0], 'earlier');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    const ev = JSON.parse(lines[1] as string) as { sensor: string; listener: string; data: { action: string; sample: { tx_bytes_per_sec: number } } };
    assert.equal(ev.sensor, 'otel-netif@h');
    assert.equal(ev.listener, 'eth0');
    assert.equal(ev.data.action, 'sample');
    assert.equal(ev.data.sample.tx_bytes_per_sec, 2);
  });

  it('fails to start with one clear line when the file cannot be opened', async () => {
    const exporter = createEventsExporter(fakePipeline(), { file: join(dir, 'no', 'such', 'dir', 'e.jsonl') }, silentLogger);
    await assert.rejects(exporter.start(), (err: unknown) => err instanceof StartupError && /^cannot open --events-file .*e\.jsonl: ENOENT$/.test(err.message));
  });

  it('writes to the given sink in sample order', async () => {
    const out: string[] = [];
    const pipeline = fakePipeline();
    const exporter = createEventsExporter(pipeline, { write: (t) => out.push(t), all: true, host: 'h' }, silentLogger);
    await exporter.start();
    const idle = { rx: { bytes: 0, packets: 0 }, tx: { bytes: 0, packets: 0 } };
    for (let i = 1; i <= 3; i++) (pipeline as EventEmitter).emit('snapshot', fakeSnapshot(i, T0 + i * 1000, [{ name: 'a', ...idle }, { name: 'b', ...idle }]));
    await exporter.shutdown();
    assert.equal(out.length, 2);
    const eids = out.join('').trim().split('\n').map((l) => (JSON.parse(l) as { eid: number }).eid);
    assert.deepEqual(eids, [...eids].sort((x, y) => x - y));
    assert.equal(new Set(eids).size, 4);
  });
});
