export { RateProcessor } from './processor.js';
export { DEFAULT_RATE_PROCESSOR_CONFIG, validateRateProcessorConfig } from './config.js';
export { OTHER_INTERFACE_NAME } from './top-n.js';
export type { RateProcessorConfig, RateResult, RateSeries } from './types.js';
