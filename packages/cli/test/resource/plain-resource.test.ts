import assert from 'node:assert/strict';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { plainResource } from '../../src/plain-resource.js';

describe('plainResource', () => {
  it('behaves like the SDK resource for the same attributes', async () => {
    const attrs = { 'service.name': 'otel-netif', 'host.name': 'h1' };
    const ours = plainResource(attrs);
    const sdk = resourceFromAttributes(attrs);
    assert.deepEqual(ours.attributes, sdk.attributes);
    assert.deepEqual(ours.getRawAttributes(), sdk.getRawAttributes());
    assert.equal(ours.asyncAttributesPending, false);
    await ours.waitForAsyncAttributes?.();
    const other = resourceFromAttributes({ 'host.name': 'h2', 'k8s.node.name': 'n' });
    assert.deepEqual(ours.merge(other).attributes, sdk.merge(other).attributes);
    assert.deepEqual(ours.merge(null).attributes, sdk.attributes);
  });

  it('cannot be changed through the object it was built from', () => {
    const attrs: Record<string, string> = { a: '1' };
    const r = plainResource(attrs);
    attrs.a = '2';
    assert.equal(r.attributes.a, '1');
  });
});
