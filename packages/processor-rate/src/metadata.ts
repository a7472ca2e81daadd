import { readFileSync } from 'node:fs';
import { loadMetadata } from '@otel-netif/metadata';
import type { MetricMetadata } from '@otel-netif/metadata';

/** The one derived metric that is not simply `X.rate`; its `from` in metadata.yaml names the byte counter. */
export const UTILIZATION_METRIC = 'system.network.bandwidth.utilization';
/** Folding, ranking and link speeds are all keyed by this attribute. */
export const INTERFACE_ATTRIBUTE = 'network.interface.name';
/** The receiver's link-speed gauge (By/s) that utilization divides by. */
export const INTERFACE_SPEED_METRIC = 'system.network.interface.speed';

export interface RateMetadata {
  scopeName: string;
  scopeVersion: string;
  /** Derived metrics listed in metadata.yaml, for their descriptions. */
  metrics: Readonly<Record<string, MetricMetadata>>;
  utilization: MetricMetadata;
  /** The byte-rate gauge that ranks interfaces and feeds utilization (system.network.io.rate). */
  ioRateMetric: string;
}

let cached: RateMetadata | undefined;

/**
 * metadata.yaml and the package version, read once. A metadata.yaml that no longer describes what
 * the algorithm relies on fails here, at construction, rather than producing misnamed metrics.
 */
export function rateMetadata(): RateMetadata {
  if (cached) return cached;
  const file = new URL('../metadata.json', import.meta.url);
  const meta = loadMetadata(file);
  const utilization = meta.metrics[UTILIZATION_METRIC];
  if (utilization?.from === undefined) throw new Error(`${String(file)}: ${UTILIZATION_METRIC} with a "from" is required`);
  const ioRateMetric = `${utilization.from}.rate`;
  if (!meta.metrics[ioRateMetric]) throw new Error(`${String(file)}: ${ioRateMetric} is required (utilization is computed from it)`);
  if (!meta.attributes[INTERFACE_ATTRIBUTE]) throw new Error(`${String(file)}: attribute ${INTERFACE_ATTRIBUTE} is required`);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  cached = {
    scopeName: meta.scopeName,
    scopeVersion: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    metrics: meta.metrics,
    utilization,
    ioRateMetric,
  };
  return cached;
}
