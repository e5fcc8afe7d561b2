import { z } from 'zod';
import { defineAction, FaultError, none } from './fault.ts';
import { gateConditions, gateSchema } from './gate.ts';
import { describeRelease, ReleaseError, type Release } from './release-history.ts';
import { failIfIncomplete, recordRollbackDecision, rollEvidence } from './roll-outcome.ts';
import { rollPods } from './roll-pods.ts';
import { requireDeployment } from './targets.ts';

/**
 * Undoes the latest roll-out: `app` brings back the previous app version and keeps the current
 * config (the 2019-12 procedure), `app+config` brings back both. Pods already running the target are
 * left alone, so re-running a rollback after clearing locks finishes the job.
 */
export const deployRollback = defineAction({
  type: 'deploy.rollback',
  target: 'deployment',
  summary: 'roll back the app only, or app and config together',
  params: z.strictObject({
    scope: z.enum(['app', 'app+config']),
    podIntervalS: z.number().nonnegative().default(0),
    respectLock: z.boolean().default(false),
    /** A rollback is a roll-out too: the deploy script's check after each batch of pods. */
    gate: gateSchema.optional(),
  }),
  waitsOn: gateConditions,
  names: none,
  heal: null,
  async apply(ctx, deployment, params) {
    requireDeployment(ctx.topology, deployment);
    const releases = ctx.state.releasesOf(deployment);
    const from = releases.current;
    let target: Release;
    try {
      target = releases.rollBack(params.scope);
    } catch (err) {
      if (err instanceof ReleaseError) throw new FaultError(`${deployment}: ${err.message}`);
      throw err;
    }
    recordRollbackDecision(ctx, { deployment, scope: params.scope, from: describeRelease(from), to: describeRelease(target), why: `deploy.rollback (${params.scope})` });
    const deployId = `deploy.rollback(${params.scope}) ${deployment} → ${describeRelease(target)}`;
    const roll = await rollPods(ctx, deployment, { deployId, target, intervalS: params.podIntervalS, respectLock: params.respectLock, gate: params.gate });
    const evidence = { scope: params.scope, from: describeRelease(from), to: describeRelease(target), ...(await rollEvidence(ctx, deployment, roll)) };
    return failIfIncomplete(deployId, roll, evidence);
  },
});
