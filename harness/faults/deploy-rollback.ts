import { applyRelease, deployState, recordRollbackDecision } from './deploy-state.ts';
import { FaultError, type Fault } from './fault.ts';
import { describeRelease, ReleaseError, type Release } from './release-history.ts';
import { failIfIncomplete, rollEvidence } from './roll-outcome.ts';
import { rollPods } from './roll-pods.ts';
import { requireDeployment } from './targets.ts';

/**
 * Undoes the latest roll-out: `app` brings back the previous app version and keeps the current
 * config (the 2019-12 procedure), `app+config` brings back both. Pods already running the target are
 * left alone, so re-running a rollback after clearing locks finishes the job.
 */
export const deployRollback: Fault<'deploy.rollback'> = {
  type: 'deploy.rollback',
  async apply(ctx, deployment, params) {
    requireDeployment(ctx.topology, deployment);
    const releases = deployState(ctx.topology).releasesOf(deployment);
    const from = releases.current;
    let target: Release;
    try {
      target = releases.rollBack(params.scope);
    } catch (err) {
      if (err instanceof ReleaseError) throw new FaultError(`${deployment}: ${err.message}`);
      throw err;
    }
    recordRollbackDecision(ctx, `${deployment}: rollback (${params.scope}) from ${describeRelease(from)} to ${describeRelease(target)}`);
    applyRelease(ctx.topology, deployment, target);
    const deployId = `deploy.rollback(${params.scope}) ${deployment} → ${describeRelease(target)}`;
    const roll = await rollPods(ctx, deployment, { deployId, target, intervalS: params.podIntervalS, respectLock: params.respectLock, gate: params.gate });
    const evidence = { scope: params.scope, from: describeRelease(from), to: describeRelease(target), ...(await rollEvidence(ctx.topology, deployment, roll)) };
    return failIfIncomplete(deployId, roll, evidence);
  },
};
