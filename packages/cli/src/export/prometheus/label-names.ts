import { prometheusLabelName } from '@otel-netif/metadata';

// Attribute keys come from metadata.yaml and the resource, so a few dozen at most; the bound only
// guards against a producer that invents keys.
const MAX_CACHED = 10_000;

/**
 * Attribute key → Prometheus label name, computed once per key. Also remembers which label names
 * two different keys sanitize to (`a.b` and `a_b`), so the encoder takes its merging slow path
 * only for those.
 */
export class LabelNames {
  private readonly byKey = new Map<string, string>();
  private readonly firstKeyOf = new Map<string, string>();
  /** Label names that more than one attribute key maps to. */
  readonly shared = new Set<string>();

  name(key: string): string {
    let name = this.byKey.get(key);
    if (name !== undefined) return name;
    if (this.byKey.size >= MAX_CACHED) this.clear();
    name = prometheusLabelName(key);
    this.byKey.set(key, name);
    const first = this.firstKeyOf.get(name);
    if (first === undefined) this.firstKeyOf.set(name, key);
    else if (first !== key) this.shared.add(name);
    return name;
  }

  private clear(): void {
    this.byKey.clear();
    this.firstKeyOf.clear();
    // `shared` stays: forgetting a collision would emit a duplicate label name.
  }
}
