import assert from 'node:assert/strict';
import { FilterError } from '../src/errors.js';
import { compileInterfaceFilter, validateGlob } from '../src/filter.js';

function matching(include: string[], exclude: string[], names: string[]): string[] {
  const f = compileInterfaceFilter(include, exclude);
  return names.filter(f);
}

const NAMES = ['lo', 'eth0', 'eth1', 'eth10', 'eth0.100', 'docker0', 'veth1a2b', 'vethz', 'wlan:0', 'wlän0', 'br-abc', 'a*b', 'x]'];

describe('compileInterfaceFilter', () => {
  it('keeps everything with no globs', () => {
    assert.deepEqual(matching([], [], NAMES), NAMES);
  });

  it('matches "*" and "?" on whole names, "?" being one character even when it is not ASCII', () => {
    assert.deepEqual(matching(['eth*'], [], NAMES), ['eth0', 'eth1', 'eth10', 'eth0.100']);
    assert.deepEqual(matching(['eth?'], [], NAMES), ['eth0', 'eth1']);
    assert.deepEqual(matching(['wl?n0'], [], NAMES), ['wlän0']);
    assert.deepEqual(matching(['*0'], [], NAMES), ['eth0', 'eth10', 'eth0.100', 'docker0', 'wlan:0', 'wlän0']);
  });

  it('treats regex metacharacters in globs literally', () => {
    assert.deepEqual(matching(['eth0.100'], [], ['eth0.100', 'eth0x100']), ['eth0.100']);
    assert.deepEqual(matching(['br-*'], [], NAMES), ['br-abc']);
    assert.deepEqual(matching(['wlan:?'], [], NAMES), ['wlan:0']);
    assert.deepEqual(matching(['a\\*b'], [], ['a*b', 'axb']), ['a*b']);
  });

  it('supports [abc], [a-z], [!x] and [^x] classes, and "]" first in a class as a literal', () => {
    assert.deepEqual(matching(['eth[01]'], [], NAMES), ['eth0', 'eth1']);
    assert.deepEqual(matching(['veth[0-9]*'], [], NAMES), ['veth1a2b']);
    assert.deepEqual(matching(['veth[!0-9]*'], [], NAMES), ['vethz']);
    assert.deepEqual(matching(['veth[^0-9]*'], [], NAMES), ['vethz']);
    assert.deepEqual(matching(['x[]]'], [], NAMES), ['x]']);
    assert.deepEqual(matching(['eth[0-]'], [], ['eth0', 'eth-', 'eth1']), ['eth0', 'eth-']);
  });

  it('lets exclude win over include', () => {
    assert.deepEqual(matching(['eth*', 'docker0'], ['eth1*'], NAMES), ['eth0', 'eth0.100', 'docker0']);
    assert.deepEqual(matching([], ['lo', 'veth*', 'docker*'], NAMES), ['eth0', 'eth1', 'eth10', 'eth0.100', 'wlan:0', 'wlän0', 'br-abc', 'a*b', 'x]']);
    assert.deepEqual(matching(['lo'], ['lo'], NAMES), []);
  });

  it('throws one FilterError listing every bad glob, include and exclude', () => {
    assert.throws(
      () => compileInterfaceFilter(['eth[', 'ok*', ''], ['veth[z-a]', 'x\\', 'eth0 ']),
      (err: unknown) => {
        assert.ok(err instanceof FilterError);
        assert.equal(err.name, 'FilterError');
        assert.deepEqual(err.problems, [
          '--include "eth[": unclosed "[" in glob',
          '--include "": empty glob',
          '--exclude "veth[z-a]": reversed range "z-a" in glob',
          '--exclude "x\\\\": trailing "\\" in glob',
          '--exclude "eth0 ": whitespace in glob (interface names never contain whitespace)',
        ]);
        assert.equal(err.message, err.problems.join('; '));
        return true;
      },
    );
  });
});

describe('validateGlob', () => {
  it('returns undefined for good globs and the problem text for bad ones', () => {
    for (const good of ['eth0', '*', '?', 'veth*', '[abc]', '[a-z]*', '[!x]', '[]]', 'a\\[b']) assert.equal(validateGlob(good), undefined, good);
    assert.equal(validateGlob('eth['), 'unclosed "[" in glob');
    assert.equal(validateGlob('[!]'), 'unclosed "[" in glob');
    assert.equal(validateGlob(''), 'empty glob');
    assert.equal(validateGlob('[9-0]'), 'reversed range "9-0" in glob');
  });
});
