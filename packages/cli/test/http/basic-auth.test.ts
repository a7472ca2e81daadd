import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { BasicAuth } from '../../src/http/basic-auth.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('basic auth against bcrypt hashes', () => {
  const users = new Map([
    ['alice', bcrypt.hashSync('wonder:land', 4)],
    // htpasswd -B writes $2y$; it is the same algorithm.
    ['bob', bcrypt.hashSync('builder', 4).replace(/^\$2b\$/, '$2y$')],
  ]);
  const auth = new BasicAuth(users);

  it('accepts the right password, including one with a colon, and a $2y$ hash', async () => {
    assert.equal(await auth.check(basic('alice', 'wonder:land')), true);
    assert.equal(await auth.check(basic('bob', 'builder')), true);
    assert.equal(await auth.check(`basic   ${Buffer.from('bob:builder').toString('base64')}  `), true);
  });

  it('refuses a wrong password, an unknown user, another scheme and garbage', async () => {
    assert.equal(await auth.check(basic('alice', 'wonder')), false);
    assert.equal(await auth.check(basic('mallory', 'wonder:land')), false);
    assert.equal(await auth.check(undefined), false);
    assert.equal(await auth.check('Bearer abc'), false);
    assert.equal(await auth.check('Basic !!!'), false);
    assert.equal(await auth.check(`Basic ${Buffer.from('no-colon').toString('base64')}`), false);
  });

  it('answers a repeated scrape from its cache, without bcrypt', async () => {
    const slow = new BasicAuth(new Map([['p', bcrypt.hashSync('x', 10)]]));
    const t0 = performance.now();
    assert.equal(await slow.check(basic('p', 'x')), true);
    const first = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 50; i++) assert.equal(await slow.check(basic('p', 'x')), true);
    const fifty = performance.now() - t1;
    // Cost 10 takes tens of ms in JS; fifty cached checks take about nothing.
    assert.ok(fifty < first, `50 cached checks took ${fifty.toFixed(0)} ms, one bcrypt check ${first.toFixed(0)} ms`);
  });
});
