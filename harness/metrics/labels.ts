import type { Labels } from '../scenario/conditions.ts';

/** The second an event falls in. */
export const secondOf = (tMs: number): number => Math.floor(tMs / 1000);

/** Labels without undefined values; a missing deployment is the edge (e.g. a 502 before any pod). */
export function labels(l: Record<string, string | undefined>): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(l)) if (v !== undefined) out[k] = v;
  return out;
}

export const EDGE = 'edge';
