import type { K6Run } from '../scenario/k6-runs.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';

// What each process of a variant's k6 runs (scenario/k6-runs.ts) holds open. A run split over N
// processes (execution segments) gives each process a share of the VUs: k6 stripes them, so no
// process gets more than ⌈vus / N⌉. Each process has its own open-file limit, which is why a run is
// split: the plan accounts descriptors per process, not per run.

/** ws-subscribers' default sockets per VU (scenarios/load/ws-subscribers.ts). */
const WS_SOCKETS_PER_VU_DEFAULT = 10;
/** What one k6 run holds open: connections through the edge in all, and in its busiest process. */
export interface K6RunLoad {
  connections: number;
  vusPerProcess: number;
  connectionsPerProcess: number;
  /** Descriptors per connection: 1 for a WebSocket, 2 for HTTP (a keep-alive connection and its replacement). */
  fdsPerConnection: number;
  /** How the connections follow from the run, for the plan and its messages. */
  why: string;
}

export function k6RunLoad(run: K6Run, maxConnections: number): K6RunLoad {
  const vusPerProcess = Math.ceil(run.vus / run.instances);
  if (run.script === 'ws-subscribers.ts') {
    // As the script caps it: never more sockets in all than the scenario's connection bound.
    const asked = Number(run.params.SOCKETS_PER_VU ?? WS_SOCKETS_PER_VU_DEFAULT);
    const perVu = Math.max(1, Math.min(Math.floor(asked), Math.floor(maxConnections / run.vus)));
    return {
      connections: run.vus * perVu,
      vusPerProcess,
      connectionsPerProcess: vusPerProcess * perVu,
      fdsPerConnection: 1,
      why: `${vusPerProcess} VUs × ${perVu} WebSockets`,
    };
  }
  // HTTP scripts: one keep-alive connection per VU.
  return { connections: run.vus, vusPerProcess, connectionsPerProcess: vusPerProcess, fdsPerConnection: 2, why: `${vusPerProcess} VUs × 1 keep-alive connection` };
}

/** Every k6 run of the variant set to N processes (`harness run --load-instances N`). */
export function withLoadInstances(scenario: ResolvedScenario, instances: number): ResolvedScenario {
  const publish = scenario.load.publish;
  return {
    ...scenario,
    load: {
      ...scenario.load,
      k6: scenario.load.k6.map((k) => ({ ...k, instances })),
      ...(publish ? { publish: { ...publish, instances } } : {}),
    },
  };
}

export class LoadInstancesError extends Error {
  readonly code = 'LOAD_INSTANCES_INVALID';
  constructor(raw: string) {
    super(`--load-instances ${raw}: expected a whole number of k6 processes >= 1 (1: one process per k6 run)`);
    this.name = 'LoadInstancesError';
  }
}

/** `--load-instances N` as a number of processes; the bound on it is the plan's (check-plan.ts). */
export function parseLoadInstances(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < 1) throw new LoadInstancesError(raw);
  return Number(raw);
}
