/** The shape of a package's metadata.yaml (modelled on the Collector's mdatagen files). */
export interface AttributeMetadata {
  description: string;
  type: 'string' | 'int' | 'double' | 'bool';
  enum?: string[];
}

export type MetricKind = 'sum' | 'gauge';

export interface MetricMetadata {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  valueType: 'int' | 'double';
  /** Only for sums. */
  monotonic: boolean;
  attributes: string[];
  /** Free-form mapping used by the emitting component (e.g. /proc/net/dev columns). */
  source?: Record<string, string>;
  /** For derived metrics: the metric this one is computed from. */
  from?: string;
}

export interface ComponentMetadata {
  type: string;
  scopeName: string;
  attributes: Record<string, AttributeMetadata>;
  metrics: Record<string, MetricMetadata>;
}
