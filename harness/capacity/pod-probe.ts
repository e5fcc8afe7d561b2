import { sleep } from '../load/timing.ts';
import { podGet } from '../topology/pod-http.ts';
import { podMemoryMb } from '../topology/pod-memory.ts';
import type { StartedPod } from '../topology/pod.ts';
import { metricByLabel, metricSum } from '../topology/prometheus-text.ts';
import type { PodEnd } from './break-rules.ts';

/** One reading of a pod under a breakpoint test: container state, working set, and its own counters. */
export interface PodReading {
  /** ms since the epoch, when the reading was taken. */
  at: number;
  running: boolean;
  oomKilled: boolean;
  exitCode: number | null;
  memoryMb: number | null;
  /** Absent when /metrics did not answer in time (a pod near its limit may stall). */
  metrics?: {
    /** ms since the epoch when /metrics answered: when its counters were read, for rates over time. */
    at: number;
    connections: number;
    refused: number;
    cpuSeconds: number;
    messagesOut: number;
  };
}

export type PodCounters = NonNullable<PodReading['metrics']>;

/** The pod's own counters alone (no Docker calls): light enough to sample during a step. */
export async function readPodCounters(pod: StartedPod, timeoutMs = 1000): Promise<PodCounters | undefined> {
  const res = await podGet(`${pod.url}/metrics`, timeoutMs);
  if (res?.status !== 200) return undefined;
  const at = Date.now();
  const text = res.body;
  return {
    at,
    connections: Object.values(metricByLabel(text, 'sut_connections', 'transport')).reduce((a, b) => a + b, 0),
    refused: metricSum(text, 'sut_connections_refused_total'),
    cpuSeconds: metricSum(text, 'sut_process_cpu_seconds_total'),
    messagesOut: metricSum(text, 'sut_messages_out_total'),
  };
}

export async function readPod(pod: StartedPod, timeoutMs = 1000): Promise<PodReading> {
  const at = Date.now();
  const [state, memoryMb, counters] = await Promise.all([pod.state().catch(() => undefined), podMemoryMb(pod.id), readPodCounters(pod, timeoutMs)]);
  const running = state?.running ?? false;
  const reading: PodReading = {
    at,
    running,
    oomKilled: state?.oomKilled ?? false,
    exitCode: state && !running ? state.exitCode : null,
    memoryMb: running && memoryMb !== undefined ? memoryMb : null,
  };
  if (counters !== undefined) reading.metrics = counters;
  return reading;
}

/** How a dead pod ended, and when. */
export interface PodDeath extends PodEnd {
  /** ms since the epoch, when Docker saw it exit. */
  finishedAtMs?: number;
}

/**
 * A dead pod's end, read again once Docker's events of the kill have settled: the OOM and exit
 * events reach Docker apart, and the clients see the kill before either.
 */
export async function settledDeath(pod: StartedPod, fallback: PodReading, settleMs = 1500): Promise<PodDeath> {
  await sleep(settleMs);
  const state = await pod.state().catch(() => undefined);
  if (!state || state.running) return { running: fallback.running, oomKilled: fallback.oomKilled, exitCode: fallback.exitCode };
  const finishedAtMs = Date.parse(state.finishedAt);
  return { running: false, oomKilled: state.oomKilled, exitCode: state.exitCode, ...(Number.isFinite(finishedAtMs) && finishedAtMs > 0 ? { finishedAtMs } : {}) };
}
