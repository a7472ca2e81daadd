import assert from 'node:assert/strict';
import { DEFAULT_RATE_PROCESSOR_CONFIG, RateProcessor, validateRateProcessorConfig } from '@otel-netif/processor-rate';

describe('validateRateProcessorConfig', () => {
  it('accepts the default and typical configs', () => {
    assert.deepEqual(DEFAULT_RATE_PROCESSOR_CONFIG, { topN: 0, maxBandwidthBytesPerSecond: 0 });
    assert.ok(Object.isFrozen(DEFAULT_RATE_PROCESSOR_CONFIG));
    assert.deepEqual(validateRateProcessorConfig(DEFAULT_RATE_PROCESSOR_CONFIG), []);
    assert.deepEqual(validateRateProcessorConfig({ topN: 20, maxBandwidthBytesPerSecond: 1_250_000.5 }), []);
  });

  const cases: [string, unknown, string[]][] = [
    ['negative topN', { topN: -1, maxBandwidthBytesPerSecond: 0 }, ['topN: must be a whole number >= 0, got -1']],
    ['fractional topN', { topN: 2.5, maxBandwidthBytesPerSecond: 0 }, ['topN: must be a whole number >= 0, got 2.5']],
    ['string topN', { topN: '3', maxBandwidthBytesPerSecond: 0 }, ['topN: must be a whole number >= 0, got "3"']],
    ['NaN topN', { topN: Number.NaN, maxBandwidthBytesPerSecond: 0 }, ['topN: must be a whole number >= 0, got NaN']],
    ['infinite topN', { topN: Infinity, maxBandwidthBytesPerSecond: 0 }, ['topN: must be a whole number >= 0, got Infinity']],
    ['negative bandwidth', { topN: 0, maxBandwidthBytesPerSecond: -5 }, ['maxBandwidthBytesPerSecond: must be a finite number >= 0, got -5']],
    ['infinite bandwidth', { topN: 0, maxBandwidthBytesPerSecond: Infinity }, ['maxBandwidthBytesPerSecond: must be a finite number >= 0, got Infinity']],
    ['null bandwidth', { topN: 0, maxBandwidthBytesPerSecond: null }, ['maxBandwidthBytesPerSecond: must be a finite number >= 0, got null']],
    ['unknown option', { topN: 0, maxBandwidthBytesPerSecond: 0, top: 5 }, ['top: unknown option (known: topN, maxBandwidthBytesPerSecond)']],
    ['everything wrong at once', { topN: [], extra: {} }, [
      'topN: must be a whole number >= 0, got an array',
      'maxBandwidthBytesPerSecond: must be a finite number >= 0, got undefined',
      'extra: unknown option (known: topN, maxBandwidthBytesPerSecond)',
    ]],
    ['null', null, ['config: must be an object, got null']],
    ['array', [], ['config: must be an object, got an array']],
    ['string', 'top', ['config: must be an object, got "top"']],
    ['undefined', undefined, ['config: must be an object, got undefined']],
  ];
  for (const [label, input, expected] of cases) {
    it(`reports ${label}`, () => assert.deepEqual(validateRateProcessorConfig(input), expected));
  }

  it('is enforced by the RateProcessor constructor', () => {
    assert.throws(
      () => new RateProcessor({ topN: -1, maxBandwidthBytesPerSecond: -2 }),
      {
        name: 'TypeError',
        message:
          'invalid rate processor config: topN: must be a whole number >= 0, got -1; ' +
          'maxBandwidthBytesPerSecond: must be a finite number >= 0, got -2',
      },
    );
  });
});
