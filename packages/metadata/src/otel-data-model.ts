import type { ValueType } from '@opentelemetry/api';
import type { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';

// The OTel metrics data model's enum values, for code that builds MetricData by hand. Importing
// the enums themselves loads all of @opentelemetry/sdk-metrics and @opentelemetry/api (about
// 20 MB of resident memory) into an agent that, exporting only to Prometheus, needs neither.
// packages/metadata/test/otel-data-model.test.ts checks each against the SDK's own.

export const DATA_POINT_GAUGE = 2 as DataPointType.GAUGE;
export const DATA_POINT_SUM = 3 as DataPointType.SUM;
export const TEMPORALITY_CUMULATIVE = 1 as AggregationTemporality.CUMULATIVE;
export const VALUE_INT = 0 as ValueType.INT;
export const VALUE_DOUBLE = 1 as ValueType.DOUBLE;
export const INSTRUMENT_OBSERVABLE_COUNTER = 'OBSERVABLE_COUNTER' as InstrumentType.OBSERVABLE_COUNTER;
export const INSTRUMENT_OBSERVABLE_GAUGE = 'OBSERVABLE_GAUGE' as InstrumentType.OBSERVABLE_GAUGE;
export const INSTRUMENT_OBSERVABLE_UP_DOWN_COUNTER = 'OBSERVABLE_UP_DOWN_COUNTER' as InstrumentType.OBSERVABLE_UP_DOWN_COUNTER;
export const INSTRUMENT_COUNTER = 'COUNTER' as InstrumentType.COUNTER;
