import type { InterfaceCounters, ParsedInterface, ParseProblem, ProcNetDev } from '../types.js';

/** The kernel's column names, in the order /proc/net/dev prints them; metadata.yaml `source` uses these. */
export const COUNTER_COLUMNS = [
  'rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'rx_fifo', 'rx_frame', 'rx_compressed', 'rx_multicast',
  'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop', 'tx_fifo', 'tx_colls', 'tx_carrier', 'tx_compressed',
] as const;

export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

const COUNTER_KEYS: readonly (keyof InterfaceCounters)[] = [
  'rxBytes', 'rxPackets', 'rxErrs', 'rxDrop', 'rxFifo', 'rxFrame', 'rxCompressed', 'rxMulticast',
  'txBytes', 'txPackets', 'txErrs', 'txDrop', 'txFifo', 'txColls', 'txCarrier', 'txCompressed',
];

/** All sixteen InterfaceCounters keys, in column order. */
export const COUNTER_FIELDS: readonly (keyof InterfaceCounters)[] = COUNTER_KEYS;

/** The InterfaceCounters key for a kernel column name such as `rx_bytes`, or undefined. */
export function counterKeyForColumn(column: string): keyof InterfaceCounters | undefined {
  const i = (COUNTER_COLUMNS as readonly string[]).indexOf(column);
  return i === -1 ? undefined : COUNTER_KEYS[i];
}

const COUNTERS = 16;
// Above 15 digits v*10+d can round differently from the correctly rounded Number(): rounding must stay
// monotonic, or a counter past 2^53 could appear to decrease and fake a reset.
const EXACT_DIGITS = 15;
const EXCERPT = 40;

// Reused across calls: the parser is synchronous, so one scratch row is enough and saves an array per line.
const row = new Float64Array(COUNTERS);

function isSpace(c: number): boolean {
  // space, \t, \r (CRLF files), \v, \f
  return c === 32 || (c >= 9 && c <= 13);
}

function excerpt(s: string): string {
  const t = s.trim();
  return JSON.stringify(t.length > EXCERPT ? `${t.slice(0, EXCERPT)}…` : t);
}

/**
 * Parses /proc/net/dev text. Never throws: a line it cannot use becomes a ParseProblem and the other
 * interfaces are still returned. Written as a single index-walking pass (no split, no regex per line)
 * because it runs on every sample over files of thousands of lines.
 */
export function parseProcNetDev(text: string): ProcNetDev {
  const interfaces: ParsedInterface[] = [];
  const problems: ParseProblem[] = [];
  const len = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    lineNo++;
    if (lineNo <= 2) {
      const bar = text.indexOf('|', start);
      if (bar === -1 || bar >= end) {
        problems.push({ line: lineNo, message: `expected a header line containing "|", found ${excerpt(text.slice(start, end))}` });
      }
    } else {
      parseLine(text, start, end, lineNo, interfaces, problems);
    }
    start = end + 1;
  }
  return { interfaces, problems };
}

function parseLine(text: string, start: number, end: number, lineNo: number, out: ParsedInterface[], problems: ParseProblem[]): void {
  let p = start;
  while (p < end && isSpace(text.charCodeAt(p))) p++;
  if (p === end) return; // blank line, e.g. a trailing one

  // The LAST colon: the kernel prints "%6s:" so a wide counter can follow it directly, and a name
  // may itself contain colons (alias-style names in fixtures).
  const colon = text.lastIndexOf(':', end - 1);
  if (colon < start) {
    problems.push({ line: lineNo, message: `no ":" between interface name and counters in ${excerpt(text.slice(start, end))}` });
    return;
  }
  const name = text.slice(start, colon).trim();
  if (name === '') {
    problems.push({ line: lineNo, message: 'no interface name before ":"' });
    return;
  }

  let count = 0;
  p = colon + 1;
  while (count < COUNTERS) {
    while (p < end && isSpace(text.charCodeAt(p))) p++;
    if (p >= end) break;
    const tokenStart = p;
    let v = 0;
    let c = text.charCodeAt(p);
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++p >= end) break;
      c = text.charCodeAt(p);
    }
    if (p < end && !isSpace(c)) {
      while (p < end && !isSpace(text.charCodeAt(p))) p++;
      const token = text.slice(tokenStart, p);
      const what = /^-\d+$/.test(token) ? 'is negative' : 'is not a number';
      problems.push({ line: lineNo, message: `counter ${count + 1} (${COUNTER_COLUMNS[count]}) ${what}: ${excerpt(token)} (interface ${JSON.stringify(name)})` });
      return;
    }
    if (p - tokenStart > EXACT_DIGITS) v = Number(text.slice(tokenStart, p));
    row[count++] = v;
  }
  if (count < COUNTERS) {
    problems.push({ line: lineNo, message: `expected ${COUNTERS} counters, found ${count} (interface ${JSON.stringify(name)})` });
    return;
  }
  // Extra columns (a future kernel's additions) are ignored on purpose.
  out.push({ name, counters: rowCounters() });
}

function rowCounters(): InterfaceCounters {
  return {
    rxBytes: row[0]!, rxPackets: row[1]!, rxErrs: row[2]!, rxDrop: row[3]!,
    rxFifo: row[4]!, rxFrame: row[5]!, rxCompressed: row[6]!, rxMulticast: row[7]!,
    txBytes: row[8]!, txPackets: row[9]!, txErrs: row[10]!, txDrop: row[11]!,
    txFifo: row[12]!, txColls: row[13]!, txCarrier: row[14]!, txCompressed: row[15]!,
  };
}

function setRowCounters(c: InterfaceCounters): void {
  c.rxBytes = row[0]!; c.rxPackets = row[1]!; c.rxErrs = row[2]!; c.rxDrop = row[3]!;
  c.rxFifo = row[4]!; c.rxFrame = row[5]!; c.rxCompressed = row[6]!; c.rxMulticast = row[7]!;
  c.txBytes = row[8]!; c.txPackets = row[9]!; c.txErrs = row[10]!; c.txDrop = row[11]!;
  c.txFifo = row[12]!; c.txColls = row[13]!; c.txCarrier = row[14]!; c.txCompressed = row[15]!;
}

const COLON = 58;
const BAR = 124;
const NEWLINE = 10;
/** Lines compared in one piece at first, and at most (see takeUnchanged). */
const MIN_STRIDE = 8;
const MAX_STRIDE = 1024;

function isSpaceByte(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function utf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Where each interface line was in the last parse, and what it gave when it was a kernel line. */
interface LastLines {
  /** A copy of the file (in a buffer that may be longer than it). */
  bytes: Buffer;
  starts: number[];
  ends: number[];
  /** Undefined for a line the text parser took (it may carry a problem, reported every time). */
  parsed: (ParsedInterface | undefined)[];
  /**
   * For each line, the last line of the run of kernel lines it is in: lines one right after the
   * other, every one parsed in place. Such a run can be compared, and taken, in one piece.
   */
  runEnds: number[];
  /** Lines that were not the same as in the parse before. */
  changed: number;
  /** For each line, whether the parse after this one returned its object again (the line was unchanged). */
  carried: boolean[];
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * The same parse as parseProcNetDev(), straight from the file's bytes, for the sampling hot path:
 * no UTF-8 decode of the whole file and no name string per line. Each line the kernel could have
 * printed (ASCII name, 16 runs of digits) is parsed in place; any other line goes through the text
 * parser, decoded on its own, so results and problem messages are exactly those of
 * parseProcNetDev(Buffer.from(bytes).toString('utf8')) (a test checks this on arbitrary input).
 *
 * It also remembers the last parse. A line byte-for-byte the same as the line at the same place
 * last time (an idle interface: most of them on a node full of veths) gives the same
 * ParsedInterface object again, name and counters included, for the cost of a memcmp. A changed
 * line at the same place keeps at least its name string, so thousands of names are not
 * re-allocated (and re-hashed by every Map they are looked up in) on every sample.
 *
 * A returned object keeps its values through the next parse; the parse after that may write a
 * line's new values into it, when that line has the same name and changed in both (the object of
 * two parses ago, which the parse between did not return again). A caller that keeps a parse's
 * objects longer copies them, and after a parse it could not use calls forget(). Why: on a host
 * whose every interface carries traffic every line changes every sample, and a new pair of objects
 * per line lived a sample, long enough to be promoted to V8's old generation and wait there for a
 * full collection. 1000 veths with traffic, a sample and a scrape a second, side by side for 8
 * minutes: 1252 against 1596 ticks of CPU, VmRSS 60,480 against 60,652 kB (median from minute 2;
 * 59,836 against 60,416 in a 6-minute run before, 2026-12-06).
 */
export class ProcNetDevParser {
  private last: LastLines = emptyLines();
  /**
   * The lines of the parse before last, reused for the next (bytes and arrays: they were a third of
   * what a parse allocated), and the objects of its changed lines that the last parse did not carry.
   */
  private spare: LastLines = emptyLines();
  /** Lines the next unchanged run is first compared in: doubled while runs match, cut where one did not. */
  private stride = MIN_STRIDE;

  /**
   * Where to read the file for the next parse(bytes, true): the copy of the parse before last, which
   * nothing reads any more. Reading into it saves a copy of the file (~140 KB at 1000 interfaces).
   */
  spareBuffer(): Buffer {
    return this.spare.bytes;
  }

  /**
   * Forgets the last two parses: the next one compares no line and rewrites no object. For a caller
   * that did not take a parse's objects in place of the ones before (a sample it gave up on), and so
   * may still hold objects the next parse would otherwise rewrite.
   */
  forget(): void {
    this.last = emptyLines();
    this.spare = emptyLines();
  }

  /**
   * `owned`: the parser may keep `bytes`, and the rest of its ArrayBuffer after it, as its copy of
   * the file (they are spareBuffer(), or a buffer the caller made and lets go of), rather than copy them.
   */
  parse(bytes: Uint8Array, owned = false): ProcNetDev {
    const buf = asBuffer(bytes);
    const interfaces: ParsedInterface[] = [];
    const problems: ParseProblem[] = [];
    const last = this.last;
    const lastBytes = last.bytes;
    const next = this.spare;
    next.bytes = owned ? Buffer.from(buf.buffer, buf.byteOffset, buf.buffer.byteLength - buf.byteOffset) : this.copy(buf, next.bytes);
    let lines = 0;
    const len = buf.length;
    let start = 0;
    let lineNo = 0;
    let changed = 0;
    // Where most lines changed last time (a busy host), runs of unchanged lines are not looked for:
    // each miss would be one more comparison per line.
    const runs = last.changed * 4 <= last.parsed.length;
    while (start < len) {
      if (runs && lineNo >= 2) {
        // Lines unchanged since the last parse, in one comparison for many (see takeUnchanged).
        const taken = this.takeUnchanged(buf, start, interfaces, lines);
        if (taken > 0) {
          lines += taken;
          lineNo += taken;
          start = (next.ends[lines - 1] as number) + 1;
          continue;
        }
      }
      let end = buf.indexOf(NEWLINE, start);
      if (end === -1) end = len;
      lineNo++;
      if (lineNo <= 2) {
        const bar = buf.indexOf(BAR, start);
        if (bar === -1 || bar >= end) {
          problems.push({ line: lineNo, message: `expected a header line containing "|", found ${excerpt(utf8(buf, start, end))}` });
        }
      } else {
        const at = interfaces.length;
        const lastStart = last.starts[at] as number;
        const lastEnd = last.ends[at] as number;
        const same = last.parsed[at];
        let kernel = true;
        if (same !== undefined && lastEnd - lastStart === end - start && buf.compare(lastBytes, lastStart, lastEnd, start, end) === 0) {
          interfaces.push(same);
          last.carried[at] = true;
        } else {
          changed++;
          // Read before this line's entry in `next` (the same arrays) is written below.
          const before = next.carried[at] === false ? next.parsed[at] : undefined;
          if (!this.parseKernelLine(buf, start, end, same?.name, interfaces, before)) {
            kernel = false;
            const line = utf8(buf, start, end);
            parseLine(line, 0, line.length, lineNo, interfaces, problems);
          }
        }
        if (interfaces.length > at) {
          next.starts[lines] = start;
          next.ends[lines] = end;
          next.carried[lines] = false;
          next.parsed[lines++] = kernel ? interfaces[at] : undefined;
        }
      }
      start = end + 1;
    }
    // Entries past `lines` are from an older parse; cut, or a line there would match stale text.
    next.starts.length = next.ends.length = next.parsed.length = next.runEnds.length = next.carried.length = lines;
    next.changed = changed;
    for (let j = lines - 1; j >= 0; j--) {
      const joined = j + 1 < lines && next.parsed[j] !== undefined && next.parsed[j + 1] !== undefined && next.starts[j + 1] === (next.ends[j] as number) + 1;
      next.runEnds[j] = joined ? (next.runEnds[j + 1] as number) : j;
    }
    this.spare = last;
    this.last = next;
    return { interfaces, problems };
  }

  /**
   * Takes the lines from `start` on that are byte for byte the lines at the same place in the last
   * parse (shifted as a whole by lines that grew or shrank before them) and returns how many: on an
   * idle node most of the file. A run of them is compared in one memcmp instead of one per line
   * (a call into C++ each, and a search for its end of line): `stride` lines first, fewer down to
   * two when they differ; 0 leaves the next line to the line-by-line path.
   */
  private takeUnchanged(buf: Buffer, start: number, interfaces: ParsedInterface[], lines: number): number {
    const last = this.last;
    const at = interfaces.length;
    const parsed = last.parsed[at];
    if (parsed === undefined) return 0;
    const oldStart = last.starts[at] as number;
    const delta = start - oldStart;
    let count = Math.min(this.stride, (last.runEnds[at] as number) - at + 1);
    for (; count >= 2; count >>= 1) {
      const oldEnd = last.ends[at + count - 1] as number;
      const end = oldEnd + delta;
      if (end > buf.length || (end < buf.length && buf[end] !== NEWLINE)) continue;
      if (buf.compare(last.bytes, oldStart, oldEnd, start, end) !== 0) continue;
      const next = this.spare;
      for (let j = 0; j < count; j++) {
        const p = last.parsed[at + j] as ParsedInterface;
        interfaces.push(p);
        last.carried[at + j] = true;
        next.starts[lines + j] = (last.starts[at + j] as number) + delta;
        next.ends[lines + j] = (last.ends[at + j] as number) + delta;
        next.carried[lines + j] = false;
        next.parsed[lines + j] = p;
      }
      this.stride = Math.min(MAX_STRIDE, this.stride * 2);
      return count;
    }
    this.stride = MIN_STRIDE;
    return 0;
  }

  /** A copy of the file to compare the next one with, in `target` (the buffer the parse before last used) when it fits. */
  private copy(buf: Buffer, target: Buffer): Buffer {
    if (target.length < buf.length) target = Buffer.allocUnsafeSlow(Math.max(buf.length + (buf.length >> 3), 4096));
    buf.copy(target, 0, 0, buf.length);
    return target;
  }

  /**
   * A line as the kernel prints it: blank, or an ASCII name, ":", and at least 16 runs of digits
   * with no other ":" after the name. Returns false for anything else, without side effects.
   * `reusable`: an object no one may read any more (see the class comment), for a line of its name.
   */
  private parseKernelLine(bytes: Uint8Array, start: number, end: number, previousName: string | undefined, out: ParsedInterface[], reusable: ParsedInterface | undefined): boolean {
    let p = start;
    while (p < end && isSpaceByte(bytes[p] as number)) p++;
    if (p === end) return true; // blank line, e.g. a trailing one
    const nameStart = p;
    let c = 0;
    while (p < end && (c = bytes[p] as number) !== COLON) {
      if (c >= 0x80) return false;
      p++;
    }
    if (p === end) return false;
    const colon = p;
    let nameEnd = colon;
    while (nameEnd > nameStart && isSpaceByte(bytes[nameEnd - 1] as number)) nameEnd--;
    if (nameEnd === nameStart) return false;

    p = colon + 1;
    for (let count = 0; count < COUNTERS; count++) {
      while (p < end && isSpaceByte((c = bytes[p] as number))) p++;
      if (p === end || c < 48 || c > 57) return false;
      const tokenStart = p;
      let v = 0;
      do {
        v = v * 10 + (c - 48);
        if (++p === end) break;
        c = bytes[p] as number;
      } while (c >= 48 && c <= 57);
      if (p < end && !isSpaceByte(c)) return false;
      if (p - tokenStart > EXACT_DIGITS) v = Number(ascii(bytes, tokenStart, p));
      row[count] = v;
    }
    // The text parser splits at the LAST colon: one among extra columns would move the name.
    for (let q = p; q < end; q++) if (bytes[q] === COLON) return false;

    let name = previousName;
    const nameLength = nameEnd - nameStart;
    if (name === undefined || name.length !== nameLength) {
      name = ascii(bytes, nameStart, nameEnd);
    } else {
      for (let i = 0; i < nameLength; i++) {
        if (name.charCodeAt(i) !== bytes[nameStart + i]) {
          name = ascii(bytes, nameStart, nameEnd);
          break;
        }
      }
    }
    if (reusable !== undefined && reusable.name === name) {
      setRowCounters(reusable.counters);
      out.push(reusable);
    } else {
      out.push({ name, counters: rowCounters() });
    }
    return true;
  }
}

function emptyLines(): LastLines {
  return { bytes: Buffer.alloc(0), starts: [], ends: [], parsed: [], runEnds: [], changed: 0, carried: [] };
}
