/** What every probe is given and what a started probe offers. */
import type { History } from '../history/history.ts';
import type { AppCredentials, Endpoint } from '../load/pusher-client/index.ts';
import type { Probe } from '../scenario/schema.ts';
import type { PodMetricsSource } from '../topology/pod-metrics.ts';

export interface ProbeTargets {
  /** Unpinned traffic: the edge listener (in tests, one pod). */
  edge: Endpoint;
  /** Where publishers send REST requests; defaults to `edge`. */
  rest?: Endpoint;
  /**
   * A pod of the deployment, labelled with its deployment and pod names, for pinned probes. Return
   * a dead pod's endpoint rather than undefined while the deployment exists: the probe then records
   * the refused connection, which is the point of probing it.
   */
  podOf(deployment: string): Endpoint | undefined;
  /**
   * A ready pod of the deployment other than the one `podOf` picks, for a check that must not
   * disturb the pinned probes; undefined when there is none.
   */
  sparePodOf?(deployment: string): Endpoint | undefined;
  /** Where a pod's own metrics are and what they are called; default our server's /metrics on the pod's port. */
  metricsOf?(pod: string): PodMetricsSource | undefined;
}

export interface ProbeContext {
  history: History;
  app: AppCredentials;
  targets: ProbeTargets;
  /** Hard bound on the probe's life; stop() ends it sooner. */
  maxDurationS: number;
  /** Connect timeout for probe clients; default 5 s. */
  connectTimeoutMs?: number;
  /** Ping after this much silence (compressed time); default: the server's activity timeout. */
  activityTimeoutMs?: number;
  pongTimeoutMs?: number;
}

export interface StartedProbe {
  readonly id: string;
  readonly kind: Probe['kind'];
  /** Stops sending, closes every connection; resolves when all of it is closed. */
  stop(): Promise<void>;
}

export class ProbeTargetError extends Error {
  readonly code = 'PROBE_TARGET';
}

/** Pinned to a pod of `deployment` when given, else the edge. */
export function endpointFor(targets: ProbeTargets, deployment: string | undefined): Endpoint | undefined {
  if (deployment === undefined) return targets.edge;
  return targets.podOf(deployment);
}
