import type { InterfaceCounters } from '@otel-netif/receiver-netif';
import type { PipelineSnapshot } from '../pipeline/pipeline.js';
import { forEachTrafficRate } from '../pipeline/views.js';
import { HistorySeries, type HistoryRing } from '../history/ring.js';
import { addTotals, startTotals, TRACKED, type SessionTotals } from './totals.js';
import { isoTime } from '../format/utc-time.js';

export type RecordedSnapshot = Pick<PipelineSnapshot, 'seq' | 'sample' | 'rates' | 'forEachRate'>;

/**
 * What the live views keep of one interface from sample to sample; made when it appears, never per
 * sample. It is the interface's history series and holds its session totals too: one object where
 * a record, a totals object and a series were three (68 KB less heap at 1000 interfaces, 2026-12-05).
 */
export class InterfaceRecord extends HistorySeries implements SessionTotals {
  /** Last round the interface was in. */
  round = 0;
  /** Its index in that round's sample. */
  position = 0;
  private readonly v: number[];
  private sinceIso: string | undefined = undefined;

  constructor(
    name: string,
    counters: InterfaceCounters,
    readonly sinceUnixMs: number,
  ) {
    super(name);
    this.v = startTotals(counters);
  }

  /** Adds a round's counters to the totals. */
  add(counters: InterfaceCounters): void {
    addTotals(this.v, counters);
  }

  get rxBytes(): number {
    return this.v[TRACKED] as number;
  }

  get txBytes(): number {
    return this.v[TRACKED + 1] as number;
  }

  get rxPackets(): number {
    return this.v[TRACKED + 2] as number;
  }

  get txPackets(): number {
    return this.v[TRACKED + 3] as number;
  }

  get errors(): number {
    return this.v[TRACKED + 4] as number;
  }

  get drops(): number {
    return this.v[TRACKED + 5] as number;
  }

  /** sinceUnixMs as ISO text, made once: every API snapshot repeats it. */
  get since(): string {
    return (this.sinceIso ??= isoTime(this.sinceUnixMs));
  }
}

/**
 * What every sample leaves behind for the page and the API to show later, whether anyone looks or
 * not: the "since start" totals and a history slot per interface. It runs once per sample at any
 * number of interfaces, so it allocates nothing per interface (only when one appears) and reads
 * the byte and packet rates through forEachRate, never the unfolded `rates`.
 */
export class SampleRecorder {
  private readonly byName = new Map<string, InterfaceRecord>();
  /**
   * The last round's records in its sample's order. A round usually lists the same interfaces in
   * the same order as the one before, so they are found here by position, without a lookup by name.
   */
  private readonly order: InterfaceRecord[] = [];
  private round = 0;
  /** Position of the interface find() found last. */
  private cursor = 0;
  /**
   * This round's byte and packet rates of the k-th interface at [4k, 4k + 4), in HISTORY_FIELDS
   * order; NaN until the processor has them. One array for all: a Float64Array(4) per record was
   * an object, an ArrayBuffer and its bytes, ~180 bytes per interface.
   */
  private rates = new Float64Array(0);

  constructor(private readonly history: HistoryRing) {}

  /** Records one round; interfaces absent from it are forgotten (one that comes back starts afresh). */
  record(snapshot: RecordedSnapshot, nowUnixMs: number): void {
    const round = ++this.round;
    const interfaces = snapshot.sample.interfaces;
    const order = this.order;
    let present = 0;
    for (let k = 0; k < interfaces.length; k++) {
      const { name, counters } = interfaces[k] as (typeof interfaces)[number];
      let r = order[k];
      if (r === undefined || r.name !== name) {
        r = this.byName.get(name);
        if (r === undefined) {
          r = new InterfaceRecord(name, counters, nowUnixMs);
          this.history.adopt(r);
          this.byName.set(name, r);
        } else {
          r.add(counters);
        }
        order[k] = r;
      } else {
        r.add(counters);
      }
      if (r.round !== round) present++;
      r.round = round;
      r.position = k;
    }
    order.length = interfaces.length;
    if (this.rates.length < 4 * interfaces.length) this.rates = new Float64Array(4 * interfaces.length);
    this.rates.fill(Number.NaN, 0, 4 * interfaces.length);
    if (this.byName.size > present) {
      // By value (a record knows its name): entries would make an array per interface.
      for (const r of this.byName.values()) {
        if (r.round === round) continue;
        this.byName.delete(r.name);
        this.history.close(r);
      }
    }

    this.rewind();
    forEachTrafficRate(snapshot, this.onRate);
    const history = this.history;
    history.begin(nowUnixMs);
    const v = this.rates;
    for (let k = 0; k < order.length; k++) {
      const at = 4 * k;
      history.record(order[k] as InterfaceRecord, v[at] as number, v[at + 1] as number, v[at + 2] as number, v[at + 3] as number);
    }
  }

  /** The record of the sample's k-th interface, for the snapshot recorded last. */
  at(k: number): InterfaceRecord | undefined {
    return this.order[k];
  }

  /** find() looks from the sample's first interface on. */
  rewind(): void {
    this.cursor = 0;
  }

  /**
   * The record of an interface in the last round. Looked for first where the one found last was and
   * just after it: rates come in the sample's order, each interface's directions one after the other.
   */
  find(name: string): InterfaceRecord | undefined {
    const order = this.order;
    let r = order[this.cursor];
    if (r === undefined || r.name !== name) {
      r = order[this.cursor + 1];
      if (r === undefined || r.name !== name) {
        r = this.byName.get(name);
        if (r === undefined || r.round !== this.round) return undefined;
      }
      this.cursor = r.position;
    }
    return r;
  }

  private readonly onRate = (name: string, field: number, value: number): void => {
    const r = this.find(name);
    if (r !== undefined) this.rates[4 * r.position + field] = value;
  };
}
