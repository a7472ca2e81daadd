/**
 * The OTLP exporters read OTEL_EXPORTER_OTLP_*HEADERS themselves, once, in their constructors, and
 * merge them under the headers they are given. Our config has already resolved those variables
 * (flag > env > file), so letting the SDK add them again would resurrect a header the user
 * replaced with a flag. Hidden only for the synchronous constructor call.
 */
export const SDK_HEADER_ENV = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'] as const;

export function withEnvHidden<T>(names: readonly string[], make: () => T, env: NodeJS.ProcessEnv = process.env): T {
  const saved: Array<[string, string]> = [];
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) {
      saved.push([name, value]);
      delete env[name];
    }
  }
  try {
    return make();
  } finally {
    for (const [name, value] of saved) env[name] = value;
  }
}
