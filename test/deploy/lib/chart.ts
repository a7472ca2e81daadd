import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_CI_DIR, CHART_DIR } from './paths.js';
import { helm } from './tools.js';

/** Fixed so the golden files do not depend on who renders them. */
export const RELEASE = 'otel-netif';
export const NAMESPACE = 'monitoring';

export function ciValuesFiles(): string[] {
  return readdirSync(CHART_CI_DIR).filter((f) => f.endsWith('-values.yaml')).sort().map((f) => join(CHART_CI_DIR, f));
}

export function renderChart(extra: string[] = []): { code: number | null; stdout: string; stderr: string } {
  return helm(['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...extra]);
}

export function renderOk(extra: string[] = []): string {
  const r = renderChart(extra);
  assert.equal(r.code, 0, `helm template ${extra.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

export function parseManifests(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) continue;
    out.push(v as Record<string, unknown>);
  }
  return out;
}

export function findObject(objs: Array<Record<string, unknown>>, kind: string): Record<string, any> | undefined {
  return objs.find((o) => o.kind === kind) as Record<string, any> | undefined;
}
