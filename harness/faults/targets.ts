import type { StartedPod } from '../topology/pod.ts';
import type { StartedTopology } from '../topology/topology.ts';
import { sleep } from '../load/timing.ts';
import { FaultError } from './fault.ts';

/** `name/3` is one pod (0-based) of deployment `name`; `name` is every pod of it. */
export function resolvePods(topology: StartedTopology, target: string): StartedPod[] {
  const [deployment, index] = target.split('/');
  const pods = topology.pods(deployment);
  if (!topology.deployments.has(deployment ?? '')) throw new FaultError(`no deployment named ${JSON.stringify(deployment)}`);
  if (index === undefined) return pods;
  const pod = pods[Number(index)];
  if (!pod) throw new FaultError(`deployment ${deployment} has ${pods.length} pod(s); there is no pod ${index}`);
  return [pod];
}

/** Polls until `check` returns a value, or gives up after `timeoutMs` (returns the last value). */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < deadline && !signal?.aborted) {
    await sleep(100, signal);
    v = await read();
  }
  return v;
}

export function requireDeployment(topology: StartedTopology, name: string): void {
  if (!topology.deployments.has(name)) throw new FaultError(`no deployment named ${JSON.stringify(name)}`);
}
