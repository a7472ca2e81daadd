import { loadMetadata } from '@otel-netif/metadata';
import type { ComponentMetadata, MetricMetadata } from '@otel-netif/metadata';

/** The metric names the recorder fills; each must be in packages/cli/metadata.yaml. */
export const SELF_METRICS = {
  sampleDuration: 'otelnetif.sample.duration',
  samples: 'otelnetif.samples',
  interfaces: 'otelnetif.interfaces',
  series: 'otelnetif.series',
  seriesDropped: 'otelnetif.series.dropped',
  exports: 'otelnetif.exports',
  droppedPoints: 'otelnetif.export.dropped_points',
} as const;

export type SelfMetricKey = keyof typeof SELF_METRICS;

export interface SelfTelemetryMetadata {
  scopeName: string;
  metrics: Record<SelfMetricKey, MetricMetadata>;
}

let cached: SelfTelemetryMetadata | undefined;

/**
 * The agent's own metadata.yaml (resolved from src/ and dist/ alike), checked against what the
 * recorder emits: a metric renamed or retyped there fails at start-up, not in a dashboard.
 */
export function selfTelemetryMetadata(): SelfTelemetryMetadata {
  if (cached) return cached;
  const file = new URL('../../metadata.json', import.meta.url);
  cached = checkSelfTelemetryMetadata(loadMetadata(file), String(file));
  return cached;
}

export function checkSelfTelemetryMetadata(md: ComponentMetadata, file: string): SelfTelemetryMetadata {
  const problems: string[] = [];
  const metrics = {} as Record<SelfMetricKey, MetricMetadata>;
  const expectKind: Record<SelfMetricKey, 'sum' | 'gauge'> = {
    sampleDuration: 'gauge',
    samples: 'sum',
    interfaces: 'gauge',
    series: 'gauge',
    seriesDropped: 'gauge',
    exports: 'sum',
    droppedPoints: 'sum',
  };
  for (const [key, name] of Object.entries(SELF_METRICS) as [SelfMetricKey, string][]) {
    const m = md.metrics[name];
    if (!m) {
      problems.push(`${name} is missing`);
      continue;
    }
    if (m.kind !== expectKind[key]) problems.push(`${name} must be a ${expectKind[key]}`);
    if (m.kind === 'sum' && !m.monotonic) problems.push(`${name} must be monotonic`);
    metrics[key] = m;
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return { scopeName: md.scopeName, metrics };
}
