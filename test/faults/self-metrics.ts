// Reading the agent's own metrics (packages/cli/metadata.yaml) off a scrape.
import { findSample, type Exposition } from '../../test-support/index.js';

export interface SelfStats {
  samplesOk: number;
  samplesFailed: number;
  exportsOk: (exporter: string) => number;
  exportsFailed: (exporter: string) => number;
  droppedPoints: (exporter: string) => number;
  interfaces: (state: 'seen' | 'exported') => number;
  series: number;
  seriesDropped: number | undefined;
}

function must(expo: Exposition, name: string, labels: Record<string, string> = {}): number {
  const s = findSample(expo, name, labels);
  if (s === undefined) throw new Error(`${name}${JSON.stringify(labels)} is not served; the self-metrics are:\n${expo.text.split('\n').filter((l) => l.startsWith('otelnetif_')).join('\n')}`);
  return s.value;
}

export function selfStats(expo: Exposition): SelfStats {
  return {
    samplesOk: must(expo, 'otelnetif_samples_total', { outcome: 'success' }),
    samplesFailed: must(expo, 'otelnetif_samples_total', { outcome: 'failure' }),
    exportsOk: (exporter) => must(expo, 'otelnetif_exports_total', { exporter, outcome: 'success' }),
    exportsFailed: (exporter) => must(expo, 'otelnetif_exports_total', { exporter, outcome: 'failure' }),
    droppedPoints: (exporter) => must(expo, 'otelnetif_export_dropped_points_total', { exporter }),
    interfaces: (state) => must(expo, 'otelnetif_interfaces', { state }),
    series: must(expo, 'otelnetif_series'),
    seriesDropped: findSample(expo, 'otelnetif_series_dropped')?.value,
  };
}

/** Interface series in a scrape: everything but target_info and the self-metrics. */
export function interfaceSeries(expo: Exposition): number {
  return expo.samples.filter((s) => s.name !== 'target_info' && !s.name.startsWith('otelnetif_')).length;
}
