import type { K6ScriptParams } from '../scenario/k6-scripts.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';

// The k6 runs of a variant and what each of their processes holds open. A run split over N
// processes (execution segments) gives each process a share of the VUs: k6 stripes them, so no
// process gets more than ⌈vus / N⌉. Each process has its own open-file limit, which is why a run is
// split: the plan accounts descriptors per process, not per run.

export type K6Run = ResolvedScenario['load']['k6'][number];

/** Where a k6 run comes from in the scenario, for messages: `load.k6[0]` or `load.publish`. */
export interface PlannedK6Run extends K6Run {
  path: string;
}

/** ws-subscribers' default sockets per VU (scenarios/load/ws-subscribers.ts). */
const WS_SOCKETS_PER_VU_DEFAULT = 10;
/** Publishing VUs per k6 process at the least: a process without VUs would drop its share of the rate. */
const PUBLISH_MIN_VUS_PER_PROCESS = 2;

/** The scenario's k6 runs, plus `load.publish` as a run of rest-publish.ts for the whole replay. */
export function k6Runs(scenario: ResolvedScenario): PlannedK6Run[] {
  const runs: PlannedK6Run[] = scenario.load.k6.map((k, i) => ({ ...k, path: `load.k6[${i}]` }));
  const publish = scenario.load.publish;
  if (publish && publish.ratePerS > 0) {
    runs.push({
      path: 'load.publish',
      script: 'rest-publish.ts',
      // One VU per 10 messages a second: a slow answer (a saturated or dying pod) barely throttles the rate.
      vus: Math.max(PUBLISH_MIN_VUS_PER_PROCESS * publish.instances, Math.ceil(publish.ratePerS / 10)),
      durationS: scenario.durationS,
      instances: publish.instances,
      params: {
        RATE_PER_S: publish.ratePerS,
        PAYLOAD_BYTES: publish.payloadBytes,
        CHANNELS: publish.channels,
        CHANNEL_KIND: scenario.load.clients?.channelKind ?? 'public',
      } satisfies K6ScriptParams<'rest-publish.ts'>,
    });
  }
  return runs;
}

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
