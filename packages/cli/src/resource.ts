import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { plainResource } from './plain-resource.js';
import type { Resource } from '@opentelemetry/resources';
import { createLogger } from './log.js';
import type { Logger } from './log.js';
import { parseResourceAttributes } from './resource-attributes.js';

export const DEFAULT_SERVICE_NAME = 'otel-netif';

export interface DetectResourceOptions {
  /** Host filesystem root ("/" or where the host's / is mounted in a container). */
  rootPath: string;
  /**
   * service.name. Wins over service.name in resourceAttributes, as OTEL_SERVICE_NAME ranks above
   * OTEL_RESOURCE_ATTRIBUTES; when undefined, resourceAttributes' service.name, else otel-netif.
   */
  serviceName?: string | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES syntax; when undefined, env.OTEL_RESOURCE_ATTRIBUTES is read. */
  resourceAttributes: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Where skipped OTEL_RESOURCE_ATTRIBUTES entries are reported; stderr when absent. */
  logger?: Logger;
  /** For tests: process.platform and os.hostname() otherwise. */
  platform?: NodeJS.Platform;
  hostname?: string;
}

let cachedVersion: string | undefined;

/** The CLI package's version, read once; the same file from src/ (tsx) and dist/. */
export function cliVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cachedVersion = 'unknown';
    }
  }
  return cachedVersion;
}

/** Node's platform names mapped to the OTel os.type values (semantic conventions). */
export function osType(platform: NodeJS.Platform | string): string {
  switch (platform) {
    case 'win32':
    case 'cygwin':
      return 'windows';
    case 'sunos':
      return 'solaris';
    case 'android':
      return 'linux';
    case 'os390':
      return 'z_os';
    default:
      return platform;
  }
}

/**
 * The host's machine id: the host's own file when the host filesystem is mounted (the agent in a
 * container), else the one this process sees. An empty or unreadable file means no host.id,
 * rather than a made-up one that would change on restart.
 */
export function readMachineId(rootPath: string, fallbackFile = '/etc/machine-id'): string | undefined {
  const candidates = [join(rootPath, 'etc/machine-id'), fallbackFile];
  for (const file of new Set(candidates)) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id !== '') return id;
    } catch {
      // Try the next one.
    }
  }
  return undefined;
}

/**
 * The resource every exporter attaches: who is reporting (service.*) and about which host
 * (host.*, os.type, k8s.* from the downward API), then the user's OTEL_RESOURCE_ATTRIBUTES on
 * top, so any detected value can be corrected; an explicit service name last.
 */
export function detectResource(opts: DetectResourceOptions): Resource {
  const attrs: Attributes = {
    'service.name': DEFAULT_SERVICE_NAME,
    'service.version': cliVersion(),
    'host.name': opts.hostname ?? hostname(),
  };
  const machineId = readMachineId(opts.rootPath);
  if (machineId !== undefined) attrs['host.id'] = machineId;
  attrs['os.type'] = osType(opts.platform ?? process.platform);
  const node = opts.env.K8S_NODE_NAME?.trim();
  if (node) attrs['k8s.node.name'] = node;
  const cluster = opts.env.K8S_CLUSTER_NAME?.trim();
  if (cluster) attrs['k8s.cluster.name'] = cluster;

  const text = opts.resourceAttributes ?? opts.env.OTEL_RESOURCE_ATTRIBUTES;
  if (text !== undefined) {
    const parsed = parseResourceAttributes(text);
    const logger = opts.logger ?? createLogger('warn');
    for (const p of parsed.problems) logger.warn(`${p}; skipped`);
    Object.assign(attrs, parsed.attributes);
  }
  if (opts.serviceName) attrs['service.name'] = opts.serviceName;
  return plainResource(attrs);
}
