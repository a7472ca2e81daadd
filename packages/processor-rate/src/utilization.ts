import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { pointColumns } from '@otel-netif/metadata';

interface Speed {
  bytesPerSecond: number;
  /** The round that reported it: an entry from an older round is stale. */
  round: number;
}

/**
 * Each interface's link speed (By/s), as the receiver's speed gauge reported it this round. Kept
 * across rounds and updated in place: a Map of thousands of names built every round was a sixth of
 * what a round allocated. Entries of interfaces gone are dropped once they outnumber the live ones.
 */
export class LinkSpeeds {
  private readonly speeds = new Map<string, Speed>();
  private round = 0;
  private reported = 0;

  beginRound(): void {
    if (this.speeds.size > 2 * this.reported + 64) {
      for (const [name, s] of this.speeds) if (s.round !== this.round) this.speeds.delete(name);
    }
    this.round++;
    this.reported = 0;
  }

  /** Takes this round's speeds from the receiver's speed gauge. */
  collect(metric: GaugeMetricData, interfaceAttribute: string): void {
    const { attributes, values, length } = pointColumns(metric);
    const round = this.round;
    for (let i = 0; i < length; i++) {
      const name = attributes[i]?.[interfaceAttribute];
      const value = values[i] as number;
      // A zero or negative speed is the driver saying "unknown", not a link that carries nothing.
      if (typeof name !== 'string' || !Number.isFinite(value) || value <= 0) continue;
      const s = this.speeds.get(name);
      if (s === undefined) this.speeds.set(name, { bytesPerSecond: value, round });
      else {
        if (s.round !== round) this.reported++;
        s.bytesPerSecond = value;
        s.round = round;
        continue;
      }
      this.reported++;
    }
  }

  /** Whether any interface reported a speed this round. */
  get any(): boolean {
    return this.reported > 0;
  }

  get(interfaceName: string): number | undefined {
    const s = this.speeds.get(interfaceName);
    return s !== undefined && s.round === this.round ? s.bytesPerSecond : undefined;
  }
}

/**
 * The capacity utilization divides by: the link speed when the driver reports one, else the
 * configured maximum, else none (no utilization point rather than a made-up one).
 */
export function capacityFor(interfaceName: string, linkSpeeds: LinkSpeeds, maxBandwidthBytesPerSecond: number): number | undefined {
  const speed = linkSpeeds.get(interfaceName);
  if (speed !== undefined) return speed;
  return maxBandwidthBytesPerSecond > 0 ? maxBandwidthBytesPerSecond : undefined;
}
