import assert from 'node:assert/strict';
import { parseKeys, type Key } from '../../src/top/keys.js';
import { initialState, reduce, settleSelection, type TopState } from '../../src/top/state.js';

const names = (chunk: string): string[] => parseKeys(chunk).map((k) => (k.name === 'char' ? k.ch : k.name));

describe('parseKeys', () => {
  it('reads arrows in both cursor modes, paging keys, enter, esc, backspace, Ctrl-C', () => {
    assert.deepEqual(names('\x1b[A\x1b[B\x1bOA\x1bOB'), ['up', 'down', 'up', 'down']);
    assert.deepEqual(names('\x1b[5~\x1b[6~\x1b[H\x1b[F'), ['pageup', 'pagedown', 'home', 'end']);
    assert.deepEqual(names('\r\n\x7f\b\x03\t'), ['enter', 'enter', 'backspace', 'backspace', 'ctrl-c', 'tab']);
    assert.deepEqual(names('\x1b'), ['escape']);
  });

  it('splits a chunk holding several keys, as pasted text or tmux send-keys deliver them', () => {
    assert.deepEqual(names('/eth0\r'), ['/', 'e', 't', 'h', '0', 'enter']);
    assert.deepEqual(names('j\x1b[Bk'), ['j', 'down', 'k']);
  });

  it('skips sequences it does not know instead of typing them, and keeps non-ASCII characters whole', () => {
    assert.deepEqual(names('\x1b[15~q'), ['q']);
    assert.deepEqual(names('\x1b[1;5Cx'), ['x']);
    assert.deepEqual(names('é😀'), ['é', '😀']);
  });
});

function press(state: TopState, chunk: string, rows: string[] = ['l/a', 'l/b', 'l/c']): TopState {
  return parseKeys(chunk).reduce((s: TopState, k: Key) => reduce(s, k, rows, 2), state);
}

describe('key state machine', () => {
  const start = settleSelection(initialState(), ['l/a', 'l/b', 'l/c']);

  it('selects the first row, and moves with arrows, j/k, pages and home/end, staying in bounds', () => {
    assert.equal(start.selected, 'l/a');
    assert.equal(press(start, 'j').selected, 'l/b');
    assert.equal(press(start, 'jjjj').selected, 'l/c');
    assert.equal(press(start, 'k').selected, 'l/a');
    assert.equal(press(start, '\x1b[B\x1b[B\x1b[A').selected, 'l/b');
    assert.equal(press(start, '\x1b[6~').selected, 'l/c');
    assert.equal(press(start, '\x1b[F\x1b[H').selected, 'l/a');
  });

  it('keeps the selected interface, not the position, when rows reorder', () => {
    const s = press(start, 'j');
    assert.equal(press(s, 'j', ['l/c', 'l/b', 'l/a']).selected, 'l/a');
  });

  it('cycles the sort with s and toggles bits with b', () => {
    const sorts = [];
    let s = start;
    for (let i = 0; i < 7; i++) {
      sorts.push(s.sort);
      s = press(s, 's');
    }
    assert.deepEqual(sorts, ['total', 'rx', 'tx', 'packets', 'errors', 'name', 'total']);
    assert.equal(press(start, 'b').bits, true);
    assert.equal(press(start, 'bb').bits, false);
  });

  it('types a filter after /, where q is a letter; enter applies, esc cancels, esc again clears', () => {
    const typing = press(start, '/veqx\x7f');
    assert.equal(typing.draft, 'veq');
    assert.equal(typing.quit, false);
    assert.equal(typing.filter, '');
    const applied = press(typing, '\r');
    assert.deepEqual([applied.filter, applied.draft], ['veq', null]);
    const cancelled = press(applied, '/zz\x1b');
    assert.deepEqual([cancelled.filter, cancelled.draft], ['veq', null]);
    assert.equal(press(cancelled, '\x1b').filter, '');
    assert.equal(press(start, '/  eth \r').filter, 'eth');
  });

  it('opens the detail pane with enter and leaves it with enter or esc', () => {
    const d = press(start, 'j\r');
    assert.deepEqual([d.mode, d.selected], ['detail', 'l/b']);
    assert.equal(press(d, '\r').mode, 'list');
    assert.equal(press(d, '\x1b').mode, 'list');
    assert.equal(press(initialState(), '\r', []).mode, 'list');
  });

  it('shows help with ? and closes it with any key; q quits from anywhere but the filter', () => {
    const h = press(start, '?');
    assert.equal(h.mode, 'help');
    assert.equal(press(h, 'x').mode, 'list');
    assert.equal(press(h, 'q').quit, true);
    assert.equal(press(start, 'q').quit, true);
    assert.equal(press(press(start, '\r'), 'q').quit, true);
    assert.equal(press(start, '/q').quit, false);
    assert.equal(press(start, '/\x03').quit, true);
  });

  it('moves the selection off a row that vanished, except in the detail pane', () => {
    const s = press(start, 'jj');
    assert.equal(settleSelection(s, ['l/a', 'l/b']).selected, 'l/a');
    const d = press(s, '\r');
    assert.equal(settleSelection(d, ['l/a']).selected, 'l/c');
    assert.equal(settleSelection(initialState(), []).selected, undefined);
  });
});
