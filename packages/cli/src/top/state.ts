import type { Key } from './keys.js';
import { nextSort, type SortKey } from './sort.js';

export type Mode = 'list' | 'detail' | 'help';

export interface TopState {
  mode: Mode;
  sort: SortKey;
  bits: boolean;
  /** The applied name filter ('' = none). */
  filter: string;
  /** The filter being typed after `/`, or null when not typing. */
  draft: string | null;
  /** Identity of the selected row ("<section>/<name>"), kept across re-sorts. */
  selected: string | undefined;
  quit: boolean;
}

export function initialState(bits = false): TopState {
  return { mode: 'list', sort: 'total', bits, filter: '', draft: null, selected: undefined, quit: false };
}

function move(state: TopState, rows: readonly string[], delta: number): TopState {
  if (rows.length === 0) return state;
  const at = state.selected === undefined ? -1 : rows.indexOf(state.selected);
  const target = at < 0 ? (delta >= 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + delta));
  return { ...state, selected: rows[target] };
}

/**
 * The whole keyboard behaviour as one pure transition: `rows` are the visible rows' identities in
 * screen order, `page` how many fit on a screen. While typing a filter every printable key is
 * text (so `q` can be part of a name); Esc cancels, Enter applies.
 */
export function reduce(state: TopState, key: Key, rows: readonly string[], page = 10): TopState {
  if (key.name === 'ctrl-c') return { ...state, quit: true };
  if (state.draft !== null) {
    if (key.name === 'escape') return { ...state, draft: null };
    if (key.name === 'enter') return { ...state, filter: state.draft.trim(), draft: null, selected: undefined };
    if (key.name === 'backspace') return { ...state, draft: [...state.draft].slice(0, -1).join('') };
    if (key.name === 'char') return { ...state, draft: state.draft + key.ch };
    return state;
  }
  if (state.mode === 'help') {
    if (key.name === 'char' && key.ch === 'q') return { ...state, quit: true };
    return { ...state, mode: 'list' };
  }
  switch (key.name) {
    case 'up':
      return move(state, rows, -1);
    case 'down':
      return move(state, rows, 1);
    case 'pageup':
      return move(state, rows, -page);
    case 'pagedown':
      return move(state, rows, page);
    case 'home':
      return rows.length ? { ...state, selected: rows[0] } : state;
    case 'end':
      return rows.length ? { ...state, selected: rows[rows.length - 1] } : state;
    case 'enter':
      if (state.mode === 'detail') return { ...state, mode: 'list' };
      if (rows.length === 0) return state;
      return { ...move(state, rows, 0), mode: 'detail' };
    case 'escape':
      if (state.mode === 'detail') return { ...state, mode: 'list' };
      // Esc in the list clears an applied filter: the quickest way back to everything.
      return state.filter ? { ...state, filter: '' } : state;
    case 'char':
      switch (key.ch) {
        case 'q':
          return { ...state, quit: true };
        case 'k':
          return move(state, rows, -1);
        case 'j':
          return move(state, rows, 1);
        case 's':
          return { ...state, sort: nextSort(state.sort) };
        case 'b':
          return { ...state, bits: !state.bits };
        case '/':
          return { ...state, draft: '', mode: 'list' };
        case '?':
          return { ...state, mode: 'help' };
        default:
          return state;
      }
    default:
      return state;
  }
}

/**
 * In the list something is always selected, so enter works at once: the first row when nothing
 * is, or when the selected interface vanished or was filtered out. The detail view keeps its
 * interface even when gone, to say so.
 */
export function settleSelection(state: TopState, rows: readonly string[]): TopState {
  if (state.mode === 'detail') return state;
  if (state.selected !== undefined && rows.includes(state.selected)) return state;
  const first = rows[0];
  return first === state.selected ? state : { ...state, selected: first };
}
