import assert from 'node:assert/strict';
import { attributesKey } from '../src/series-key.js';

describe('attributesKey', () => {
  it('does not depend on attribute order', () => {
    assert.equal(attributesKey({ b: '2', a: '1', c: 3 }), attributesKey({ c: 3, a: '1', b: '2' }));
  });

  it('tells apart what a naive join would confuse', () => {
    const keys = [
      attributesKey({ a: '1' }),
      attributesKey({ a: 1 }),
      attributesKey({ a: 11 }),
      attributesKey({ a: true }),
      attributesKey({ a: 'true' }),
      attributesKey({ a: ['1'] }),
      attributesKey({ a: '1', b: '2' }),
      attributesKey({ a: '1b2:s1:2' }),
      attributesKey({ a: '1', b: 2 }),
      attributesKey({ 'a1:b': '2' }),
      attributesKey({ ab: '12' }),
      attributesKey({ a: '' }),
      attributesKey({}),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  it('treats an undefined value as an absent attribute', () => {
    assert.equal(attributesKey({ a: '1', b: undefined }), attributesKey({ a: '1' }));
  });

  it('gives the key of the set with one attribute replaced, leaving the attributes alone', () => {
    const attrs = { dir: 'rx', name: 'eth0' };
    assert.equal(attributesKey(attrs, 'name', 'other'), attributesKey({ name: 'other', dir: 'rx' }));
    assert.notEqual(attributesKey(attrs, 'name', 'other'), attributesKey(attrs));
    assert.deepEqual(attrs, { dir: 'rx', name: 'eth0' });
  });
});
