import type { Attributes, HrTime } from '@opentelemetry/api';
import type { PointColumns } from '@otel-netif/metadata';
import { isBefore } from './hr-time.js';
import { attributesKey } from './series-key.js';
import type { RateColumns, SeriesState } from './series-state.js';
import { OTHER_INTERFACE_NAME, rankedBefore } from './top-n.js';

/** One interface's score this round; cached on every series state of that interface. */
export interface InterfaceEntry {
  readonly name: string;
  readonly epoch: number;
  score: number;
  /** Round in which `score` was last reset; an entry not scored this round has no rate points. */
  scored: number;
  /** Round in which it was among the top N. */
  kept: number;
}

/** A folded point while it is being summed. */
interface Folded {
  attributes: Attributes;
  startTime: HrTime;
  endTime: HrTime;
  value: number;
}

/** The "other" series a set of folded series sums into (one per direction for netif). */
export interface FoldGroup {
  readonly epoch: number;
  readonly attributes: Attributes;
  /** The fold() call that last summed into it, and that sum. */
  pass: number;
  folded: Folded;
}

/**
 * The entry and fold group of each position of a published attributes array (RateColumns.whole),
 * for the tables' current epochs. The receiver's rate gauges all share one such array, round after
 * round: their rates are ranked and folded without reading a series state per point.
 */
interface Positions {
  entryEpoch: number;
  entries: (InterfaceEntry | null)[];
  groupEpoch: number;
  /** Filled as points fold: undefined where none has yet. */
  groups: (FoldGroup | undefined)[];
}

/**
 * Top-N folding without a lookup per point. Ranking and folding used to look up a Map by interface
 * name and build a folded key string for every rate point, every round: most of the processor's
 * cost with top-N on. Each series state now caches its interface entry and its fold group (the
 * attributes never change for a series), so a round costs field reads per point, plus one Map
 * lookup per series in its first round. Entries and groups are dropped, and states re-resolve them,
 * when the tables grow well past what a round uses (churn), so memory stays bounded.
 */
export class TopN {
  private readonly entries = new Map<string, InterfaceEntry>();
  private readonly groups = new Map<string, FoldGroup>();
  /** Bumped when a table is dropped: what states cached from it is then looked up again. */
  private entryEpoch = 1;
  private groupEpoch = 1;
  private round = 0;
  private pass = 0;
  /** This round's entries are the first `scoredCount` (never shrunk: regrowing it every round allocated). */
  private readonly scored: InterfaceEntry[] = [];
  private scoredCount = 0;
  private groupsUsed = 0;
  private dropEntries = false;
  private readonly positions = new WeakMap<readonly Attributes[], Positions>();

  constructor(
    private readonly interfaceAttribute: string,
    private readonly n: number,
  ) {}

  beginRound(): void {
    this.round++;
    this.scoredCount = 0;
    if (this.dropEntries) {
      this.entries.clear();
      this.entryEpoch++;
      this.dropEntries = false;
    }
    if (this.groups.size > 2 * this.groupsUsed + 64) {
      this.groups.clear();
      this.groupEpoch++;
    }
    this.groupsUsed = 0;
  }

  /** The entry of a series' interface; null when its interface attribute is not a string (never folded). */
  entryOf(state: SeriesState, attributes: Attributes): InterfaceEntry | null {
    let e = state.iface;
    if (e === undefined || (e !== null && e.epoch !== this.entryEpoch)) state.iface = e = this.entryFor(attributes);
    return e;
  }

  private entryFor(attributes: Attributes): InterfaceEntry | null {
    const name = attributes[this.interfaceAttribute];
    if (typeof name !== 'string') return null;
    let e = this.entries.get(name);
    if (e === undefined) {
      e = { name, epoch: this.entryEpoch, score: 0, scored: 0, kept: 0 };
      this.entries.set(name, e);
    }
    return e;
  }

  /** The entry of rate `i`: by position when the columns are one published array's points, else through its state. */
  private entryAt(rates: RateColumns, entries: readonly (InterfaceEntry | null)[] | undefined, i: number): InterfaceEntry | null {
    return entries !== undefined ? (entries[i] as InterfaceEntry | null) : this.entryOf(rates.states[i] as SeriesState, rates.attributes[i] as Attributes);
  }

  /** The entries (and groups) by position of columns that are one published array's points. */
  private positionsOf(rates: RateColumns): Positions | undefined {
    const whole = rates.whole;
    if (whole === undefined) return undefined;
    let p = this.positions.get(whole);
    if (p === undefined || p.entryEpoch !== this.entryEpoch) {
      p = { entryEpoch: this.entryEpoch, entries: whole.map((a) => this.entryFor(a)), groupEpoch: this.groupEpoch, groups: [] };
      this.positions.set(whole, p);
    }
    if (p.groupEpoch !== this.groupEpoch) {
      p.groupEpoch = this.groupEpoch;
      p.groups = [];
    }
    return p;
  }

  /**
   * Adds a gauge's points to their interfaces' scores (`counts`: the byte rate; other rates only
   * make their interface a candidate with score 0). Every folded gauge must be scored, so that each
   * point's entry is current when fold() reads it.
   */
  score(rates: RateColumns, counts: boolean): void {
    const round = this.round;
    const values = rates.values;
    const entries = this.positionsOf(rates)?.entries;
    for (let i = 0; i < rates.length; i++) {
      const e = this.entryAt(rates, entries, i);
      if (e === null) continue;
      if (e.scored !== round) {
        e.scored = round;
        e.score = 0;
        this.scored[this.scoredCount++] = e;
      }
      if (counts) e.score += values[i] as number;
    }
  }

  /** Marks the N best as kept; false when every interface fits and nothing folds. */
  select(): boolean {
    const { scored, scoredCount, n } = this;
    // Drops what older rounds left past this round's entries, so they can be collected.
    if (scored.length > scoredCount) scored.length = scoredCount;
    // Churn left entries of interfaces that are gone: the next round starts a new table (not this
    // one: its kept flags are set on the entries of this table, which folding reads next).
    if (this.entries.size > 2 * scoredCount + 64) this.dropEntries = true;
    if (n <= 0 || scoredCount <= n) return false;
    const top: InterfaceEntry[] = [];
    for (const e of scored) {
      let i = top.length;
      if (i === n) {
        const worst = top[n - 1] as InterfaceEntry;
        if (!rankedBefore(e.name, e.score, worst.name, worst.score)) continue;
        i = n - 1;
      }
      while (i > 0) {
        const prev = top[i - 1] as InterfaceEntry;
        if (!rankedBefore(e.name, e.score, prev.name, prev.score)) break;
        top[i] = prev;
        i--;
      }
      top[i] = e;
    }
    for (const e of top) e.kept = this.round;
    return true;
  }

  /**
   * The points to export: one per rate of a kept interface (or of one without an interface name),
   * plus all others summed into one "other" point per remaining attribute set, spanning the union
   * of their intervals. With `folds` false (every interface fits) simply every rate.
   */
  points(rates: RateColumns, folds: boolean): PointColumns {
    if (!folds) return rates.view();
    const { attributes, values, states } = rates;
    const out = { attributes: [] as Attributes[], values: [] as number[], startTimes: [] as HrTime[], endTimes: [] as HrTime[] };
    const pass = ++this.pass;
    const round = this.round;
    const positions = this.positionsOf(rates);
    // Every rate spans the same interval (the usual case): a folded sum spans it too.
    const shared = rates.starts === undefined;
    let others: FoldGroup[] | undefined;
    for (let i = 0; i < rates.length; i++) {
      const startTime = rates.startOf(i);
      const endTime = rates.endOf(i);
      const e = this.entryAt(rates, positions?.entries, i);
      if (e === null || e.kept === round) {
        out.attributes.push(attributes[i] as Attributes);
        out.values.push(values[i] as number);
        out.startTimes.push(startTime);
        out.endTimes.push(endTime);
        continue;
      }
      let g = positions?.groups[i];
      if (g === undefined) {
        g = this.groupOf(states[i] as SeriesState, attributes[i] as Attributes);
        if (positions !== undefined) positions.groups[i] = g;
      } else if (g.pass !== pass) {
        this.groupsUsed++;
      }
      if (g.pass !== pass) {
        g.pass = pass;
        g.folded = { attributes: g.attributes, startTime, endTime, value: values[i] as number };
        (others ??= []).push(g);
      } else {
        const acc = g.folded;
        acc.value += values[i] as number;
        if (shared) continue;
        if (isBefore(startTime, acc.startTime)) acc.startTime = startTime;
        if (isBefore(acc.endTime, endTime)) acc.endTime = endTime;
      }
    }
    if (others) {
      for (const { folded } of others) {
        out.attributes.push(folded.attributes);
        out.values.push(folded.value);
        out.startTimes.push(folded.startTime);
        out.endTimes.push(folded.endTime);
      }
    }
    return { length: out.values.length, ...out, startTime: out.startTimes[0] ?? [0, 0], endTime: out.endTimes[0] ?? [0, 0] };
  }

  /** The rates whose interface is kept by name (or that have none, so are never folded). Only after select(). */
  named(rates: RateColumns): RateColumns {
    const round = this.round;
    const entries = this.positionsOf(rates)?.entries;
    return rates.filterByPosition((i) => {
      const e = this.entryAt(rates, entries, i);
      return e === null || e.kept === round;
    });
  }

  private groupOf(state: SeriesState, attributes: Attributes): FoldGroup {
    let g = state.group;
    if (g === undefined || g.epoch !== this.groupEpoch) {
      const key = attributesKey(attributes, this.interfaceAttribute, OTHER_INTERFACE_NAME);
      g = this.groups.get(key);
      if (g === undefined) {
        // Frozen and reused round after round, so consumers that cache by attributes identity (the
        // Prometheus encoder) keep their cache for the "other" series too.
        const other = Object.freeze({ ...attributes, [this.interfaceAttribute]: OTHER_INTERFACE_NAME });
        g = { epoch: this.groupEpoch, attributes: other, pass: 0, folded: { attributes: other, startTime: [0, 0], endTime: [0, 0], value: 0 } };
        this.groups.set(key, g);
      }
      state.group = g;
    }
    if (g.pass !== this.pass) this.groupsUsed++;
    return g;
  }
}
