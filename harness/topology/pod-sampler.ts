import type { History } from '../history/history.ts';
import { podGet } from './pod-http.ts';
import { podMemoryMb } from './pod-memory.ts';
import { fetchPodMetrics, type PodMetricsReading } from './pod-metrics.ts';
import type { StartedPod } from './pod.ts';

const MB = 1024 * 1024;

/**
 * The pod's live-heap sample (server LIVE_HEAP_SAMPLE_MS) when its sample count moved since the last
 * read of this pod: the same count means no collection happened since, and the old value is not
 * evidence of now. `seen` keeps the last count per container.
 */
export function freshLiveHeapMb(podId: string, liveHeap: NonNullable<PodMetricsReading['liveHeap']>, seen: Map<string, number>): number | undefined {
  const last = seen.get(podId);
  seen.set(podId, liveHeap.samples);
  if (liveHeap.samples === 0 || liveHeap.samples === last) return undefined;
  return liveHeap.bytes / MB;
}

/** One observation of a pod: container state, readiness, working-set memory, live heap, connections per transport. */
export async function samplePod(pod: StartedPod, timeoutMs = 800, liveHeapSeen = new Map<string, number>()): Promise<Parameters<History['record']>[0]> {
  const [state, memoryMb, ready, metrics] = await Promise.all([
    pod.state().catch(() => undefined),
    podMemoryMb(pod.id),
    podGet(pod.readyUrl, timeoutMs),
    fetchPodMetrics(pod.metrics, timeoutMs),
  ]);
  const podState = !state ? 'absent' : state.status === 'paused' ? 'paused' : state.running ? 'running' : state.oomKilled ? 'oomKilled' : 'exited';
  const connections = metrics?.connections ?? {};
  const heapLiveMb = metrics?.liveHeap ? freshLiveHeapMb(pod.id, metrics.liveHeap, liveHeapSeen) : undefined;
  return {
    type: 'pod.sample',
    deployment: pod.spec.deployment,
    pod: pod.spec.name,
    state: podState,
    ready: ready?.status === 200,
    restarts: state?.restartCount ?? 0,
    ...(state ? { oomKilled: state.oomKilled } : {}),
    ...(memoryMb !== undefined && state?.running ? { memoryMb } : {}),
    ...(heapLiveMb !== undefined ? { heapLiveMb } : {}),
    connections,
  };
}

/**
 * Samples every pod once per interval into the history. The pod list is read on each tick, so pods
 * started or replaced by the timeline are picked up. A slow tick is skipped, never queued.
 */
export function startPodSampler(opts: { history: History; pods: () => StartedPod[]; intervalMs?: number }): { stop(): Promise<void> } {
  let busy: Promise<void> | undefined;
  const liveHeapSeen = new Map<string, number>();
  const tick = () => {
    if (busy) return;
    busy = (async () => {
      const samples = await Promise.all(opts.pods().map((p) => samplePod(p, undefined, liveHeapSeen)));
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
