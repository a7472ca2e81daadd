// What other packages and tools (top, web UI, tests) build on; everything else is internal.
export { main } from './main.js';
export type { MainIo } from './main.js';
export { loadConfig, validateConfig, ConfigError } from './config/load.js';
export { resolveConfig } from './config/resolve.js';
export type { ConfigInput, FlagValues, Resolution } from './config/resolve.js';
export { consoleIntervalMs } from './config/finalize.js';
export { OPTIONS } from './config/options.js';
export type { AnyOptionSpec, EnvSource } from './config/spec.js';
export { EXPORTER_NAMES, LOG_LEVELS, OTLP_PROTOCOLS } from './config/types.js';
export type {
  CommandName,
  Config,
  ConfigSources,
  ExporterName,
  ListenAddress,
  LoadedConfig,
  LogLevelSetting,
  OtlpEndpointSetting,
  OtlpProtocol,
  SourceKind,
} from './config/types.js';
export { formatDuration, parseBandwidth, parseDuration, parseListen } from './config/values.js';
export { busiest, interfaceViews } from './pipeline/views.js';
export type { DirectionRates, InterfaceView } from './pipeline/views.js';
export { formatBits, formatBytes, formatBytesPerSecond, formatCount, formatPercent } from './format/units.js';
export { createConsoleExporter, formatConsoleLines } from './export/console.js';
export type { ConsoleExporterOptions } from './export/console.js';
export { CliError, StartupError, UsageError } from './errors.js';
