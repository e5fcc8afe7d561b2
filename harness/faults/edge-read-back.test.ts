import { describe, expect, it } from 'vitest';
import { disagreeing, readBackEntries } from './edge-read-back.ts';

describe('the edge read-back as evidence', () => {
  it('keeps `listener/route` for one process and names each process when there are several', () => {
    const one: Record<string, Record<string, number>> = {};
    readBackEntries('public/ws', { edge: { old: 30, new: 70 } }, one);
    expect(one).toEqual({ 'public/ws': { old: 30, new: 70 } });
    const two: Record<string, Record<string, number>> = {};
    readBackEntries('public/ws', { 'edge-1': { old: 30, new: 70 }, 'edge-2': { old: 30, new: 70 } }, two);
    expect(two).toEqual({ 'edge-1 public/ws': { old: 30, new: 70 }, 'edge-2 public/ws': { old: 30, new: 70 } });
  });

  it('names the processes that read back other weights than the first, whatever the key order', () => {
    expect(disagreeing({ 'edge-1': { old: 30, new: 70 }, 'edge-2': { new: 70, old: 30 } })).toEqual([]);
    expect(disagreeing({ 'edge-1': { old: 30, new: 70 }, 'edge-2': { old: 100 }, 'edge-3': { old: 30, new: 70 } })).toEqual(['edge-2']);
    expect(disagreeing({ edge: { old: 100 } })).toEqual([]);
  });
});
