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
  out.push({
    name,
    counters: {
      rxBytes: row[0]!, rxPackets: row[1]!, rxErrs: row[2]!, rxDrop: row[3]!,
      rxFifo: row[4]!, rxFrame: row[5]!, rxCompressed: row[6]!, rxMulticast: row[7]!,
      txBytes: row[8]!, txPackets: row[9]!, txErrs: row[10]!, txDrop: row[11]!,
      txFifo: row[12]!, txColls: row[13]!, txCarrier: row[14]!, txCompressed: row[15]!,
    },
  });
}
