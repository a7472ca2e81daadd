/** The fields ReadOrder keeps on each of its members. */
export interface ReadOrderMember {
  olderRead: ReadOrderMember | undefined;
  newerRead: ReadOrderMember | undefined;
}

/**
 * Tracked interfaces by when their link was last read, oldest first: a list threaded through them,
 * so moving one to the end allocates nothing. The order used to be the tracked Map's insertion
 * order (delete, then set again), whose deleted entries made V8 rebuild the Map's table every few
 * hundred refreshes: 56 KB at 1000 interfaces each time, which had lived long enough to be promoted
 * and then was garbage for the next full collection, ~0.2 MB a minute at a 1 s interval (sampling
 * heap profile of objects collected by full collections, 2026-12-05).
 */
export class ReadOrder<T extends ReadOrderMember> {
  private oldest: T | undefined;
  private newest: T | undefined;

  /** The member read longest ago. */
  first(): T | undefined {
    return this.oldest;
  }

  /** The member read next after `t`. */
  after(t: T): T | undefined {
    return t.newerRead as T | undefined;
  }

  /** `t` was just read: it goes last, joining the list if it was not in it. */
  moveToEnd(t: T): void {
    if (t === this.newest) return;
    this.remove(t);
    t.olderRead = this.newest;
    if (this.newest !== undefined) this.newest.newerRead = t;
    else this.oldest = t;
    this.newest = t;
  }

  /** Takes `t` out of the list; nothing if it is not in it. */
  remove(t: T): void {
    if (t !== this.oldest && t.olderRead === undefined) return;
    if (t.olderRead !== undefined) t.olderRead.newerRead = t.newerRead;
    else this.oldest = t.newerRead as T | undefined;
    if (t.newerRead !== undefined) t.newerRead.olderRead = t.olderRead;
    else this.newest = t.olderRead as T | undefined;
    t.olderRead = undefined;
    t.newerRead = undefined;
  }
}
