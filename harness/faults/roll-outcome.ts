import type { EventOf } from '../history/events.ts';
import { FaultError, type Evidence, type FaultContext } from './fault.ts';
import { describePodReport } from './pod-report.ts';
import { releasesRunning } from './release-readback.ts';
import type { RollResult } from './roll-pods.ts';

/**
 * The evidence every deploy action ends with, short facts first (the report's narrative shows the
 * first few): what each pod runs now, which locks remain, which pods a lock kept out; then per pod
 * and per gate what happened.
 */
export async function rollEvidence(ctx: FaultContext, deployment: string, roll: RollResult): Promise<Evidence> {
  const names = ctx.topology.pods(deployment).map((p) => p.spec.name);
  return {
    running: await releasesRunning(ctx.topology, deployment),
    locksLeft: ctx.state.locks.on(names).map((l) => l.pod),
    skippedLocked: roll.pods.filter((p) => p.outcome === 'skipped-locked').map((p) => ({ pod: p.pod, lockedBy: p.lockedBy })),
    pods: roll.pods,
    ...(roll.gates.length ? { gates: roll.gates } : {}),
  };
}

/**
 * A deploy that left pods refusing, not ready or skipped, or whose gate failed, did not do what it
 * was asked: that is a failed action (with the same evidence), as the operator running it saw it.
 */
export function failIfIncomplete(what: string, roll: RollResult, evidence: Evidence): Evidence {
  const bad = roll.pods.filter((p) => p.outcome !== 'up' && p.outcome !== 'unchanged');
  const gate = roll.stoppedByGate ? roll.gates.at(-1) : undefined;
  if (!bad.length && !gate) return evidence;
  const parts = [...(gate ? [`gate failed (${gate.detail})`] : []), ...bad.map(describePodReport)];
  throw new FaultError(`${what}: ${parts.join('; ')}`, evidence);
}

/** Records the decision to roll back (rollback.decided): recovery SLOs count from it. */
export function recordRollbackDecision(ctx: FaultContext, decision: Omit<EventOf<'rollback.decided'>, 'type' | 't' | 'index'>): void {
  ctx.history.record({ type: 'rollback.decided', index: ctx.action.index, ...decision });
}
