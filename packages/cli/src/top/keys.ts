export type Key =
  | { name: 'up' | 'down' | 'pageup' | 'pagedown' | 'home' | 'end' | 'enter' | 'escape' | 'backspace' | 'ctrl-c' | 'tab' }
  | { name: 'char'; ch: string };

const SEQUENCES: ReadonlyArray<[string, Key]> = [
  ['\x1b[A', { name: 'up' }],
  ['\x1bOA', { name: 'up' }],
  ['\x1b[B', { name: 'down' }],
  ['\x1bOB', { name: 'down' }],
  ['\x1b[5~', { name: 'pageup' }],
  ['\x1b[6~', { name: 'pagedown' }],
  ['\x1b[H', { name: 'home' }],
  ['\x1bOH', { name: 'home' }],
  ['\x1b[1~', { name: 'home' }],
  ['\x1b[F', { name: 'end' }],
  ['\x1bOF', { name: 'end' }],
  ['\x1b[4~', { name: 'end' }],
];

/**
 * Raw-mode stdin bytes to keys. One chunk may hold several keys (pasted text, tmux send-keys),
 * so it is consumed left to right. An escape not starting a known sequence is the Esc key;
 * unknown sequences (F-keys, mouse) are skipped whole rather than typed into the filter.
 */
export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  outer: while (i < chunk.length) {
    const c = chunk[i] as string;
    if (c === '\x1b') {
      for (const [seq, key] of SEQUENCES) {
        if (chunk.startsWith(seq, i)) {
          keys.push(key);
          i += seq.length;
          continue outer;
        }
      }
      const csi = /^\x1b[[O][0-9;]*[A-Za-z~]/.exec(chunk.slice(i));
      if (csi) {
        i += csi[0].length;
        continue;
      }
      keys.push({ name: 'escape' });
      i++;
      continue;
    }
    i++;
    if (c === '\r' || c === '\n') keys.push({ name: 'enter' });
    else if (c === '\x7f' || c === '\b') keys.push({ name: 'backspace' });
    else if (c === '\x03') keys.push({ name: 'ctrl-c' });
    else if (c === '\t') keys.push({ name: 'tab' });
    else if (c >= ' ') {
      // Surrogate pairs stay one character.
      const cp = chunk.codePointAt(i - 1) as number;
      const ch = String.fromCodePoint(cp);
      if (ch.length === 2) i++;
      keys.push({ name: 'char', ch });
    }
  }
  return keys;
}
