import type { CapacityModel, ConnectionRunResult, MemoryModel, MessageModel, MessageRunResult, Prediction } from './capacity-schema.ts';
import { FitError, linearFit, queueFit, utilisationAt } from './fit.ts';
import { CONNECTION_ROLES, type CapacitySlo, type ConnectionRole } from './profile-schema.ts';

// The capacity model, fitted from the breakpoint runs marked `fit` and checked against every run
// (the `holdout` ones were never seen by the fit): memory per connection per role, CPU per delivered
// message, and publish latency against CPU utilisation. Pure.

const relError = (predicted: number, measured: number) => (predicted - measured) / measured;

/** Steps a fit may use: the pod alive and answering, strictly before the break. */
function usableSteps(run: ConnectionRunResult) {
  return run.steps.filter((s) => s.memoryMb !== null && s.atS < run.break.atS);
}

/** Connections a pod of `memoryMb` holds before the kernel kills it, by the model. */
export function predictedOomConnections(m: Pick<MemoryModel, 'baseMb' | 'perConnectionKb'>, memoryMb: number): number {
  return Math.max(0, (memoryMb - m.baseMb) / (m.perConnectionKb / 1024));
}

export function fitMemoryModel(role: ConnectionRole, runs: readonly ConnectionRunResult[]): MemoryModel {
  const mine = runs.filter((r) => r.role === role);
  const points = mine.filter((r) => r.use === 'fit').flatMap((r) => usableSteps(r).map((s) => ({ x: s.connections, y: s.memoryMb! })));
  if (points.length < 2) throw new FitError(`role ${role}: no fit run produced memory samples`);
  const fit = linearFit(points);
  const model = { baseMb: fit.intercept, perConnectionKb: fit.slope * 1024 };
  const predictions: Prediction[] = mine.map((r) => {
    const predicted = predictedOomConnections(model, r.memoryMb);
    const oom = r.break.kind === 'oom-killed';
    return {
      run: r.id,
      use: r.use,
      size: `${r.memoryMb} MiB`,
      predicted,
      measured: oom ? r.break.value : null,
      error: oom ? relError(predicted, r.break.value) : null,
      note: oom ? 'OOM kill predicted vs measured' : `broke by ${r.break.kind} first (${r.break.reason}): the memory prediction is not tested by this run`,
    };
  });
  return { role, ...model, fit, predictions };
}

/** The fastest delivery a pod of `cpus` sustains while its publish p99 stays under the SLO, by the model. */
export function predictedMaxDelivered(m: Pick<MessageModel, 'cpuFit' | 'utilisationAtSlo'>, cpus: number): number {
  return Math.max(0, (cpus * m.utilisationAtSlo - m.cpuFit.intercept) / m.cpuFit.slope);
}

export function fitMessageModel(runs: readonly MessageRunResult[], slo: CapacitySlo): MessageModel {
  const fitRuns = runs.filter((r) => r.use === 'fit');
  // CPU against delivered messages, on the steps where the pod kept up (delivered what was published).
  const kept = fitRuns.flatMap((r) => r.steps.filter((s) => s.deliveredRatio !== null && s.deliveredRatio >= slo.minDeliveredRatio));
  const cpuFit = linearFit(kept.map((s) => ({ x: s.deliveredPerS, y: s.cpuCores })));
  if (!(cpuFit.slope > 0)) throw new FitError(`CPU does not rise with delivered messages (slope ${cpuFit.slope}): the message runs measured nothing`);
  const latencyPoints = fitRuns.flatMap((r) => r.steps.filter((s) => s.publishP99Ms !== null).map((s) => ({ x: s.utilisation, y: s.publishP99Ms! })));
  const fitted = queueFit(latencyPoints);
  const latency = { ...fitted, utilisationAtSlo: utilisationAt(fitted, slo.publishP99Ms) };
  // The plan uses what was measured to hold: the highest utilisation a fit run reached on a step
  // before its break (the least of these over the fit runs). On a shared machine the latency curve
  // is noisy; it is reported with its error, not trusted to extrapolate.
  const held = fitRuns.map((r) => Math.max(0, ...r.steps.filter((s) => s.atS < r.break.atS || r.break.kind === 'none').map((s) => s.utilisation)));
  const partial = { cpuFit, utilisationAtSlo: Math.min(...held) };
  if (!(predictedMaxDelivered(partial, Math.min(...fitRuns.map((r) => r.cpus))) > 0)) {
    throw new FitError('no fit run held its SLO above idle CPU: lower startRatePerS so the first steps hold');
  }
  const predictions: Prediction[] = runs.map((r) => {
    const predicted = predictedMaxDelivered(partial, r.cpus);
    // What the run held: the delivery rate of its last step before the break.
    const held = r.break.kind === 'none' ? undefined : r.steps.filter((s) => s.atS < r.break.atS).at(-1);
    return {
      run: r.id,
      use: r.use,
      size: `${r.cpus} CPU`,
      predicted,
      measured: held ? held.deliveredPerS : null,
      error: held ? relError(predicted, held.deliveredPerS) : null,
      note: held ? `highest delivered rate held before the break (${r.break.reason})` : r.break.kind === 'none' ? 'did not break within its bound' : 'broke on its first step',
    };
  });
  return { cpuFit, messagesPerSPerCore: 1 / cpuFit.slope, latency, utilisationAtSlo: partial.utilisationAtSlo, predictions };
}

function worstHeldOut(predictions: readonly Prediction[]): number | null {
  const errors = predictions.filter((p) => p.use === 'holdout' && p.error !== null).map((p) => Math.abs(p.error!));
  return errors.length ? Math.max(...errors) : null;
}

export function fitCapacityModel(args: { connectionRuns: readonly ConnectionRunResult[]; messageRuns: readonly MessageRunResult[]; slo: CapacitySlo; retainedBytesPerConnection: number }): CapacityModel {
  const memory = CONNECTION_ROLES.map((role) => fitMemoryModel(role, args.connectionRuns));
  const messages = fitMessageModel(args.messageRuns, args.slo);
  return {
    retainedBytesPerConnection: args.retainedBytesPerConnection,
    memory,
    messages,
    heldOutError: { memory: worstHeldOut(memory.flatMap((m) => m.predictions)), messages: worstHeldOut(messages.predictions) },
  };
}
