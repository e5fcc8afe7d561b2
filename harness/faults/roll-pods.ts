import { sleep } from '../load/timing.ts';
import type { FaultContext } from './fault.ts';
import { passGate, type Gate, type GateOutcome } from './gate.ts';
import { podRelease, recordDeployPod, type PodReport } from './pod-report.ts';
import { replaceAndReport } from './replace-pod.ts';
import type { Release } from './release-history.ts';

// The deploy script: replaces a deployment's pods with the target release, one batch at a time (all
// pods at once, or one pod per batch with a pause between), honouring or overriding deploy locks, and
// checking an optional gate after each batch. Used by deploy.rollout and deploy.rollback.

export interface RollOptions {
  /** Who holds the locks this roll takes, e.g. "deploy.rollout → v2 / config 2". */
  deployId: string;
  /** The release the pods must run; a pod already reporting it is left alone (the script converges). */
  target: Release;
  /** Pause between pods; 0 = every pod in one batch. */
  intervalS: number;
  /** Leave pods another deploy holds a lock on (the 2019-12 safety check). */
  respectLock: boolean;
  gate?: Gate | undefined;
  /** Only these pods (names); default every pod of the deployment. */
  only?: readonly string[];
}

export interface GateReport extends GateOutcome {
  afterPods: string[];
}

export interface RollResult {
  pods: PodReport[];
  /** Pods started anew with the target release (whether or not they came up). */
  replaced: string[];
  gates: GateReport[];
  /** A gate failed and the roll stopped after that batch. */
  stoppedByGate: boolean;
}

export async function rollPods(ctx: FaultContext, deployment: string, opts: RollOptions): Promise<RollResult> {
  const names = ctx.topology.pods(deployment).map((p) => p.spec.name).filter((n) => !opts.only || opts.only.includes(n));
  const batches = opts.intervalS > 0 ? names.map((n) => [n]) : [names];
  const result: RollResult = { pods: [], replaced: [], gates: [], stoppedByGate: false };
  for (const [i, batch] of batches.entries()) {
    if (ctx.signal.aborted) break;
    const reports = await Promise.all(batch.map((name) => rollOne(ctx, deployment, name, opts)));
    result.pods.push(...reports);
    const replaced = reports.filter((r) => r.outcome !== 'skipped-locked' && r.outcome !== 'unchanged').map((r) => r.pod);
    result.replaced.push(...replaced);
    if (opts.gate && replaced.length > 0) {
      const gate = { ...(await passGate(ctx, opts.gate, replaced)), afterPods: replaced };
      result.gates.push(gate);
      if (!gate.passed) {
        result.stoppedByGate = true;
        break;
      }
    }
    if (i < batches.length - 1) await sleep(opts.intervalS * 1000, ctx.signal);
  }
  return result;
}

async function rollOne(ctx: FaultContext, deployment: string, name: string, opts: RollOptions): Promise<PodReport> {
  const { locks } = ctx.state;
  const record = (r: PodReport) => recordDeployPod(ctx, opts.deployId, deployment, r);
  const lock = locks.holder(name);
  if (opts.respectLock && lock) return record({ pod: name, outcome: 'skipped-locked', lockedBy: lock.heldBy });
  const current = ctx.topology.pods(deployment).find((p) => p.spec.name === name);
  const running = current ? await podRelease(current) : undefined;
  if (running && running.version === opts.target.appVersion && running.configVersion === (opts.target.config?.version ?? 'none')) {
    return record({ pod: name, outcome: 'unchanged', ...running });
  }
  locks.take(name, opts.deployId, ctx.history.now());
  const { report } = await replaceAndReport(ctx, deployment, name);
  // The lock goes only once the pod is up and ready; a pod that refused keeps it.
  if (report.outcome === 'up') locks.release(name);
  return record(report);
}
