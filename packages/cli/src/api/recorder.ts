import type { PipelineSnapshot } from '../pipeline/pipeline.js';
import { forEachTrafficRate } from '../pipeline/views.js';
import type { HistoryRing, HistorySeries } from '../history/ring.js';
import { SessionTotal } from './totals.js';

export type RecordedSnapshot = Pick<PipelineSnapshot, 'seq' | 'sample' | 'rates' | 'forEachRate'>;

/** What the live views keep of one interface from sample to sample; made when it appears, never per sample. */
export class InterfaceRecord {
  /** Last round the interface was in. */
  round = 0;
  /** Its index in that round's sample. */
  position = 0;

  constructor(
    readonly name: string,
    readonly totals: SessionTotal,
    readonly history: HistorySeries,
  ) {}
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
          r = new InterfaceRecord(name, new SessionTotal(counters, nowUnixMs), this.history.open(name));
          this.byName.set(name, r);
        } else {
          r.totals.add(counters);
        }
        order[k] = r;
      } else {
        r.totals.add(counters);
      }
      if (r.round !== round) present++;
      r.round = round;
      r.position = k;
    }
    order.length = interfaces.length;
    if (this.rates.length < 4 * interfaces.length) this.rates = new Float64Array(4 * interfaces.length);
    this.rates.fill(Number.NaN, 0, 4 * interfaces.length);
    if (this.byName.size > present) {
      for (const [name, r] of this.byName) {
        if (r.round === round) continue;
        this.byName.delete(name);
        this.history.close(r.history);
      }
    }

    this.rewind();
    forEachTrafficRate(snapshot, this.onRate);
    const history = this.history;
    history.begin(nowUnixMs);
    const v = this.rates;
    for (let k = 0; k < order.length; k++) {
      const at = 4 * k;
      history.record((order[k] as InterfaceRecord).history, v[at] as number, v[at + 1] as number, v[at + 2] as number, v[at + 3] as number);
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
