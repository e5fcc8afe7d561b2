import type { PodMetricNames } from './pod-metrics.ts';
import type { PodSpec } from './pod.ts';

/** How one pod's container is started: what a server profile renders from the pod's spec. */
export interface PodLaunch {
  image: string;
  command: string[];
  env: Record<string, string>;
  /** Host paths mounted read-only. */
  mounts: { source: string; target: string }[];
  /** A log line that says the pod takes traffic. */
  readyLog: RegExp;
  /** A log line that says the pod refused its configuration and exits. */
  rejectedLog?: RegExp;
}

/**
 * What the topology needs of the server under test (harness/servers/ makes one from a profile):
 * how to start a pod, where it answers health and readiness, where its metrics are and what
 * they are called.
 */
export interface ServerRuntime {
  readonly name: string;
  /** Metrics on a port of their own (PodSpec.metricsPort) rather than on the client port. */
  readonly separateMetricsPort: boolean;
  /** Paths on the client port: 200 when the pod takes traffic (also the edge's health check), 200 when alive. */
  readonly readyPath: string;
  readonly healthPath: string;
  readonly metricsPath: string;
  readonly metricNames: PodMetricNames;
  /** Webhooks go through our dispatcher pod (a stream in Redis); false: each pod POSTs them itself. */
  readonly webhookDispatcher: boolean;
  launch(spec: PodSpec): Promise<PodLaunch>;
}
