import assert from 'node:assert/strict';
import { RecycledValuesError, RoundValues } from '@otel-netif/metadata';

describe('RoundValues', () => {
  it('hands out the arrays of the round before last, growing one only when it is too small', () => {
    const v = new RoundValues('test');
    const rounds = [1, 2, 3, 4].map(() => {
      v.begin();
      return v.take(0, 100);
    });
    assert.equal(rounds[2]?.buffer, rounds[0]?.buffer);
    assert.equal(rounds[3]?.buffer, rounds[1]?.buffer);
    assert.notEqual(rounds[1]?.buffer, rounds[0]?.buffer);
    assert.equal(rounds[0]?.length, 100);
    v.begin();
    assert.equal(v.take(0, 105).buffer, rounds[0]?.buffer, 'a few more within the headroom: the same memory');
    v.begin();
    v.begin();
    assert.notEqual(v.take(0, 1000).buffer, rounds[0]?.buffer, 'far more: a bigger array');
  });

  it('lets a round\'s values be read through the next round, and throws after', () => {
    const v = new RoundValues('producer-x');
    const round = v.begin();
    const values = v.take(0, 2);
    values.set([7, 8]);
    const columns = v.guard({ length: 2 }, round, values);
    v.begin();
    assert.deepEqual([...columns.values], [7, 8]);
    assert.ok(v.live(round));
    v.begin();
    assert.ok(!v.live(round));
    assert.throws(
      () => columns.values,
      (e: Error) => e instanceof RecycledValuesError && /^producer-x: values of round 1 were read in round 3/.test(e.message),
    );
    assert.ok(Object.keys(columns).includes('values'), 'enumerable, like the plain property it replaces');
  });
});
