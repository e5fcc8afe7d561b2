import { describe, expect, it } from 'vitest';
import { deepOverride } from './override.ts';

describe('deepOverride', () => {
  it('merges objects key by key without touching the base', () => {
    const base = { edge: { keepAlive: true, weights: { old: 80, new: 20 } } };
    const out = deepOverride(base, { edge: { keepAlive: false } });
    expect(out).toEqual({ edge: { keepAlive: false, weights: { old: 80, new: 20 } } });
    expect(base.edge.keepAlive).toBe(true);
  });

  it('merges named items by name and appends new ones', () => {
    const base = { deployments: [{ name: 'old', memoryMb: 256 }, { name: 'new', memoryMb: 256 }] };
    const out = deepOverride(base, { deployments: [{ name: 'new', memoryMb: 96 }, { name: 'fallback', memoryMb: 128 }] });
    expect(out).toEqual({ deployments: [{ name: 'old', memoryMb: 256 }, { name: 'new', memoryMb: 96 }, { name: 'fallback', memoryMb: 128 }] });
  });

  it('removes an item by id with $remove', () => {
    const base = { probes: [{ id: 'ws' }, { id: 'fallback-alone' }] };
    expect(deepOverride(base, { probes: [{ id: 'fallback-alone', $remove: true }] })).toEqual({ probes: [{ id: 'ws' }] });
  });

  it('replaces unkeyed arrays (the timeline) whole', () => {
    const base = { timeline: [{ at: 1, type: 'pod.kill' }, { at: 2, type: 'pod.kill' }], roles: ['ws', 'fallback'] };
    expect(deepOverride(base, { timeline: [{ at: 5, type: 'weights.shift' }], roles: ['ws'] })).toEqual({
      timeline: [{ at: 5, type: 'weights.shift' }],
      roles: ['ws'],
    });
  });
});
