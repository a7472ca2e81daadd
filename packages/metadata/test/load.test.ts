import assert from 'node:assert/strict';
import { MetadataError, loadMetadata, parseMetadata } from '@otel-netif/metadata';

describe('parseMetadata', () => {
  it('reads a sum and a gauge with their attributes', () => {
    const md = parseMetadata(`
type: t
scope: { name: s }
attributes:
  a: { description: d, type: string }
metrics:
  m.sum: { description: x, unit: By, sum: { value_type: int, monotonic: true }, attributes: [a], source: { receive: rx_bytes } }
  m.gauge: { description: y, unit: "1", gauge: { value_type: double }, attributes: [a], from: m.sum }
`);
    assert.equal(md.scopeName, 's');
    assert.deepEqual(md.metrics['m.sum'], {
      name: 'm.sum', description: 'x', unit: 'By', kind: 'sum', valueType: 'int', monotonic: true,
      attributes: ['a'], source: { receive: 'rx_bytes' },
    });
    assert.equal(md.metrics['m.gauge']?.kind, 'gauge');
    assert.equal(md.metrics['m.gauge']?.monotonic, false);
    assert.equal(md.metrics['m.gauge']?.from, 'm.sum');
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => parseMetadata(`
scope: {}
attributes: {}
metrics:
  a: { description: d, unit: By, attributes: [x] }
  b: { unit: 3, gauge: { value_type: int }, attributes: [nope] }
`, 'bad.yaml'),
      (err: unknown) => {
        assert.ok(err instanceof MetadataError);
        assert.deepEqual(err.problems, [
          'type: must be a string',
          'scope.name: must be a string',
          'metrics.a: needs a sum or gauge section',
          'metrics.b.attributes: nope is not declared under attributes',
          'metrics.b.unit: must be a string ("" for none)',
          'metrics.b.description: must be a string',
        ]);
        return true;
      },
    );
  });

  for (const pkg of ['receiver-netif', 'processor-rate']) {
    it(`loads packages/${pkg}/metadata.yaml`, () => {
      const md = loadMetadata(new URL(`../../${pkg}/metadata.yaml`, import.meta.url));
      assert.ok(Object.keys(md.metrics).length >= 5);
      for (const m of Object.values(md.metrics)) assert.ok(m.description.length > 10, `${m.name} has a description`);
    });
  }
});
