import { RATE_MIN_VUS_PER_PROCESS, type K6ScriptParams } from './k6-scripts.ts';
import type { ResolvedScenario } from './scenario-schema.ts';

// The k6 runs a resolved scenario declares (its load.k6 and load.publish), and the names their
// processes are heard under. The plan accounts their load (plan/k6-runs.ts), the replay starts them
// (run/workload.ts), and the verdict expects each process's stream to its run's end (verdict/coverage.ts).

export type K6Run = ResolvedScenario['load']['k6'][number];

/** Where a k6 run comes from in the scenario, for messages: `load.k6[0]` or `load.publish`. */
export interface PlannedK6Run extends K6Run {
  path: string;
}


/** The scenario's k6 runs, plus `load.publish` as a run of rest-publish.ts for the whole replay. */
export function k6Runs(scenario: ResolvedScenario): PlannedK6Run[] {
  const runs: PlannedK6Run[] = scenario.load.k6.map((k, i) => ({ ...k, path: `load.k6[${i}]` }));
  const publish = scenario.load.publish;
  if (publish && publish.ratePerS > 0) {
    runs.push({
      path: 'load.publish',
      script: 'rest-publish.ts',
      // One VU per 10 messages a second: a slow answer (a saturated or dying pod) barely throttles the rate.
      vus: Math.max(RATE_MIN_VUS_PER_PROCESS * publish.instances, Math.ceil(publish.ratePerS / 10)),
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

/**
 * The name a k6 process's samples are heard under: the run's path in the scenario, and with more than
 * one process its instance (1…N), as `load.k6[0]`, `load.publish#2`. The replay records it with the
 * samples and the verdict expects one stream per name, to its run's planned end.
 */
export function k6ProcessName(path: string, instance?: number | string): string {
  return instance === undefined ? path : `${path}#${instance}`;
}

/** Every process of the variant's k6 runs, by name, with the ms its run is planned to end at. */
export function k6Processes(scenario: ResolvedScenario): { name: string; plannedEndMs: number }[] {
  return k6Runs(scenario).flatMap((run) => {
    const plannedEndMs = Math.min(run.durationS, scenario.load.maxDurationS) * 1000;
    if (run.instances <= 1) return [{ name: k6ProcessName(run.path), plannedEndMs }];
    return Array.from({ length: run.instances }, (_, i) => ({ name: k6ProcessName(run.path, i + 1), plannedEndMs }));
  });
}
