import type { CapacityModel, ConnectionRunResult, MemoryModel, MessageModel, MessageRunResult, MessageStep, Prediction } from './capacity-schema.ts';
import { medianUtilisation } from './break-rules.ts';
import { FitError, linearFit, percentile, queueFit, utilisationAt } from './fit.ts';
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

/** The delivery rate at which a pod of `cpus` reaches the planned CPU utilisation, by the model. */
export function predictedMaxDelivered(m: Pick<MessageModel, 'cpuFit' | 'utilisationAtSlo'>, cpus: number): number {
  return Math.max(0, (cpus * m.utilisationAtSlo - m.cpuFit.intercept) / m.cpuFit.slope);
}

/** A run's rate steps in order, each with its repeats (runs from before repeats: one each). */
function byRate(run: MessageRunResult): MessageStep[][] {
  const rates = new Map<number, MessageStep[]>();
  for (const s of run.steps) rates.set(s.offeredRatePerS, [...(rates.get(s.offeredRatePerS) ?? []), s]);
  return [...rates.values()];
}

/**
 * Delivered/s where the points (delivered/s, utilisation), in rate order, first reach `u`: linear
 * between the last point below and the first at or above. Undefined when the first point is there
 * already (nothing below to start from) or none reaches it.
 */
export function deliveredAtUtilisation(points: readonly { delivered: number; utilisation: number }[], u: number): number | undefined {
  const i = points.findIndex((p) => p.utilisation >= u);
  if (i <= 0) return undefined;
  const a = points[i - 1]!;
  const b = points[i]!;
  return a.delivered + ((u - a.utilisation) * (b.delivered - a.delivered)) / (b.utilisation - a.utilisation);
}

/**
 * What a run measured: the delivery rate at which its pod reached utilisation `u`, from the median
 * of each rate's repeats; the spread is the same crossing in each repeat taken alone.
 */
export function measuredAtUtilisation(run: MessageRunResult, u: number): { value: number; spread?: { min: number; max: number; n: number } } | undefined {
  const rates = byRate(run);
  const median = (xs: number[]) => percentile(xs, 50)!;
  const value = deliveredAtUtilisation(
    rates.map((r) => ({ delivered: median(r.map((s) => s.deliveredPerS)), utilisation: median(r.map((s) => s.utilisation)) })),
    u,
  );
  if (value === undefined) return undefined;
  const repeats = Math.max(...rates.map((r) => r.length));
  const each = Array.from({ length: repeats }, (_, k) =>
    deliveredAtUtilisation(
      rates.flatMap((r) => (r[k] ? [{ delivered: r[k].deliveredPerS, utilisation: r[k].utilisation }] : [])),
      u,
    ),
  ).filter((x): x is number => x !== undefined);
  return { value, ...(each.length > 1 ? { spread: { min: Math.min(...each), max: Math.max(...each), n: each.length } } : {}) };
}

/**
 * CPU per delivered message, and the delivery rate a pod of C cpus carries at the planned
 * utilisation U (slo.maxCpuUtilisation): (C × U − idle) / cost. Measured on CPU time, not latency:
 * every run ramps until its pod passes U, and what it measured is the delivery rate at which it did.
 */
export function fitMessageModel(runs: readonly MessageRunResult[], slo: CapacitySlo): MessageModel {
  const fitRuns = runs.filter((r) => r.use === 'fit');
  // CPU against delivered messages, on the steps where the pod kept up (delivered what was published).
  const kept = fitRuns.flatMap((r) => r.steps.filter((s) => s.deliveredRatio !== null && s.deliveredRatio >= slo.minDeliveredRatio));
  const cpuFit = linearFit(kept.map((s) => ({ x: s.deliveredPerS, y: s.cpuCores })));
  if (!(cpuFit.slope > 0)) throw new FitError(`CPU does not rise with delivered messages (slope ${cpuFit.slope}): the message runs measured nothing`);
  const latencyPoints = fitRuns.flatMap((r) => r.steps.filter((s) => s.publishP99Ms !== null).map((s) => ({ x: s.utilisation, y: s.publishP99Ms! })));
  const fitted = queueFit(latencyPoints);
  const latency = { ...fitted, utilisationAtSlo: utilisationAt(fitted, slo.publishP99Ms) };
  const partial = { cpuFit, utilisationAtSlo: slo.maxCpuUtilisation };
  if (!(predictedMaxDelivered(partial, Math.min(...fitRuns.map((r) => r.cpus))) > 0)) {
    throw new FitError(`the smallest fit pod is idle above ${Math.round(slo.maxCpuUtilisation * 100)}% of its CPU: give it more CPU or raise slo.maxCpuUtilisation`);
  }
  const predictions: Prediction[] = runs.map((r) => {
    const predicted = predictedMaxDelivered(partial, r.cpus);
    const measured = measuredAtUtilisation(r, slo.maxCpuUtilisation);
    const first = byRate(r)[0];
    const why = !first
      ? 'broke on its first step'
      : medianUtilisation(first) >= slo.maxCpuUtilisation
        ? `already past ${Math.round(slo.maxCpuUtilisation * 100)}% CPU at its first rate: lower startRatePerS`
        : `never reached ${Math.round(slo.maxCpuUtilisation * 100)}% CPU (${r.break.reason})`;
    return {
      run: r.id,
      use: r.use,
      size: `${r.cpus} CPU`,
      predicted,
      measured: measured?.value ?? null,
      error: measured ? relError(predicted, measured.value) : null,
      ...(measured?.spread ? { spread: measured.spread } : {}),
      note: measured ? `delivered/s at ${Math.round(slo.maxCpuUtilisation * 100)}% CPU, between the rates either side (median of each rate's repeats)` : why,
    };
  });
  return { cpuFit, messagesPerSPerCore: 1 / cpuFit.slope, latency, utilisationAtSlo: partial.utilisationAtSlo, basis: 'cpu-utilisation', predictions };
}

/** Where the message model's planned utilisation comes from, in words (reports and charts). */
export function utilisationBasis(m: Pick<MessageModel, 'basis' | 'utilisationAtSlo'>): string {
  const u = `${Math.round(m.utilisationAtSlo * 100)}%`;
  return m.basis === 'cpu-utilisation'
    ? `pods are planned up to ${u} of their CPU limit (slo.maxCpuUtilisation), measured on CPU time`
    : `the runs held their publish-latency SLO up to ${u} of their CPU limit, and the plan uses that`;
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
