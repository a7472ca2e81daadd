import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { GaugeMetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { pointColumns, pointCount } from '@otel-netif/metadata';
import type { EncodeOptions, PromType } from './encode.js';
import { familyHeader, familyOf, labelPairs, targetInfo } from './encode.js';
import { formatSampleValue } from './text-format.js';
import type { BodyPool } from './body-pool.js';
import type { Body, Chunk } from './body.js';
import { chunkOf } from './body.js';
import { inflatePiece, type Piece } from './piece.js';

/** What an encode wrote for one metric of a family: per point, its series, value and where its line went. */
interface Slot {
  /** The metric's descriptor: another one at this place in the family means nothing can be reused. */
  descriptor: object;
  length: number;
  /**
   * The metric's own attributes array, not a copy: producers never write into an array they
   * handed out (the receiver's and processor's share one per layout across metrics and rounds).
   */
  attributes: readonly Attributes[];
  values: Float64Array;
  /** Where each point's line starts in the body; starts[length] is where the last one ends (a body is far below 4 GB). */
  starts: Uint32Array;
}

interface FamilyState {
  header: Buffer;
  headerText: string;
  nameBytes: Buffer;
  /** Where the previous body has the header (-1: not in it). */
  headerAt: number;
  /**
   * What the previous encode wrote, per metric of the family. The next encode rewrites each in
   * place, reading a point's old value and offsets before it writes the new ones: a spare set of
   * arrays per metric to write into was 0.25 MB at 1000 interfaces. So an encode that fails half
   * way leaves them describing no body, and the writer then starts afresh (see encode()).
   */
  slots: Slot[];
}

// `{labels} ` (or a lone space) by attributes object, for every family: the receiver and processor
// share one attributes object per series and direction across metrics, so this is a few entries per
// interface rather than one per line. The encoder already treats attributes as immutable.
const labelBytes = new WeakMap<Attributes, Uint8Array>();

// The labels of every point of an attributes array, by the array: the receiver's eight counter sums
// share one, so this is one array of references where a copy per metric and per encode was
// megabytes at 4000 interfaces.
const labelArrays = new WeakMap<readonly Attributes[], Uint8Array[]>();

// Attributes arrays met by one encode only so far. Their labels are looked up point by point, not
// kept as an array: with interfaces coming and going, a producer hands out new arrays every round,
// and an array of labels per new attributes array lived just long enough to reach V8's old
// generation (1000 taps, 20 added and 20 deleted a second: a tenth of what it collected there).
const metOnce = new WeakMap<readonly Attributes[], number>();
/** Encodes begun by any writer: metOnce tells one encode from the next by it (an encode is synchronous, so this is the running one's). */
let encodes = 0;

/** The labels of `attributes`' first n points, as an array once that attributes array came to a second encode. */
function labelsOfAll(attributes: readonly Attributes[], n: number): readonly Uint8Array[] | undefined {
  let labels = labelArrays.get(attributes);
  if (labels === undefined || labels.length < n) {
    const first = metOnce.get(attributes);
    if (first === undefined || first === encodes) {
      if (first === undefined) metOnce.set(attributes, encodes);
      return undefined;
    }
    metOnce.delete(attributes);
    labels = new Array<Uint8Array>(n);
    for (let i = 0; i < n; i++) labels[i] = labelsOf(attributes[i] as Attributes);
    labelArrays.set(attributes, labels);
  }
  return labels;
}

function labelsOf(attributes: Attributes): Uint8Array {
  let bytes = labelBytes.get(attributes);
  if (bytes === undefined) {
    // Not cachedLabelPairs: the bytes are what is kept, and a cached string beside them doubled it.
    const labels = labelPairs(attributes);
    bytes = Buffer.from(labels === '' ? ' ' : `{${labels}} `, 'utf8');
    labelBytes.set(attributes, bytes);
  }
  return bytes;
}

interface PlannedFamily {
  name: string;
  type: PromType;
  help: string;
  metrics: (SumMetricData | GaugeMetricData)[];
  points: number;
}

const NEWLINE = 10;
const MAX_FAMILIES = 10_000;
// Chunks for ChunkedGzip: at least this many lines each, and about this many chunks per body. A
// power of two lines per chunk, so a few interfaces more or less keep the same chunk boundaries.
const MIN_CHUNK_LINES = 512;
const TARGET_CHUNKS = 64;
/** The chunk scratch buffer to begin with; it grows to the largest chunk. */
const SCRATCH_BYTES = 64 * 1024;

/** A slot for `n` points: `last` itself when its arrays are big enough (written over in place). */
function reuseSlot(last: Slot | undefined, descriptor: object, n: number): Slot {
  if (last !== undefined && last.values.length >= n) {
    last.descriptor = descriptor;
    last.length = n;
    return last;
  }
  // Some headroom, so a few more interfaces next time do not mean new arrays again.
  const capacity = n + (n >> 3) + 8;
  return {
    descriptor,
    length: n,
    attributes: [],
    values: new Float64Array(capacity),
    starts: new Uint32Array(capacity + 1),
  };
}

/**
 * Encodes snapshots into exactly the bytes of `Buffer.from(encodeExposition(...))`, reusing what the
 * previous encode wrote. Between two samples most lines do not change at all (idle interfaces: the
 * same counters, a rate of 0, the same link state), and a changed line keeps its `name{labels} `
 * prefix, so:
 * - a line whose series (same attributes object, same place) has the same value as last time is
 *   the same bytes as in the previous body; runs of such lines are copied with one call;
 * - any other line is its cached prefix bytes plus the value, written straight into the buffer.
 * The body comes out in chunks (whole lines: a new one at each metric's first line and every
 * chunkLines lines within it, so a chunk keeps the same lines while the interfaces do). A chunk
 * whose every line (and header) is the same bytes at the same place as in the previous body is
 * that body's chunk again, without a byte copied; a changed one is written into a scratch buffer,
 * and gets memory of its own (or, without `keepPlain`, only its compressed piece). So a body whose
 * lines mostly repeat costs little more memory than one body (two whole bodies were 15 MB at 4000
 * interfaces), and gzip compresses a chunk once. Chunks are only ever read once handed out.
 * encodeExposition() stays the reference (and the path for custom encoders); a test checks this
 * one against it over sequences of changing snapshots.
 */
export class ExpositionWriter {
  /** The last body: its chunks and where each starts in it (with its length last). */
  private previous: { chunks: readonly Chunk[]; bounds: readonly number[] } = { chunks: [], bounds: [0] };
  /** Plain bytes of the previous body's chunks that had only a piece, inflated for this encode's copies. */
  private inflated = new Map<Chunk, Buffer>();
  /** Which chunks of the previous body the one being written kept (with their bytes' lease). */
  private kept: boolean[] = [];
  private readonly families = new Map<string, FamilyState>();
  /** The chunk being written, from `base` in the body; `off` bytes so far. Never handed out. */
  private buf: Buffer = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  private off = 0;
  private base = 0;
  /**
   * Whether the chunk being written differs from the previous body's chunk at its place (same
   * index): a line or header written anew, or copied from elsewhere than the same offset in that
   * chunk. Until then, nothing of it is in `buf`: it is one pending run, which an unchanged chunk
   * never copies. Offsets within the chunk, not the body: a line that grew a digit further up moves
   * every chunk after it, and those are still the same chunks.
   */
  private dirty = false;
  /** That chunk of the previous body, [chunkFrom, chunkTo) of it; -1 when it had none. */
  private chunkFrom = -1;
  private chunkTo = -1;
  /**
   * Without `keepPlain`, what the chunk holds while it is unchanged, to write it out if a change
   * comes after all: the previous body's bytes exist only compressed. Inflating the old chunk to
   * copy from it left ~300 KB of garbage per body at 1000 idle taps (7 inflates), which crept RSS
   * up by 5 MiB in 7 minutes; keeping the plain bytes of the chunks that changed last time cost
   * 11 MiB at 4000 taps for no CPU saved (21.9 against 22.5 ms per 1 s cycle, 2026-12-05). Per
   * entry: bytes, then `{labels} `, value and a newline when it is a line (a header is bytes alone).
   */
  private logged: Uint8Array[] = [];
  private loggedLabels: (Uint8Array | undefined)[] = [];
  private loggedValues: number[] = [];
  private logLength = 0;
  private keepPlain = true;
  private out: Chunk[] = [];
  /** A pending run of lines to copy from `previous`: [runStart, runEnd) of it, to go at runDest of buf. */
  private runStart = 0;
  private runEnd = 0;
  private runDest = 0;
  /** Memory taken for new chunks by this encode and the one before. */
  private newBytes = 0;
  private newBytesBefore = 0;
  /** The previous body's chunk the last copy read from: runs mostly go forward. */
  private source = 0;
  /** target_info of the last resource seen: the pipeline's resource never changes. */
  private resource: Resource | undefined;
  private target: Buffer = Buffer.alloc(0);
  /** Whether the previous body begins with `target`. */
  private targetKept = false;
  private chunkLines = MIN_CHUNK_LINES;
  private bounds: number[] = [0];

  /**
   * `pool`: take chunks' memory from it, and hold a lease on each chunk of the last body (which
   * the next encode copies from or keeps) until a body no longer has it. Without one, every
   * changed chunk is new memory.
   * `compress`: how a chunk becomes a piece when the caller does not keep plain bytes (ChunkedGzip's
   * options); without it, every chunk keeps its bytes.
   */
  constructor(
    private readonly pool?: BodyPool,
    private readonly compress?: (chunk: Uint8Array) => Piece,
  ) {}

  /**
   * `keepPlain` false: the chunks of this body carry only their compressed pieces (nobody scrapes
   * without gzip lately), and the plain text of an unchanged chunk is not kept either.
   */
  encode(scopeMetrics: readonly ScopeMetrics[], resource: Resource | undefined, opts: EncodeOptions = {}, keepPlain = true): Body {
    encodes++;
    this.keepPlain = keepPlain || this.compress === undefined;
    try {
      return this.write(scopeMetrics, resource, opts);
    } catch (e) {
      // Nothing of a body that was not finished is handed out: its new chunks' memory goes back.
      // A kept chunk sits where it sat in the previous body, and goes back with it below.
      this.out.forEach((c, j) => {
        if (!this.kept[j] && c.bytes !== undefined) this.pool?.release(c.bytes);
      });
      this.out = [];
      this.forget();
      throw e;
    } finally {
      this.inflated.clear();
    }
  }

  /**
   * Forgets the previous body and every family's slots, which an encode that failed half way has
   * partly written over: the next encode writes every line anew.
   */
  private forget(): void {
    for (const c of this.previous.chunks) if (c.bytes !== undefined) this.pool?.release(c.bytes);
    this.previous = { chunks: [], bounds: [0] };
    this.families.clear();
    this.targetKept = false;
  }

  private write(scopeMetrics: readonly ScopeMetrics[], resource: Resource | undefined, opts: EncodeOptions): Body {
    const plan = this.plan(scopeMetrics, opts.onSkip);
    let lines = 0;
    for (const f of plan) lines += f.points;
    this.chunkLines = Math.max(MIN_CHUNK_LINES, 2 ** Math.ceil(Math.log2(Math.max(1, lines / TARGET_CHUNKS))));
    this.bounds = [0];
    this.out = [];
    this.kept = new Array<boolean>(this.previous.chunks.length).fill(false);
    this.base = this.off = 0;
    this.dirty = false;
    this.atChunk(0);
    this.newBytes = 0;
    this.runEnd = this.runStart = 0;
    if (resource !== this.resource || this.target.length === 0) {
      this.resource = resource;
      const target = Buffer.from(targetInfo(resource), 'utf8');
      // Another resource object with the same attributes (a test's snapshots): the same line.
      if (!target.equals(this.target)) {
        this.target = target;
        this.targetKept = false;
      }
    }
    if (this.targetKept) this.keep(0, this.target.length, this.target, undefined, 0);
    else this.writeBytes(this.target);
    const written: [FamilyState, Slot[], number][] = [];
    for (const f of plan) {
      if (f.points === 0) continue;
      const state = this.familyState(f);
      const headerAt = this.base + this.off;
      if (state.headerAt >= 0) this.keep(state.headerAt, state.headerAt + state.header.length, state.header, undefined, 0);
      else this.writeBytes(state.header);
      const slots: Slot[] = [];
      for (let m = 0; m < f.metrics.length; m++) {
        const metric = f.metrics[m] as SumMetricData | GaugeMetricData;
        slots.push(this.writeMetric(state, metric, state.slots[m]));
      }
      written.push([state, slots, headerAt]);
    }
    if (this.off > 0) this.endChunk();
    // Committed only now: the slots describe this body, which becomes `previous` only now.
    for (const [state, slots, headerAt] of written) {
      state.slots = slots;
      state.headerAt = headerAt;
    }
    this.targetKept = true;
    // A family not written this time has nothing in the body to point at.
    const live = new Set(written.map(([state]) => state));
    for (const [name, state] of this.families) if (!live.has(state)) this.families.delete(name);
    // The writer's lease on a chunk of the last body that this one did not keep is over.
    const { chunks } = this.previous;
    for (let j = 0; j < chunks.length; j++) {
      const bytes = (chunks[j] as Chunk).bytes;
      if (!this.kept[j] && bytes !== undefined) this.pool?.release(bytes);
    }
    this.previous = { chunks: this.out, bounds: this.bounds };
    this.source = 0;
    // Free memory for as many new chunks as the last two bodies took: a busy host replaces every
    // chunk each time (a body's worth is reused), an idle one a few (the rest is let go).
    this.pool?.keepFree(Math.max(this.newBytes, this.newBytesBefore));
    this.newBytesBefore = this.newBytes;
    return { chunks: this.out, length: this.base };
  }

  /** The families in output order, with the same onSkip calls, in the same order, as encodeExposition. */
  private plan(scopeMetrics: readonly ScopeMetrics[], onSkip: ((reason: string) => void) | undefined): PlannedFamily[] {
    const byName = new Map<string, PlannedFamily>();
    for (const scope of scopeMetrics) {
      for (const m of scope.metrics) {
        const family = familyOf(m, onSkip);
        if (family === undefined) continue;
        const { type, name, metric } = family;
        let f = byName.get(name);
        if (f === undefined) {
          byName.set(name, (f = { name, type, help: m.descriptor.description || m.descriptor.name, metrics: [], points: 0 }));
        } else if (f.type !== type) {
          onSkip?.(`${m.descriptor.name}: its Prometheus name ${name} is already a ${f.type}`);
          continue;
        }
        f.metrics.push(metric);
        f.points += pointCount(metric);
      }
    }
    return [...byName.values()];
  }

  private familyState(f: PlannedFamily): FamilyState {
    const headerText = familyHeader(f.name, f.help, f.type);
    let state = this.families.get(f.name);
    if (state === undefined || state.headerText !== headerText) {
      if (state === undefined && this.families.size >= MAX_FAMILIES) this.families.clear();
      // A new header (help or type changed) moves every line after it: start the family afresh.
      state = { header: Buffer.from(headerText, 'utf8'), headerText, nameBytes: Buffer.from(f.name, 'utf8'), headerAt: -1, slots: [] };
      this.families.set(f.name, state);
    }
    return state;
  }

  private writeMetric(family: FamilyState, metric: SumMetricData | GaugeMetricData, last: Slot | undefined): Slot {
    // Columns, not dataPoints: the receiver's and processor's metrics build no point objects then.
    const points = pointColumns(metric);
    const n = points.length;
    const pointAttributes = points.attributes;
    const pointValues = points.values;
    // What `last` says, read before reuseSlot() may write over it.
    const lastN = last !== undefined && last.descriptor === metric.descriptor ? last.length : 0;
    const lastAttributes = last?.attributes ?? [];
    const lastValues = last?.values;
    const lastStarts = last?.starts;
    const slot = reuseSlot(last, metric.descriptor, n);
    const { values: slotValues, starts } = slot;
    const labels = labelsOfAll(pointAttributes, n);
    slot.attributes = pointAttributes;
    // The same array as last time: every point is the same series at the same place.
    const sameSeries = lastN > 0 && lastAttributes === pointAttributes;
    const { chunkLines } = this;
    for (let i = 0; i < n; i++) {
      const value = pointValues[i] as number;
      if (i % chunkLines === 0 && this.off > 0) this.endChunk();
      // Same series, same value: the same line (NaN never equals, and is rewritten). Its old place
      // is read before starts[i] is written: they may be the same array.
      const same = i < lastN && (lastValues as Float64Array)[i] === value && (sameSeries || lastAttributes[i] === pointAttributes[i]);
      const from = same ? ((lastStarts as Uint32Array)[i] as number) : 0;
      const to = same ? ((lastStarts as Uint32Array)[i + 1] as number) : 0;
      starts[i] = this.base + this.off;
      slotValues[i] = value;
      if (same) {
        this.keep(from, to, family.nameBytes, labels !== undefined ? (labels[i] as Uint8Array) : labelsOf(pointAttributes[i] as Attributes), value);
        continue;
      }
      this.flushRun();
      this.writeLine(family.nameBytes, labels !== undefined ? (labels[i] as Uint8Array) : labelsOf(pointAttributes[i] as Attributes), value);
    }
    starts[n] = this.base + this.off;
    return slot;
  }

  /**
   * Bytes that are previous[start, end): `bytes`, plus `{labels} value` and a newline for a line.
   * Copied from the previous body when it keeps plain bytes; else remembered while the chunk is
   * unchanged, and written out once it is not.
   */
  private keep(start: number, end: number, bytes: Uint8Array, labels: Uint8Array | undefined, value: number): void {
    if (this.keepPlain) {
      this.copyLine(start, end);
      return;
    }
    if (!this.dirty && start - this.chunkFrom === this.off && end <= this.chunkTo) {
      const k = this.logLength++;
      this.logged[k] = bytes;
      this.loggedLabels[k] = labels;
      this.loggedValues[k] = value;
      this.off += end - start;
      return;
    }
    if (labels === undefined) this.writeBytes(bytes);
    else this.writeLine(bytes, labels, value);
  }

  /** Writes out what the chunk held while it was unchanged (see `logged`): from now on it differs. */
  private replay(): void {
    this.off = 0;
    this.dirty = true;
    for (let k = 0; k < this.logLength; k++) {
      const labels = this.loggedLabels[k];
      if (labels === undefined) this.writeBytes(this.logged[k] as Uint8Array);
      else this.writeLine(this.logged[k] as Uint8Array, labels, this.loggedValues[k] as number);
    }
    this.logLength = 0;
  }

  private writeLine(name: Uint8Array, labels: Uint8Array, value: number): void {
    this.writeBytes(name);
    this.writeBytes(labels);
    this.writeValue(value);
    this.ensure(1);
    this.buf[this.off++] = NEWLINE;
  }

  /**
   * Ends the chunk being written: the previous body's chunk at the same place when nothing in it
   * changed (its bytes were never copied) or its bytes are the same; else new memory for the bytes,
   * or only their compressed piece.
   */
  private endChunk(): void {
    const j = this.out.length;
    const length = this.off;
    const before = this.previous.chunks[j];
    let chunk: Chunk;
    if (!this.dirty && before !== undefined && before.length === length) {
      // The pending run is this whole chunk: `before`, byte for byte.
      this.runStart = this.runEnd = 0;
      chunk = this.keepPlain ? this.withBytes(before, j) : this.withPiece(before, j);
    } else {
      if (!this.dirty && this.logLength > 0) this.replay();
      this.flushRun();
      const plain = before?.bytes;
      if (this.keepPlain && plain !== undefined && plain.length === length && plain.compare(this.buf, 0, length) === 0) {
        chunk = before as Chunk;
        this.kept[j] = true;
      } else if (this.keepPlain) {
        const memory = this.pool ? this.pool.take(length) : Buffer.allocUnsafe(length);
        const bytes = memory.subarray(0, length);
        this.buf.copy(bytes, 0, 0, length);
        this.newBytes += memory.length;
        chunk = chunkOf(bytes);
      } else {
        chunk = { bytes: undefined, piece: (this.compress as (c: Uint8Array) => Piece)(this.buf.subarray(0, length)), length };
      }
    }
    this.out.push(chunk);
    this.base += length;
    this.off = 0;
    this.dirty = false;
    this.atChunk(j + 1);
    this.bounds.push(this.base);
  }

  private atChunk(j: number): void {
    this.logLength = 0;
    const { chunks, bounds } = this.previous;
    this.chunkFrom = j < chunks.length ? (bounds[j] as number) : -1;
    this.chunkTo = j < chunks.length ? (bounds[j + 1] as number) : -1;
  }

  /** `before` again, with plain bytes (inflated, when it had only its piece). */
  private withBytes(before: Chunk, j: number): Chunk {
    if (before.bytes === undefined) return { bytes: this.bytesOf(j), piece: before.piece, length: before.length };
    this.kept[j] = true;
    return before;
  }

  /** `before` again, with its piece only: its plain bytes' lease ends with this encode. */
  private withPiece(before: Chunk, j: number): Chunk {
    if (before.bytes === undefined) {
      this.kept[j] = true;
      return before;
    }
    before.piece ??= (this.compress as (c: Uint8Array) => Piece)(before.bytes);
    return { bytes: undefined, piece: before.piece, length: before.length };
  }

  /** Queues previous[start, end) for copying, joined with the pending run when it follows it. */
  private copyLine(start: number, end: number): void {
    if (start - this.chunkFrom !== this.off || end > this.chunkTo) this.dirty = true;
    if (this.runEnd !== this.runStart && this.runEnd === start) {
      this.runEnd = end;
    } else {
      this.flushRun();
      this.runStart = start;
      this.runEnd = end;
      this.runDest = this.off;
    }
    this.off += end - start;
  }

  private flushRun(): void {
    const length = this.runEnd - this.runStart;
    if (length === 0) return;
    const written = this.off;
    this.off = this.runDest;
    this.ensure(length);
    this.copyPrevious(this.runStart, this.runEnd, this.runDest);
    this.off = written;
    this.runStart = this.runEnd = 0;
  }

  /** Copies previous[start, end), which may span its chunks, into buf at `dest`. */
  private copyPrevious(start: number, end: number, dest: number): void {
    const { chunks, bounds } = this.previous;
    let j = this.source;
    if (j >= chunks.length || (bounds[j] as number) > start) j = 0;
    while ((bounds[j + 1] as number) <= start) j++;
    while (start < end) {
      const from = bounds[j] as number;
      const to = Math.min(end, bounds[j + 1] as number);
      this.bytesOf(j).copy(this.buf, dest, start - from, to - from);
      dest += to - start;
      start = to;
      if (start < end) j++;
    }
    this.source = j;
  }

  /** The previous body's chunk j as plain bytes: its own, or inflated once per encode (the last two kept). */
  private bytesOf(j: number): Buffer {
    const chunk = this.previous.chunks[j] as Chunk;
    if (chunk.bytes !== undefined) return chunk.bytes;
    let bytes = this.inflated.get(chunk);
    if (bytes === undefined) {
      bytes = inflatePiece(chunk.piece as Piece);
      if (this.inflated.size >= 2) this.inflated.delete(this.inflated.keys().next().value as Chunk);
      this.inflated.set(chunk, bytes);
    }
    return bytes;
  }

  private ensure(more: number): void {
    if (this.off + more <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.off + more + 4096));
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }

  /** Bytes written anew: the chunk differs from the previous body's here. */
  private writeBytes(bytes: Uint8Array): void {
    if (!this.dirty && this.logLength > 0) this.replay();
    this.dirty = true;
    this.ensure(bytes.length);
    this.buf.set(bytes, this.off);
    this.off += bytes.length;
  }

  /** The value as formatSampleValue() spells it; integers digit by digit, without a string. */
  private writeValue(v: number): void {
    this.ensure(32);
    const buf = this.buf;
    if (Number.isSafeInteger(v)) {
      let n = v;
      if (n < 0) {
        buf[this.off++] = 45; // '-'
        n = -n;
      }
      let digits = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
      let at = this.off + digits;
      this.off = at;
      do {
        const q = Math.floor(n / 10);
        buf[--at] = 48 + (n - q * 10);
        n = q;
      } while (n > 0);
      return;
    }
    const text = formatSampleValue(v);
    // Every spelling is ASCII: digits, ".", "e", "+", "-", "NaN", "Inf".
    for (let i = 0; i < text.length; i++) buf[this.off++] = text.charCodeAt(i);
  }
}
