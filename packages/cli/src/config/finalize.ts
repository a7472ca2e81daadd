import { didYouMean } from './did-you-mean.js';
import { keyMatchesCertificate } from './pem-file.js';
import { OPTIONS } from './options.js';
import type { CommandName, Config, ConfigSources, LoadedConfig } from './types.js';
import { formatDuration, splitServiceName } from './values.js';

/** Options that only matter to one exporter: setting them without it is probably a mistake. */
const EXPORTER_OPTIONS: { field: keyof Config; exporter: Config['exporters'][number] }[] = [
  { field: 'listen', exporter: 'prometheus' },
  { field: 'otlpEndpoint', exporter: 'otlp' },
  { field: 'otlpProtocol', exporter: 'otlp' },
  { field: 'otlpHeaders', exporter: 'otlp' },
  { field: 'otlpTimeoutMs', exporter: 'otlp' },
  { field: 'otlpCertificate', exporter: 'otlp' },
  { field: 'otlpClientCertificate', exporter: 'otlp' },
  { field: 'otlpClientKey', exporter: 'otlp' },
  { field: 'webConfig', exporter: 'prometheus' },
  { field: 'eventsFile', exporter: 'events' },
  { field: 'eventsAll', exporter: 'events' },
  { field: 'historySize', exporter: 'prometheus' },
  { field: 'historyMemory', exporter: 'prometheus' },
];

const PREFIX = 'OTEL_NETIF_';

function keyOf(field: keyof Config): string {
  return OPTIONS.find((o) => o.field === field)?.key ?? field;
}

/** Cross-option rules and warnings, once every option has its value. */
export function finalize(command: CommandName, config: Config, sources: ConfigSources, env: Record<string, string | undefined>): LoadedConfig {
  const warnings: string[] = [];

  // OTel ranks OTEL_SERVICE_NAME over service.name in OTEL_RESOURCE_ATTRIBUTES, and both over the
  // default. The resource detector lets resource attributes win, so service.name leaves them here.
  if (config.resourceAttributes !== undefined) {
    const { serviceName, rest } = splitServiceName(config.resourceAttributes);
    if (serviceName !== undefined && sources.serviceName === 'default') {
      config.serviceName = serviceName;
      sources.serviceName = sources.resourceAttributes;
    }
    config.resourceAttributes = rest;
  }

  const known = new Set(OPTIONS.flatMap((o) => o.env.map((e) => e.name)));
  const ours = [...known].filter((n) => n.startsWith(PREFIX));
  for (const name of Object.keys(env)) {
    if (name.startsWith(PREFIX) && !known.has(name)) {
      // Compare what follows the shared prefix, or every name would look close to every other.
      const guess = didYouMean(name.slice(PREFIX.length), ours.map((n) => n.slice(PREFIX.length)));
      warnings.push(`${name} is not a variable otel-netif reads${guess ? ` (did you mean ${PREFIX}${guess}?)` : ''}; it is ignored`);
    }
  }

  if (command === 'run') {
    const pushes = config.exporters.includes('otlp') || (config.exporters.includes('console') && sources.exportIntervalMs !== 'default');
    if (pushes && config.exportIntervalMs < config.intervalMs) {
      warnings.push(
        `export-interval ${formatDuration(config.exportIntervalMs)} is shorter than interval ${formatDuration(config.intervalMs)}: ` +
          'exports between two samples repeat the same values',
      );
    }
    if (config.exporters.includes('otlp') && config.otlpTimeoutMs > config.exportIntervalMs) {
      warnings.push(`otlp-timeout ${formatDuration(config.otlpTimeoutMs)} is longer than export-interval ${formatDuration(config.exportIntervalMs)}: it is capped at the export interval`);
    }
    // Environment variables are often set for a whole fleet; only flags and files are surely meant for us.
    for (const { field, exporter } of EXPORTER_OPTIONS) {
      const source = sources[field];
      if ((source === 'flag' || source === 'file') && !config.exporters.includes(exporter)) {
        warnings.push(`${keyOf(field)} is set but the ${exporter} exporter is not selected (add --exporter ${exporter}); it is ignored`);
      }
    }
  }
  return { config, sources, warnings };
}

/** Problems only a combination of options has (each option alone was valid). */
export function crossOptionProblems(command: CommandName, config: Config): string[] {
  if (command !== 'run' || !config.exporters.includes('otlp')) return [];
  const { otlpClientCertificate: cert, otlpClientKey: key } = config;
  if (!cert !== !key) {
    return [`--otlp-client-certificate and --otlp-client-key go together: only the ${cert ? 'certificate' : 'key'} is set (set ${cert ? '--otlp-client-key or OTEL_EXPORTER_OTLP_CLIENT_KEY' : '--otlp-client-certificate or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'} too)`];
  }
  if (cert && key && !keyMatchesCertificate(cert, key)) return [`the OTLP client key ${key.path} is not the key of the client certificate ${cert.path}`];
  return [];
}

/**
 * Console is for people watching: it prints every sample unless an export interval was chosen,
 * rather than once a minute as OTel's push default would have it.
 */
export function consoleIntervalMs(loaded: Pick<LoadedConfig, 'config' | 'sources'>): number {
  return loaded.sources.exportIntervalMs === 'default' ? loaded.config.intervalMs : loaded.config.exportIntervalMs;
}
