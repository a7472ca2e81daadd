import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { pointColumns } from '@otel-netif/metadata';

/** Adds each interface's link speed (By/s) from the receiver's speed gauge to `into`. */
export function collectLinkSpeeds(metric: GaugeMetricData, interfaceAttribute: string, into: Map<string, number>): void {
  const { attributes, values, length } = pointColumns(metric);
  for (let i = 0; i < length; i++) {
    const name = attributes[i]?.[interfaceAttribute];
    const value = values[i] as number;
    // A zero or negative speed is the driver saying "unknown", not a link that carries nothing.
    if (typeof name === 'string' && Number.isFinite(value) && value > 0) into.set(name, value);
  }
}

/**
 * The capacity utilization divides by: the link speed when the driver reports one, else the
 * configured maximum, else none (no utilization point rather than a made-up one).
 */
export function capacityFor(
  interfaceName: string,
  linkSpeeds: ReadonlyMap<string, number>,
  maxBandwidthBytesPerSecond: number,
): number | undefined {
  const speed = linkSpeeds.get(interfaceName);
  if (speed !== undefined) return speed;
  return maxBandwidthBytesPerSecond > 0 ? maxBandwidthBytesPerSecond : undefined;
}
