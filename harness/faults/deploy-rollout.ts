import { z } from 'zod';
import { defineAction, FaultError, none } from './fault.ts';
import { gateConditions, gateSchema } from './gate.ts';
import { describeRelease, ReleaseError, type Release } from './release-history.ts';
import { releasesRunning } from './release-readback.ts';
import { failIfIncomplete, recordRollbackDecision, rollEvidence } from './roll-outcome.ts';
import { rollPods } from './roll-pods.ts';
import { requireDeployment } from './targets.ts';

/**
 * Sets a deployment's app version and/or config version (the central service), then replaces its
 * pods from them (the deploy script). A failed gate stops the roll-out there, and stops the release
 * from reaching any further deployment; `onFail: rollback` also restores the previous release (app
 * AND config, as one) on the pods already done.
 */
export const deployRollout = defineAction({
  type: 'deploy.rollout',
  target: 'deployment',
  summary: 'deploy an app version and/or config, pod by pod',
  params: z
    .object({
      appVersion: z.string().min(1).optional(),
      config: z.record(z.string(), z.unknown()).optional(),
      configVersion: z.string().min(1).optional(),
      /** Pods restarted one at a time with this pause between them; 0 = all at once. */
      podIntervalS: z.number().nonnegative().default(0),
      gate: gateSchema.optional(),
      /** Honour a deploy lock left by an interrupted deploy (the 2019-12 safety check). */
      respectLock: z.boolean().default(false),
    })
    .refine((p) => p.appVersion !== undefined || p.config !== undefined || p.configVersion !== undefined, {
      message: 'expected at least one of appVersion, config, configVersion',
    }),
  waitsOn: gateConditions,
  names: none,
  heal: null,
  async apply(ctx, deployment, params) {
    requireDeployment(ctx.topology, deployment);
    const releases = ctx.state.releasesOf(deployment);
    let next: Release;
    try {
      next = releases.next(params);
    } catch (err) {
      if (err instanceof ReleaseError) throw new FaultError(`${deployment}: ${err.message}`);
      throw err;
    }
    const stoppedWhy = ctx.state.stoppedWhy(next);
    if (stoppedWhy) {
      const running = await releasesRunning(ctx.topology, deployment);
      throw new FaultError(`${deployment}: ${describeRelease(next)} not rolled out: ${stoppedWhy}`, { release: describeRelease(next), rolledOut: false, running });
    }
    const previous = releases.current;
    releases.rollOut(next);
    const deployId = `deploy.rollout ${deployment} → ${describeRelease(next)}`;
    const roll = await rollPods(ctx, deployment, { deployId, target: next, intervalS: params.podIntervalS, respectLock: params.respectLock, gate: params.gate });

    let rolledBack: { to: string; pods: unknown[] } | undefined;
    const failedGate = roll.stoppedByGate ? roll.gates.at(-1) : undefined;
    if (failedGate) {
      ctx.state.stop(next, `its gate failed on ${deployment} at ${(ctx.history.now() / 1000).toFixed(1)} s (${failedGate.detail})`);
      if (failedGate.onFail === 'rollback') {
        const target = releases.rollBack('app+config');
        recordRollbackDecision(ctx, {
          deployment,
          scope: 'app+config',
          from: describeRelease(next),
          to: describeRelease(target),
          why: `gate failed after ${failedGate.afterPods.join(', ')}`,
        });
        const undo = await rollPods(ctx, deployment, { deployId: `gate rollback ${deployment} → ${describeRelease(target)}`, target, intervalS: 0, respectLock: false, only: roll.replaced });
        rolledBack = { to: describeRelease(target), pods: undo.pods };
      }
    }
    const evidence = {
      release: describeRelease(next),
      previous: describeRelease(previous),
      rolledOut: !failedGate,
      ...(rolledBack ? { rolledBackTo: rolledBack.to } : {}),
      ...(await rollEvidence(ctx, deployment, roll)),
      ...(rolledBack ? { rolledBack } : {}),
    };
    return failIfIncomplete(`deploy.rollout ${deployment} → ${describeRelease(next)}`, roll, evidence);
  },
});
