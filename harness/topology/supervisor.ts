import type { History } from '../history/history.ts';
import { podGet } from './pod-http.ts';
import type { StartedPod } from './pod.ts';

export interface LivenessProbe {
  periodS: number;
  failureThreshold: number;
  timeoutMs?: number;
}

/**
 * Kubernetes-like liveness where Docker has none: probe each pod's health path (/healthz on our server) every period, and after
 * `failureThreshold` consecutive failures restart its container (a dead container fails too, so an
 * OOM-killed pod comes back even without a Docker restart policy, as under a kubelet).
 */
export function startSupervisor(opts: {
  history: History;
  pods: () => StartedPod[];
  probeFor: (pod: StartedPod) => LivenessProbe | undefined;
}): { stop(): Promise<void> } {
  const failures = new Map<string, number>();
  const lastProbe = new Map<string, number>();
  const restarting = new Set<string>();
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const probeOnce = async (pod: StartedPod, probe: LivenessProbe) => {
    const alive = (await podGet(pod.healthUrl, probe.timeoutMs ?? 1000))?.status === 200;
    const key = pod.spec.name;
    const count = alive ? 0 : (failures.get(key) ?? 0) + 1;
    failures.set(key, count);
    if (count < probe.failureThreshold || stopped || restarting.has(key)) return;
    restarting.add(key);
    const restart = { type: 'liveness.restart', deployment: pod.spec.deployment, pod: key, failures: count } as const;
    try {
      await pod.restart();
      failures.set(key, 0);
      opts.history.record({ ...restart, ok: true });
    } catch (err) {
      opts.history.record({ ...restart, ok: false, error: (err as Error).message });
    } finally {
      restarting.delete(key);
    }
  };

  const timer = setInterval(() => {
    const now = Date.now();
    for (const pod of opts.pods()) {
      const probe = opts.probeFor(pod);
      if (!probe) continue;
      if (now - (lastProbe.get(pod.spec.name) ?? 0) < probe.periodS * 1000) continue;
      lastProbe.set(pod.spec.name, now);
      const p = probeOnce(pod, probe).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }, 200);

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}
