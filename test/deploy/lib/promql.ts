/**
 * What the dashboards and alert rules ask Prometheus, in one place: every PromQL expression with
 * where it came from, the metric names it uses, and Grafana's template variables substituted.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMetadata, prometheusMetricName } from '@otel-netif/metadata';
import { parse } from 'yaml';
import { DASHBOARD_DIR, REPO_ROOT, RULES_FILE } from './paths.js';

export interface Expr {
  /** e.g. `fleet.json › panel "Busiest hosts" › A`. */
  where: string;
  expr: string;
  /** A `label_values(expr, label)` variable query: run as `count by (label) (expr)`. */
  variable?: boolean;
  /** An alert rule (name) rather than a dashboard query. */
  alert?: string;
}

export interface Dashboard {
  file: string;
  json: Record<string, any>;
}

export function loadDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Record<string, any> }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Record<string, any>): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const p of panels as Array<Record<string, any>>) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

const LABEL_VALUES = /^\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s;

/** The PromQL behind a `label_values(metric{...}, label)` variable query. */
export function variableQueryExpr(query: string): string {
  const m = LABEL_VALUES.exec(query);
  if (!m) throw new Error(`unsupported variable query (only label_values(expr, label) is used): ${query}`);
  return `count by (${m[2]}) (${m[1]})`;
}

export function dashboardExprs(dashboards = loadDashboards()): Expr[] {
  const out: Expr[] = [];
  for (const { file, json } of dashboards) {
    for (const v of (json.templating?.list ?? []) as Array<Record<string, any>>) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : String(v.query?.query ?? '');
      out.push({ where: `${file} › variable $${v.name}`, expr: variableQueryExpr(q), variable: true });
    }
    for (const p of allPanels(json)) {
      for (const t of (p.targets ?? []) as Array<Record<string, any>>) {
        out.push({ where: `${file} › panel "${p.title}" › ${t.refId}`, expr: String(t.expr ?? '') });
      }
    }
  }
  return out;
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function loadRules(file = RULES_FILE): Array<{ name: string; rules: Rule[] }> {
  return (parse(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }).groups;
}

export function ruleExprs(file = RULES_FILE): Expr[] {
  return loadRules(file).flatMap((g) =>
    g.rules.map((r) => ({ where: `rules › ${g.name} › ${r.alert ?? r.record}`, expr: r.expr, ...(r.alert ? { alert: r.alert } : {}) })));
}

const KEYWORDS = new Set([
  'and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
  'atan2', 'inf', 'nan', 'start', 'end',
]);

/**
 * Metric names an expression selects. A small lexer, not a parser: strings, label matchers,
 * ranges, grouping clauses and Grafana variables are blanked out, and what remains that looks like
 * an identifier and is neither a function call nor a keyword is a metric name.
 */
export function metricNames(expr: string): string[] {
  if (/__name__/.test(expr)) throw new Error(`selecting by __name__ hides the metric name from this check: ${expr}`);
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$[a-zA-Z_][a-zA-Z0-9_]*/g, ' ');
  s = s.replace(/\b(?:group_left|group_right)\b/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = s.slice((m.index ?? 0) + word.length);
    if (/^\s*\(/.test(after)) continue;
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** Prometheus names of every metric the receiver and the rate processor emit, from their metadata.yaml. */
export function knownMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const pkg of ['receiver-netif', 'processor-rate']) {
    const md = loadMetadata(join(REPO_ROOT, 'packages', pkg, 'metadata.yaml'));
    for (const m of Object.values(md.metrics)) names.add(prometheusMetricName(m));
  }
  return names;
}

/** Series Prometheus itself makes, or every OTel SDK exposes, that a query may also use. */
export const BUILTIN_METRICS = new Set(['up', 'target_info']);

/**
 * Replaces Grafana's template variables the way Grafana would before sending the query. Unknown
 * variables are an error, so a dashboard cannot use one this table forgets.
 */
export function substituteVariables(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?\}|\$([a-zA-Z_][a-zA-Z0-9_]*)/g, (whole, a?: string, b?: string) => {
    const name = (a ?? b) as string;
    const v = values[name];
    if (v === undefined) throw new Error(`no value for Grafana variable ${whole} in: ${expr}`);
    return v;
  });
}

/** An alert expression without its final `<op> <number>`: the quantity the alert compares. */
export function withoutThreshold(expr: string): string {
  const m = /^(.*\S)\s*(?:>|<|>=|<=|==|!=)\s*[0-9.e+-]+\s*$/s.exec(expr);
  if (!m) throw new Error(`no trailing comparison to drop in: ${expr}`);
  return m[1]!;
}
