import type { Attributes } from '@opentelemetry/api';
import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { isPublishedArray, pointColumns } from '@otel-netif/metadata';

export interface Speed {
  bytesPerSecond: number;
  /** The round that reported it: an entry from an older round is stale. */
  round: number;
}

/**
 * Each interface's link speed (By/s), as the receiver's speed gauge reported it this round. Kept
 * across rounds and updated in place: a Map of thousands of names built every round was a sixth of
 * what a round allocated. Entries of interfaces gone are dropped once they outnumber the live ones.
 */
/**
 * The Speed of each position of a published attributes array (null: no interface name there,
 * undefined: no speed known for the name), while LinkSpeeds' entries are the same.
 */
interface SpeedRefs {
  version: number;
  refs: (Speed | null | undefined)[];
}

/**
 * Each interface's link speed (By/s), as the receiver's speed gauge reported it this round. Kept
 * across rounds and updated in place: a Map of thousands of names built every round was a sixth of
 * what a round allocated. Entries of interfaces gone are dropped once they outnumber the live ones.
 * A published attributes array (the receiver's speed gauge, its byte rates) gets its entries by
 * position, looked up by name only when entries come or go.
 */
export class LinkSpeeds {
  private readonly speeds = new Map<string, Speed>();
  private round = 0;
  private reported = 0;
  /** Bumped when an entry is added or dropped: cached SpeedRefs are made again. */
  private version = 0;
  private readonly byArray = new WeakMap<readonly Attributes[], SpeedRefs>();

  beginRound(): void {
    if (this.speeds.size > 2 * this.reported + 64) {
      for (const [name, s] of this.speeds) if (s.round !== this.round) this.speeds.delete(name);
      this.version++;
    }
    this.round++;
    this.reported = 0;
  }

  /** Takes this round's speeds from the receiver's speed gauge. */
  collect(metric: GaugeMetricData, interfaceAttribute: string): void {
    const { attributes, values, length } = pointColumns(metric);
    const refs = isPublishedArray(attributes) ? this.refsFor(attributes, interfaceAttribute) : undefined;
    const round = this.round;
    for (let i = 0; i < length; i++) {
      const value = values[i] as number;
      // A zero or negative speed is the driver saying "unknown", not a link that carries nothing.
      if (!Number.isFinite(value) || value <= 0) continue;
      let s = refs?.[i];
      if (s === null) continue;
      if (s === undefined) {
        const name = attributes[i]?.[interfaceAttribute];
        if (typeof name !== 'string') continue;
        s = this.speeds.get(name);
        if (s === undefined) {
          this.speeds.set(name, { bytesPerSecond: value, round });
          this.version++;
          this.reported++;
          continue;
        }
      }
      if (s.round !== round) this.reported++;
      s.bytesPerSecond = value;
      s.round = round;
    }
  }

  /** Whether any interface reported a speed this round. */
  get any(): boolean {
    return this.reported > 0;
  }

  get(interfaceName: string): number | undefined {
    return this.current(this.speeds.get(interfaceName));
  }

  /** This round's speed of an entry from refsFor(). */
  current(s: Speed | undefined): number | undefined {
    return s !== undefined && s.round === this.round ? s.bytesPerSecond : undefined;
  }

  /** The entry of each position of a published attributes array (see SpeedRefs). */
  refsFor(attributes: readonly Attributes[], interfaceAttribute: string): (Speed | null | undefined)[] {
    let r = this.byArray.get(attributes);
    if (r === undefined || r.version !== this.version) {
      r = {
        version: this.version,
        refs: attributes.map((a) => {
          const name = a?.[interfaceAttribute];
          return typeof name === 'string' ? this.speeds.get(name) : null;
        }),
      };
      this.byArray.set(attributes, r);
    }
    return r.refs;
  }
}

/**
 * The capacity utilization divides by: the link speed when the driver reports one (`speed`, this
 * round's), else the configured maximum, else none (no utilization point rather than a made-up one).
 */
export function capacityFor(speed: number | undefined, maxBandwidthBytesPerSecond: number): number | undefined {
  if (speed !== undefined) return speed;
  return maxBandwidthBytesPerSecond > 0 ? maxBandwidthBytesPerSecond : undefined;
}
