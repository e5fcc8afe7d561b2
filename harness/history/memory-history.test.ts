import { describe, expect, it } from 'vitest';
import { HistoryClosedError } from './errors.ts';
import { MemoryHistory } from './memory-history.ts';

describe('MemoryHistory', () => {
  it('keeps events in append order and counts them by type', () => {
    const h = new MemoryHistory();
    h.append({ type: 'run.phase', t: 0, phase: 'setup' });
    h.append({ type: 'probe.sent', t: 5, probe: 'p', transport: 'ws', seq: 0 });
    h.append({ type: 'run.phase', t: 9, phase: 'done' });
    expect(h.list().map((e) => e.type)).toEqual(['run.phase', 'probe.sent', 'run.phase']);
    expect(h.size).toBe(3);
    expect(h.stats().byType).toEqual({ 'run.phase': 2, 'probe.sent': 1 });
  });

  it('stamps record() with its own clock', () => {
    let now = 1000;
    const h = new MemoryHistory({ clock: () => now });
    now = 1250;
    h.record({ type: 'run.phase', phase: 'steady' });
    expect(h.list()[0]!.t).toBe(250);
  });

  it('drops and counts events beyond the per-type budget, without touching other types', () => {
    const h = new MemoryHistory({ budgetPerType: 2 });
    for (let i = 0; i < 5; i++) h.append({ type: 'k6.point', t: i, metric: 'm', value: i });
    h.append({ type: 'run.phase', t: 9, phase: 'done' });
    expect(h.size).toBe(3);
    expect(h.stats().dropped).toEqual({ 'k6.point': 3 });
  });

  it('refuses appends after close', async () => {
    const h = new MemoryHistory();
    await h.close();
    expect(() => h.append({ type: 'run.phase', t: 0, phase: 'done' })).toThrow(HistoryClosedError);
  });
});
