import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMetadata } from '@otel-netif/metadata';
import { buildPlan, packagePlan } from '../src/metrics-plan.js';

const YAML = readFileSync(new URL('../metadata.yaml', import.meta.url), 'utf8');

describe('metrics plan (metadata.yaml → what the receiver emits)', () => {
  it('covers every metric in metadata.yaml, in order, with receive/transmit columns for sums', () => {
    const plan = packagePlan();
    const md = parseMetadata(YAML);
    assert.deepEqual(plan.metrics.map((m) => (m.kind === 'sum' ? m.sum.metric.name : m.gauge.metric.name)), Object.keys(md.metrics));
    assert.deepEqual(plan.directions, ['receive', 'transmit']);
    const io = plan.metrics.find((m) => m.kind === 'sum' && m.sum.metric.name === 'system.network.io');
    assert.ok(io?.kind === 'sum');
    assert.deepEqual(io.sum.directions, [
      { direction: 'receive', index: 0, counter: 'rxBytes' },
      { direction: 'transmit', index: 1, counter: 'txBytes' },
    ]);
  });

  it('rejects metadata the code cannot honour, naming every problem', () => {
    const bad = YAML.replace('source: { receive: rx_bytes, transmit: tx_bytes }', 'source: { receive: rx_bites, sideways: tx_bytes }').replace(
      'metrics:\n',
      'metrics:\n  system.network.interface.colour:\n    description: x\n    unit: ""\n    gauge: { value_type: int }\n    attributes: [network.interface.name]\n',
    );
    assert.throws(
      () => buildPlan(parseMetadata(bad), '1.0.0'),
      {
        message:
          'receiver-netif metadata.yaml: metrics.system.network.interface.colour: the receiver does not know how to compute this gauge; ' +
          'metrics.system.network.io.source.receive: "rx_bites" is not a /proc/net/dev column; ' +
          'metrics.system.network.io.source: "sideways" is not a network.io.direction value',
      },
    );
  });
});
