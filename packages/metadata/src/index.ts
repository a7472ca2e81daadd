export type { AttributeMetadata, ComponentMetadata, MetricKind, MetricMetadata } from './types.js';
export { MetadataError, compileMetadata, loadMetadata, metadataFromDocument, parseMetadata } from './load.js';
export { parseYaml } from './yaml.js';
export { prometheusLabelName, prometheusMetricName } from './prometheus-name.js';
export type { PrometheusNameInput } from './prometheus-name.js';
export {
  DATA_POINT_GAUGE,
  DATA_POINT_SUM,
  INSTRUMENT_COUNTER,
  INSTRUMENT_OBSERVABLE_COUNTER,
  INSTRUMENT_OBSERVABLE_GAUGE,
  INSTRUMENT_OBSERVABLE_UP_DOWN_COUNTER,
  TEMPORALITY_CUMULATIVE,
  VALUE_DOUBLE,
  VALUE_INT,
} from './otel-data-model.js';
export { isPublishedArray, pointColumns, pointCount, publishArray, withColumns } from './columns.js';
export { RecycledValuesError, RoundValues, withGuardedValues } from './round-values.js';
export type { PointColumns } from './columns.js';
