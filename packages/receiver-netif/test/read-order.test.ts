import assert from 'node:assert/strict';
import { ReadOrder, type ReadOrderMember } from '../src/read-order.js';

interface Member extends ReadOrderMember {
  name: string;
}

const member = (name: string): Member => ({ name, olderRead: undefined, newerRead: undefined });

function names(order: ReadOrder<Member>): string[] {
  const out: string[] = [];
  for (let m = order.first(); m !== undefined; m = order.after(m)) out.push(m.name);
  return out;
}

describe('ReadOrder', () => {
  it('keeps members oldest read first; a member read again goes last, from anywhere in the list', () => {
    const order = new ReadOrder<Member>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(member) as [Member, Member, Member, Member];
    for (const m of [a, b, c, d]) order.moveToEnd(m);
    assert.deepEqual(names(order), ['a', 'b', 'c', 'd']);
    order.moveToEnd(b);
    assert.deepEqual(names(order), ['a', 'c', 'd', 'b']);
    order.moveToEnd(a);
    assert.deepEqual(names(order), ['c', 'd', 'b', 'a']);
    order.moveToEnd(a);
    assert.deepEqual(names(order), ['c', 'd', 'b', 'a'], 'the last one stays last');
  });

  it('removes members from the ends and the middle, ignores one not in it, and takes a removed one back', () => {
    const order = new ReadOrder<Member>();
    const [a, b, c] = ['a', 'b', 'c'].map(member) as [Member, Member, Member];
    for (const m of [a, b, c]) order.moveToEnd(m);
    order.remove(b);
    assert.deepEqual(names(order), ['a', 'c']);
    order.remove(b);
    order.remove(member('x'));
    assert.deepEqual(names(order), ['a', 'c']);
    order.remove(a);
    order.remove(c);
    assert.deepEqual(names(order), []);
    assert.equal(order.first(), undefined);
    order.moveToEnd(b);
    order.moveToEnd(a);
    assert.deepEqual(names(order), ['b', 'a']);
    assert.equal(a.newerRead, undefined);
    assert.equal(b.olderRead, undefined);
  });
});
