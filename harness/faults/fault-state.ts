import type { EdgeRoute } from '../topology/haproxy-config.ts';
import type { DeploymentSpec, TopologySpec } from '../topology/topology.ts';
import { DeployLocks, type DeployLock } from './deploy-locks.ts';
import { describeRelease, ReleaseHistory, type Release } from './release-history.ts';

/**
 * What faults changed since the topology started, in one place (testcontainers' configured vs
 * started): edge weights, deployment env, each deployment's releases, the deploy locks and the
 * releases a failed gate stopped. The started topology's spec stays what was started; a pod started
 * from now on takes its deployment's `current` spec from here. The pods themselves stay the truth:
 * faults read back from them for their evidence.
 */
export class FaultState {
  readonly locks = new DeployLocks();
  private readonly releases = new Map<string, ReleaseHistory>();
  private readonly env = new Map<string, Readonly<Record<string, string>>>();
  private readonly weights = new Map<string, Readonly<Record<string, number>>>();
  private readonly replicas = new Map<string, number>();
  /** Why a release may not roll out any further (a release pipeline does not move a stopped release on). */
  private readonly stopped = new Map<string, string>();

  constructor(private readonly spec: Readonly<TopologySpec>) {}

  private started(deployment: string): DeploymentSpec {
    const d = this.spec.deployments.find((x) => x.name === deployment);
    if (!d) throw new Error(`no deployment named ${deployment}`);
    return d;
  }

  releasesOf(deployment: string): ReleaseHistory {
    let h = this.releases.get(deployment);
    if (!h) {
      const d = this.started(deployment);
      h = new ReleaseHistory({ appVersion: d.appVersion, config: d.config });
      this.releases.set(deployment, h);
    }
    return h;
  }

  /** A deployment as a pod started now gets it: the started spec with today's release, env and size. */
  current(deployment: string): DeploymentSpec {
    const d = this.started(deployment);
    const release = this.releases.get(deployment)?.current;
    return {
      ...d,
      ...(release ? { appVersion: release.appVersion, config: release.config } : {}),
      env: { ...(this.env.get(deployment) ?? d.env) },
      replicas: this.replicas.get(deployment) ?? d.replicas,
    };
  }

  /** Environment changes every pod of the deployment started from now on carries. */
  changeEnv(deployment: string, set: Record<string, string>, unset: readonly string[]): void {
    const env = { ...this.current(deployment).env, ...set };
    for (const k of unset) delete env[k];
    this.env.set(deployment, env);
  }

  setReplicas(deployment: string, replicas: number): void {
    this.replicas.set(deployment, replicas);
  }

  /** The weights a listener's route sends to each deployment now. */
  weightsOf(listener: string, route: EdgeRoute): Readonly<Record<string, number>> | undefined {
    return this.weights.get(`${listener}/${route}`) ?? this.spec.edge?.listeners.find((l) => l.name === listener)?.routes[route];
  }

  setWeights(listener: string, route: EdgeRoute, weights: Record<string, number>): void {
    this.weights.set(`${listener}/${route}`, { ...weights });
  }

  stop(release: Release, why: string): void {
    this.stopped.set(describeRelease(release), why);
  }

  /** Why this release may not roll out any further, if a gate stopped it. */
  stoppedWhy(release: Release): string | undefined {
    return this.stopped.get(describeRelease(release));
  }

  /** Everything faults changed, for the history (what the run left behind). */
  snapshot(): FaultStateSnapshot {
    return {
      weights: Object.fromEntries(this.weights),
      env: Object.fromEntries(this.env),
      releases: Object.fromEntries([...this.releases].map(([d, h]) => [d, describeRelease(h.current)])),
      replicas: Object.fromEntries(this.replicas),
      locks: this.locks.all(),
      stopped: Object.fromEntries(this.stopped),
    };
  }
}

export interface FaultStateSnapshot {
  weights: Record<string, Readonly<Record<string, number>>>;
  env: Record<string, Readonly<Record<string, string>>>;
  releases: Record<string, string>;
  replicas: Record<string, number>;
  locks: DeployLock[];
  stopped: Record<string, string>;
}
