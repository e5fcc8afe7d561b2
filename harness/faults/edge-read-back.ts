import type { PerEdgeProcess } from '../topology/edge.ts';

// What weights.shift reads back from the edge, one map per edge process, as evidence.

/**
 * The read-back as evidence: `listener/route` → weights for a one-process edge; with several
 * processes one entry per process and route (`edge-2 public/ws`), so each process's maps are shown.
 */
export function readBackEntries(key: string, perProcess: PerEdgeProcess<Record<string, number>>, into: Record<string, Record<string, number>>): void {
  const names = Object.keys(perProcess);
  for (const name of names) into[names.length === 1 ? key : `${name} ${key}`] = perProcess[name]!;
}

/** Processes whose read-back differs from the first process's: an edge split in two minds. */
export function disagreeing(perProcess: PerEdgeProcess<Record<string, number>>): string[] {
  const [first, ...rest] = Object.entries(perProcess);
  const same = (a: Record<string, number>, b: Record<string, number>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  return rest.filter(([, w]) => !same(w, first![1])).map(([name]) => name);
}
