import type { StartedTopology } from '../topology/topology.ts';
import type { FaultContext } from './fault.ts';
import { DeployLocks } from './deploy-locks.ts';
import { describeRelease, ReleaseHistory, type Release } from './release-history.ts';

/**
 * The deploy tooling's state for one started topology: each deployment's releases, the per-pod deploy
 * locks, and releases a failed gate stopped (a release pipeline does not move a stopped release on
 * to the next deployment). It lives as long as the topology; the pods themselves stay the truth.
 */
export interface DeployState {
  locks: DeployLocks;
  releasesOf(deployment: string): ReleaseHistory;
  /** Why a release may not roll out any further, if a gate stopped it. */
  stopped: Map<string, string>;
}

const states = new WeakMap<StartedTopology, DeployState>();

export function deployState(topology: StartedTopology): DeployState {
  let state = states.get(topology);
  if (!state) {
    const releases = new Map<string, ReleaseHistory>();
    state = {
      locks: new DeployLocks(),
      stopped: new Map(),
      releasesOf(deployment) {
        let h = releases.get(deployment);
        if (!h) {
          const spec = topology.deployments.get(deployment)?.spec;
          if (!spec) throw new Error(`no deployment named ${deployment}`);
          h = new ReleaseHistory({ appVersion: spec.appVersion, config: spec.config });
          releases.set(deployment, h);
        }
        return h;
      },
    };
    states.set(topology, state);
  }
  return state;
}

/** The key a stopped release is remembered by: its app version and config version. */
export function releaseKey(r: Release): string {
  return describeRelease(r);
}

/** "Set the version in the central service": pods started from now on run this release. */
export function applyRelease(topology: StartedTopology, deployment: string, r: Release): void {
  const spec = topology.deployments.get(deployment)?.spec;
  if (!spec) throw new Error(`no deployment named ${deployment}`);
  spec.appVersion = r.appVersion;
  spec.config = r.config;
}

/** Tag of the history line that marks a decision to roll back (recovery SLOs count from it). */
export const ROLLBACK_DECIDED_TAG = 'rollback.decided';

export function recordRollbackDecision(ctx: FaultContext, line: string): void {
  ctx.history.record({ type: 'log.line', source: 'deploy', stream: 'stdout', tag: ROLLBACK_DECIDED_TAG, line });
}
