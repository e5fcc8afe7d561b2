import { totalmem } from 'node:os';

// The bounds a run plan is checked against before anything starts. Each has a documented default
// for this kind of machine and an environment variable that raises (or lowers) it; a message that
// rejects a plan names the variable.

export interface Bound {
  /** The environment variable that sets it. */
  env: string;
  value: number;
  /** What it limits, for messages: "replay seconds per variant". */
  what: string;
}

export interface Bounds {
  durationS: Bound;
  pods: Bound;
  containers: Bound;
  clients: Bound;
  memoryMb: Bound;
  fdsPerProcess: Bound;
  edgeMaxconn: Bound;
  k6Instances: Bound;
}

function envNumber(env: string, fallback: number): number {
  const raw = process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new BoundEnvError(env, raw);
  return n;
}

export class BoundEnvError extends Error {
  readonly code = 'BOUND_ENV_INVALID';
  constructor(env: string, raw: string) {
    super(`${env}=${JSON.stringify(raw)}: expected a positive number (or unset it for the default)`);
    this.name = 'BoundEnvError';
  }
}

/** The defaults fit a 2-core machine with a 20,000-descriptor limit per process. */
export function readBounds(): Bounds {
  const b = (env: string, fallback: number, what: string): Bound => ({ env, value: envNumber(env, fallback), what });
  return {
    durationS: b('HARNESS_MAX_DURATION_S', 900, 'replay seconds per variant (durationS)'),
    pods: b('HARNESS_MAX_PODS', 40, 'pods per variant, at the most at any moment of the timeline'),
    containers: b('HARNESS_MAX_CONTAINERS', 50, 'containers per variant (pods, Redis, edge, Toxiproxy, webhook dispatcher)'),
    clients: b('HARNESS_MAX_CLIENTS', 9000, 'simulated clients per variant (load.clients.count)'),
    // Containers are given hard memory limits; together they must leave room for the host.
    memoryMb: b('HARNESS_MAX_MEMORY_MB', Math.floor((totalmem() / 1024 / 1024) * 0.8), 'MB of container memory limits per variant (80% of this machine)'),
    fdsPerProcess: b('HARNESS_MAX_FDS', 20_000, 'file descriptors per process (ulimit -n)'),
    // The maxconn HAProxy is given: 8,000 × 2 descriptors + its own stay under 20,000 (~9,000 at most).
    edgeMaxconn: b('HARNESS_MAX_EDGE_MAXCONN', 8000, 'connections through the edge (HAProxy maxconn, two descriptors each)'),
    // Each k6 process takes a share of 2 cores; 8 of them hold 8 × 19,800 sockets, more than any edge here.
    k6Instances: b('HARNESS_MAX_K6_INSTANCES', 8, 'k6 processes per k6 run (load.k6[].instances, load.publish.instances, --load-instances)'),
  };
}

export function raiseHint(bound: Bound): string {
  return `the limit is ${bound.value} ${bound.what}; set ${bound.env} to raise it if this machine can take more`;
}
