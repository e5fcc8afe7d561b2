import type { K6ChurnParams, K6ScriptParams } from '../scenario/k6-scripts.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { APP } from './app.ts';
import { k6LoadEnv, type K6LoadBase } from './k6-env.ts';

// What the harness gives a scenario's k6 run (scenario/k6-runs.ts lists them), wherever it runs: the
// replay here (run/workload.ts) and the TestRuns exported for a cluster (export/) build its env here.

export type ScenarioK6Script = ResolvedScenario['load']['k6'][number];

/** A k6 script's churn as the CHURN_* parameters; defaults as the Node population's. */
function churnParams(churn: NonNullable<ScenarioK6Script['churn']>, rampUpS: number, durationS: number): K6ChurnParams {
  return { CHURN_SHARE_PER_S: churn.sharePerS, CHURN_FROM_S: churn.fromS ?? rampUpS, CHURN_TO_S: churn.toS ?? durationS, CHURN_AWAY_MS: churn.awayMs };
}

/** What the harness gives a scenario's k6 script besides the target: the app, its VUs, duration, bound, seed and churn. */
export function scenarioK6Load(scenario: ResolvedScenario, script: ScenarioK6Script, seed: number): K6LoadBase {
  return {
    app: APP,
    vus: script.vus,
    durationS: Math.min(script.durationS, scenario.load.maxDurationS),
    maxConnections: scenario.load.maxConnections,
    seed,
    ...(script.churn ? { churn: churnParams(script.churn, scenario.load.ramp.upS, scenario.durationS) } : {}),
  };
}

/** A scenario's k6 run as the env the script receives, but the target (its params were checked when the scenario loaded). */
export function scenarioK6LoadEnv(scenario: ResolvedScenario, script: ScenarioK6Script, seed: number): Record<string, string> {
  return k6LoadEnv(script.script, scenarioK6Load(scenario, script, seed), script.params as K6ScriptParams<typeof script.script>);
}
