// Evidence of a replay's mechanism, read from its history and summary: what the pods reported about
// themselves (state, memory, connections) and what the clients saw. Scenario tests assert on these.
import { expect } from 'vitest';
import { reasonKey, type EventOf } from '../../harness/history/events.ts';
import type { ReplayResult } from './replay.ts';

export type PodSample = EventOf<'pod.sample'>;
export type ConnectOutcome = EventOf<'connect.outcome'>;

/** Every pod.sample of the run. */
export async function podSamples(r: ReplayResult): Promise<PodSample[]> {
  return (await r.history()).filter((e): e is PodSample => e.type === 'pod.sample');
}

/** Every connect.outcome of the population clients (not the probes). */
export async function clientOutcomes(r: ReplayResult): Promise<ConnectOutcome[]> {
  return (await r.history()).filter((e): e is ConnectOutcome => e.type === 'connect.outcome' && e.source === 'client');
}

/**
 * The largest value a pod reported for `pick`, per pod of a deployment. Throws unless exactly
 * `pods` pods reported one, so a test looping over the values cannot pass on none.
 */
export function maxPerPod(samples: readonly PodSample[], deployment: string, pick: (s: PodSample) => number | undefined, pods: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.deployment !== deployment) continue;
    const v = pick(s);
    if (v !== undefined) out[s.pod] = Math.max(out[s.pod] ?? 0, v);
  }
  expectCount(`pods of ${deployment} with a value`, Object.keys(out), pods);
  return out;
}

export type FinalPodState = EventOf<'pod.final'>;

/**
 * Docker's last word on each pod (the run records it before removing them, as pod.final events):
 * state, exit code, OOM kill, the pod's own counters. Throws unless there are exactly `pods`.
 */
export function finalPodStates(r: ReplayResult, pods: number): Record<string, FinalPodState> {
  expectCount('pod.final events', r.summary.evidence.pods, pods);
  return Object.fromEntries(r.summary.evidence.pods.map((p) => [p.pod, p]));
}

/** The final states of one deployment's pods; throws unless there are exactly `pods`. */
export function finalPodsOf(r: ReplayResult, deployment: string, pods: number): FinalPodState[] {
  const of = r.summary.evidence.pods.filter((p) => p.deployment === deployment);
  expectCount(`pod.final events of ${deployment}`, of, pods);
  return of;
}

function expectCount(what: string, items: readonly unknown[], want: number): void {
  if (items.length !== want) throw new Error(`expected ${want} ${what}, got ${items.length}: the evidence is missing or the topology changed`);
}

/** Failed client connects grouped by `reason:code` (e.g. `http:503`). */
export function failuresByReason(outcomes: readonly ConnectOutcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.ok) continue;
    const key = reasonKey(o);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Churn as the run saw it: departures recorded, and the client closes that were drops (must be none of the departures). */
export async function churnEvidence(r: ReplayResult): Promise<{ departures: number; clientsChurned: number; drops: number; closedByClient: number }> {
  const h = await r.history();
  const churned = h.filter((e): e is EventOf<'client.churned'> => e.type === 'client.churned');
  const closes = h.filter((e): e is EventOf<'connect.closed'> => e.type === 'connect.closed' && e.source === 'client');
  return {
    departures: churned.length,
    clientsChurned: new Set(churned.map((e) => e.client)).size,
    drops: closes.filter((e) => e.abnormal).length,
    closedByClient: closes.filter((e) => !e.abnormal && e.by === 'client').length,
  };
}

/** Live-heap samples (pod.sample events carrying heapLiveMb) per pod: only new samples are recorded. */
export function liveHeapSamplesPerPod(samples: readonly PodSample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.heapLiveMb !== undefined) out[s.pod] = (out[s.pod] ?? 0) + 1;
  return out;
}

/**
 * What a churning remediated variant must show: churn ran (departures, distinct clients), none of
 * it a drop, and `memory-under-churn` passed on the live heap of every pod, each sampling it often.
 */
export async function expectChurnHeldOnLiveHeap(
  r: ReplayResult,
  want: { minClientsChurned: number; threshold: string; window: readonly [number, number]; pods: readonly string[]; minSamplesPerPod: number },
): Promise<void> {
  const churn = await churnEvidence(r);
  expect(churn.departures).toBeGreaterThan(3000);
  expect(churn.clientsChurned).toBeGreaterThan(want.minClientsChurned);
  expect(churn.drops).toBe(0);
  expect(churn.closedByClient).toBeGreaterThanOrEqual(churn.departures);
  const memory = r.summary.slos.find((s) => s.id === 'memory-under-churn');
  expect(memory).toMatchObject({ kind: 'gauge-trend', status: 'pass', threshold: want.threshold });
  const [from, to] = want.window;
  expect(memory!.detail).toMatch(new RegExp(`pod\\.heapLiveMb per minute in \\[${from} s, ${to} s\\), per all matching pods summed: all pods: [-+]\\d+\\.\\d+ over \\d+\\+ samples per pod holding connections`));
  const liveHeap = liveHeapSamplesPerPod(await podSamples(r));
  expect(Object.keys(liveHeap).sort()).toEqual([...want.pods].sort());
  for (const [pod, n] of Object.entries(liveHeap)) expect(n, pod).toBeGreaterThan(want.minSamplesPerPod);
}
