import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EventOf } from '../history/events.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { defineAction, FaultError, none, type FaultContext } from './fault.ts';
import { PendingHeals } from './heals.ts';

// Heals are pure bookkeeping around the action's own heal step: a fake step that counts its runs.

function healing(afterS: number | undefined, fail = false) {
  const runs: string[] = [];
  const action = defineAction({
    type: 'test.heal',
    target: 'any',
    summary: 'a fault that counts its heals',
    params: z.strictObject({}),
    waitsOn: none,
    names: none,
    apply: async () => ({}),
    heal: {
      describe: (target) => `undo ${target}`,
      afterS: () => afterS,
      async run(_ctx, target) {
        runs.push(target);
        if (fail) throw new FaultError('could not undo', { tried: target });
        return { undone: target };
      },
    },
  });
  return { action, runs };
}

const ctxFor = (history: MemoryHistory, index: number, target: string) => ({ history, action: { index, type: 'test.heal', target } }) as unknown as FaultContext;
async function healed(history: MemoryHistory): Promise<EventOf<'action.healed'>[]> {
  const out: EventOf<'action.healed'>[] = [];
  for await (const e of history.events()) if (e.type === 'action.healed') out.push(e);
  return out;
}

describe('PendingHeals', () => {
  it('heals on its timer once, and not again at teardown', async () => {
    const history = new MemoryHistory();
    const heals = new PendingHeals();
    const { action, runs } = healing(0.01);
    heals.arm(ctxFor(history, 3, 'web/0'), action, {});
    await new Promise((r) => setTimeout(r, 50));
    await heals.healAll();
    expect(runs).toEqual(['web/0']);
    const events = await healed(history);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ index: 3, action: 'test.heal', target: 'web/0', heal: 'undo web/0', trigger: 'timer', ok: true, evidence: { undone: 'web/0' } });
  });

  it('heals what is left at teardown, each once, latest first, and records a failed heal with its error and evidence', async () => {
    const history = new MemoryHistory();
    const heals = new PendingHeals();
    const ok = healing(undefined);
    const bad = healing(3600, true);
    heals.arm(ctxFor(history, 0, 'redis'), ok.action, {});
    heals.arm(ctxFor(history, 1, 'web'), bad.action, {});
    await heals.healAll();
    await heals.healAll();
    expect([ok.runs, bad.runs]).toEqual([['redis'], ['web']]);
    const events = await healed(history);
    // Latest action first, as a teardown undoes things.
    expect(events.map((e) => [e.index, e.trigger, e.ok])).toEqual([
      [1, 'teardown', false],
      [0, 'teardown', true],
    ]);
    expect(events[0]).toMatchObject({ error: 'could not undo', evidence: { tried: 'web' } });
  });

  it('an action without a heal arms nothing', async () => {
    const history = new MemoryHistory();
    const heals = new PendingHeals();
    heals.arm(ctxFor(history, 0, 'x'), { ...healing(undefined).action, heal: null }, {});
    await heals.healAll();
    expect(await healed(history)).toEqual([]);
  });

  it('a heal after the history closed still runs (an interrupted run), unrecorded', async () => {
    const history = new MemoryHistory();
    const heals = new PendingHeals();
    const { action, runs } = healing(undefined);
    heals.arm(ctxFor(history, 0, 'web/1'), action, {});
    await history.close();
    await heals.healAll();
    expect(runs).toEqual(['web/1']);
  });
});
