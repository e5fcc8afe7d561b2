// Variant resolution: a variant deep-overrides the base. Plain objects merge key by key; arrays of
// items with a `name` (deployments) or an `id` (probes, alerts, SLOs) merge item by item on that key,
// new items are appended and `{ id, $remove: true }` removes one; any other array (the timeline, roles)
// is replaced whole, because half of one story spliced into another is not a story.

export const REMOVE = '$remove';

type Keyed = { name: string } | { id: string };

// `[U] extends [Keyed]`: not distributed over U, so one list may mix union members (a timeline of
// weights.shift and wait.until, SLOs of several kinds) instead of being a union of uniform lists.
export type Override<T> = T extends readonly (infer U)[]
  ? [U] extends [Keyed]
    ? Array<OverrideItem<U>>
    : T
  : T extends Record<string, unknown>
    ? { [K in keyof T]?: Override<T[K]> }
    : T;

type OverrideItem<U> = U extends { name: string }
  ? ({ name: string } & { [K in keyof U]?: Override<U[K]> }) | { name: string; $remove: true }
  : U extends { id: string }
    ? ({ id: string } & { [K in keyof U]?: Override<U[K]> }) | { id: string; $remove: true }
    : never;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function itemKey(v: unknown): string | undefined {
  if (!isPlainObject(v)) return undefined;
  if (typeof v.name === 'string') return `name:${v.name}`;
  if (typeof v.id === 'string') return `id:${v.id}`;
  return undefined;
}

function mergeArrays(base: unknown[], over: unknown[]): unknown[] {
  const keyed = base.length > 0 && base.every((b) => itemKey(b) !== undefined) && over.every((o) => itemKey(o) !== undefined);
  if (!keyed) return over.map(clone);
  const out = base.map(clone);
  for (const o of over) {
    const key = itemKey(o)!;
    const idx = out.findIndex((b) => itemKey(b) === key);
    if ((o as Record<string, unknown>)[REMOVE] === true) {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = deepOverride(out[idx], o);
    else out.push(clone(o));
  }
  return out;
}

export function deepOverride(base: unknown, over: unknown): unknown {
  if (over === undefined) return clone(base);
  if (Array.isArray(base) && Array.isArray(over)) return mergeArrays(base, over);
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(base)) out[k] = clone(v);
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepOverride(base[k], v) : clone(v);
    return out;
  }
  return clone(over);
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}
