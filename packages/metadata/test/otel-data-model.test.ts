import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import * as model from '@otel-netif/metadata';

describe('OTel data model constants', () => {
  it('equal the SDK enums they stand for', () => {
    assert.equal(model.DATA_POINT_GAUGE, DataPointType.GAUGE);
    assert.equal(model.DATA_POINT_SUM, DataPointType.SUM);
    assert.equal(model.TEMPORALITY_CUMULATIVE, AggregationTemporality.CUMULATIVE);
    assert.equal(model.VALUE_INT, ValueType.INT);
    assert.equal(model.VALUE_DOUBLE, ValueType.DOUBLE);
    assert.equal(model.INSTRUMENT_COUNTER, InstrumentType.COUNTER);
    assert.equal(model.INSTRUMENT_OBSERVABLE_COUNTER, InstrumentType.OBSERVABLE_COUNTER);
    assert.equal(model.INSTRUMENT_OBSERVABLE_GAUGE, InstrumentType.OBSERVABLE_GAUGE);
    assert.equal(model.INSTRUMENT_OBSERVABLE_UP_DOWN_COUNTER, InstrumentType.OBSERVABLE_UP_DOWN_COUNTER);
  });
});
