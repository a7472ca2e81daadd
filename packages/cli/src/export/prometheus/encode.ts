import { DATA_POINT_GAUGE, DATA_POINT_SUM } from '@otel-netif/metadata';
import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { GaugeMetricData, MetricData, ScopeMetrics, SumMetricData } from '@opentelemetry/sdk-metrics';
import { prometheusMetricName } from '@otel-netif/metadata';
import { LabelNames } from './label-names.js';
import { attributeToLabelValue, escapeHelp, escapeLabelValue, formatSampleValue } from './text-format.js';

export type PromType = 'counter' | 'gauge';

interface Family {
  type: PromType;
  help: string;
  body: string;
}

export interface EncodeOptions {
  /** Told about metrics left out (a kind Prometheus text cannot hold here, a name clash). */
  onSkip?: (reason: string) => void;
}

const labelNames = new LabelNames();
const metricNames = new Map<string, string>();

export function metricName(m: MetricData, kind: 'sum' | 'gauge', monotonic: boolean): string {
  const d = m.descriptor;
  const key = `${kind}\0${monotonic ? 1 : 0}\0${d.unit}\0${d.name}`;
  let name = metricNames.get(key);
  if (name === undefined) {
    name = prometheusMetricName({ name: d.name, unit: d.unit, kind, monotonic });
    if (metricNames.size < 10_000) metricNames.set(key, name);
  }
  return name;
}

/**
 * The slow path for a point whose keys sanitize to the same label name: the values are joined
 * with ";" in key order, as the OTel→Prometheus compatibility spec says, so no label is lost and
 * the line stays valid.
 */
function mergedLabels(attrs: Attributes): string {
  const groups = new Map<string, Array<[string, string]>>();
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined || v === null) continue;
    const name = labelNames.name(key);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push([key, attributeToLabelValue(v)]);
  }
  let out = '';
  for (const [name, g] of groups) {
    g.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(g.map((e) => e[1]).join(';'))}"`;
  }
  return out;
}

// The receiver and processor reuse one attributes object per series across metrics and samples,
// so the encoded labels are computed once per series, not once per point per sample. Keyed by
// identity: emitted attributes are never mutated (OTel data model), and a WeakMap lets a
// vanished series' entry go with its last snapshot.
const labelCache = new WeakMap<Attributes, string>();

export function cachedLabelPairs(attrs: Attributes): string {
  let labels = labelCache.get(attrs);
  if (labels === undefined) {
    labels = labelPairs(attrs);
    labelCache.set(attrs, labels);
  }
  return labels;
}

/** `k="v",…` without braces; attribute order is kept. */
export function labelPairs(attrs: Attributes): string {
  // Joined rather than appended: a cached string built with += stays a rope of 32-byte nodes.
  const pairs: string[] = [];
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined || v === null) continue;
    const name = labelNames.name(key);
    if (labelNames.shared.has(name)) return mergedLabels(attrs);
    pairs.push(`${name}="${escapeLabelValue(attributeToLabelValue(v))}"`);
  }
  return pairs.join(',');
}

/** The family a metric's points go to, or undefined (told to onSkip) when Prometheus text cannot hold it here. */
export function familyOf(m: MetricData, onSkip: ((reason: string) => void) | undefined): { type: PromType; name: string; metric: SumMetricData | GaugeMetricData } | undefined {
  if (m.dataPointType === DATA_POINT_SUM) return { type: m.isMonotonic ? 'counter' : 'gauge', name: metricName(m, 'sum', m.isMonotonic), metric: m };
  if (m.dataPointType === DATA_POINT_GAUGE) return { type: 'gauge', name: metricName(m, 'gauge', false), metric: m };
  // The pipeline emits sums and gauges only; a histogram here would need buckets we do not write.
  onSkip?.(`${m.descriptor.name}: histograms are not exposed on /metrics`);
  return undefined;
}

/** `# HELP` and `# TYPE` of a family. */
export function familyHeader(name: string, help: string, type: PromType): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** `target_info` with the resource attributes as labels; empty without attributes. */
export function targetInfo(resource: Resource | undefined): string {
  const resourceLabels = resource ? labelPairs(resource.attributes) : '';
  return resourceLabels === '' ? '' : `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{${resourceLabels}} 1\n`;
}

function addMetric(families: Map<string, Family>, m: MetricData, onSkip: ((reason: string) => void) | undefined): void {
  const family = familyOf(m, onSkip);
  if (family === undefined) return;
  const { type, name, metric } = family;
  let fam = families.get(name);
  if (!fam) {
    families.set(name, (fam = { type, help: m.descriptor.description || m.descriptor.name, body: '' }));
  } else if (fam.type !== type) {
    onSkip?.(`${m.descriptor.name}: its Prometheus name ${name} is already a ${fam.type}`);
    return;
  }
  const prefixOpen = `${name}{`;
  const bare = `${name} `;
  let body = fam.body;
  for (const p of metric.dataPoints) {
    const labels = cachedLabelPairs(p.attributes);
    body += (labels === '' ? bare : prefixOpen + labels + '} ') + formatSampleValue(p.value) + '\n';
  }
  fam.body = body;
}

/**
 * Encodes one snapshot as Prometheus text format 0.0.4: a `target_info` gauge carrying the resource
 * attributes (Prometheus adds job and instance at scrape time, so they are not set here), then one
 * family per metric name with HELP and TYPE. No timestamps: explicit ones turn off Prometheus's
 * staleness handling, so a vanished interface's series would linger for five minutes.
 */
export function encodeExposition(scopeMetrics: readonly ScopeMetrics[], resource: Resource | undefined, opts: EncodeOptions = {}): string {
  let out = targetInfo(resource);
  const families = new Map<string, Family>();
  for (const scope of scopeMetrics) {
    for (const m of scope.metrics) addMetric(families, m, opts.onSkip);
  }
  for (const [name, fam] of families) {
    if (fam.body === '') continue;
    out += familyHeader(name, fam.help, fam.type) + fam.body;
  }
  return out;
}
