import type { History } from '../history/history.ts';
import { podGet } from './pod-http.ts';
import { podMemoryMb } from './pod-memory.ts';
import { fetchPodMetrics } from './pod-metrics.ts';
import type { StartedPod } from './pod.ts';

/** One observation of a pod: container state, readiness, working-set memory, connections per transport. */
export async function samplePod(pod: StartedPod, timeoutMs = 800): Promise<Parameters<History['record']>[0]> {
  const [state, memoryMb, ready, metrics] = await Promise.all([
    pod.state().catch(() => undefined),
    podMemoryMb(pod.id),
    podGet(pod.readyUrl, timeoutMs),
    fetchPodMetrics(pod.metrics, timeoutMs),
  ]);
  const podState = !state ? 'absent' : state.status === 'paused' ? 'paused' : state.running ? 'running' : state.oomKilled ? 'oomKilled' : 'exited';
  const connections = metrics?.connections ?? {};
  return {
    type: 'pod.sample',
    deployment: pod.spec.deployment,
    pod: pod.spec.name,
    state: podState,
    ready: ready?.status === 200,
    restarts: state?.restartCount ?? 0,
    ...(state ? { oomKilled: state.oomKilled } : {}),
    ...(memoryMb !== undefined && state?.running ? { memoryMb } : {}),
    connections,
  };
}

/**
 * Samples every pod once per interval into the history. The pod list is read on each tick, so pods
 * started or replaced by the timeline are picked up. A slow tick is skipped, never queued.
 */
export function startPodSampler(opts: { history: History; pods: () => StartedPod[]; intervalMs?: number }): { stop(): Promise<void> } {
  let busy: Promise<void> | undefined;
  const tick = () => {
    if (busy) return;
    busy = (async () => {
      const samples = await Promise.all(opts.pods().map((p) => samplePod(p)));
      for (const s of samples) opts.history.record(s);
    })().finally(() => (busy = undefined));
  };
  const timer = setInterval(tick, opts.intervalMs ?? 1000);
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
    },
  };
}
