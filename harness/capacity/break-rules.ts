import type { BreakInfo, ConnectionStep, MessageStep } from './capacity-schema.ts';
import { percentile } from './fit.ts';
import type { CapacitySlo } from './profile-schema.ts';

// When is a pod broken? Judged step by step, apart from the runners (parse and judge apart), so the
// rules are tested without Docker. Order matters: a dead pod explains its refusals and slow steps.

export interface PodEnd {
  running: boolean;
  oomKilled: boolean;
  exitCode: number | null;
}

function podGone(pod: PodEnd, atS: number, value: number, memoryMb: number): BreakInfo | undefined {
  if (pod.running) return undefined;
  if (pod.oomKilled) return { kind: 'oom-killed', atS, value, reason: `the kernel OOM-killed the pod at its ${memoryMb} MiB limit` };
  return { kind: 'exited', atS, value, reason: `the pod exited with code ${pod.exitCode ?? '?'}` };
}

function tally(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n}× ${r}`).join(', ');
}

/**
 * A connection run's step: the pod died (OOM or exit); a connection was refused or failed (client
 * failures or the pod's refusal counter moved); or the connect-time p99 stayed over the SLO for two
 * steps in a row (one slow step on a shared machine is noise, two is a trend).
 */
export function connectionBreak(args: {
  steps: readonly ConnectionStep[];
  pod: PodEnd;
  failureReasons: readonly string[];
  slo: CapacitySlo;
  memoryMb: number;
}): BreakInfo | undefined {
  const step = args.steps[args.steps.length - 1];
  if (!step) return undefined;
  const gone = podGone(args.pod, step.atS, step.connections, args.memoryMb);
  if (gone) return gone;
  const prev = args.steps[args.steps.length - 2];
  const refusedNow = step.refused - (prev?.refused ?? 0);
  if (args.failureReasons.length > 0 || refusedNow > 0) {
    const what = args.failureReasons.length ? tally(args.failureReasons) : `${refusedNow} refused by the pod`;
    return { kind: 'refusal', atS: step.atS, value: step.connections, reason: `connections failed: ${what}` };
  }
  const slow = (s: ConnectionStep | undefined) => s?.connectP99Ms != null && s.connectP99Ms > args.slo.connectP99Ms;
  if (slow(step) && slow(prev)) {
    return { kind: 'slo', atS: step.atS, value: step.connections, reason: `connect p99 ${Math.round(step.connectP99Ms!)} ms > ${args.slo.connectP99Ms} ms for two steps` };
  }
  return undefined;
}

/** The median CPU utilisation of a rate's repeats (0 for none). */
export function medianUtilisation(repeats: readonly MessageStep[]): number {
  return percentile(repeats.map((s) => s.utilisation), 50) ?? 0;
}

/**
 * A message run's rate (all its repeats): the pod died; a publish got another answer than 200; the
 * pod delivered fewer messages than were published × fan-out (it fell behind); or its CPU passed the
 * planned utilisation (slo.maxCpuUtilisation): the run has measured what it is for. Publish latency
 * and publishes k6 could not start are recorded, not breaks: on a shared machine they follow the
 * other processes and the pod's CPU throttling more than its cost (docs/capacity.md).
 */
export function messageBreak(args: { repeats: readonly MessageStep[]; pod: PodEnd; slo: CapacitySlo; memoryMb: number }): BreakInfo | undefined {
  const { repeats, slo } = args;
  const step = repeats[repeats.length - 1];
  if (!step) return undefined;
  const value = step.offeredRatePerS;
  const gone = podGone(args.pod, step.atS, value, args.memoryMb);
  if (gone) return gone;
  const unexpected = repeats.reduce((n, s) => n + s.unexpected, 0);
  if (unexpected > 0) return { kind: 'refusal', atS: step.atS, value, reason: `${unexpected} publishes answered other than 200` };
  const ratio = percentile(repeats.flatMap((s) => (s.deliveredRatio === null ? [] : [s.deliveredRatio])), 50);
  if (ratio !== undefined && ratio < slo.minDeliveredRatio) {
    return { kind: 'slo', atS: step.atS, value, reason: `delivered ${(ratio * 100).toFixed(1)}% of published × fan-out (< ${slo.minDeliveredRatio * 100}%)` };
  }
  const u = medianUtilisation(repeats);
  if (u >= slo.maxCpuUtilisation) {
    return { kind: 'cpu-target', atS: step.atS, value, reason: `CPU at ${Math.round(u * 100)}% of its limit (median of ${repeats.length}), past the planned ${Math.round(slo.maxCpuUtilisation * 100)}%` };
  }
  return undefined;
}
