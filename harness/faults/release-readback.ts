import type { StartedTopology } from '../topology/topology.ts';
import { podRelease } from './pod-report.ts';

/** What every pod of a deployment reports running right now (`down` when it does not answer). */
export async function releasesRunning(topology: StartedTopology, deployment: string): Promise<Record<string, string>> {
  const pods = topology.pods(deployment);
  const seen = await Promise.all(pods.map((p) => podRelease(p)));
  return Object.fromEntries(pods.map((p, i) => [p.spec.name, seen[i] ? `${seen[i]!.version} / config ${seen[i]!.configVersion}` : 'down']));
}
