import { FaultError, type FaultContext } from '../faults/fault.ts';
import type { PendingHeals } from '../faults/heals.ts';
import { actionOf } from '../faults/registry.ts';
import { sleep } from '../load/timing.ts';
import type { TimelineAction } from '../scenario/actions.ts';

/** What every action of a run shares: the context without the action it is about. */
export type TimelineContext = Omit<FaultContext, 'action'>;

/**
 * Applies the timeline: each action at its replay second (relative to `startedAtMs` on the history's
 * clock), in order. An action that runs long delays the next one; the history shows when each really
 * happened. A failed action is recorded with its error and evidence, and the timeline goes on: the
 * incident may well be that a step failed. Each action's heal is armed in `heals`.
 */
export async function runTimeline(
  shared: TimelineContext,
  actions: readonly TimelineAction[],
  startedAtMs: number,
  heals: PendingHeals,
  onAction?: (a: TimelineAction, i: number) => void,
): Promise<void> {
  const ordered = actions.map((a, index) => ({ a, index })).sort((x, y) => x.a.at - y.a.at || x.index - y.index);
  for (const { a, index } of ordered) {
    const wait = startedAtMs + a.at * 1000 - shared.history.now();
    if (wait > 0) await sleep(wait, shared.signal);
    if (shared.signal.aborted) return;
    onAction?.(a, index);
    const ctx: FaultContext = { ...shared, action: { index, type: a.type, target: a.target } };
    ctx.history.record({ type: 'action.started', index, action: a.type, target: a.target, at: a.at });
    const action = actionOf(a.type);
    try {
      const evidence = await action.apply(ctx, a.target, a.params);
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
    } finally {
      // Also after a failure: the action may have done part of its work (paused one pod of two).
      heals.arm(ctx, action, a.params);
    }
  }
}
