import assert from 'node:assert/strict';
import type { GaugeMetricData, SumMetricData } from '@opentelemetry/sdk-metrics';
import { DATA_POINT_GAUGE, DATA_POINT_SUM, pointColumns, pointCount, TEMPORALITY_CUMULATIVE, VALUE_INT, withColumns } from '@otel-netif/metadata';

const descriptor = { name: 'm', description: 'd', unit: 'By', valueType: VALUE_INT };
const a = Object.freeze({ k: 'a' });
const b = Object.freeze({ k: 'b' });

describe('point columns', () => {
  it('build dataPoints on first read, once, equal to the plain metric', () => {
    const columns = { length: 2, attributes: [a, b], values: new Float64Array([1, 2]), startTimes: [[1, 0] as [number, number], [2, 0] as [number, number]], startTime: [1, 0] as [number, number], endTime: [9, 5] as [number, number] };
    const m = withColumns<SumMetricData>({ descriptor, dataPointType: DATA_POINT_SUM, isMonotonic: true, aggregationTemporality: TEMPORALITY_CUMULATIVE }, columns);
    const plain: SumMetricData = {
      descriptor,
      dataPointType: DATA_POINT_SUM,
      isMonotonic: true,
      aggregationTemporality: TEMPORALITY_CUMULATIVE,
      dataPoints: [
        { startTime: [1, 0], endTime: [9, 5], attributes: a, value: 1 },
        { startTime: [2, 0], endTime: [9, 5], attributes: b, value: 2 },
      ],
    };
    assert.equal(pointCount(m), 2);
    assert.equal(pointColumns(m), columns, 'the hot path reads the columns themselves');
    assert.deepStrictEqual(m, plain);
    assert.equal(m.dataPoints, m.dataPoints, 'built once');
    assert.deepEqual(JSON.parse(JSON.stringify(m)), JSON.parse(JSON.stringify(plain)));
    assert.deepStrictEqual({ ...m }, plain);
  });

  it('use per-point end times when given, and only the first `length` entries', () => {
    const m = withColumns<GaugeMetricData>(
      { descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE },
      { length: 1, attributes: [a, b], values: [7, 8], startTimes: [[1, 0], [1, 0]], startTime: [1, 0], endTimes: [[3, 0], [4, 0]], endTime: [0, 0] },
    );
    assert.deepEqual(m.dataPoints, [{ startTime: [1, 0], endTime: [3, 0], attributes: a, value: 7 }]);
  });

  it('give every point the shared start and end times when no per-point ones are given', () => {
    const m = withColumns<GaugeMetricData>(
      { descriptor, dataPointType: DATA_POINT_GAUGE, aggregationTemporality: TEMPORALITY_CUMULATIVE },
      { length: 2, attributes: [a, b], values: [7, 8], startTime: [1, 5], endTime: [3, 0] },
    );
    assert.deepEqual(m.dataPoints, [
      { startTime: [1, 5], endTime: [3, 0], attributes: a, value: 7 },
      { startTime: [1, 5], endTime: [3, 0], attributes: b, value: 8 },
    ]);
  });

  it('are read off the data points of a metric built without them', () => {
    const plain: GaugeMetricData = {
      descriptor,
      dataPointType: DATA_POINT_GAUGE,
      aggregationTemporality: TEMPORALITY_CUMULATIVE,
      dataPoints: [{ startTime: [1, 0], endTime: [2, 0], attributes: a, value: 3 }],
    };
    const c = pointColumns(plain);
    assert.equal(c.length, 1);
    assert.equal(c.attributes[0], a);
    assert.equal(c.values[0], 3);
    assert.deepEqual(c.startTimes?.[0], [1, 0]);
    assert.deepEqual(c.endTimes?.[0], [2, 0]);
    assert.equal(pointCount(plain), 1);
  });
});
