import { applyRelease, deployState, recordRollbackDecision, releaseKey } from './deploy-state.ts';
import { FaultError, type Fault } from './fault.ts';
import { describeRelease, ReleaseError, type Release } from './release-history.ts';
import { releasesRunning } from './release-readback.ts';
import { failIfIncomplete, rollEvidence } from './roll-outcome.ts';
import { rollPods } from './roll-pods.ts';
import { requireDeployment } from './targets.ts';

/**
 * Sets a deployment's app version and/or config version (the central service), then replaces its
 * pods from them (the deploy script). A failed gate stops the roll-out there, and stops the release
 * from reaching any further deployment; `onFail: rollback` also restores the previous release (app
 * AND config, as one) on the pods already done.
 */
export const deployRollout: Fault<'deploy.rollout'> = {
  type: 'deploy.rollout',
  async apply(ctx, deployment, params) {
    requireDeployment(ctx.topology, deployment);
    const state = deployState(ctx.topology);
    const releases = state.releasesOf(deployment);
    let next: Release;
    try {
      next = releases.next(params);
    } catch (err) {
      if (err instanceof ReleaseError) throw new FaultError(`${deployment}: ${err.message}`);
      throw err;
    }
    const stoppedWhy = state.stopped.get(releaseKey(next));
    if (stoppedWhy) {
      const running = await releasesRunning(ctx.topology, deployment);
      throw new FaultError(`${deployment}: ${describeRelease(next)} not rolled out: ${stoppedWhy}`, { release: describeRelease(next), rolledOut: false, running });
    }
    const previous = releases.current;
    releases.rollOut(next);
    applyRelease(ctx.topology, deployment, next);
    const deployId = `deploy.rollout ${deployment} → ${describeRelease(next)}`;
    const roll = await rollPods(ctx, deployment, { deployId, target: next, intervalS: params.podIntervalS, respectLock: params.respectLock, gate: params.gate });

    let rolledBack: { to: string; pods: unknown[] } | undefined;
    const failedGate = roll.stoppedByGate ? roll.gates.at(-1) : undefined;
    if (failedGate) {
      state.stopped.set(releaseKey(next), `its gate failed on ${deployment} at ${(ctx.history.now() / 1000).toFixed(1)} s (${failedGate.detail})`);
      if (failedGate.onFail === 'rollback') {
        recordRollbackDecision(ctx, `${deployment}: gate failed after ${failedGate.afterPods.join(', ')}; rolling back to ${describeRelease(previous)}`);
        const target = releases.rollBack('app+config');
        applyRelease(ctx.topology, deployment, target);
        const undo = await rollPods(ctx, deployment, { deployId: `gate rollback ${deployment} → ${describeRelease(target)}`, target, intervalS: 0, respectLock: false, only: roll.replaced });
        rolledBack = { to: describeRelease(target), pods: undo.pods };
      }
    }
    const evidence = {
      release: describeRelease(next),
      previous: describeRelease(previous),
      rolledOut: !failedGate,
      ...(rolledBack ? { rolledBackTo: rolledBack.to } : {}),
      ...(await rollEvidence(ctx.topology, deployment, roll)),
      ...(rolledBack ? { rolledBack } : {}),
    };
    return failIfIncomplete(`deploy.rollout ${deployment} → ${describeRelease(next)}`, roll, evidence);
  },
};
