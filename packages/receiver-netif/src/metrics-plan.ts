import { readFileSync } from 'node:fs';
import { loadMetadata } from '@otel-netif/metadata';
import type { ComponentMetadata, MetricMetadata } from '@otel-netif/metadata';
import { counterKeyForColumn } from './parse/proc-net-dev.js';
import { linkUp } from './parse/sysfs.js';
import type { InterfaceCounters, LinkInfo } from './types.js';

export const ATTR_INTERFACE = 'network.interface.name';
export const ATTR_DIRECTION = 'network.io.direction';

/** A sum metric and, per direction value, the counter it reads. */
export interface SumPlan {
  metric: MetricMetadata;
  /** `index` is the direction's position in MetricsPlan.directions. */
  directions: { direction: string; index: number; counter: keyof InterfaceCounters }[];
}

export interface GaugePlan {
  metric: MetricMetadata;
  value: (link: LinkInfo) => number | undefined;
}

export interface MetricsPlan {
  scope: { name: string; version: string };
  /** In metadata.yaml order. */
  metrics: ({ kind: 'sum'; sum: SumPlan } | { kind: 'gauge'; gauge: GaugePlan })[];
  /** The network.io.direction values, from the attribute's enum. */
  directions: string[];
}

// The only metric-specific knowledge in code: which LinkInfo value each gauge reports. Names, units,
// descriptions and the counter columns come from metadata.yaml.
const GAUGE_VALUES: Record<string, (link: LinkInfo) => number | undefined> = {
  'system.network.interface.up': linkUp,
  'system.network.interface.carrier': (l) => (l.carrier === undefined ? undefined : l.carrier ? 1 : 0),
  'system.network.interface.speed': (l) => l.speedBytesPerSecond,
  'system.network.interface.mtu': (l) => l.mtu,
};

/** Checks metadata against what this code can emit; throws naming every mismatch (a build-time bug). */
export function buildPlan(md: ComponentMetadata, version: string): MetricsPlan {
  const problems: string[] = [];
  const directions = md.attributes[ATTR_DIRECTION]?.enum ?? [];
  const metrics: MetricsPlan['metrics'] = [];
  for (const metric of Object.values(md.metrics)) {
    const at = `metrics.${metric.name}`;
    if (metric.valueType !== 'int') problems.push(`${at}: only int values are emitted`);
    if (metric.kind === 'sum') {
      if (metric.attributes.join() !== [ATTR_INTERFACE, ATTR_DIRECTION].join()) {
        problems.push(`${at}: sums must have attributes [${ATTR_INTERFACE}, ${ATTR_DIRECTION}]`);
      }
      const plan: SumPlan = { metric, directions: [] };
      for (const [direction, column] of Object.entries(metric.source ?? {})) {
        const counter = counterKeyForColumn(column);
        if (!directions.includes(direction)) problems.push(`${at}.source: "${direction}" is not a ${ATTR_DIRECTION} value`);
        if (counter === undefined) problems.push(`${at}.source.${direction}: "${column}" is not a /proc/net/dev column`);
        else plan.directions.push({ direction, index: directions.indexOf(direction), counter });
      }
      if (plan.directions.length === 0) problems.push(`${at}: a sum needs source: { receive: <column>, transmit: <column> }`);
      metrics.push({ kind: 'sum', sum: plan });
    } else {
      const value = GAUGE_VALUES[metric.name];
      if (value === undefined) problems.push(`${at}: the receiver does not know how to compute this gauge`);
      else metrics.push({ kind: 'gauge', gauge: { metric, value } });
      if (metric.attributes.join() !== ATTR_INTERFACE) problems.push(`${at}: gauges must have attributes [${ATTR_INTERFACE}]`);
    }
  }
  if (problems.length > 0) throw new Error(`receiver-netif metadata.yaml: ${problems.join('; ')}`);
  return { scope: { name: md.scopeName, version }, metrics, directions };
}

let cached: MetricsPlan | undefined;

/** The plan from this package's own metadata.yaml and package.json (resolved from src/ and dist/ alike). */
export function packagePlan(): MetricsPlan {
  if (cached === undefined) {
    const md = loadMetadata(new URL('../metadata.json', import.meta.url));
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = buildPlan(md, typeof pkg.version === 'string' ? pkg.version : '0.0.0');
  }
  return cached;
}
