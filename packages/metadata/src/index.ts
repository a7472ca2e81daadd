export type { AttributeMetadata, ComponentMetadata, MetricKind, MetricMetadata } from './types.js';
export { MetadataError, loadMetadata, parseMetadata } from './load.js';
export { prometheusLabelName, prometheusMetricName } from './prometheus-name.js';
export type { PrometheusNameInput } from './prometheus-name.js';
