import type { HrTime } from '@opentelemetry/api';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { compileInterfaceFilter } from './filter.js';
import { HostFs } from './hostfs/host-fs.js';
import { packagePlan } from './metrics-plan.js';
import type { MetricsPlan } from './metrics-plan.js';
import { ProcNetDevParser } from './parse/proc-net-dev.js';
import { parseLinkInfo, parseOperstate } from './parse/sysfs.js';
import type { LinkAttribute } from './parse/sysfs.js';
import { ReadOrder } from './read-order.js';
import { interfaceAttributes, ScopeMetricsBuilder } from './scope-metrics.js';
import type { InterfaceAttributes, SampleLayout } from './scope-metrics.js';
import { MONOTONIC_ORIGIN_MS, monotonicNowMs, monotonicToHrTime } from './time.js';
import { ReadError } from './errors.js';
import type { InterfaceCounters, InterfaceSample, LinkInfo, NetifSample, ParsedInterface, ProcNetDev } from './types.js';

export interface NetifReceiverConfig {
  /** Where the host's / is mounted ("/" outside a container); /proc/net/dev and /sys/class/net are read below it. */
  rootPath: string;
  /** Interface-name globs to keep; empty keeps all. */
  include: string[];
  /** Interface-name globs to drop; wins over include. */
  exclude: string[];
  /** Each interface's sysfs link metadata is re-read about this often; 0 or Infinity: only when it first appears. */
  metadataRefreshMs: number;
  /**
   * At most this many interfaces get series; 0 or absent: no cap. The first seen keep their place
   * while they exist (see the README for why not the busiest).
   */
  maxInterfaces?: number;
}

export interface NetifReceiverDeps {
  /** Monotonic milliseconds; monotonicNowMs() by default. */
  now?: () => number;
  /** Epoch milliseconds at which now() was 0; defaults to MONOTONIC_ORIGIN_MS. Tests pin it. */
  timeOrigin?: number;
  /** Replaces the HostFs built from config.rootPath (tests count reads through it). */
  hostfs?: HostFs;
}

interface Tracked {
  name: string;
  counters: InterfaceCounters;
  startTime: HrTime;
  /** Replaced, never mutated: earlier samples keep the value they were taken with. */
  link: LinkInfo;
  seen: number;
  /** Generation in which link was last read. */
  linkRead: number;
  /** Refreshes of link since it was first read: speed and mtu are re-read every SLOW_REFRESH_EVERY-th. */
  refreshes: number;
  attrs: InterfaceAttributes;
  /** What the last sample reported for it; reported again while nothing in it changed. */
  sampled: InterfaceSample | undefined;
  /** Its neighbours in readOrder. */
  olderRead: Tracked | undefined;
  newerRead: Tracked | undefined;
}

/**
 * Reads <root>/proc/net/dev on demand and keeps what cumulative OTel series need between reads:
 * each interface's start time (first seen, or last counter reset) and its sysfs link metadata.
 */
export class NetifReceiver {
  private readonly fs: HostFs;
  private readonly now: () => number;
  private readonly timeOrigin: number;
  private readonly filter: (name: string) => boolean;
  private readonly refreshMs: number;
  private readonly plan: MetricsPlan;
  private readonly builder: ScopeMetricsBuilder;
  private readonly parser = new ProcNetDevParser();
  /** The interfaces being tracked, by name. */
  private readonly tracked = new Map<string, Tracked>();
  /** The tracked interfaces, the one whose link was read longest ago first (see refreshSomeLinks). */
  private readonly readOrder = new ReadOrder<Tracked>();
  /** sample()'s scratch: the Tracked of each row of /proc/net/dev, reused (entries are overwritten every sample). */
  private readonly trackedRows: (Tracked | undefined)[] = [];
  private generation = 0;
  /**
   * The interfaces of the last sample in order, with their start times and attribute sets, and a
   * version bumped whenever a sample's differ: the builder reuses its layouts while the version stays.
   */
  private layout: SampleLayout = { starts: [], attrs: [], version: 0 };
  /** The last sample, with its interfaces' attribute sets and layout version (see toScopeMetrics). */
  private latest: { sample: NetifSample; known: SampleLayout } | undefined;
  /** 0: no cap. */
  readonly maxInterfaces: number;
  /** Interfaces the cap keeps out, with the order they were first seen in: the next free slot goes to the oldest. */
  private readonly waiting = new Map<string, number>();
  private firstSeenOrder = 0;
  private lastMonotonicMs: number | undefined;
  /** Interface·milliseconds of refresh owed; one refresh costs refreshMs of it. */
  private refreshCredit = 0;

  constructor(config: NetifReceiverConfig, deps: NetifReceiverDeps = {}) {
    this.filter = compileInterfaceFilter(config.include, config.exclude);
    this.fs = deps.hostfs ?? new HostFs(config.rootPath);
    this.now = deps.now ?? monotonicNowMs;
    this.timeOrigin = deps.timeOrigin ?? MONOTONIC_ORIGIN_MS;
    this.refreshMs = Number.isFinite(config.metadataRefreshMs) && config.metadataRefreshMs > 0 ? config.metadataRefreshMs : Infinity;
    this.maxInterfaces = config.maxInterfaces !== undefined && Number.isSafeInteger(config.maxInterfaces) && config.maxInterfaces > 0 ? config.maxInterfaces : 0;
    this.plan = packagePlan();
    this.builder = new ScopeMetricsBuilder(this.plan, (name) => this.tracked.get(name)?.attrs ?? interfaceAttributes(name, this.plan.directions));
  }

  /**
   * One synchronous read of /proc/net/dev. Throws ReadError when the file cannot be read, or when
   * it holds no usable interface line at all (empty, truncated, garbage): such a read says nothing
   * about the interfaces, so it must not end their series either.
   */
  sample(): NetifSample {
    const bytes = this.fs.readProcNetDevBytes(this.parser.spareBuffer());
    const monotonicMs = this.now();
    const parsed = this.parser.parse(bytes, true);
    try {
      return this.track(parsed, bytes, monotonicMs);
    } catch (err) {
      // The Tracked still hold the counters of the sample before, which the next parse may rewrite.
      this.parser.forget();
      throw err;
    }
  }

  /** sample()'s work on a parse: the tracked interfaces, their start times and links, and the sample. */
  private track(parsed: ProcNetDev, bytes: Buffer, monotonicMs: number): NetifSample {
    const time = monotonicToHrTime(this.timeOrigin, monotonicMs);
    const path = this.fs.procNetDevPath;
    if (parsed.interfaces.length === 0 && (parsed.problems.length > 0 || Buffer.from(bytes).toString('utf8').trim() === '')) {
      const first = parsed.problems[0];
      const why = first ? `line ${first.line}: ${first.message}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more problems)` : ''}` : 'the file is empty';
      throw new ReadError(path, `no interface could be read from ${path}: ${why}`);
    }
    const problems = parsed.problems.map((p) => `${path} line ${p.line}: ${p.message} — line skipped`);
    const generation = ++this.generation;

    // Each listed interface's Tracked, by its row (undefined: filtered out, listed twice, or new).
    // A Tracked marks itself listed with `seen`; a Set of names per sample was a visible share of it.
    const rows = parsed.interfaces;
    const trackedRows = this.trackedRows;
    trackedRows.length = rows.length;
    let newcomers: ParsedInterface[] | undefined;
    let newcomerRows: number[] | undefined;
    let newNames: Set<string> | undefined;
    let listed = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as ParsedInterface;
      // Usually the interface on this row last time (a tracked one: the row would be empty else):
      // checked by name (the parser hands out last parse's name string again), saving a lookup.
      const atRow = trackedRows[r];
      trackedRows[r] = undefined;
      const { name, counters } = row;
      if (!this.filter(name)) continue;
      const t = atRow !== undefined && atRow.name === name ? atRow : this.tracked.get(name);
      if (t === undefined ? newNames?.has(name) === true : t.seen === generation) {
        problems.push(`${path}: interface ${JSON.stringify(name)} is listed more than once — later line skipped`);
        continue;
      }
      listed++;
      if (t === undefined) {
        (newNames ??= new Set()).add(name);
        (newcomers ??= []).push(row);
        (newcomerRows ??= []).push(r);
        continue;
      }
      trackedRows[r] = t;
      // A decrease means the counters restarted (driver reload, re-created link, 32-bit wrap):
      // a new start time tells the backend not to compute a negative rate across it.
      if (decreased(t.counters, counters)) {
        t.startTime = time;
        // Maybe a new link under the same name: read afresh, all of it (another mtu, its own files).
        this.fs.forgetLink(name);
        this.setLink(t, this.readLink(name, problems, undefined), generation);
      }
      t.counters = counters;
      t.seen = generation;
    }
    if (this.tracked.size > listed - (newcomers?.length ?? 0)) {
      // By value (a Tracked knows its name): entries would make an array per interface.
      for (const t of this.tracked.values()) {
        if (t.seen === generation) continue;
        this.tracked.delete(t.name);
        this.readOrder.remove(t);
        this.fs.forgetLink(t.name);
      }
    }

    const admitted = newcomers === undefined ? [] : this.admit(newcomers, (name) => newNames?.has(name) === true || this.tracked.get(name)?.seen === generation);
    if (newcomers !== undefined && newcomerRows !== undefined && admitted.length > 0) {
      // With a cap, admit() picks some newcomers and orders them: find each one's row.
      const rowOf = admitted === newcomers ? undefined : new Map(newcomers.map((row, j) => [row, newcomerRows[j] as number]));
      for (let j = 0; j < admitted.length; j++) {
        const row = admitted[j] as ParsedInterface;
        const { name, counters } = row;
        this.fs.forgetLink(name);
        const t: Tracked = { name, counters, startTime: time, link: this.readLink(name, problems, undefined), seen: generation, linkRead: generation, refreshes: 0, attrs: interfaceAttributes(name, this.plan.directions), sampled: undefined, olderRead: undefined, newerRead: undefined };
        this.tracked.set(name, t);
        this.readOrder.moveToEnd(t);
        trackedRows[(rowOf === undefined ? newcomerRows[j] : rowOf.get(row)) as number] = t;
      }
    }
    this.refreshSomeLinks(monotonicMs, generation, admitted.length, problems);

    // In /proc/net/dev order, whatever order the interfaces were admitted in.
    let count = 0;
    for (let r = 0; r < rows.length; r++) if (trackedRows[r] !== undefined) count++;
    const interfaces = new Array<InterfaceSample>(count);
    // Each Tracked has attribute sets of its own: the same ones at the same place are the same interface.
    const { attrs, starts } = this.layout;
    let same = attrs.length === count;
    for (let r = 0, k = 0; r < rows.length; r++) {
      const t = trackedRows[r];
      if (t === undefined) continue;
      // The parser hands out the same counters object for an unchanged line: an idle interface is
      // the same InterfaceSample again, not a new object per sample. One is never modified: the
      // scope metrics builder takes the same one as the round before last's for the same values.
      let s = t.sampled;
      if (s === undefined || s.counters !== t.counters || s.link !== t.link || s.startTime !== t.startTime) {
        s = t.sampled = { name: t.name, counters: t.counters, link: t.link, startTime: t.startTime };
      }
      if (same && (attrs[k] !== t.attrs || starts[k] !== t.startTime)) same = false;
      interfaces[k++] = s;
    }
    if (!same) {
      // Two arrays per change, which the builder reads too: with interfaces coming and going every
      // sample, each array lived a sample, long enough to reach V8's old generation.
      const newAttrs = new Array<InterfaceAttributes>(count);
      const newStarts = new Array<HrTime>(count);
      for (let r = 0, k = 0; r < rows.length; r++) {
        const t = trackedRows[r];
        if (t === undefined) continue;
        newAttrs[k] = t.attrs;
        newStarts[k++] = t.startTime;
      }
      this.layout = { starts: newStarts, attrs: newAttrs, version: this.layout.version + 1 };
    }
    const sample: NetifSample = { time, monotonicMs, interfaces, problems, listed: parsed.interfaces.length, capped: listed - interfaces.length };
    this.latest = { sample, known: this.layout };
    return sample;
  }

  /** Releases the sysfs files kept open for refreshes. The receiver can still sample afterwards (it reopens them). */
  close(): void {
    this.fs.close();
  }

  /** Counter series one interface has (one per sum metric and direction), for counting what the cap leaves out. */
  counterSeriesPerInterface(): number {
    let n = 0;
    for (const m of this.plan.metrics) if (m.kind === 'sum') n += m.sum.directions.length;
    return n;
  }

  /**
   * Which new interfaces get series. Without a cap, all. With one, free slots go to the interfaces
   * seen earliest (those waiting since an earlier round first, then this round's in file order),
   * so a kept interface never loses its series to a newer or busier one.
   */
  private admit(newcomers: ParsedInterface[], listedNow: (name: string) => boolean): ParsedInterface[] {
    if (this.maxInterfaces === 0) return newcomers;
    for (const name of this.waiting.keys()) if (!listedNow(name)) this.waiting.delete(name);
    for (const { name } of newcomers) if (!this.waiting.has(name)) this.waiting.set(name, ++this.firstSeenOrder);
    const free = Math.max(0, this.maxInterfaces - this.tracked.size);
    const order = (n: ParsedInterface) => this.waiting.get(n.name) ?? 0;
    const admitted = newcomers.length <= free ? newcomers : [...newcomers].sort((a, b) => order(a) - order(b)).slice(0, free);
    for (const { name } of admitted) this.waiting.delete(name);
    return admitted;
  }

  /**
   * The sample as OTel ScopeMetrics: cumulative sums with per-interface start times, and link gauges.
   * Their values are read from memory the call after next fills again: read them before that, or
   * read `dataPoints` (a copy), as every consumer here does; a later read throws RecycledValuesError.
   */
  toScopeMetrics(sample: NetifSample): ScopeMetrics {
    return this.builder.build(sample, this.latest?.sample === sample ? this.latest.known : undefined);
  }

  /**
   * The container trap: /proc/net follows the READING process's network namespace, so a host /proc
   * mounted at rootPath still shows only the agent's own (pod's) interfaces. One line, or undefined
   * when reading "/" or when the namespaces cannot be compared.
   */
  namespaceWarning(): string | undefined {
    if (this.fs.rootPath === '/') return undefined;
    const ids = this.namespaceIds();
    if (ids === undefined || ids.own === ids.host) return undefined;
    return (
      `${this.fs.procNetDevPath} shows the agent's own network namespace (${ids.own}), not the host's (${ids.host}): ` +
      `/proc/net follows the reading process, not the mounted /proc — run the agent in the host network namespace ` +
      `(Kubernetes: hostNetwork: true; docker/compose: network_mode: host / docker run --network host)`
    );
  }

  /** Comparable labels for the namespace being read and pid 1's, or undefined when they cannot be compared. */
  private namespaceIds(): { own: string; host: string } | undefined {
    const ownNs = this.fs.readSelfNetNamespace();
    const hostNs = this.fs.readRootInitNetNamespace();
    if (ownNs !== undefined && hostNs !== undefined) return { own: ownNs, host: hostNs };
    // Without ptrace access to pid 1 (the usual case in a container) compare the procfs entries instead.
    const ownIno = this.fs.procNetDevInode();
    const hostIno = this.fs.rootInitNetDevInode();
    if (ownIno === undefined || hostIno === undefined) return undefined;
    return ownIno === hostIno ? { own: 'same', host: 'same' } : { own: `net/dev inode ${ownIno}`, host: `net/dev inode ${hostIno}` };
  }

  /**
   * Reads an interface's link metadata. With `previous` (a refresh), speed and mtu are taken from it
   * rather than read: they change on renegotiation or reconfiguration, not from one sample to the
   * next, while operstate and carrier are what a refresh is for (their files stay open, see HostFs).
   * They are read after all when operstate or carrier changed (a link coming up negotiates its
   * speed), or when a kept file was found dead (the link deleted, maybe re-created with another mtu).
   *
   * On a refresh carrier is read only when operstate cannot tell it: the kernel derives operstate
   * "up" from carrier (and admin state), so "up" means carrier 1; and a link whose carrier had no
   * value (EINVAL: administratively down; or no carrier file) with operstate unchanged is left
   * without one until its next full read. Each of those reads was half of a refresh, and the
   * EINVAL one costs an exception in Node (4 µs for operstate, 10 µs for the failing carrier read,
   * measured here).
   */
  private readLink(name: string, problems: string[], previous: LinkInfo | undefined): LinkInfo {
    const raw: Partial<Record<LinkAttribute, string | undefined>> = {};
    const lost = this.fs.keptFilesLost;
    raw.operstate = this.readAttribute(name, 'operstate', true, problems);
    const operstate = raw.operstate === undefined ? undefined : parseOperstate(raw.operstate);
    if (previous === undefined || !carrierFollows(operstate, previous)) raw.carrier = this.readAttribute(name, 'carrier', true, problems);
    else if (previous.carrier !== undefined) raw.carrier = '1';
    const link = parseLinkInfo(raw);
    if (previous !== undefined && this.fs.keptFilesLost === lost && link.operstate === previous.operstate && link.carrier === previous.carrier) {
      if (previous.speedBytesPerSecond !== undefined) link.speedBytesPerSecond = previous.speedBytesPerSecond;
      if (previous.mtu !== undefined) link.mtu = previous.mtu;
      return link;
    }
    raw.speed = this.readAttribute(name, 'speed', false, problems);
    raw.mtu = this.readAttribute(name, 'mtu', false, problems);
    return parseLinkInfo(raw);
  }

  /** One sysfs attribute's text; undefined when absent, or unreadable (reported in problems). */
  private readAttribute(name: string, attr: LinkAttribute, keepOpen: boolean, problems: string[]): string | undefined {
    try {
      return this.fs.readLinkAttribute(name, attr, keepOpen);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      problems.push(`cannot read ${this.fs.linkAttributePath(name, attr)} (${typeof code === 'string' ? code : String(err)}) — ${attr} left out`);
      return undefined;
    }
  }

  /**
   * Re-reads the link metadata of the interfaces refreshed longest ago, as many as keep each one on a
   * ~refreshMs cycle: n × elapsed / refreshMs per sample, so a node with thousands of interfaces pays
   * a small steady cost instead of a burst.
   */
  private refreshSomeLinks(monotonicMs: number, generation: number, added: number, problems: string[]): void {
    const elapsed = this.lastMonotonicMs === undefined ? 0 : Math.max(0, monotonicMs - this.lastMonotonicMs);
    this.lastMonotonicMs = monotonicMs;
    // Interfaces that just appeared were read a moment ago and owe nothing for the elapsed interval.
    const n = this.tracked.size - added;
    if (n === 0 || this.refreshMs === Infinity) {
      this.refreshCredit = 0;
      return;
    }
    // Credit is kept in interface·milliseconds, not in fractional interfaces, so that whole-ms intervals
    // add up exactly and one period refreshes every interface (no lost 0.999… to rounding).
    this.refreshCredit = Math.min(n * this.refreshMs, this.refreshCredit + n * elapsed);
    const due = Math.floor(this.refreshCredit / this.refreshMs);
    this.refreshCredit -= due * this.refreshMs;
    if (due === 0) return;
    const batch: Tracked[] = [];
    for (let t = this.readOrder.first(); t !== undefined; t = this.readOrder.after(t)) {
      // Interfaces first seen in this sample sit at the end and were just read.
      if (batch.length === due || t.linkRead === generation) break;
      batch.push(t);
    }
    for (const t of batch) {
      const full = ++t.refreshes % SLOW_REFRESH_EVERY === 0;
      // A link renamed or moved to another namespace takes its open files along, and reads through
      // them still succeed; when another link takes its name within one sample without its counters
      // going down, nothing here can tell. Reopening at each full read bounds how long the old
      // link's state is reported under the name to SLOW_REFRESH_EVERY refreshes.
      if (full) this.fs.forgetLink(t.name);
      this.setLink(t, this.readLink(t.name, problems, full ? undefined : t.link), generation);
    }
  }

  /** Records a read of t's link, moving t to the end of the refresh order. */
  private setLink(t: Tracked, link: LinkInfo, generation: number): void {
    // Replaced only when something changed: an unchanged link keeps the sample objects it is in.
    if (!sameLink(link, t.link)) t.link = link;
    t.linkRead = generation;
    this.readOrder.moveToEnd(t);
  }
}

/**
 * Every how many refreshes of an interface its speed and mtu are re-read too, and its kept files
 * reopened: with the default 30 s refresh, every 5 minutes. Speed and mtu change on renegotiation or
 * reconfiguration, and reading them cost two of the four file opens of every refresh; the reopen
 * bounds how long kept files that followed a renamed link are read (see refreshSomeLinks).
 */
export const SLOW_REFRESH_EVERY = 10;

/** Whether a refresh that read `link`'s operstate knows its carrier without reading it (see readLink). */
function carrierFollows(operstate: string | undefined, previous: LinkInfo): boolean {
  // Carrier known last time (so the file has values), and operstate "up": carrier 1.
  if (operstate === 'up' && previous.carrier !== undefined) return true;
  // No value last time (administratively down, or no carrier file at all), and nothing moved.
  return operstate !== undefined && operstate === previous.operstate && previous.carrier === undefined;
}

function sameLink(a: LinkInfo, b: LinkInfo): boolean {
  return a.operstate === b.operstate && a.carrier === b.carrier && a.speedBytesPerSecond === b.speedBytesPerSecond && a.mtu === b.mtu;
}

// Spelled out rather than looped over COUNTER_FIELDS: a keyed load per field was a visible share
// of a sample at thousands of interfaces. The parser hands out the same counters object for an
// unchanged line, so an idle interface is one comparison.
function decreased(prev: InterfaceCounters, next: InterfaceCounters): boolean {
  if (prev === next) return false;
  return (
    next.rxBytes < prev.rxBytes || next.rxPackets < prev.rxPackets || next.rxErrs < prev.rxErrs || next.rxDrop < prev.rxDrop ||
    next.rxFifo < prev.rxFifo || next.rxFrame < prev.rxFrame || next.rxCompressed < prev.rxCompressed || next.rxMulticast < prev.rxMulticast ||
    next.txBytes < prev.txBytes || next.txPackets < prev.txPackets || next.txErrs < prev.txErrs || next.txDrop < prev.txDrop ||
    next.txFifo < prev.txFifo || next.txColls < prev.txColls || next.txCarrier < prev.txCarrier || next.txCompressed < prev.txCompressed
  );
}
