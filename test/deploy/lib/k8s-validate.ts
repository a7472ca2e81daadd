/**
 * Validates rendered Kubernetes objects with kubernetes-models (the Kubernetes OpenAPI schemas
 * compiled to validators), plus what those validators do not check: fields the schema does not
 * know. A typo such as `hostNetwrk: true` passes `validate()` and is silently dropped by a lenient
 * API server, so it is treated as an error here.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

interface ModelClass {
  new (data: unknown): { validate(): void };
  prototype: { validate(): void };
}

const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'apps/v1/DaemonSet': DaemonSet as unknown as ModelClass,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as ModelClass,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor as unknown as ModelClass,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule as unknown as ModelClass,
};

export function modelFor(obj: { apiVersion?: unknown; kind?: unknown }): ModelClass | undefined {
  return MODELS[`${String(obj.apiVersion)}/${String(obj.kind)}`];
}

/**
 * Paths of fields the schema does not define. The compiled validators read every property their
 * schema declares and enumerate the keys of map-typed objects (labels, resources); so a key that
 * the validator neither read nor could have enumerated is one the schema does not know. Each
 * plain object is wrapped in a Proxy that records exactly that.
 */
export function unknownFields(Model: ModelClass, obj: unknown): string[] {
  interface Seen { keys: Set<PropertyKey>; enumerated: boolean; path: string; target: Record<string, unknown> }
  const seen: Seen[] = [];
  const wrap = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => wrap(x, `${path}/${i}`));
    const target = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x, `${path}/${k}`)]));
    const rec: Seen = { keys: new Set(), enumerated: false, path, target };
    seen.push(rec);
    return new Proxy(target, {
      get(t, k, r) {
        rec.keys.add(k);
        return Reflect.get(t, k, r);
      },
      has(t, k) {
        rec.keys.add(k);
        return Reflect.has(t, k);
      },
      getOwnPropertyDescriptor(t, k) {
        rec.keys.add(k);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };
  // The model's validate() runs the compiled validator on `this`: call it on the proxy directly
  // (constructing a model would copy the data and lose the proxies).
  Model.prototype.validate.call(wrap(obj, ''));
  const unknown: string[] = [];
  for (const rec of seen) {
    if (rec.enumerated) continue;
    for (const k of Object.keys(rec.target)) if (!rec.keys.has(k)) unknown.push(`${rec.path}/${k}`);
  }
  return unknown.sort();
}

/** Problems with one rendered object: unknown kind, schema violations, unknown fields. */
export function validateObject(obj: Record<string, unknown>): string[] {
  const meta = (obj.metadata ?? {}) as { name?: string };
  const id = `${String(obj.kind)}/${meta.name ?? '?'}`;
  const Model = modelFor(obj);
  if (!Model) return [`${id}: no schema for ${String(obj.apiVersion)} ${String(obj.kind)} (add it to test/deploy/lib/k8s-validate.ts)`];
  try {
    new Model(obj).validate();
  } catch (err) {
    return [`${id}: ${(err as Error).message}`];
  }
  return unknownFields(Model, obj).map((p) => `${id}: unknown field ${p}`);
}
