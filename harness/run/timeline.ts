import { faults } from '../faults/registry.ts';
import { FaultError, type FaultContext } from '../faults/fault.ts';
import { sleep } from '../load/timing.ts';
import type { TimelineAction } from '../scenario/actions.ts';

/**
 * Applies the timeline: each action at its replay second (relative to `startedAtMs` on the history's
 * clock), in order. An action that runs long delays the next one; the history shows when each really
 * happened. A failed action is recorded with its error and evidence, and the timeline goes on: the
 * incident may well be that a step failed.
 */
export async function runTimeline(ctx: FaultContext, actions: readonly TimelineAction[], startedAtMs: number, onAction?: (a: TimelineAction, i: number) => void): Promise<void> {
  const ordered = actions.map((a, index) => ({ a, index })).sort((x, y) => x.a.at - y.a.at || x.index - y.index);
  for (const { a, index } of ordered) {
    const wait = startedAtMs + a.at * 1000 - ctx.history.now();
    if (wait > 0) await sleep(wait, ctx.signal);
    if (ctx.signal.aborted) return;
    onAction?.(a, index);
    ctx.history.record({ type: 'action.started', index, action: a.type, target: a.target, at: a.at });
    const impl = faults[a.type];
    try {
      if (!impl) throw new FaultError(`no runtime implementation for ${a.type}`);
      const evidence = await (impl.apply as (c: FaultContext, t: string, p: unknown) => Promise<Record<string, unknown>>)(ctx, a.target, a.params);
      ctx.history.record({ type: 'action.applied', index, action: a.type, target: a.target, evidence });
    } catch (err) {
      ctx.history.record({
        type: 'action.failed',
        index,
        action: a.type,
        target: a.target,
        error: (err as Error).message,
        ...(err instanceof FaultError && err.evidence ? { evidence: err.evidence } : {}),
      });
    }
  }
}
