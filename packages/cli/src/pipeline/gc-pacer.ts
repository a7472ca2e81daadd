import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { monotonicNowMs } from '@otel-netif/receiver-netif';

/** V8's collector as `--expose-gc` exposes it; Node 20 takes the kind and the execution as options. */
export type CollectGarbage = (options: { type: 'major' | 'minor'; execution: 'async' }) => Promise<void> | void;

export interface GcPacerOptions {
  /** Collect once the heap holds this many bytes more (see heldBytes) than the last collection left… */
  minGrowthBytes?: number;
  /** …or this share of what it left, when that is more. */
  growthRatio?: number;
  /** At least this long between two collections it starts, in milliseconds. */
  minIntervalMs?: number;
  /** Monotonic milliseconds; monotonicNowMs() by default. */
  now?: () => number;
  /** Bytes the collection would free if dead; heldBytes() by default. */
  heldBytes?: () => number;
  /** Told those bytes when a collection started and when it ended. */
  onCollected?: (before: number, after: number) => void;
  /** Collect the young generation once ArrayBuffers (see bufferBytes) hold this many bytes more than after the last collection. */
  minBufferGrowthBytes?: number;
  /** Bytes of every ArrayBuffer and Buffer; process.memoryUsage().arrayBuffers by default. */
  bufferBytes?: () => number;
}

export const DEFAULT_MIN_GROWTH_BYTES = 1024 * 1024;
export const DEFAULT_GROWTH_RATIO = 0.1;
export const DEFAULT_MIN_INTERVAL_MS = 5_000;
export const DEFAULT_MIN_BUFFER_GROWTH_BYTES = 256 * 1024;

/**
 * Starts V8's full collection itself, soon after the old generation (and the Buffers it holds, see
 * heldBytes) has grown a little. Objects that live across a sample (the snapshot, the body being
 * served) survive two scavenges and are promoted to the old generation, where they die a sample
 * later. V8 collects it only once it has grown by 8 MB since the last full collection (its minimum
 * step; a heap this small never reaches its growing factor): at 1000 interfaces, scraped every 15
 * s, RSS crept from 59.0 to 65.0 MiB in 15 minutes and was still rising; paced, it stayed at
 * 57.7-59.8 MiB for 25 minutes (2026-12-05). The price is a marking (and compaction, see
 * processGcPacer) of the live heap, ~45 ms at 1000 interfaces. A steady host grows ~1 MB a minute
 * (1000 idle interfaces, a sample and a scrape a second), so about one a minute. With interfaces
 * coming and going (1000 taps, 20 added and 20 deleted a second) a churned interface's objects live
 * about one sample, long enough to be promoted, and the old generation grew 8-12 MB a minute: RSS
 * swings with what accumulates between two collections. In the soak's pattern (a gzip scrape every
 * 5 s, RSS read right after it), side by side from minute 5 to 11: collected at 2 MB and at most
 * every 10 s, as before, 60.9-64.5 MiB; at the threshold and at most every 5 s, 60.9-63.2 MiB, for
 * a fifth more CPU under that churn (866 against 710 ticks, as much as the build before this
 * session's cuts of garbage spent; 2026-12-05). With traffic on all of 1000 veths the old
 * generation grows ~2 MB every 5 s, so it collects at every minimum interval, 35-50 ms each: a
 * third of such a host's CPU per cycle (2026-12-06); with the young collections below, and V8
 * collecting on one thread (the launcher's --single-threaded-gc), every 8-12 s, 45-85 ms each
 * (--trace-gc, two runs, 2026-12-06). `execution: 'async'` only posts it as a task, so it
 * runs after the sample that asked for it; it is still one pause of the main thread, which a scrape
 * arriving then waits out.
 *
 * Between those, it starts a young collection (a scavenge, 1-2 ms) once ArrayBuffers hold 256 KB
 * more than the last collection left. The memory of a dead Buffer goes back only when a collection
 * finds its object dead, and V8 counts none of it towards its own next scavenge: with traffic on
 * all of 1000 veths each gzip scrape replaces ~45 compressed pieces and makes as much again in
 * zlib's output steps (~370 KB a second), and the young generation filled only every ~3 s, so RSS
 * rose by ~1.2 MB and fell at each scavenge. Collected here, at a 1 s interval scraped every second,
 * two pairs side by side for 4 minutes: VmRSS 59,536 and 59,440 against 59,776 and 59,820 kB
 * (median from 120 s), 621 and 638 against 688 and 676 ticks (2026-12-06): about one scavenge per
 * sample there, and fewer Buffers promoted for the full collection to find. One earlier pair read
 * 408 kB more, all of it glibc's heap, which differs by ±0.5 MB from run to run. A steady host's
 * chunks do not change, and it seldom starts one.
 */
export class GcPacer {
  private readonly minGrowthBytes: number;
  private readonly growthRatio: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly heldBytes: () => number;
  private readonly onCollected: ((before: number, after: number) => void) | undefined;
  private readonly minBufferGrowthBytes: number;
  private readonly bufferBytes: () => number;
  /** What the last collection left, or the lowest reading since (V8 collected on its own). */
  private floor: number | undefined;
  /** bufferBytes() after the last collection, or the lowest reading since. */
  private bufferFloor: number | undefined;
  private collecting = false;
  /** now() when the last full collection it started began. */
  private lastStart: number | undefined;
  /** Full collections started so far. */
  collections = 0;
  /** Young collections started so far. */
  youngCollections = 0;

  constructor(
    private readonly collect: CollectGarbage,
    opts: GcPacerOptions = {},
  ) {
    this.minGrowthBytes = opts.minGrowthBytes ?? DEFAULT_MIN_GROWTH_BYTES;
    this.growthRatio = opts.growthRatio ?? DEFAULT_GROWTH_RATIO;
    this.minIntervalMs = opts.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    this.now = opts.now ?? monotonicNowMs;
    this.heldBytes = opts.heldBytes ?? heldBytes;
    this.onCollected = opts.onCollected;
    this.minBufferGrowthBytes = opts.minBufferGrowthBytes ?? DEFAULT_MIN_BUFFER_GROWTH_BYTES;
    this.bufferBytes = opts.bufferBytes ?? arrayBufferBytes;
  }

  /** Once per sample, after what it feeds was made from it. */
  tick(): void {
    if (this.collecting) return;
    if (!this.startFull()) this.startYoung();
  }

  /** Whether it started a full collection. */
  private startFull(): boolean {
    const used = this.heldBytes();
    if (this.floor === undefined || used < this.floor) {
      this.floor = used;
      return false;
    }
    const growth = used - this.floor;
    const threshold = Math.max(this.minGrowthBytes, this.floor * this.growthRatio);
    if (growth < threshold) return false;
    const now = this.now();
    if (this.lastStart !== undefined && now - this.lastStart < this.minIntervalMs) return false;
    this.lastStart = now;
    this.collections++;
    this.start('major', () => {
      this.floor = this.heldBytes();
      this.onCollected?.(used, this.floor);
    });
    return true;
  }

  private startYoung(): void {
    const buffers = this.bufferBytes();
    if (this.bufferFloor === undefined || buffers < this.bufferFloor) {
      this.bufferFloor = buffers;
      return;
    }
    if (buffers - this.bufferFloor < this.minBufferGrowthBytes) return;
    this.youngCollections++;
    this.start('minor', () => {});
  }

  /** `ended` runs once the collection is over (or failed): a full one frees dead Buffers too. */
  private start(type: 'major' | 'minor', ended: () => void): void {
    this.collecting = true;
    const done = (): void => {
      this.collecting = false;
      this.bufferFloor = this.bufferBytes();
      ended();
    };
    try {
      Promise.resolve(this.collect({ type, execution: 'async' })).then(done, done);
    } catch {
      done();
    }
  }
}

/** The collector when the process runs with --expose-gc (the launcher of the bundle passes it, see scripts/launcher.mjs), else undefined. */
export function exposedGc(): CollectGarbage | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as CollectGarbage) : undefined;
}

/**
 * This process's pacer, when its collector is exposed; undefined when not (`node otel-netif.js`).
 * It also makes every full collection compact: otherwise V8 evacuates only its most fragmented
 * pages, and the heap of an agent collected every few minutes still grew, its pages a little
 * fuller of dead objects each time (1000 interfaces: 12.1 -> 13.4 MiB in 8 minutes, against a flat
 * 11.6-12.1 MiB with compaction, 2026-12-05). A GC heuristic V8 reads at each collection, so set
 * here, with the pacer that needs it, rather than among the launcher's flags.
 */
export function processGcPacer(opts: GcPacerOptions = {}): GcPacer | undefined {
  const collect = exposedGc();
  if (collect === undefined) return undefined;
  setFlagsFromString('--compact-on-every-full-gc');
  return new GcPacer(collect, opts);
}

/**
 * V8's old generation in use (every space but the young ones and the read-only one), plus the
 * memory of ArrayBuffers and Buffers (V8's external memory): a Buffer that lives across a sample is
 * promoted with its 96-byte object, and its bytes go only with a full collection. On a host whose
 * every line changes, each encode replaces every compressed chunk of the body (~64 Buffers, some
 * 100s of KB in all) while the old generation itself barely grew. At 1000 veths with traffic
 * (default interval, scraped every 15 s, one history slot), side by side from minute 4 to 12:
 * VmRSS 59.5-60.1 thousand kB counting them against 60.4-60.5 without, for no more CPU (520
 * against 580 ticks over 12 minutes, 2026-12-05).
 */
export function heldBytes(): number {
  let used = getHeapStatistics().external_memory;
  for (const s of getHeapSpaceStatistics()) if (!YOUNG_OR_READ_ONLY.has(s.space_name)) used += s.space_used_size;
  return used;
}

const YOUNG_OR_READ_ONLY = new Set(['new_space', 'new_large_object_space', 'read_only_space']);

/**
 * Node's count of the memory of every ArrayBuffer and Buffer, updated as they are made and freed
 * (V8's external memory lags a collection behind). The only API with it also reads RSS from /proc:
 * ~10 µs a call here, once per sample (2026-12-06).
 */
export function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}
